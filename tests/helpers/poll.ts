/**
 * Polls `check` until it returns a truthy value (returned) or the bound passes (throws with the
 * description). The way to wait for a condition in tests: never a fixed sleep.
 */
export async function eventually<T>(
  description: string,
  check: () => Promise<T> | T,
  { timeoutMs = 15_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {}
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  for (;;) {
    last = await check()
    if (last) return last as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
