import knex from 'knex'
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
