import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Attendance: an append-only log of what the server observed (joins, leaves, tab visibility), one
| row per finalized class, and one record per enrolled student and class. Times are epoch ms.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('attendance_marks', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('kind', 16).notNullable()
      table.bigInteger('at_ms').notNullable()
      table.index(['class_session_id', 'user_id'])
    })
    this.schema.createTable('attendance_classes', (table) => {
      table.integer('class_session_id').unsigned().primary().references('class_sessions.id').onDelete('CASCADE')
      table.integer('school_id').unsigned().notNullable()
      table.integer('course_id').unsigned().notNullable()
      table.string('title').notNullable()
      table.bigInteger('started_at_ms').notNullable()
      table.bigInteger('ended_at_ms').notNullable()
      table.bigInteger('finalized_at_ms').notNullable()
      table.index(['school_id', 'ended_at_ms'])
    })
    this.schema.createTable('attendance_records', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('school_id').unsigned().notNullable()
      table.integer('course_id').unsigned().notNullable()
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.bigInteger('ended_at_ms').notNullable()
      table.string('computed_status', 16).notNullable()
      table.string('status', 16).notNullable()
      table.bigInteger('present_ms').notNullable()
      table.bigInteger('active_ms').notNullable()
      table.bigInteger('class_ms').notNullable()
      table.bigInteger('first_join_ms').nullable()
      table.bigInteger('last_leave_ms').nullable()
      table.string('override_reason', 500).nullable()
      table.integer('override_by').unsigned().nullable()
      table.bigInteger('override_at_ms').nullable()
      table.unique(['class_session_id', 'user_id'])
      table.index(['school_id', 'user_id', 'ended_at_ms'])
      table.index(['course_id', 'ended_at_ms'])
    })
  }

  async down() {
    this.schema.dropTable('attendance_records')
    this.schema.dropTable('attendance_classes')
    this.schema.dropTable('attendance_marks')
  }
}
