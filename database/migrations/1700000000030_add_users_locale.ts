import { BaseSchema } from '@adonisjs/lucid/schema'

/* The user's language for the UI and for e-mails sent to them (null: follow the browser's Accept-Language). */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.string('locale', 8).nullable()
    })
  }

  async down() {
    this.schema.alterTable('users', (table) => {
      table.dropColumn('locale')
    })
  }
}
