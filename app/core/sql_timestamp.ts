import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'

/**
 * A timestamp as Lucid writes it for the current connection's dialect (a local-time string on
 * SQLite, ISO with offset on PostgreSQL), for query-builder writes and comparisons.
 */
export function sqlTimestamp(value: DateTime = DateTime.now()) {
  return value.toFormat(db.connection().dialect.dateTimeFormat)
}

/** A timestamp column's raw value (Date on PostgreSQL, string on SQLite) as epoch milliseconds. */
export function timestampMs(value: unknown): number | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'number') return value
  const parsed = DateTime.fromSQL(String(value))
  return parsed.isValid ? parsed.toMillis() : DateTime.fromISO(String(value)).toMillis()
}
