import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import { pluginMigrationPaths } from '#app/plugins/discovery'

/*
| SQLite is the embedded default; PostgreSQL is selected with DB_CONNECTION=pg.
| Plugin migrations live in plugins/<id>/database/migrations and are discovered here.
*/
const migrations = {
  naturalSort: true,
  paths: ['database/migrations', ...pluginMigrationPaths(app.appRoot)],
}

const sqliteFile = app.makePath(env.get('SQLITE_PATH', 'tmp/aula.sqlite3'))
mkdirSync(dirname(sqliteFile), { recursive: true })

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: { filename: sqliteFile },
      useNullAsDefault: true,
      migrations,
      pool: { afterCreate: (conn: any, done: any) => {
        conn.pragma('journal_mode = WAL')
        conn.pragma('busy_timeout = 5000')
        conn.pragma('foreign_keys = ON')
        done()
      } },
    },
    pg: {
      client: 'pg',
      connection: env.get('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/aula'),
      migrations,
    },
  },
})

export default dbConfig
