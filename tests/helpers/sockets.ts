import { io, type Socket } from 'socket.io-client'
import type { Ack, ClientEventName, PayloadOf, ResultOf, ServerEventName, ServerEvents, SessionSnapshot } from '#app/realtime/events'
import { ParticipantList, PRESENCE_EVENTS, type PresenceChange } from '#app/realtime/participant_list'
import { loginCookies } from '#tests/helpers/http_login'
import { PASSWORD } from '#tests/helpers/fixtures'

export const TEST_URL = `http://127.0.0.1:${process.env.PORT ?? 3334}`

export type TestSocket = Socket

export async function connect(cookie: string | null, baseUrl = TEST_URL): Promise<TestSocket> {
  const socket = io(baseUrl, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', (error) => reject(error))
  })
  return socket
}

/** Logs in through HTTP and opens an authenticated socket. */
export async function connectAs(user: { email: string }, baseUrl = TEST_URL, options: { reconnection?: boolean } = {}) {
  const cookie = await loginCookies(baseUrl, user.email, PASSWORD)
  if (!options.reconnection) return connect(cookie, baseUrl)
  return io(baseUrl, { transports: ['websocket'], extraHeaders: { cookie }, forceNew: true, reconnectionDelay: 200 })
}

export function send<E extends ClientEventName>(socket: TestSocket, event: E, payload: PayloadOf<E> | unknown) {
  return new Promise<Ack<ResultOf<E>>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No ack for ${event}`)), 8000)
    socket.emit(event, payload, (response: Ack<ResultOf<E>>) => {
      clearTimeout(timer)
      resolve(response)
    })
  })
}

export async function sendOk<E extends ClientEventName>(socket: TestSocket, event: E, payload: PayloadOf<E>) {
  const response = await send(socket, event, payload)
  if (!response.ok) throw new Error(`${event} failed: ${response.error.code} ${response.error.message}`)
  return response.data
}

export function nextEvent<E extends ServerEventName>(
  socket: TestSocket,
  event: E,
  predicate: (payload: ServerEvents[E]) => boolean = () => true,
  timeoutMs = 8000
) {
  return new Promise<ServerEvents[E]>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event as string, listener)
      reject(new Error(`Timed out waiting for ${event}`))
    }, timeoutMs)
    const listener = (payload: ServerEvents[E]) => {
      if (!predicate(payload)) return
      clearTimeout(timer)
      socket.off(event as string, listener)
      resolve(payload)
    }
    socket.on(event as string, listener)
  })
}

/** Sockets opened by a test file, closed after each test with `closeAll()`. */
export function socketTracker() {
  const open: TestSocket[] = []
  return {
    /** Logs in, connects and joins the class; the socket is closed after the test. */
    async joined(user: { email: string }, sessionId: number, baseUrl?: string) {
      const socket = await connectAs(user, baseUrl)
      open.push(socket)
      await sendOk(socket, 'session:join', { sessionId })
      return socket
    },
    track(socket: TestSocket) {
      open.push(socket)
      return socket
    },
    closeAll() {
      open.splice(0).forEach((s) => s.disconnect())
    },
  }
}

/**
 * Proves an event does NOT reach a socket without a fixed window: start watching before the
 * action, then `settle()` sends a reaction in the socket's class (`via`, a socket of that class) and
 * waits for it; anything the action broadcast would have come first. Resolves true when `event`
 * never arrived. (The reaction is recorded as a presence event of `via`'s user.)
 */
export function watchAbsence(socket: TestSocket, event: ServerEventName) {
  let seen = 0
  const listener = () => seen++
  socket.on(event, listener)
  return {
    async settle(via: TestSocket) {
      const marker = nextEvent(socket, 'presence:reaction', (r) => r.emoji === '🤔')
      await sendOk(via, 'presence:react', { emoji: '🤔' })
      await marker
      socket.off(event, listener)
      return seen === 0
    },
  }
}

/**
 * `watchAbsence()` for sockets that are in no class any more (after the class ended): the later event
 * is `plugins:updated`, which an admin saving a plugin's settings sends to every socket of the school.
 * `settle(admin, baseUrl)` saves chat's settings unchanged through `baseUrl` — the process that would
 * have sent the unwanted event, so that Redis delivers both to the other processes in order — and
 * waits until every watched socket got it. Resolves true when `event` reached none of them.
 */
export function watchAbsenceSchoolWide(sockets: TestSocket[], event: ServerEventName) {
  let seen = 0
  const listener = () => seen++
  for (const socket of sockets) socket.on(event, listener)
  return {
    async settle(admin: { email: string }, baseUrl = TEST_URL) {
      const markers = sockets.map((socket) => nextEvent(socket, 'plugins:updated'))
      const cookie = await loginCookies(baseUrl, admin.email, PASSWORD)
      const xsrf = decodeURIComponent(/XSRF-TOKEN=([^;]+)/.exec(cookie)![1])
      const saved = await fetch(`${baseUrl}/admin/plugins/chat`, {
        method: 'PUT',
        headers: { cookie, 'x-xsrf-token': xsrf, 'content-type': 'application/json', 'accept': 'application/json' },
        body: JSON.stringify({ enabled: true }),
      })
      if (saved.status !== 200) throw new Error(`saving chat's settings answered ${saved.status}`)
      await Promise.all(markers)
      for (const socket of sockets) socket.off(event, listener)
      return seen === 0
    },
  }
}

/**
 * The participant list a client holds, kept by the classroom page's own ParticipantList
 * (app/realtime/participant_list.ts): `joining()` before a session:join, `joined(snapshot)` with its
 * answer, and every presence event the socket receives in between and after.
 */
export function trackParticipants(socket: Socket) {
  const list = new ParticipantList()
  for (const event of PRESENCE_EVENTS) socket.on(event, (payload: any) => list.apply({ event, payload } as PresenceChange))
  return {
    joining: () => list.joining(),
    joined: (snapshot: SessionSnapshot) => list.joined(snapshot.participants),
    current: () => list.current,
  }
}
