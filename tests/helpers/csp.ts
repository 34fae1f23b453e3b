/* Reading a Content-Security-Policy header in tests (security_csp.spec.ts, security_production.spec.ts). */

/** The policy's directives by name. */
export function directivesOf(header: string | null) {
  const map = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) map.set(name, values)
  }
  return map
}

/** Checks an HTML page against its Content-Security-Policy header; returns the nonce. */
export function assertStrictPolicy(assert: any, header: string | null, html: string, what: string) {
  assert.isNotNull(header, `${what} has a Content-Security-Policy`)
  const policy = directivesOf(header)
  const scriptSrc = policy.get('script-src') ?? []
  const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))?.slice(7, -1)
  assert.isString(nonce, `${what}: script-src has a nonce`)
  assert.isAtLeast(nonce!.length, 16)
  assert.deepEqual(scriptSrc, ["'self'", `'nonce-${nonce}'`, "'wasm-unsafe-eval'"], `${what}: script-src`)
  assert.notInclude(header!, "'unsafe-eval'")
  assert.deepEqual(policy.get('script-src-attr'), ["'none'"])
  assert.deepEqual(policy.get('style-src-elem'), ["'self'", `'nonce-${nonce}'`])
  assert.deepEqual(policy.get('style-src-attr'), ["'unsafe-inline'"])
  assert.deepEqual(policy.get('object-src'), ["'none'"])
  assert.deepEqual(policy.get('base-uri'), ["'self'"])
  assert.deepEqual(policy.get('frame-ancestors'), ["'none'"])
  assert.deepEqual(policy.get('form-action'), ["'self'"])
  assert.deepEqual(policy.get('img-src'), ["'self'", 'data:', 'blob:'])
  assert.deepEqual(policy.get('media-src'), ["'self'", 'blob:'])
  assert.deepEqual(policy.get('worker-src'), ["'self'", 'blob:'])
  assert.deepEqual(policy.get('font-src'), ["'self'", 'data:'])
  assert.deepEqual(policy.get('default-src'), ["'self'"])
  // Every <script> of the page carries the nonce, and so does the meta tag Vite's client reads.
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
  assert.isAbove(scripts.length, 0, `${what} has scripts`)
  for (const tag of scripts) assert.include(tag, `nonce="${nonce}"`, `${what}: ${tag}`)
  assert.include(html, `<meta property="csp-nonce" nonce="${nonce}">`)
  return { nonce: nonce!, policy }
}
