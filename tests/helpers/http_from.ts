import { request } from 'node:http'

/** A GET sent from a chosen local source address (e.g. 127.0.0.2), which fetch() cannot do. */
export function getFrom(url: string, options: { localAddress?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(url, { method: 'GET', localAddress: options.localAddress, headers: options.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}
