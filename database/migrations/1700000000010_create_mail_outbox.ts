import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The durable mail outbox: every e-mail Aula sends is a row here first. The unique idempotency
| key makes "send this once" hold across app processes, retries and restarts; the sender claims
| rows with a conditional update (status + lease), so no two processes send the same row.
| Scheduling times are epoch milliseconds (bigint): compared the same way on SQLite and PostgreSQL.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('mail_outbox', (table) => {
      table.increments('id')
      table.string('idempotency_key', 191).notNullable().unique()
      table.integer('school_id').unsigned().nullable().references('schools.id').onDelete('CASCADE')
      table.string('source', 64).notNullable()
      table.string('to_address', 254).notNullable()
      table.string('to_name', 255).nullable()
      table.text('subject').notNullable()
      table.text('text_body').notNullable()
      table.text('html_body').nullable()
      table.string('status', 16).notNullable().defaultTo('pending')
      table.integer('attempts').notNullable().defaultTo(0)
      table.bigint('next_attempt_at_ms').notNullable()
      table.string('claim_token', 64).nullable()
      table.bigint('claimed_until_ms').nullable()
      table.text('last_error').nullable()
      table.string('message_id', 255).notNullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.index(['status', 'next_attempt_at_ms'])
      table.index(['school_id', 'id'])
    })

    this.schema.createTable('mail_outbox_attachments', (table) => {
      table.increments('id')
      table.integer('mail_id').unsigned().notNullable().references('mail_outbox.id').onDelete('CASCADE')
      table.string('filename', 255).notNullable()
      table.string('content_type', 255).notNullable()
      table.binary('content').notNullable()
      table.index(['mail_id'])
    })
  }

  async down() {
    this.schema.dropTable('mail_outbox_attachments')
    this.schema.dropTable('mail_outbox')
  }
}
