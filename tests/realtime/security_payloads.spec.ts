import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { loginCookies } from '#tests/helpers/http_login'
import { send, sendOk, socketTracker, TEST_URL, type TestSocket } from '#tests/helpers/sockets'
import type { Ack } from '#app/realtime/events'
import WhiteboardPage from '#plugins/whiteboard/models/whiteboard_page'
import { element } from '#plugins/whiteboard/tests/element'
import '#plugins/whiteboard/events'

const sockets = socketTracker()
const POLLUTION = ['aulaPolluted', 'aulaPollutedProto', 'tenant']
const pollutedKeys = () => POLLUTION.filter((key) => key in Object.prototype)
/** Keeps the rest of the run sane if the guarded code is broken and the test process got polluted. */
const cleanPrototype = () => POLLUTION.forEach((key) => delete (Object.prototype as any)[key])

let rawAckId = 900_000
/** Emits an already-encoded JSON payload with an acknowledgement, bypassing the client's encoder. */
function sendRaw(socket: TestSocket, event: string, payloadJson: string) {
  const id = rawAckId++
  return new Promise<Ack>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No ack for ${event}`)), 8000)
    ;(socket as any).acks[id] = (response: Ack) => {
      clearTimeout(timer)
      resolve(response)
    }
    ;(socket as any).io.engine.write(`2${id}${JSON.stringify([event]).slice(0, -1)},${payloadJson}]`)
  })
}

const errorCode = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)
const messageOf = (response: Ack) => (response.ok ? 'ok' : response.error.message)

test.group('Security: prototype keys and deep payloads', (group) => {
  group.each.teardown(() => sockets.closeAll())
  group.each.teardown(cleanPrototype)

  test('a whiteboard element carrying constructor.prototype or __proto__ is refused and never stored', async ({ assert }) => {
    const { teacher, classSession } = await createSchool({ liveClass: true })
    const socket = await sockets.joined(teacher, classSession.id)
    const { pageId } = await sendOk(socket, 'whiteboard:open', {})
    const payloads = [
      [`{"pageId":"${pageId}","elements":[${JSON.stringify(element('p1'))}]}`.replace('"x":10', '"constructor":{"prototype":{"aulaPolluted":1}},"x":10'), 'constructor'],
      [`{"pageId":"${pageId}","elements":[${JSON.stringify(element('p2'))}]}`.replace('"x":10', '"__proto__":{"aulaPollutedProto":1},"x":10'), '__proto__'],
      [`{"pageId":"${pageId}","elements":[${JSON.stringify(element('p3'))}]}`.replace('"x":10', '"customData":{"a":{"prototype":{"x":1}}},"x":10'), 'prototype'],
    ]
    for (const [raw, key] of payloads) {
      const response = await send(socket, 'whiteboard:update', JSON.parse(raw))
      assert.equal(errorCode(response), 'invalid', raw)
      assert.equal(messageOf(response), `The key "${key}" is not allowed`, 'the refusal names the key')
    }
    const opened = await sendOk(socket, 'whiteboard:open', {})
    assert.deepEqual(opened.elements.map((e) => e.id), [])
    assert.deepEqual(pollutedKeys(), [])
  })

  test('a stored element with prototype keys reads back as plain data: the server keeps answering', async ({ assert }) => {
    const { teacher, classSession, school } = await createSchool({ liveClass: true })
    const page = await WhiteboardPage.create({
      classSessionId: classSession.id,
      schoolId: school.id,
      room: 'main',
      pageKey: 'legacy',
      position: 9,
      title: 'Legacy',
      background: null,
      elements: [],
      elementCount: 1,
    })
    // As a row written before the gateway refused such keys (raw update: no model, no merge).
    const stored = { ...element('old'), constructor: { prototype: { aulaPolluted: 1, tenant: 7 } } }
    await db.from('whiteboard_pages').where('id', page.id).update({ elements: JSON.stringify([stored]) })

    const rows = await WhiteboardPage.query().where('class_session_id', classSession.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].elements[0].id, 'old')
    assert.notProperty(rows[0].elements[0], 'constructor')
    assert.deepEqual(pollutedKeys(), [])

    const cookie = await loginCookies(TEST_URL, teacher.email, PASSWORD)
    const dashboard = await fetch(`${TEST_URL}/`, { headers: { cookie } })
    assert.equal(dashboard.status, 200)
    assert.equal((await fetch(`${TEST_URL}/login`)).status, 200)
  })

  test('a payload nested 10,000 deep gets an `invalid` ack before any work, and the socket keeps working', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true })
    const socket = await sockets.joined(students[0], classSession.id)
    // Written as a raw packet: socket.io-client itself overflows its stack encoding such a payload.
    const deep = '['.repeat(10_000) + ']'.repeat(10_000)
    const response = await sendRaw(socket, 'presence:react', `{"emoji":${deep}}`)
    assert.equal(errorCode(response), 'invalid')
    assert.match(!response.ok ? response.error.message : '', /deeper than 64/)
    // The bound exactly: arrays at depths 1..64 reach depth 64 and are refused by the guard; 1..63 pass it
    // (and the validator refuses a non-boolean with its own message).
    const nested = (n: number) => send(socket, 'presence:hand', JSON.parse(`{"raised":${'['.repeat(n)}${']'.repeat(n)}}`))
    const sixtyFour = await nested(64)
    assert.equal(errorCode(sixtyFour), 'invalid')
    assert.match(messageOf(sixtyFour), /deeper than 64/)
    const sixtyThree = await nested(63)
    assert.equal(errorCode(sixtyThree), 'invalid')
    assert.notMatch(messageOf(sixtyThree), /deeper than/)
    // Objects nest the same way as arrays.
    const objects = (n: number) => JSON.parse(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)
    assert.match(messageOf(await send(socket, 'presence:hand', { raised: objects(64) })), /deeper than 64/)
    assert.notMatch(messageOf(await send(socket, 'presence:hand', { raised: objects(63) })), /deeper than/)
    // null is a value like any other (typeof null is 'object'): the validator answers, not an internal error.
    assert.equal(errorCode(await send(socket, 'presence:hand', { raised: null })), 'invalid')
    await sendOk(socket, 'presence:hand', { raised: true })
  })

  test('HTTP bodies with prototype keys or over-deep nesting are refused with 400', async ({ assert }) => {
    for (const body of [
      '{"email":"a@b.c","password":"x","constructor":{"prototype":{"aulaPolluted":1}}}',
      '{"email":"a@b.c","password":"x","__proto__":{"aulaPollutedProto":1}}',
      `{"email":"a@b.c","password":"x","deep":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    ]) {
      const response = await fetch(`${TEST_URL}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept': 'application/json' },
        body,
      })
      assert.equal(response.status, 400, body.slice(0, 60))
    }
    assert.deepEqual(pollutedKeys(), [])
    assert.equal((await fetch(`${TEST_URL}/login`)).status, 200)
  })
})
