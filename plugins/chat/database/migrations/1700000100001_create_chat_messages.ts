import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('chat_messages', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.string('room', 64).notNullable().defaultTo('main')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('author_name').notNullable()
      table.string('author_role', 16).notNullable()
      table.text('body').notNullable()
      table.timestamp('deleted_at').nullable()
      table.integer('deleted_by').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.index(['class_session_id', 'room', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('chat_messages')
  }
}
