import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /* Timestamped mic/camera/screen on-off per participant (engagement: camera-on time). */
    this.schema.createTable('media_state_events', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('source', 16).notNullable()
      table.boolean('on').notNullable()
      table.timestamp('occurred_at').notNullable()
      table.index(['class_session_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('media_state_events')
  }
}
