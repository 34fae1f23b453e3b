import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { createSchool } from '#tests/helpers/fixtures'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'
import { eventually } from '#tests/helpers/poll'
import Recording from '../../models/recording.js'

/** Sends SIGTERM and resolves with the exit code, or 'hung' when the process is still there after 15 s. */
function exitCodeAfterSigterm(app: AppProcess) {
  return new Promise<number | null | 'hung'>((resolve) => {
    const timer = setTimeout(() => resolve('hung'), 15_000)
    app.child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
    app.child.kill('SIGTERM')
  })
}

test.group('Recording: a web process stopped while its sweep waits for a sidecar', () => {
  test('exits promptly with code 0 although live recordings wait for a media sidecar that is not there', async ({ assert }) => {
    // Several live classes recording: the boot sweep asks the (absent) sidecar for each, 5 s apiece.
    for (let i = 0; i < 4; i++) {
      const f = await createSchool({ liveClass: true })
      await Recording.create({
        classSessionId: f.classSession.id,
        schoolId: f.school.id,
        courseId: f.course.id,
        recordingKey: randomUUID(),
        title: f.classSession.title,
        state: 'recording',
        width: 1280,
        height: 720,
        startedAt: DateTime.now(),
        attempts: 0,
      })
    }
    const app = await startAppProcess({ env: { REDIS_URL: '', MEDIA_SIDECARS: 'tcp://127.0.0.1:9' } })
    try {
      // The sweep starts 1 s after boot; stop the process once it is waiting on the sidecar.
      await eventually('the sweep waits on the sidecar', () => app.output().includes('recording could not start on a media sidecar yet'), { timeoutMs: 30_000 })
      assert.equal(await exitCodeAfterSigterm(app), 0, app.output())
    } finally {
      await app.kill('SIGKILL')
    }
  })

  test('stopped right after boot, before its first sweep ran, it exits with 0 (the sweep must not reopen the closed database)', async ({ assert }) => {
    const app = await startAppProcess({ env: { REDIS_URL: '', MEDIA_SIDECARS: 'tcp://127.0.0.1:9' } })
    try {
      assert.equal(await exitCodeAfterSigterm(app), 0, app.output())
    } finally {
      await app.kill('SIGKILL')
    }
  })
})
