import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /*
    | One recording per class. state: recording → processing → ready, or failed (failure_reason
    | says why, readable by teachers and admins). lease_until guards processing across web
    | processes: whoever moved the row to processing owns it until the lease runs out.
    */
    this.schema.createTable('recordings', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().unique().references('class_sessions.id').onDelete('CASCADE')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.integer('course_id').unsigned().notNullable().references('courses.id').onDelete('CASCADE')
      table.string('recording_key', 40).notNullable().unique()
      table.string('title', 200).notNullable()
      table.string('state', 16).notNullable()
      table.text('failure_reason').nullable()
      table.integer('width').notNullable()
      table.integer('height').notNullable()
      table.timestamp('started_at').notNullable()
      table.timestamp('ended_at').nullable()
      table.timestamp('ready_at').nullable()
      table.integer('duration_ms').nullable()
      table.bigInteger('size_bytes').nullable()
      table.integer('part_count').nullable()
      table.timestamp('lease_until').nullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.index(['school_id', 'state'])
    })

    /* Chapter marks by wall-clock time (page and slide changes); mapped onto the video when it is assembled. */
    this.schema.createTable('recording_chapters', (table) => {
      table.increments('id')
      table.integer('recording_id').unsigned().notNullable().references('recordings.id').onDelete('CASCADE')
      table.bigInteger('at_ms').notNullable()
      table.string('title', 200).notNullable()
      table.string('page_key', 40).nullable()
      table.index(['recording_id', 'at_ms'])
    })
  }

  async down() {
    this.schema.dropTable('recording_chapters')
    this.schema.dropTable('recordings')
  }
}
