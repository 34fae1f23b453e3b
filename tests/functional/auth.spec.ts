import { test } from '@japa/runner'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'

test.group('Auth', () => {
  test('the login page renders for guests', async ({ client }) => {
    const response = await client.get('/login').withInertia()
    response.assertStatus(200)
    response.assertInertiaComponent('auth/login')
  })

  test('protected pages redirect guests to the login page', async ({ client }) => {
    const response = await client.get('/').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
  })

  test('a user logs in with the right password and reaches the dashboard', async ({ client, assert }) => {
    const { teacher } = await createSchool()
    const response = await client.post('/login').form({ email: teacher.email, password: PASSWORD }).withCsrfToken().redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/')
    assert.isTrue(response.cookies()['aula-session'] !== undefined)
  })

  test('a wrong password is refused', async ({ client }) => {
    const { teacher } = await createSchool()
    const response = await client.post('/login').json({ email: teacher.email, password: 'nope-nope' }).withCsrfToken().accept('json')
    response.assertStatus(400)
    response.assertBodyContains({ errors: [{ message: 'Invalid e-mail or password' }] })
  })

  test('login is rate limited after five wrong passwords, even with the right one', async ({ client }) => {
    const { student } = { student: (await createSchool()).students[0] }
    for (let i = 0; i < 5; i++) {
      const attempt = await client.post('/login').json({ email: student.email, password: `wrong-${i}` }).withCsrfToken().accept('json')
      attempt.assertStatus(400)
    }
    const blocked = await client.post('/login').json({ email: student.email, password: PASSWORD }).withCsrfToken().accept('json')
    blocked.assertStatus(429)
  })

  test('login without a CSRF token is refused', async ({ client, assert }) => {
    const { teacher } = await createSchool()
    // Shield answers a bad CSRF token by redirecting back with an error; no login happens.
    const response = await client.post('/login').json({ email: teacher.email, password: PASSWORD }).redirects(0)
    response.assertStatus(302)
    assert.match(JSON.stringify(response.flashMessages()), /E_BAD_CSRF_TOKEN/)
    assert.isUndefined(response.session().auth_web)
    const withToken = await client.post('/login').json({ email: teacher.email, password: PASSWORD }).withCsrfToken().redirects(0)
    assert.equal(withToken.session().auth_web, teacher.id)
  })

  test('logout ends the session', async ({ client }) => {
    const { teacher } = await createSchool()
    const response = await client.post('/logout').loginAs(teacher).withCsrfToken().redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
  })
})
