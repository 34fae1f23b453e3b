/*
| The connections bench's school, created straight in the database the app processes will use (bulk
| inserts: 12,000 users with one shared password hash), and a ready session cookie for every user,
| minted with the app's own cookie client and APP_KEY exactly as a login would set it (aula-session =
| signed session id; <session id> = encrypted { auth_web, aula_session_version }). No HTTP login per client: the
| bench measures the realtime layer, and 12,000 password verifications would only measure scrypt.
*/
import 'reflect-metadata'
import { randomUUID } from 'node:crypto'
import { Ignitor } from '@adonisjs/core'

const APP_ROOT = new URL('../../', import.meta.url)

export interface BenchUser {
  userId: number
  classId: number
  role: 'teacher' | 'student'
  cookie: string
}

export async function createConnectionsSchool(options: { classes: number; classSize: number }) {
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
  try {
    const { ensureTestDatabase, freshDatabase } = await import('#tests/helpers/database')
    await ensureTestDatabase()
    const ace = await app.container.make('ace')
    await ace.boot()
    await freshDatabase(ace)

    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: hash } = await import('@adonisjs/core/services/hash')
    const { default: encryption } = await import('@adonisjs/core/services/encryption')
    const { CookieClient } = await import('@adonisjs/core/http')
    const { SESSION_COOKIE_NAME } = await import('#config/session')
    const { SESSION_VERSION_KEY } = await import('#app/users/session_version')
    const now = new Date()
    const tag = randomUUID().slice(0, 8)
    const password = await hash.make('bench-password')

    const [school] = await db.table('schools').insert({ name: `Bench ${tag}`, slug: `bench-${tag}`, timezone: 'UTC', created_at: now }).returning('id')
    const schoolId = typeof school === 'object' ? school.id : school
    const users: BenchUser[] = []
    for (let c = 0; c < options.classes; c++) {
      const rows = Array.from({ length: options.classSize }, (_, i) => ({
        school_id: schoolId,
        full_name: i === 0 ? `Teacher ${c}` : `Student ${c}.${i}`,
        email: `${i === 0 ? 'teacher' : 'student'}.${c}.${i}.${tag}@bench.aula`,
        password,
        role: i === 0 ? 'teacher' : 'student',
        created_at: now,
      }))
      const ids = (await db.table('users').multiInsert(rows).returning('id')).map((r: any) => (typeof r === 'object' ? r.id : r))
      const [course] = await db.table('courses').insert({ school_id: schoolId, teacher_id: ids[0], name: `Course ${c}`, created_at: now }).returning('id')
      const courseId = typeof course === 'object' ? course.id : course
      await db.table('course_enrollments').multiInsert(ids.slice(1).map((id: number) => ({ course_id: courseId, student_id: id })))
      const [session] = await db
        .table('class_sessions')
        .insert({ school_id: schoolId, course_id: courseId, teacher_id: ids[0], title: `Class ${c}`, status: 'live', started_at: now, scheduled_at: now, duration_minutes: 45, created_at: now })
        .returning('id')
      const classId = typeof session === 'object' ? session.id : session
      ids.forEach((userId: number, i: number) => users.push({ userId, classId, role: i === 0 ? 'teacher' : 'student', cookie: '' }))
    }

    const client = new CookieClient(encryption)
    for (const user of users) {
      const sessionId = randomUUID()
      const signed = client.sign(SESSION_COOKIE_NAME, sessionId)!
      // New users are at session version 0 (users.session_version), as a fresh login stores it.
      const data = client.encrypt(sessionId, { auth_web: user.userId, [SESSION_VERSION_KEY]: 0 })!
      user.cookie = `${SESSION_COOKIE_NAME}=${encodeURIComponent(signed)}; ${sessionId}=${encodeURIComponent(data)}`
    }
    return { schoolId, users }
  } finally {
    await app.terminate()
  }
}
