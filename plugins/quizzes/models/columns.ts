/* Column (de)serialisers that behave the same on SQLite and PostgreSQL. */
import { parseStoredJson } from '#app/core/payload_guard'
export const json = <T>() => ({
  prepare: (value: T) => JSON.stringify(value),
  consume: (value: string | T) => (typeof value === 'string' ? parseStoredJson<T>(value) : value),
})

/** bigint comes back as a string from pg. */
export const epochMs = {
  consume: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
}

/** SQLite stores booleans as 0/1. */
export const bool = {
  consume: (value: unknown) => (value === null || value === undefined ? null : Boolean(value)),
}
