import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Report exports built in the background (exports.ts): who asked, how far it got, where the file is.
| Rows and files older than a day are removed by the sweep.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('attendance_exports', (table) => {
      table.string('id', 36).primary()
      table.integer('school_id').unsigned().notNullable()
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('format', 8).notNullable()
      table.string('filename', 200).notNullable()
      table.string('status', 16).notNullable()
      table.integer('done').notNullable().defaultTo(0)
      table.integer('total').notNullable().defaultTo(0)
      table.string('file_key', 200).nullable()
      table.integer('bytes').nullable()
      table.bigInteger('created_at_ms').notNullable()
      table.bigInteger('updated_at_ms').notNullable()
      table.index(['user_id', 'created_at_ms'])
    })
  }

  async down() {
    this.schema.dropTable('attendance_exports')
  }
}
