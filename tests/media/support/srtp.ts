import { createCipheriv, createHmac } from 'node:crypto'

/**
 * SRTP session keys (RFC 3711 §4.3.1, key derivation rate 0) from the base64 master key + salt
 * of an AES_CM_128_HMAC_SHA1_80 SrtpParameters (16-byte key, 14-byte salt).
 */
export function srtpSessionKeys(keyBase64: string) {
  const master = Buffer.from(keyBase64, 'base64')
  if (master.length !== 30) throw new Error(`AES_CM_128 master key + salt is 30 bytes, got ${master.length}`)
  const key = master.subarray(0, 16)
  const salt = master.subarray(16)
  const derive = (label: number, length: number) => {
    const iv = Buffer.alloc(16)
    salt.copy(iv)
    iv[7] ^= label
    const cipher = createCipheriv('aes-128-ctr', key, iv)
    return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()])
  }
  return { cipherKey: derive(0, 16), authKey: derive(1, 20), salt: derive(2, 14) }
}

/** Whether the 80-bit HMAC-SHA1 tag of an SRTP packet is valid for this auth key and rollover counter. */
export function srtpTagValid(packet: Buffer, authKey: Buffer, rolloverCounter = 0) {
  const body = packet.subarray(0, packet.length - 10)
  const roc = Buffer.alloc(4)
  roc.writeUInt32BE(rolloverCounter)
  const tag = createHmac('sha1', authKey).update(body).update(roc).digest().subarray(0, 10)
  return tag.equals(packet.subarray(packet.length - 10))
}
