import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash, createHmac, randomBytes, X509Certificate } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { connect as netConnect } from 'node:net'
import { crc32 } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventually } from '#tests/helpers/poll'

/** Debian's coturn (apt package `coturn`), when installed. */
export const COTURN_BIN = '/usr/bin/turnserver'
export const coturnInstalled = () => spawnSync(COTURN_BIN, ['--version'], { stdio: 'ignore' }).error === undefined

export interface Coturn {
  child: ChildProcess
  host: string
  port: number
  output(): string
  stop(): Promise<void>
}

/**
 * A real coturn in REST-credential mode (`use-auth-secret`), UDP+TCP on host:port, TLS on tlsPort when
 * a certificate is given; relays allocated on host.
 */
export async function startCoturn(options: {
  host: string
  port: number
  secret: string
  realm?: string
  tls?: { port: number; cert: string; key: string }
  /** Relay to peers on 127.x (a media sidecar on loopback, as in the browser tests). */
  allowLoopbackPeers?: boolean
}): Promise<Coturn> {
  const dir = join(tmpdir(), `aula-coturn-${process.pid}-${options.port}`)
  mkdirSync(dir, { recursive: true })
  const relayBase = 49000 + (options.port % 100) * 10
  const args = [
    '-n',
    `--listening-ip=${options.host}`,
    `--relay-ip=${options.host}`,
    `--listening-port=${options.port}`,
    `--min-port=${relayBase}`,
    `--max-port=${relayBase + 9}`,
    '--use-auth-secret',
    `--static-auth-secret=${options.secret}`,
    `--realm=${options.realm ?? 'aula.test'}`,
    '--no-dtls',
    '--no-cli',
    ...(options.allowLoopbackPeers ? ['--allow-loopback-peers'] : []),
    '--no-software-attribute',
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=${join(dir, 'pid')}`,
    `--userdb=${join(dir, 'db')}`,
    ...(options.tls ? [`--tls-listening-port=${options.tls.port}`, `--cert=${options.tls.cert}`, `--pkey=${options.tls.key}`] : ['--no-tls']),
  ]
  const child = spawn(COTURN_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true })
        resolve()
      }
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', done)
      child.kill('SIGKILL')
    })
  try {
    // Ready when it answers a plain STUN Binding request.
    await eventually('coturn answers STUN', () => stunBinding(options.host, options.port).catch(() => false), { timeoutMs: 10_000 })
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}\n${output}`)
  }
  return { child, host: options.host, port: options.port, output: () => output, stop }
}

/* ---- A minimal STUN/TURN client (RFC 5389 / 5766), enough to check long-term credentials. ---- */

const MAGIC = 0x2112a442
const attr = (type: number, value: Buffer) => {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4)
  padded.writeUInt16BE(type, 0)
  padded.writeUInt16BE(value.length, 2)
  value.copy(padded, 4)
  return padded
}

function message(type: number, attrs: Buffer[], integrityKey?: Buffer) {
  const header = Buffer.alloc(20)
  header.writeUInt16BE(type, 0)
  header.writeUInt32BE(MAGIC, 4)
  randomBytes(12).copy(header, 8)
  let body = Buffer.concat(attrs)
  if (integrityKey) {
    header.writeUInt16BE(body.length + 24, 2)
    const mac = createHmac('sha1', integrityKey).update(Buffer.concat([header, body])).digest()
    body = Buffer.concat([body, attr(0x0008, mac)])
  }
  header.writeUInt16BE(body.length, 2)
  return Buffer.concat([header, body])
}

function parse(buffer: Buffer) {
  const type = buffer.readUInt16BE(0)
  const attrs = new Map<number, Buffer>()
  let offset = 20
  const end = 20 + buffer.readUInt16BE(2)
  while (offset + 4 <= end) {
    const t = buffer.readUInt16BE(offset)
    const len = buffer.readUInt16BE(offset + 2)
    attrs.set(t, buffer.subarray(offset + 4, offset + 4 + len))
    offset += 4 + Math.ceil(len / 4) * 4
  }
  const error = attrs.get(0x0009)
  return { type, attrs, errorCode: error ? error[2] * 100 + error[3] : null }
}

/** One UDP socket (one 5-tuple, as a TURN client keeps): request/answer exchanges on it. */
function udpClient(host: string, port: number) {
  const socket = createSocket('udp4')
  return {
    exchange: (request: Buffer) =>
      new Promise<ReturnType<typeof parse>>((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.removeAllListeners('message')
          reject(new Error('no STUN answer'))
        }, 1000)
        socket.once('message', (data) => {
          clearTimeout(timer)
          resolve(parse(data))
        })
        socket.send(request, port, host)
      }),
    close: () => socket.close(),
  }
}

