import type { Socket } from 'node:net'
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Frame } from '#app/media/rpc/contract'

const MAX_FRAME_BYTES = 4 * 1024 * 1024

/** Reads newline-delimited JSON frames from a socket. Oversized or broken frames close it. */
export function onFrames(socket: Socket, handler: (frame: Frame) => void) {
  let buffer = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    buffer += chunk
    if (buffer.length > MAX_FRAME_BYTES) {
      socket.destroy(new Error('RPC frame too large'))
      return
    }
    let index: number
    while ((index = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, index)
      buffer = buffer.slice(index + 1)
      if (!line) continue
      try {
        handler(JSON.parse(line) as Frame)
      } catch {
        socket.destroy(new Error('Malformed RPC frame'))
        return
      }
    }
  })
}

export function sendFrame(socket: Socket, frame: Frame) {
  if (!socket.destroyed) socket.write(JSON.stringify(frame) + '\n')
}

export function signNonce(secret: string, nonce: string) {
  return createHmac('sha256', secret).update(`aula-media-rpc:${nonce}`).digest('hex')
}

export function verifyNonce(secret: string, nonce: string, hmac: string) {
  const expected = Buffer.from(signNonce(secret, nonce), 'hex')
  const given = Buffer.from(typeof hmac === 'string' ? hmac : '', 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
