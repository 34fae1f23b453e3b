import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /* Prepared quizzes of a course, built in the teacher dashboard; questions are a JSON array. */
    this.schema.createTable('quizzes', (table) => {
      table.increments('id')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.integer('course_id').unsigned().notNullable().references('courses.id').onDelete('CASCADE')
      table.string('title', 200).notNullable()
      table.text('questions').notNullable()
      table.integer('created_by').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.index(['course_id'])
    })

    /*
    | One launched question in a class: a snapshot of the question, its timing
    | (epoch ms, server clock) and, for anonymous polls while open, the salt of
    | the respondent keys (erased on close).
    */
    this.schema.createTable('quiz_runs', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.integer('course_id').unsigned().notNullable().references('courses.id').onDelete('CASCADE')
      table.integer('quiz_id').unsigned().nullable().references('quizzes.id').onDelete('SET NULL')
      table.integer('question_index').nullable()
      table.integer('question_count').nullable()
      table.string('quiz_title', 200).nullable()
      table.string('type', 16).notNullable()
      table.text('prompt').notNullable()
      table.text('options').notNullable()
      table.text('correct').notNullable()
      table.text('accepted').notNullable()
      table.boolean('anonymous').notNullable().defaultTo(false)
      table.integer('time_limit_seconds').nullable()
      table.string('status', 16).notNullable().defaultTo('open')
      table.bigInteger('opened_at_ms').notNullable()
      table.bigInteger('closes_at_ms').nullable()
      table.bigInteger('closed_at_ms').nullable()
      table.bigInteger('revealed_at_ms').nullable()
      table.string('anon_salt', 64).nullable()
      table.integer('launched_by').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.index(['class_session_id', 'id'])
      table.index(['course_id'])
      table.index(['status', 'closes_at_ms'])
    })

    /*
    | One row per student and question: the unique (run, respondent) pair makes
    | "accepted once, a change replaces it" a single atomic upsert. Anonymous rows
    | hold no user id and no timestamps (see anonymity.ts).
    */
    this.schema.createTable('quiz_answers', (table) => {
      table.increments('id')
      table.integer('quiz_run_id').unsigned().notNullable().references('quiz_runs.id').onDelete('CASCADE')
      table.string('respondent_key', 64).notNullable()
      table.integer('user_id').unsigned().nullable().references('users.id').onDelete('CASCADE')
      table.text('option_ids').notNullable()
      table.text('text').nullable()
      table.string('text_key', 500).nullable()
      table.boolean('correct').nullable()
      table.integer('response_ms').nullable()
      table.bigInteger('answered_at_ms').nullable()
      table.integer('version').notNullable().defaultTo(1)
      table.unique(['quiz_run_id', 'respondent_key'])
      table.index(['user_id'])
    })
  }

  async down() {
    this.schema.dropTable('quiz_answers')
    this.schema.dropTable('quiz_runs')
    this.schema.dropTable('quizzes')
  }
}
