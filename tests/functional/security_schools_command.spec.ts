import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import School from '#app/schools/models/school'
import User from '#app/users/models/user'
import { loginCookies } from '#tests/helpers/http_login'
import { TEST_URL } from '#tests/helpers/sockets'

async function ace(command: string, args: string[]) {
  const kernel = await app.container.make('ace')
  kernel.ui.switchMode('raw')
  const run = await kernel.exec(command, args)
  const logs = run.ui.logger.getLogs().map((log) => log.message)
  kernel.ui.switchMode('normal')
  return { exitCode: run.exitCode, output: logs.join('\n') }
}

test.group('Operator command: schools', () => {
  test('aula:school:create adds a school and its first admin, who can log in; aula:school:list shows it', async ({ assert }) => {
    const tag = randomUUID().slice(0, 8)
    const email = `head.${tag}@district.example`
    const created = await ace('aula:school:create', [
      `--name=North School ${tag}`,
      `--slug=north-${tag}`,
      '--timezone=Europe/Berlin',
      '--admin-name=Nora Head',
      `--admin-email=${email}`,
    ])
    assert.equal(created.exitCode, 0, created.output)
    const school = await School.findByOrFail('slug', `north-${tag}`)
    assert.equal(school.timezone, 'Europe/Berlin')
    const admin = await User.findByOrFail('email', email)
    assert.equal(admin.schoolId, school.id)
    assert.equal(admin.role, 'admin')
    const password = /Admin password: (\S+)/.exec(created.output)![1]
    await loginCookies(TEST_URL, email, password)

    const listed = await ace('aula:school:list', [])
    assert.equal(listed.exitCode, 0)
    assert.include(listed.output, `north-${tag}`)
    assert.include(listed.output, email)
  })

  test('a taken slug or e-mail, a bad slug or an unknown time zone creates nothing', async ({ assert }) => {
    const tag = randomUUID().slice(0, 8)
    const base = [`--name=South ${tag}`, '--admin-name=Sam Head', '--admin-password=long-enough-password']
    const first = await ace('aula:school:create', [...base, `--slug=south-${tag}`, `--admin-email=sam.${tag}@district.example`])
    assert.equal(first.exitCode, 0, first.output)
    for (const [args, field] of [
      [[`--slug=south-${tag}`, `--admin-email=other.${tag}@district.example`], 'slug'],
      [[`--slug=south2-${tag}`, `--admin-email=sam.${tag}@district.example`], 'adminEmail'],
      [[`--slug=Bad Slug`, `--admin-email=x.${tag}@district.example`], 'slug'],
      [[`--slug=south3-${tag}`, `--admin-email=y.${tag}@district.example`, '--timezone=Mars/Olympus'], 'time zone'],
    ] as const) {
      const refused = await ace('aula:school:create', [...base, ...args])
      assert.equal(refused.exitCode, 1, args.join(' '))
      assert.include(refused.output, field)
    }
    assert.lengthOf(await School.query().where('name', `South ${tag}`), 1)
  })
})
