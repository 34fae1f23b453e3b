import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('courses', (table) => {
      table.increments('id')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.integer('teacher_id').unsigned().notNullable().references('users.id')
      table.string('name').notNullable()
      table.text('description').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.index(['school_id'])
    })

    this.schema.createTable('course_enrollments', (table) => {
      table.integer('course_id').unsigned().notNullable().references('courses.id').onDelete('CASCADE')
      table.integer('student_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.primary(['course_id', 'student_id'])
    })

    this.schema.createTable('student_groups', (table) => {
      table.increments('id')
      table.integer('course_id').unsigned().notNullable().references('courses.id').onDelete('CASCADE')
      table.string('name').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
    })

    this.schema.createTable('student_group_members', (table) => {
      table.integer('student_group_id').unsigned().notNullable().references('student_groups.id').onDelete('CASCADE')
      table.integer('student_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.primary(['student_group_id', 'student_id'])
    })
  }

  async down() {
    this.schema.dropTable('student_group_members')
    this.schema.dropTable('student_groups')
    this.schema.dropTable('course_enrollments')
    this.schema.dropTable('courses')
  }
}
