import { DateTime } from 'luxon'
import { RealtimeError, type PluginHost, type SocketSession } from '#app/plugins/api'
import BreakoutRound from './models/breakout_round.js'
import BreakoutMembership from './models/breakout_membership.js'
import {
  assignByGroups,
  assignManually,
  assignRandom,
  canChoose,
  roomsForSize,
  selfChooseCapacity,
  smallestRoom,
  type Assignment,
} from './assignment.js'
import { endsAt, extend } from './timer.js'
import type { breakoutSettings } from './settings.js'
import type { BreakoutRoundView, OpenStrategy } from './events.js'

type Host = PluginHost<typeof breakoutSettings>

export interface OpenRequest {
  strategy: OpenStrategy
  roomCount?: number
  studentsPerRoom?: number
  durationMinutes?: number
  manual?: { userId: number; room: number }[]
  names?: string[]
}

const roomKey = (index: number) => `b${index + 1}`
/** A timestamp both SQLite and PostgreSQL store and Lucid reads back. */
const sqlTime = (value: DateTime) => value.toUTC().toFormat('yyyy-MM-dd HH:mm:ss')

/** Breakout rounds: server state in the database, room membership in the host's shared room assignments. */
export class BreakoutService {
  constructor(private host: Host) {}

  /** The names the class's rooms were given, by key; a key used again by a later round has that round's name. */
  async roomNames(sessionId: number): Promise<Record<string, string>> {
    const rounds = await BreakoutRound.query().where({ classSessionId: sessionId }).orderBy('id', 'asc')
    return Object.fromEntries(rounds.flatMap((round) => round.rooms.map((room) => [room.key, room.name] as const)))
  }

  currentRound(sessionId: number) {
    return BreakoutRound.query().where({ classSessionId: sessionId, status: 'open' }).orderBy('id', 'desc').first()
  }

  async view(round: BreakoutRound | null): Promise<BreakoutRoundView | null> {
    if (!round) return null
    const [assignments, participants] = await Promise.all([
      this.host.rooms.assignments(round.classSessionId),
      this.host.realtime.participants(round.classSessionId),
    ])
    const names = new Map(participants.map((p) => [p.userId, p]))
    const studentCount = participants.filter((p) => p.role === 'student').length
    return {
      id: round.id,
      strategy: round.strategy,
      endsAt: round.endsAt.toISO()!,
      capacity: round.strategy === 'self' ? selfChooseCapacity(studentCount, round.rooms.length) : null,
      rooms: round.rooms.map((room) => ({
        ...room,
        members: Object.entries(assignments)
          .filter(([, key]) => key === room.key)
          .map(([userId]) => {
            const participant = names.get(Number(userId))
            return { userId: Number(userId), fullName: participant?.fullName ?? 'Away', role: participant?.role ?? 'student' }
          }),
      })),
    }
  }

  async broadcast(sessionId: number) {
    const round = await this.view(await this.currentRound(sessionId))
    this.host.realtime.toSession(sessionId).emit('breakouts:updated', { round })
    return round
  }

