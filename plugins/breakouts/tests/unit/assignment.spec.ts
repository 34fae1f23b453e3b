import { test } from '@japa/runner'
import {
  assignByGroups,
  assignManually,
  assignRandom,
  canChoose,
  roomSizes,
  roomsForSize,
  selfChooseCapacity,
  smallestRoom,
} from '../../assignment.js'

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

/** A deterministic pseudo-random source so failures are reproducible. */
function seeded(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
}

test.group('Breakout assignment strategies', () => {
  test('random assignment is balanced within ±1 for many class sizes', ({ assert }) => {
    for (let students = 1; students <= 40; students++) {
      for (let rooms = 1; rooms <= Math.min(8, students); rooms++) {
        const assignment = assignRandom(ids(students), rooms, seeded(students * 31 + rooms))
        const sizes = roomSizes(assignment, rooms)
        assert.equal(assignment.size, students)
        assert.isAtMost(Math.max(...sizes) - Math.min(...sizes), 1, `${students} students in ${rooms} rooms: ${sizes}`)
      }
    }
  })

  test('random assignment actually mixes students', ({ assert }) => {
    const a = assignRandom(ids(12), 3, seeded(1))
    const b = assignRandom(ids(12), 3, seeded(2))
    assert.notDeepEqual([...a.entries()], [...b.entries()])
  })

  test('preset groups are respected; students without a group fill the smallest rooms', ({ assert }) => {
    const groups = [{ studentIds: [1, 2, 3] }, { studentIds: [4, 5] }, { studentIds: [6] }]
    const assignment = assignByGroups([1, 2, 3, 4, 5, 6, 7, 8], groups, 3)
    assert.deepEqual([1, 2, 3].map((id) => assignment.get(id)), [0, 0, 0])
    assert.deepEqual([4, 5].map((id) => assignment.get(id)), [1, 1])
    assert.equal(assignment.get(6), 2)
    assert.equal(assignment.get(7), 2)
    assert.deepEqual(roomSizes(assignment, 3), [3, 3, 2])
  })

  test('absent group members are skipped', ({ assert }) => {
    const assignment = assignByGroups([1, 4], [{ studentIds: [1, 2] }, { studentIds: [3, 4] }], 2)
    assert.deepEqual([...assignment.entries()].sort(), [[1, 0], [4, 1]])
  })

  test('manual moves are kept and invalid rooms refused', ({ assert }) => {
    const assignment = assignManually([1, 2, 3, 4], { 1: 1, 2: 1, 3: 0 }, 2)
    assert.deepEqual([...assignment.entries()].sort(), [[1, 1], [2, 1], [3, 0], [4, 0]])
    assert.throws(() => assignManually([1], { 1: 5 }, 2), 'Room 5 does not exist')
  })

  test('self-choose honours room capacity', ({ assert }) => {
    const capacity = selfChooseCapacity(5, 2)
    assert.equal(capacity, 3)
    const assignment = new Map([[1, 0], [2, 0], [3, 0]])
    assert.isFalse(canChoose(assignment, 0, 2, capacity, 4))
    assert.isTrue(canChoose(assignment, 1, 2, capacity, 4))
    assert.isTrue(canChoose(assignment, 0, 2, capacity, 1), 'staying in your own room is always fine')
    assert.isFalse(canChoose(assignment, 2, 2, capacity, 4), 'no such room')
  })

  test('late joiners go to the emptiest room', ({ assert }) => {
    const assignment = new Map([[1, 0], [2, 0], [3, 1], [4, 2], [5, 2]])
    assert.equal(smallestRoom(assignment, 3), 1)
    assert.equal(smallestRoom(new Map(), 3), 0)
  })

  test('students per room gives the room count', ({ assert }) => {
    assert.equal(roomsForSize(12, 4), 3)
    assert.equal(roomsForSize(13, 4), 4)
    assert.equal(roomsForSize(0, 4), 1)
  })
})
