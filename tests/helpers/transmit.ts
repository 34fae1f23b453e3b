import { randomUUID } from 'node:crypto'
import transmit from '@adonisjs/transmit/services/main'
import { loginCookies } from '#tests/helpers/http_login'
import { PASSWORD } from '#tests/helpers/fixtures'
import { TEST_URL } from '#tests/helpers/sockets'

/*
| A Transmit (server-sent events) client for tests, like the browser's: logs in, opens
| /__transmit/events, subscribes to the user's own notification channel and collects what arrives.
| To prove that something did NOT reach a user, `settle()` broadcasts a marker on their channel
| after the action and waits for it: whatever the action sent them would have arrived first (one
| transport, in order).
*/
export interface Listener {
  userId: number
  notices: Record<string, any>[]
  next(description: string, predicate: (notice: Record<string, any>) => boolean): Promise<Record<string, any>>
  settle(): Promise<Record<string, any>[]>
  close(): void
}

export async function listenAs(user: { id: number; email: string }, baseUrl = TEST_URL): Promise<Listener> {
  const cookie = await loginCookies(baseUrl, user.email, PASSWORD)
  const xsrf = decodeURIComponent(/(?:^|; )XSRF-TOKEN=([^;]*)/.exec(cookie)?.[1] ?? '')
  const uid = randomUUID()
  const abort = new AbortController()
  const response = await fetch(`${baseUrl}/__transmit/events?uid=${uid}`, { headers: { cookie }, signal: abort.signal })
  if (response.status !== 200 || !response.body) throw new Error(`Transmit stream of ${user.email} answered ${response.status}`)
  const notices: Record<string, any>[] = []
  const waiters = new Set<() => void>()
  void (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of response.body as any as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
          if (!data) continue
          const message = JSON.parse(data)
          if (message.channel === `users/${user.id}/notifications`) notices.push(message.payload)
          waiters.forEach((w) => w())
        }
      }
    } catch {
      // aborted by close()
    }
  })()
  const subscribed = await fetch(`${baseUrl}/__transmit/subscribe`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'accept': 'application/json', 'x-xsrf-token': xsrf },
    body: JSON.stringify({ uid, channel: `users/${user.id}/notifications` }),
  })
  if (subscribed.status !== 204) throw new Error(`Subscribing ${user.email} answered ${subscribed.status}`)

  const next = (description: string, predicate: (notice: Record<string, any>) => boolean) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const check = () => {
        const found = notices.find(predicate)
        if (!found) return
        waiters.delete(check)
        clearTimeout(timer)
        resolve(found)
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`${user.email} never received ${description}`))
      }, 15_000)
      waiters.add(check)
      check()
    })
  return {
    userId: user.id,
    notices,
    next,
    async settle() {
      const marker = randomUUID()
      transmit.broadcast(`users/${user.id}/notifications`, { type: 'test.marker', marker })
      await next('the marker', (n) => n.marker === marker)
      return notices.filter((n) => n.type !== 'test.marker')
    },
    close: () => abort.abort(),
  }
}
