import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('class_sessions', (table) => {
      table.increments('id')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.integer('course_id').unsigned().notNullable().references('courses.id').onDelete('CASCADE')
      table.integer('teacher_id').unsigned().notNullable().references('users.id')
      table.string('title').notNullable()
      table.string('status', 16).notNullable().defaultTo('scheduled')
      table.timestamp('scheduled_at').nullable()
      table.integer('duration_minutes').notNullable().defaultTo(60)
      table.timestamp('started_at').nullable()
      table.timestamp('ended_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.index(['school_id', 'status'])
      table.index(['course_id'])
    })

    /* Append-only presence log: the raw material for attendance and engagement. */
    this.schema.createTable('class_presence_events', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('type', 32).notNullable()
      table.text('data').nullable()
      table.timestamp('occurred_at').notNullable()
      table.index(['class_session_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('class_presence_events')
    this.schema.dropTable('class_sessions')
  }
}
