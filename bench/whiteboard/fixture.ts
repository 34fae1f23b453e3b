/*
| Creates the bench's class (a school, a teacher, students, a live class) in the database the
| app processes will use, by booting Aula in this process just long enough to use its models.
*/
import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core'

const APP_ROOT = new URL('../../', import.meta.url)

export async function createBenchClass(students: number) {
  const ignitor = new Ignitor(APP_ROOT, {
    importer: (filePath: string) =>
      filePath.startsWith('./') || filePath.startsWith('../') ? import(new URL(filePath, APP_ROOT).href) : import(filePath),
  })
  const app = ignitor.createApp('console')
  app.booting(async () => {
    await import('#start/env')
  })
  await app.init()
  await app.boot()
  const { ensureTestDatabase, freshDatabase } = await import('#tests/helpers/database')
  await ensureTestDatabase()
  const ace = await app.container.make('ace')
  await ace.boot()
  await freshDatabase(ace)
  const { createSchool } = await import('#tests/helpers/fixtures')
  const fixture = await createSchool({ students, liveClass: true })
  const result = {
    sessionId: fixture.classSession.id,
    teacher: { email: fixture.teacher.email },
    students: fixture.students.map((s) => ({ email: s.email })),
  }
  await app.terminate()
  return result
}
