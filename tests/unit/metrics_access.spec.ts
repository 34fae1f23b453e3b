import { test } from '@japa/runner'
import { MetricsAccess, parseNetworkList, DEFAULT_METRICS_NETWORKS } from '#app/operations/metrics_access'

test.group('Operations: who may read /metrics', () => {
  test('clients inside the configured networks, IPv4, IPv6 and IPv4-mapped', ({ assert }) => {
    const access = new MetricsAccess({ allowedNetworks: ['10.1.0.0/16', '192.0.2.7', 'fd00::/8'] })
    assert.isTrue(access.allows('10.1.200.3', undefined))
    assert.isTrue(access.allows('::ffff:10.1.0.1', undefined))
    assert.isTrue(access.allows('192.0.2.7', undefined))
    assert.isTrue(access.allows('fd12::1', undefined))
    assert.isFalse(access.allows('10.2.0.1', undefined))
    assert.isFalse(access.allows('192.0.2.8', undefined))
    assert.isFalse(access.allows('127.0.0.1', undefined), 'loopback only when listed')
    assert.isFalse(access.allows('not-an-ip', undefined))
  })

  test('the bearer token, and only the exact token', ({ assert }) => {
    const access = new MetricsAccess({ allowedNetworks: [], token: 's3cret-token' })
    assert.isTrue(access.allows('203.0.113.9', 'Bearer s3cret-token'))
    assert.isTrue(access.allows('203.0.113.9', 'bearer   s3cret-token'))
    assert.isFalse(access.allows('203.0.113.9', 'Bearer s3cret-tokeN'))
    assert.isFalse(access.allows('203.0.113.9', 'Bearer s3cret'))
    assert.isFalse(access.allows('203.0.113.9', 's3cret-token'))
    assert.isFalse(access.allows('203.0.113.9', undefined))
    const noToken = new MetricsAccess({ allowedNetworks: [] })
    assert.isFalse(noToken.allows('203.0.113.9', 'Bearer '))
  })

  test('default networks are loopback; a malformed network fails loudly', ({ assert }) => {
    const access = new MetricsAccess({ allowedNetworks: parseNetworkList(undefined, DEFAULT_METRICS_NETWORKS) })
    assert.isTrue(access.allows('127.0.0.1', undefined))
    assert.isTrue(access.allows('::1', undefined))
    assert.isFalse(access.allows('10.0.0.1', undefined))
    assert.deepEqual(parseNetworkList(' 10.0.0.0/8 , ::1 ', []), ['10.0.0.0/8', '::1'])
    assert.throws(() => new MetricsAccess({ allowedNetworks: ['10.0.0.0/33'] }))
    assert.throws(() => new MetricsAccess({ allowedNetworks: ['intranet'] }))
  })
})
