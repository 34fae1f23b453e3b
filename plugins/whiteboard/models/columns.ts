/* JSON text columns that read back the same on SQLite (string) and PostgreSQL. */
export const json = <T>() => ({
  prepare: (value: T) => JSON.stringify(value),
  consume: (value: string | T | null) => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T)),
})
