import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| A per-user session version. A login stores it in the session; every HTTP request and every socket
| handshake compares it with the user's current one. Logging out (or any other "end this user's
| sessions", see app/users/session_version.ts) increments it, so copies of an old cookie stop working.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.integer('session_version').notNullable().defaultTo(0)
    })
  }

  async down() {
    this.schema.alterTable('users', (table) => {
      table.dropColumn('session_version')
    })
  }
}
