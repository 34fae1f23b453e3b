import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /*
    | Raw per-signal aggregates: one row per class, student and contributing app process (user 0 holds
    | the class-wide quiz facts). `data` is the contribution (aggregate.ts), `version` only grows, so a
    | write of an older copy never replaces a newer one. Scores are always recomputed from these rows.
    */
    this.schema.createTable('engagement_contributions', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('user_id').notNullable()
      table.string('contributor', 64).notNullable()
      table.integer('version').notNullable()
      table.text('data').notNullable()
      table.bigInteger('updated_at_ms').notNullable()
      table.unique(['class_session_id', 'user_id', 'contributor'])
    })

    /* Each student's score in an ended class under the school's current weights, with its explanation. */
    this.schema.createTable('engagement_scores', (table) => {
      table.increments('id')
      table.integer('class_session_id').unsigned().notNullable().references('class_sessions.id').onDelete('CASCADE')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.integer('course_id').unsigned().notNullable().references('courses.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.float('score').nullable()
      table.text('parts').notNullable()
      table.bigInteger('ended_at_ms').notNullable()
      table.unique(['class_session_id', 'user_id'])
      table.index(['school_id', 'ended_at_ms'])
      table.index(['user_id', 'ended_at_ms'])
    })

    /* Per school: the weights (five integers summing to 100), the at-risk rule and who may see scores. */
    this.schema.createTable('engagement_settings', (table) => {
      table.integer('school_id').unsigned().primary().references('schools.id').onDelete('CASCADE')
      table.text('weights').notNullable()
      table.integer('at_risk_threshold').notNullable()
      table.integer('at_risk_window').notNullable()
      table.boolean('students_see_own').notNullable()
      table.boolean('parents_see_child').notNullable()
      table.integer('updated_by').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.bigInteger('updated_at_ms').notNullable()
    })
  }

  async down() {
    this.schema.dropTable('engagement_settings')
    this.schema.dropTable('engagement_scores')
    this.schema.dropTable('engagement_contributions')
  }
}
