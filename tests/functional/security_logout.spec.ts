import { test } from '@japa/runner'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { loginCookies } from '#tests/helpers/http_login'
import { connect } from '#tests/helpers/sockets'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'

/*
| Against an app process with the production session store (the encrypted cookie): the in-process
| test server keeps sessions in memory, where a logout happens to drop the copied session as well.
*/
let app: AppProcess
const url = () => app.url

/** Logs out through the real form, with the session's own cookies. */
async function logout(cookie: string) {
  const xsrf = decodeURIComponent(/XSRF-TOKEN=([^;]+)/.exec(cookie)![1])
  const response = await fetch(`${url()}/logout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'x-xsrf-token': xsrf, accept: 'text/html' },
  })
  if (response.status !== 302) throw new Error(`logout answered ${response.status}`)
}

const dashboard = (cookie: string) => fetch(`${url()}/`, { headers: { cookie }, redirect: 'manual' })

test.group('Security: logout ends the session', (group) => {
  group.setup(async () => {
    app = await startAppProcess({ env: { SESSION_DRIVER: 'cookie' } })
    return () => app.kill()
  })

  test('a cookie copied before logout is refused over HTTP and at the socket handshake; open sockets close', async ({ assert }) => {
    const { students } = await createSchool()
    const cookie = await loginCookies(url(), students[0].email, PASSWORD)
    const copied = cookie
    assert.equal((await dashboard(copied)).status, 200)
    const open = await connect(copied, url())
    const closed = new Promise<string>((resolve) => open.once('disconnect', (reason) => resolve(reason)))

    await logout(cookie)

    const after = await dashboard(copied)
    assert.equal(after.status, 302)
    assert.equal(after.headers.get('location'), '/login')
    await assert.rejects(() => connect(copied, url()), 'unauthenticated')
    assert.equal(await closed, 'io server disconnect')

    // Logging in again works, and only the new cookie opens the dashboard.
    const fresh = await loginCookies(url(), students[0].email, PASSWORD)
    assert.equal((await dashboard(fresh)).status, 200)
    const socket = await connect(fresh, url())
    assert.isTrue(socket.connected)
    socket.disconnect()
    assert.equal((await dashboard(copied)).status, 302)
  })

  test('logging out one session ends the user’s other sessions too', async ({ assert }) => {
    const { teacher } = await createSchool()
    const laptop = await loginCookies(url(), teacher.email, PASSWORD)
    const phone = await loginCookies(url(), teacher.email, PASSWORD)
    await logout(phone)
    assert.equal((await dashboard(laptop)).status, 302)
  })
})
