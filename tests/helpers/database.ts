import knex from 'knex'
import type { Kernel } from '@adonisjs/core/ace'
import env from '#start/env'

/** Creates the PostgreSQL test database when the suite runs on pg. */
export async function ensureTestDatabase() {
  if (env.get('DB_CONNECTION', 'sqlite') !== 'pg') return
  const url = new URL(env.get('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/aula'))
  const name = url.pathname.slice(1)
  const adminUrl = new URL(url)
  adminUrl.pathname = '/postgres'
  const admin = knex({ client: 'pg', connection: adminUrl.toString() })
  try {
    const exists = await admin.raw('select 1 from pg_database where datname = ?', [name])
    if (!exists.rowCount) await admin.raw(`create database "${name.replace(/"/g, '')}"`)
  } finally {
    await admin.destroy()
  }
}

/**
 * migration:fresh without Lucid's advisory lock: Lucid takes and releases it with queries on the
 * pool, which can run on different PostgreSQL connections, and then fails with "unable to release
 * database lock" (seen once in CI). The test run is the only migrator of its database.
 * (migration:fresh --disable-locks would pass the flag on to db:wipe, which refuses it.)
 */
export async function freshDatabase(ace: Kernel) {
  for (const [command, args] of [
    ['db:wipe', ['--force']],
    ['migration:run', ['--force', '--disable-locks']],
  ] as const) {
    const run = await ace.exec(command, [...args])
    if (run.exitCode !== 0) throw run.error ?? new Error(`${command} failed`)
  }
}
