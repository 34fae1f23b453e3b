const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves with the first emission of `event`, or rejects after `ms`. */
export function nextEvent<T>(
  emitter: { once(event: string, listener: (...args: any[]) => void): unknown },
  event: string,
  ms = 15_000,
  filter: (value: T) => boolean = () => true
) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching "${event}" within ${ms} ms`)), ms)
    const listener = (value: T) => {
      if (!filter(value)) return void emitter.once(event, listener)
      clearTimeout(timer)
      resolve(value)
    }
    emitter.once(event, listener)
  })
}

/** Polls `probe` until it returns a truthy value, or rejects after `ms`. */
export async function until<T>(probe: () => Promise<T> | T, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`)
    await sleep(100)
  }
}