  async open(session: SocketSession, userId: number, request: OpenRequest) {
    if (await this.currentRound(session.id)) throw new RealtimeError('conflict', 'Breakout rooms are already open')
    const settings = await this.host.settings.forSchool(session.schoolId)
    if (request.strategy === 'self' && !settings.allowSelfChoose) {
      throw new RealtimeError('forbidden', 'Your school does not allow students to choose their room')
    }
    const students = (await this.host.realtime.participants(session.id)).filter((p) => p.role === 'student')
    const studentIds = students.map((s) => s.userId)
    const groups = request.strategy === 'groups' ? await this.host.classes.presetGroups(session.id) : []

    let roomCount =
      request.roomCount ??
      (request.studentsPerRoom ? roomsForSize(studentIds.length, request.studentsPerRoom) : undefined) ??
      (request.strategy === 'groups' ? groups.length : undefined)
    if (!roomCount) throw new RealtimeError('invalid', 'Say how many rooms, or how many students per room')
    if (roomCount > settings.maxRooms) throw new RealtimeError('invalid', `At most ${settings.maxRooms} rooms`)
    roomCount = Math.max(1, roomCount)

    let assignment: Assignment
    try {
      assignment = this.#assign(request, studentIds, groups, roomCount)
    } catch (error) {
      throw new RealtimeError('invalid', (error as Error).message)
    }

    const rooms = Array.from({ length: roomCount }, (_, index) => ({
      key: roomKey(index),
      name: request.names?.[index]?.trim() || (request.strategy === 'groups' && groups[index] ? groups[index].name : `Room ${index + 1}`),
    }))
    const round = await BreakoutRound.create({
      classSessionId: session.id,
      status: 'open',
      strategy: request.strategy,
      rooms,
      endsAt: DateTime.fromMillis(endsAt(Date.now(), request.durationMinutes ?? settings.defaultDurationMinutes)),
      createdBy: userId,
    })
    for (const [studentId, index] of assignment) await this.#place(round, studentId, rooms[index].key)
    await this.host.events.emit('breakouts:opened', {
      sessionId: session.id,
      schoolId: session.schoolId,
      roundId: round.id,
      rooms,
      copyMainWhiteboard: settings.copyMainWhiteboard,
    })
    return (await this.broadcast(session.id))!
  }

