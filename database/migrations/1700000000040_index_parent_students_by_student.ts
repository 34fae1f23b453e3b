import { BaseSchema } from '@adonisjs/lucid/schema'

/* A student's parents are looked up by student (attendance notices, threshold e-mails); the key starts with the parent. */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('parent_students', (table) => {
      table.index(['student_id'], 'parent_students_student_id_index')
    })
  }

  async down() {
    this.schema.alterTable('parent_students', (table) => {
      table.dropIndex(['student_id'], 'parent_students_student_id_index')
    })
  }
}
