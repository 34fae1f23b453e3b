import { test } from '@japa/runner'
import type { Participant } from '#app/realtime/events'
import { applyPresence, ParticipantList } from '#app/realtime/participant_list'

const person = (userId: number, fullName: string, extra: Partial<Participant> = {}): Participant => ({
  userId,
  fullName,
  role: 'student',
  room: 'main',
  handRaisedAt: null,
  ...extra,
})
const names = (list: Participant[]) => list.map((p) => p.fullName)

test.group('Participant list (classroom page and tests)', () => {
  test('joined and updated insert or replace one entry in order (teacher first, then by name); left removes it', ({ assert }) => {
    let list = [person(1, 'Tess', { role: 'teacher' }), person(3, 'Cleo')]
    list = applyPresence(list, { event: 'presence:joined', payload: { participant: person(2, 'Ben') } })
    assert.deepEqual(names(list), ['Tess', 'Ben', 'Cleo'])
    list = applyPresence(list, { event: 'presence:updated', payload: { participant: person(3, 'Cleo', { handRaisedAt: '2026-01-01T00:00:00.000Z' }) } })
    assert.deepEqual(list.map((p) => [p.fullName, p.handRaisedAt]), [['Tess', null], ['Ben', null], ['Cleo', '2026-01-01T00:00:00.000Z']])
    // A rejoin (e.g. after its web process died) replaces, never duplicates.
    list = applyPresence(list, { event: 'presence:joined', payload: { participant: person(2, 'Ben') } })
    assert.deepEqual(names(list), ['Tess', 'Ben', 'Cleo'])
    list = applyPresence(list, { event: 'presence:left', payload: { userId: 2 } })
    assert.deepEqual(names(list), ['Tess', 'Cleo'])
    list = applyPresence(list, { event: 'presence:participants', payload: { participants: [person(9, 'Zed')] } })
    assert.deepEqual(names(list), ['Zed'])
  })

  test('changes that arrive while a join is in flight are replayed on its snapshot', ({ assert }) => {
    const seen: string[][] = []
    const list = new ParticipantList((current) => seen.push(names(current)))
    list.joining()
    // Ben joins and Cleo leaves while our join is answered; the snapshot was read before both.
    list.apply({ event: 'presence:joined', payload: { participant: person(2, 'Ben') } })
    list.apply({ event: 'presence:left', payload: { userId: 3 } })
    list.joined([person(1, 'Tess', { role: 'teacher' }), person(3, 'Cleo')])
    assert.deepEqual(names(list.current), ['Tess', 'Ben'])
    assert.deepEqual(seen.at(-1), ['Tess', 'Ben'])
    // After the join, changes apply directly.
    list.apply({ event: 'presence:left', payload: { userId: 2 } })
    assert.deepEqual(names(list.current), ['Tess'])
  })
})