  #assign(request: OpenRequest, studentIds: number[], groups: { studentIds: number[] }[], roomCount: number): Assignment {
    switch (request.strategy) {
      case 'random':
        return assignRandom(studentIds, roomCount)
      case 'groups':
        return assignByGroups(studentIds, groups, roomCount)
      case 'manual':
        return assignManually(studentIds, Object.fromEntries((request.manual ?? []).map((m) => [m.userId, m.room])), roomCount)
      case 'self':
        return new Map()
    }
  }

  async #place(round: BreakoutRound, userId: number, key: string) {
    const now = DateTime.now()
    await BreakoutMembership.query().where({ breakoutRoundId: round.id, userId }).whereNull('left_at').update({ left_at: sqlTime(now) })
    if (key !== 'main') await BreakoutMembership.create({ breakoutRoundId: round.id, userId, roomKey: key, joinedAt: now })
    await this.host.rooms.move(round.classSessionId, userId, key)
  }

  async requireRound(sessionId: number) {
    const round = await this.currentRound(sessionId)
    if (!round) throw new RealtimeError('conflict', 'No breakout rooms are open')
    return round
  }

  #requireRoom(round: BreakoutRound, key: string) {
    const room = round.rooms.find((r) => r.key === key)
    if (!room) throw new RealtimeError('not_found', `Room ${key} does not exist`)
    return room
  }

  async move(sessionId: number, userId: number, key: string) {
    const round = await this.requireRound(sessionId)
    if (key !== 'main') this.#requireRoom(round, key)
    const target = (await this.host.realtime.participants(sessionId)).find((p) => p.userId === userId)
    if (!target || target.role !== 'student') throw new RealtimeError('not_found', 'That student is not in the class')
    await this.#place(round, userId, key)
    await this.broadcast(sessionId)
  }

  async choose(sessionId: number, userId: number, key: string) {
    const round = await this.requireRound(sessionId)
    if (round.strategy !== 'self') throw new RealtimeError('forbidden', 'The teacher assigns the rooms this time')
    const index = round.rooms.findIndex((r) => r.key === key)
    if (index < 0) throw new RealtimeError('not_found', `Room ${key} does not exist`)
    const assignments = await this.host.rooms.assignments(sessionId)
    const assignment: Assignment = new Map()
    for (const [user, room] of Object.entries(assignments)) {
      const roomIndex = round.rooms.findIndex((r) => r.key === room)
      if (roomIndex >= 0) assignment.set(Number(user), roomIndex)
    }
    const students = (await this.host.realtime.participants(sessionId)).filter((p) => p.role === 'student')
    const capacity = selfChooseCapacity(students.length, round.rooms.length)
    if (!canChoose(assignment, index, round.rooms.length, capacity, userId)) {
      throw new RealtimeError('conflict', `${round.rooms[index].name} is full`)
    }
    await this.#place(round, userId, key)
    await this.broadcast(sessionId)
  }

  async rename(sessionId: number, key: string, name: string) {
    const round = await this.requireRound(sessionId)
    this.#requireRoom(round, key).name = name
    round.rooms = [...round.rooms]
    await round.save()
    await this.broadcast(sessionId)
  }

  async hop(sessionId: number, teacherId: number, key: string) {
    const round = await this.requireRound(sessionId)
    if (key !== 'main') this.#requireRoom(round, key)
    await this.#place(round, teacherId, key)
    await this.broadcast(sessionId)
  }

  async extend(sessionId: number, minutes: number) {
    const round = await this.requireRound(sessionId)
    round.endsAt = DateTime.fromMillis(extend(round.endsAt.toMillis(), minutes, Date.now()))
    await round.save()
    await this.broadcast(sessionId)
    return round.endsAt.toISO()!
  }

  async closeRoom(sessionId: number, key: string) {
    const round = await this.requireRound(sessionId)
    this.#requireRoom(round, key)
    const assignments = await this.host.rooms.assignments(sessionId)
    for (const [userId, room] of Object.entries(assignments)) if (room === key) await this.#place(round, Number(userId), 'main')
    round.rooms = round.rooms.filter((r) => r.key !== key)
    if (round.rooms.length === 0) return this.close(round)
    await round.save()
    await this.broadcast(sessionId)
  }

  /** Closes a round exactly once, even when several processes race (conditional update). */
  async close(round: BreakoutRound) {
    const closedAt = DateTime.now()
    const changed = await BreakoutRound.query()
      .where({ id: round.id, status: 'open' })
      .update({ status: 'closed', closed_at: sqlTime(closedAt) })
    if (Number(Array.isArray(changed) ? changed[0] : changed) === 0) return
    await BreakoutMembership.query().where('breakout_round_id', round.id).whereNull('left_at').update({ left_at: sqlTime(closedAt) })
    await this.host.rooms.returnAllToMain(round.classSessionId)
    this.host.realtime.toSession(round.classSessionId).emit('breakouts:updated', { round: null })
    await this.host.events.emit('breakouts:closed', {
      sessionId: round.classSessionId,
      schoolId: await this.#schoolOf(round),
      roundId: round.id,
      rooms: round.rooms,
    })
  }

  async #schoolOf(round: BreakoutRound) {
    const row = await BreakoutRound.query()
      .join('class_sessions', 'class_sessions.id', 'breakout_rounds.class_session_id')
      .where('breakout_rounds.id', round.id)
      .select('class_sessions.school_id as schoolId')
      .first()
    return Number(row?.$extras.schoolId)
  }

  /**
   * Closes every open round whose timer has run out. Runs on every process; a
   * process only acts for classes it serves, and closing is a conditional update.
   */
  async closeExpired() {
    const open = await BreakoutRound.query().where('status', 'open')
    const now = Date.now()
    for (const round of open) {
      if (round.endsAt.toMillis() <= now && this.host.realtime.servesSession(round.classSessionId)) await this.close(round)
    }
  }

  /** A student who joins while rooms are open goes to the emptiest room (unless students choose). */
  async placeLateJoiner(sessionId: number, userId: number) {
    const round = await this.currentRound(sessionId)
    if (!round || round.strategy === 'self') return
    const assignments = await this.host.rooms.assignments(sessionId)
    if (assignments[String(userId)]) return
    const assignment: Assignment = new Map()
    for (const [user, room] of Object.entries(assignments)) {
      const index = round.rooms.findIndex((r) => r.key === room)
      if (index >= 0) assignment.set(Number(user), index)
    }
    await this.#place(round, userId, round.rooms[smallestRoom(assignment, round.rooms.length)].key)
    await this.broadcast(sessionId)
  }
}
