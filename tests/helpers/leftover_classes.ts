import type { Group } from '@japa/runner/core'
import logger from '@adonisjs/core/services/logger'
import ClassSession from '#app/classes/models/class_session'
import { endClass } from '#app/classes/services/class_lifecycle'

const newestClassId = async () => (await ClassSession.query().max('id as id').first())?.$extras.id ?? 0

/**
 * A browser test's class stays live after the test: its media room, the recording's encoder and
 * board renderer, and the pages' media keep running, and every later test of the group shares the
 * two cores with them (a one-page test took 24 s after two others, 2 s alone). After each test, the
 * classes it made and left live are ended as a teacher would end them (recording stopped, media
 * room closed, pages told). Classes a group made in its setup are left alone.
 */
export function endClassesLeftLiveByEachTest(group: Group) {
  let before = 0
  group.each.setup(async () => {
    before = Number(await newestClassId())
  })
  group.each.teardown(async () => {
    for (const session of await ClassSession.query().where('status', 'live').where('id', '>', before)) {
      await endClass(session).catch((error) => logger.warn({ err: error }, `could not end class ${session.id} after its test`))
    }
  })
}
