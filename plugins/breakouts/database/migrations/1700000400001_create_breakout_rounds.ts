import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('breakout_rounds', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.string('status', 16).notNullable().defaultTo('open')
      table.string('strategy', 16).notNullable()
      table.text('rooms').notNullable()
      table.timestamp('ends_at').notNullable()
      table.integer('created_by').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('closed_at').nullable()
      table.index(['class_session_id', 'status'])
      table.index(['status', 'ends_at'])
    })

    /* Who was in which room, and when (history for attendance and review). */
    this.schema.createTable('breakout_memberships', (table) => {
      table.increments('id')
      table.integer('breakout_round_id').unsigned().notNullable().references('breakout_rounds.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('room_key', 32).notNullable()
      table.timestamp('joined_at').notNullable()
      table.timestamp('left_at').nullable()
      table.index(['breakout_round_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('breakout_memberships')
    this.schema.dropTable('breakout_rounds')
  }
}
