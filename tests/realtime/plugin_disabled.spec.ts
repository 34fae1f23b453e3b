/*
| The plugin host's own permission code: a plugin an admin switched off for a school answers neither
| its socket events (`plugin_disabled`, before the handler runs) nor its HTTP routes (404) for that
| school, while another school keeps it; switched on again it answers. A plugin may only register
| events under its own name, and each carries its plugin id (what the gateway's check reads).
| The mutation run `scripts/mutation.sh plugins` runs this file against that code.
*/
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import { createPluginHost } from '#app/plugins/host_api'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { send, socketTracker } from '#tests/helpers/sockets'
import '#plugins/quizzes/events'

const sockets = socketTracker()
const codeOf = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)

async function setEnabled(client: ApiClient, f: SchoolFixture, enabled: boolean) {
  const response = await client.put('/admin/plugins/quizzes').json({ enabled }).loginAs(f.admin).withCsrfToken().accept('json')
  response.assertStatus(200)
}

test.group('Plugin host: a disabled plugin is refused for its school only', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('socket events answer plugin_disabled and routes 404 while the school has the plugin off', async ({ client, assert }) => {
    const off = await createSchool({ liveClass: true })
    const on = await createSchool({ liveClass: true })
    const teacherOff = await sockets.joined(off.teacher, off.classSession.id)
    const teacherOn = await sockets.joined(on.teacher, on.classSession.id)
    const launch = (socket: Parameters<typeof send>[0]) =>
      send(socket, 'quizzes:launch', { question: { type: 'truefalse', prompt: 'On?', statementIsTrue: true } })
    const list = (f: SchoolFixture) => client.get(`/plugins/quizzes/courses/${f.course.id}/quizzes`).loginAs(f.teacher).accept('json')

    await setEnabled(client, off, false)
    assert.equal(codeOf(await launch(teacherOff)), 'plugin_disabled')
    const hidden = await list(off)
    hidden.assertStatus(404)
    assert.isString(hidden.body().errors?.[0]?.message, 'the 404 names the reason')
    assert.equal(codeOf(await launch(teacherOn)), 'ok', 'the other school still has it')
    ;(await list(on)).assertStatus(200)

    await setEnabled(client, off, true)
    assert.equal(codeOf(await launch(teacherOff)), 'ok', 'switched on again')
    ;(await list(off)).assertStatus(200)

    const plugins = await app.container.make('plugins')
    assert.isTrue(await plugins.settings.isEnabled(off.school.id, 'quizzes'))
    assert.isFalse(await plugins.settings.isEnabled(off.school.id, 'no-such-plugin'), 'an unknown plugin is never enabled')
  })

  test('a plugin registers events only under its own name, each tagged with its plugin id', async ({ assert }) => {
    const registered: { event: string; pluginId: string }[] = []
    const host = createPluginHost('quizzes', {
      realtime: {
        gateway: { on: (event: string, definition: { pluginId: string }) => registered.push({ event, pluginId: definition.pluginId }) },
        state: { namespaced: () => ({}) },
      },
      logger: { child: () => ({}) },
    } as any)
    const definition = { validator: {} as any, handle: () => null }
    assert.throws(() => host.realtime.on('chat:send' as any, definition as any), /may only register events named "quizzes:\*"/)
    host.realtime.on('quizzes:anything' as any, definition as any)
    assert.deepEqual(registered, [{ event: 'quizzes:anything', pluginId: 'quizzes' }])

    const gateway = (await app.container.make('realtime')).gateway
    const pluginEvents = gateway.describe().filter((e) => e.event.includes(':') && e.pluginId !== null)
    assert.isAbove(pluginEvents.length, 0)
    for (const e of pluginEvents) assert.isTrue(e.event.startsWith(`${e.pluginId}:`), e.event)
    assert.equal(gateway.describe().find((e) => e.event === 'quizzes:launch')?.pluginId, 'quizzes')
  })
})
