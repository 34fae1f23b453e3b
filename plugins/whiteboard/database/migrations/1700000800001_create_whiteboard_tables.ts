import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /*
    | One whiteboard page of a room of a class. `elements` is the persisted scene (a JSON
    | array of Excalidraw elements), written a few seconds after changes and at class end;
    | the live, authoritative copy is in the shared state (Redis or memory).
    */
    this.schema.createTable('whiteboard_pages', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.string('room', 64).notNullable()
      table.string('page_key', 40).notNullable()
      table.integer('position').notNullable()
      table.string('title', 120).notNullable()
      table.text('background').nullable()
      table.text('elements').notNullable()
      table.integer('element_count').notNullable().defaultTo(0)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.unique(['class_session_id', 'page_key'])
      table.index(['class_session_id', 'room'])
    })

    /* Slide images rendered from uploaded PDF decks. */
    this.schema.createTable('whiteboard_files', (table) => {
      table.increments('id')
      table.string('file_key', 40).notNullable().unique()
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.string('path', 400).notNullable()
      table.string('mime_type', 40).notNullable()
      table.integer('width').notNullable()
      table.integer('height').notNullable()
      table.integer('bytes').notNullable()
      table.timestamp('created_at').notNullable()
    })

    /* Who did what on the board, when: page changes become recording chapters, drawing counts for engagement. */
    this.schema.createTable('whiteboard_activity', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('room', 64).notNullable()
      table.string('page_key', 40).notNullable()
      table.string('action', 16).notNullable()
      table.integer('element_count').notNullable().defaultTo(0)
      table.timestamp('occurred_at').notNullable()
      table.index(['class_session_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('whiteboard_activity')
    this.schema.dropTable('whiteboard_files')
    this.schema.dropTable('whiteboard_pages')
  }
}
