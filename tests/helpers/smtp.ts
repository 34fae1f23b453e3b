import { createServer } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'

/*
| A real SMTP server on loopback for tests (the smtp-server package); every message it accepts is
| parsed with mailparser. It can be stopped and started again on the same port (an outage), and
| told to refuse recipients with a permanent 550.
*/
export interface TestSmtpServer {
  port: number
  messages: ParsedMail[]
  /** Recipients answered with "550 mailbox unavailable". */
  refuse: Set<string>
  stop(): Promise<void>
  start(): Promise<void>
  /** Resolves once `count` messages matching the predicate arrived (bounded wait). */
  waitFor(count: number, predicate?: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail[]>
  to(address: string): ParsedMail[]
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const port = await freePort()
  const messages: ParsedMail[] = []
  const refuse = new Set<string>()
  const waiters = new Set<() => void>()
  let server: SMTPServer | null = null

  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (refuse.has(address.address.toLowerCase())) {
          const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })
          return callback(error)
        }
        callback()
      },
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            messages.push(mail)
            waiters.forEach((w) => w())
            callback()
          })
          .catch(callback)
      },
    })

  const handle: TestSmtpServer = {
    port,
    messages,
    refuse,
    async start() {
      if (server) return
      server = make()
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject)
        server!.listen(port, '127.0.0.1', () => resolve())
      })
    },
    async stop() {
      const current = server
      server = null
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()))
    },
    waitFor(count, predicate = () => true, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const matching = messages.filter(predicate)
          if (matching.length < count) return false
          clearTimeout(timer)
          waiters.delete(check)
          resolve(matching)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`Timed out waiting for ${count} e-mails (${messages.filter(predicate).length} arrived)`))
        }, timeoutMs)
        if (!check()) waiters.add(check)
      })
    },
    to: (address) => messages.filter((m) => addressesOf(m).includes(address.toLowerCase())),
  }
  await handle.start()
  return handle
}

export function addressesOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []
  return to.flatMap((group) => group.value.map((a) => (a.address ?? '').toLowerCase()))
}
