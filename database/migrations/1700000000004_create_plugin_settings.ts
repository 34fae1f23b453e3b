import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('school_plugins', (table) => {
      table.increments('id')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.string('plugin_id', 64).notNullable()
      table.boolean('enabled').notNullable().defaultTo(true)
      table.text('settings').notNullable().defaultTo('{}')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.unique(['school_id', 'plugin_id'])
    })

    this.schema.createTable('plugin_settings_audits', (table) => {
      table.increments('id')
      table.integer('school_id').unsigned().notNullable().references('schools.id').onDelete('CASCADE')
      table.string('plugin_id', 64).notNullable()
      table.integer('user_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.text('old_value').notNullable()
      table.text('new_value').notNullable()
      table.timestamp('created_at').notNullable()
      table.index(['school_id', 'plugin_id'])
    })

    this.schema.createTable('rate_limits', (table) => {
      table.string('key', 255).notNullable().primary()
      table.integer('points', 9).notNullable().defaultTo(0)
      table.bigint('expire').unsigned()
    })
  }

  async down() {
    this.schema.dropTable('rate_limits')
    this.schema.dropTable('plugin_settings_audits')
    this.schema.dropTable('school_plugins')
  }
}
