/* JSON text columns that read back the same on SQLite (string) and PostgreSQL. */
import { parseStoredJson } from '#app/core/payload_guard'
export const json = <T>() => ({
  prepare: (value: T) => JSON.stringify(value),
  consume: (value: string | T | null) => (typeof value === 'string' ? parseStoredJson<T>(value) : (value as T)),
})
