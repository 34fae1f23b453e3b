import { timingSafeEqual } from 'node:crypto'
import { BlockList, isIP } from 'node:net'

/**
 * Who may read /metrics: a request whose client address (request.ip(), i.e. after the trusted
 * proxies of TRUSTED_PROXIES) lies in METRICS_ALLOWED_NETWORKS, or any request carrying
 * `Authorization: Bearer <METRICS_TOKEN>`.
 */
export class MetricsAccess {
  #inAllowedNetwork: (address: string) => boolean
  #token: Buffer | null

  constructor(options: { allowedNetworks: string[]; token?: string | null }) {
    const list = new BlockList()
    for (const network of options.allowedNetworks.map((n) => n.trim()).filter(Boolean)) {
      const [address, bits] = network.split('/')
      const family = isIP(address)
      if (!family) throw new Error(`METRICS_ALLOWED_NETWORKS: "${network}" is not an address or CIDR network`)
      const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits)
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
        throw new Error(`METRICS_ALLOWED_NETWORKS: bad prefix length in "${network}"`)
      }
      list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6')
    }
    this.#inAllowedNetwork = (address) => {
      const family = isIP(address)
      // BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against IPv4 networks.
      return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6')
    }
    this.#token = options.token ? Buffer.from(options.token) : null
  }

  allows(clientIp: string, authorization: string | undefined | null) {
    if (this.#tokenMatches(authorization)) return true
    return this.#inAllowedNetwork(clientIp)
  }

  #tokenMatches(authorization: string | undefined | null) {
    if (!this.#token || !authorization) return false
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim())
    if (!match) return false
    const offered = Buffer.from(match[1])
    return offered.length === this.#token.length && timingSafeEqual(offered, this.#token)
  }
}

export const DEFAULT_METRICS_NETWORKS = ['127.0.0.0/8', '::1/128']

export function parseNetworkList(value: string | undefined | null, fallback: string[]) {
  if (value === undefined || value === null || value.trim() === '') return fallback
  return value.split(',').map((n) => n.trim()).filter(Boolean)
}