async function exchange(host: string, port: number, request: Buffer) {
  const client = udpClient(host, port)
  try {
    return await client.exchange(request)
  } finally {
    client.close()
  }
}

async function stunBinding(host: string, port: number) {
  const answer = await exchange(host, port, message(0x0001, []))
  return answer.type === 0x0101
}

/**
 * A TURN Allocate with long-term credentials, as a browser does with the iceServers Aula hands out:
 * 'allocated' (success) or the STUN error code of the refusal (401 for bad or expired credentials).
 */
export async function turnAllocate(host: string, port: number, username: string, password: string) {
  const transport = attr(0x0019, Buffer.from([17, 0, 0, 0]))
  const client = udpClient(host, port)
  try {
    return await allocate(client, transport, username, password)
  } finally {
    client.close()
  }
}

async function allocate(client: ReturnType<typeof udpClient>, transport: Buffer, username: string, password: string) {
  const challenge = await client.exchange(message(0x0003, [transport]))
  if (challenge.errorCode !== 401) throw new Error(`expected a 401 challenge, got ${challenge.type} ${challenge.errorCode}`)
  const realm = challenge.attrs.get(0x0014)!
  const nonce = challenge.attrs.get(0x0015)!
  const key = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest()
  const answer = await client.exchange(
    message(0x0003, [transport, attr(0x0006, Buffer.from(username)), attr(0x0014, realm), attr(0x0015, nonce)], key)
  )
  if (answer.type === 0x0103) {
    // Delete the allocation (Refresh with LIFETIME 0): coturn's relay range in the tests is small.
    const lifetime = attr(0x000d, Buffer.from([0, 0, 0, 0]))
    await client
      .exchange(message(0x0004, [lifetime, attr(0x0006, Buffer.from(username)), attr(0x0014, realm), attr(0x0015, nonce)], key))
      .catch(() => null)
    return 'allocated' as const
  }
  return answer.errorCode ?? answer.type
}

/**
 * An ICE connectivity check (STUN Binding with short-term credentials, as a browser sends) to a
 * mediasoup transport's ufrag/password at host:port over UDP or ICE-TCP (RFC 4571 framing):
 * true when the sidecar answers with a Binding success for that transport.
 */
export async function iceBinding(protocol: 'udp' | 'tcp', host: string, port: number, ufrag: string, password: string) {
  const attrs = [
    attr(0x0006, Buffer.from(`${ufrag}:aula`)),
    attr(0x0024, Buffer.from([0x6e, 0, 0x1e, 0xff])),
    attr(0x802a, randomBytes(8)),
  ]
  let request = message(0x0001, attrs, Buffer.from(password))
  // FINGERPRINT: CRC-32 of the message so far (length including the fingerprint) XOR 0x5354554e.
  request.writeUInt16BE(request.readUInt16BE(2) + 8, 2)
  const fingerprint = Buffer.alloc(4)
  fingerprint.writeUInt32BE((crc32(request) ^ 0x5354554e) >>> 0)
  request = Buffer.concat([request, attr(0x8028, fingerprint)])
  if (protocol === 'udp') {
    const answer = await exchange(host, port, request).catch(() => null)
    return answer?.type === 0x0101
  }
  return new Promise<boolean>((resolve) => {
    const socket = netConnect({ host, port })
    const timer = setTimeout(() => finish(false), 2000)
    let data = Buffer.alloc(0)
    const finish = (ok: boolean) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(ok)
    }
    socket.on('error', () => finish(false))
    socket.on('connect', () => {
      const length = Buffer.alloc(2)
      length.writeUInt16BE(request.length)
      socket.write(Buffer.concat([length, request]))
    })
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk])
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) finish(parse(data.subarray(2)).type === 0x0101)
    })
  })
}

/**
 * A self-signed certificate for `ip` (subjectAltName IP) made with Debian's openssl CLI in `dir`, for
 * coturn's TLS listener; `spki` is the base64 SHA-256 of its public key, as Chromium's
 * --ignore-certificate-errors-spki-list takes it (trust this one key, nothing else).
 */
export function selfSignedCertificate(dir: string, ip: string) {
  mkdirSync(dir, { recursive: true })
  const cert = join(dir, 'turn.crt')
  const key = join(dir, 'turn.key')
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', `/CN=${ip}`, '-addext', `subjectAltName=IP:${ip}`, '-keyout', key, '-out', cert,
  ], { encoding: 'utf8' })
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`)
  const spki = createHash('sha256')
    .update(new X509Certificate(readFileSync(cert)).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64')
  return { cert, key, spki }
}
