import db from '@adonisjs/lucid/services/db'

/**
 * A test that starts a class through the product gets a recording row, and a class it leaves live
 * keeps its media room in the test server's media cluster. Each later group starts a media sidecar
 * at the test server's address; the cluster re-creates its rooms there and the recording plugin
 * starts the recordings of live classes again: an encoder FFmpeg and a board renderer per leftover
 * class, loading the machine for the rest of the run. The recording tests look at their own rows
 * inside their group, so after a group its rows still recording are marked failed.
 */
export async function stopLeftoverRecordings() {
  await db.from('recordings').where('state', 'recording').update({ state: 'failed', failure_reason: 'left running by a test group' })
}
