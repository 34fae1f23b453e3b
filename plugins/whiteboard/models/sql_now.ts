import { DateTime } from 'luxon'

/** A timestamp for query-builder writes that reads back the same on SQLite and PostgreSQL. */
export const sqlTimestamp = (at: Date | DateTime = DateTime.now()) =>
  (at instanceof Date ? DateTime.fromJSDate(at) : at).toUTC().toSQL({ includeOffset: false })!
