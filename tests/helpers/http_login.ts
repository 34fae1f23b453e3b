/** Logs in through the real login form and returns the Cookie header of the session. */
export async function loginCookies(baseUrl: string, email: string, password: string) {
  const jar = new Map<string, string>()
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair.indexOf('=')
      jar.set(pair.slice(0, index), pair.slice(index + 1))
    }
  }
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')

  remember(await fetch(`${baseUrl}/login`, { redirect: 'manual' }))
  const xsrf = decodeURIComponent(jar.get('XSRF-TOKEN') ?? '')
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', 'accept': 'text/html', 'x-xsrf-token': xsrf, 'cookie': header() },
    body: JSON.stringify({ email, password }),
  })
  remember(response)
  if (response.status !== 302 || response.headers.get('location') !== '/') {
    throw new Error(`Login of ${email} failed with ${response.status} -> ${response.headers.get('location')}`)
  }
  return header()
}

/** A fetch as a logged-in user of the test server (session cookie, XSRF header, JSON in and out). */
export async function jsonClientAs(baseUrl: string, email: string, password: string) {
  const cookie = await loginCookies(baseUrl, email, password)
  const xsrf = decodeURIComponent(/(?:^|; )XSRF-TOKEN=([^;]*)/.exec(cookie)?.[1] ?? '')
  return (method: string, path: string, body?: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, 'accept': 'application/json', 'content-type': 'application/json', 'x-xsrf-token': xsrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
}
