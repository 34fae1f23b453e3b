import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('schools', (table) => {
      table.increments('id')
      table.string('name').notNullable()
      table.string('slug').notNullable().unique()
      table.string('timezone').notNullable().defaultTo('UTC')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
    })

    this.schema.createTable('users', (table) => {
      table.increments('id')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.string('full_name').notNullable()
      table.string('email', 254).notNullable().unique()
      table.string('password').notNullable()
      table.string('role', 16).notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.index(['school_id', 'role'])
    })

    this.schema.createTable('parent_students', (table) => {
      table.integer('parent_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.integer('student_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.primary(['parent_id', 'student_id'])
    })
  }

  async down() {
    this.schema.dropTable('parent_students')
    this.schema.dropTable('users')
    this.schema.dropTable('schools')
  }
}
