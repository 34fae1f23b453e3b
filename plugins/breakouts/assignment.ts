/*
| Pure assignment strategies for breakout rooms. Rooms are referred to by index;
| the caller maps indexes to room keys.
*/
export type Assignment = Map<number, number>

export type Random = () => number

function shuffled<T>(items: T[], random: Random) {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}

/** Rooms needed for a target size: at least one room, never more rooms than students. */
export function roomsForSize(studentCount: number, studentsPerRoom: number) {
  return Math.max(1, Math.ceil(studentCount / Math.max(1, studentsPerRoom)))
}

/** Random and balanced: room sizes differ by at most one. */
export function assignRandom(studentIds: number[], roomCount: number, random: Random = Math.random): Assignment {
  const assignment: Assignment = new Map()
  shuffled(studentIds, random).forEach((id, index) => assignment.set(id, index % roomCount))
  return assignment
}

/**
 * Preset course groups become rooms (in order); students who are in no group
 * (or in a group beyond the room count) fill the smallest rooms.
 */
export function assignByGroups(studentIds: number[], groups: { studentIds: number[] }[], roomCount: number): Assignment {
  const assignment: Assignment = new Map()
  const present = new Set(studentIds)
  groups.slice(0, roomCount).forEach((group, index) => {
    for (const id of group.studentIds) if (present.has(id) && !assignment.has(id)) assignment.set(id, index)
  })
  for (const id of studentIds) if (!assignment.has(id)) assignment.set(id, smallestRoom(assignment, roomCount))
  return assignment
}

/** Teacher-made assignment; students left out go to the smallest rooms. Invalid room indexes are refused. */
export function assignManually(studentIds: number[], chosen: Record<number, number>, roomCount: number): Assignment {
  const assignment: Assignment = new Map()
  for (const id of studentIds) {
    const room = chosen[id]
    if (room === undefined) continue
    if (!Number.isInteger(room) || room < 0 || room >= roomCount) throw new RangeError(`Room ${room} does not exist`)
    assignment.set(id, room)
  }
  for (const id of studentIds) if (!assignment.has(id)) assignment.set(id, smallestRoom(assignment, roomCount))
  return assignment
}

export function roomSizes(assignment: Assignment, roomCount: number) {
  const sizes = new Array(roomCount).fill(0)
  for (const room of assignment.values()) sizes[room]++
  return sizes
}

/** The room a late joiner goes to: the emptiest one (lowest index on ties). */
export function smallestRoom(assignment: Assignment, roomCount: number) {
  const sizes = roomSizes(assignment, roomCount)
  return sizes.indexOf(Math.min(...sizes))
}

/** Self-chosen rooms hold at most ceil(students / rooms) each. */
export function selfChooseCapacity(studentCount: number, roomCount: number) {
  return Math.max(1, Math.ceil(studentCount / roomCount))
}

export function canChoose(assignment: Assignment, room: number, roomCount: number, capacity: number, studentId: number) {
  if (room < 0 || room >= roomCount) return false
  if (assignment.get(studentId) === room) return true
  return roomSizes(assignment, roomCount)[room] < capacity
}
