import vine from '@vinejs/vine'
import { RealtimeError, type SocketSession } from '#app/plugins/api'
import {
  elementSchema,
  elementsSchema,
  pageIdSchema,
  SLIDE_ELEMENT_PREFIX,
  strokePointsSchema,
} from './element_schema.js'
import type { RoomRef } from './board_store.js'
import { drawnFields } from './stroke_tracker.js'
import type { WhiteboardService } from './whiteboard_service.js'
import type { WbElement } from './events.js'

const MAX_PAGES_PER_ROOM = 500
const finite = () => vine.number().min(-1e7).max(1e7)
const roomOf = (session: SocketSession): RoomRef => ({ sessionId: session.id, schoolId: session.schoolId, room: session.room })

export function registerWhiteboardHandlers(service: WhiteboardService) {
  const { host, boards } = service
  const { realtime } = host

  const pageOf = async (ref: RoomRef, pageId: string) => {
    const page = await boards.page(ref.sessionId, ref.room, pageId)
    if (!page) throw new RealtimeError('not_found', 'This page is not on your board')
    return page
  }

  const requirePen = async (ref: RoomRef, userId: number, role: SocketSession['role']) => {
    if (!(await service.mayDraw(ref, userId, role))) throw new RealtimeError('forbidden', 'The teacher has not given you the pen')
  }

  realtime.on('whiteboard:open', {
    validator: vine.compile(vine.object({})),
    async handle({ session }) {
      const ref = roomOf(session)
      await service.ensure(ref)
      const { studentsDrawByDefault } = await service.settings(ref.schoolId)
      const board = await boards.board(ref.sessionId, ref.room, studentsDrawByDefault)
      const elements = await boards.scenes.elements({ ...ref, pageId: board.currentPageId })
      return { board, pageId: board.currentPageId, elements }
    },
  })

  realtime.on('whiteboard:page', {
    validator: vine.compile(vine.object({ pageId: pageIdSchema, room: vine.string().maxLength(64).optional() })),
    async handle({ payload, session }) {
      const room = payload.room ?? session.room
      if (room !== session.room) {
        // A room of this class without a board has no pages: pageOf below refuses it (not_found).
        if (session.role !== 'teacher') throw new RealtimeError('forbidden', 'Only teachers may look at other rooms’ boards')
      } else {
        await service.ensure(roomOf(session))
      }
      await pageOf({ ...roomOf(session), room }, payload.pageId)
      return { pageId: payload.pageId, elements: await boards.scenes.elements({ sessionId: session.id, room, pageId: payload.pageId }) }
    },
  })

  realtime.on('whiteboard:update', {
    maxBytes: 512 * 1024,
    validator: vine.compile(vine.object({ pageId: pageIdSchema, elements: elementsSchema })),
    async handle({ payload, session, user, socket }) {
      const ref = roomOf(session)
      await service.ensure(ref)
      await requirePen(ref, user.id, session.role)
      await pageOf(ref, payload.pageId)
      const elements = payload.elements as WbElement[]
      if (session.role !== 'teacher' && elements.some((e) => e.id.startsWith(SLIDE_ELEMENT_PREFIX))) {
        throw new RealtimeError('forbidden', 'Slides can only be changed by the teacher')
      }
      const pageRef = { ...ref, pageId: payload.pageId }
      const { maxElementsPerPage } = await service.settings(ref.schoolId)
      if ((await boards.scenes.count(pageRef)) + elements.length > maxElementsPerPage) {
        const stored = new Set((await boards.scenes.elements(pageRef)).map((e) => e.id))
        const added = elements.filter((e) => !stored.has(e.id)).length
        if (stored.size + added > maxElementsPerPage) {
          throw new RealtimeError('too_large', `A page holds at most ${maxElementsPerPage} elements; add a new page`)
        }
      }

      const { won, stale, resent } = await boards.scenes.merge(pageRef, elements)
      if (won.length || resent.length) {
        const { relayed, grown } = won.length ? await service.relayedCopies(pageRef, won) : { relayed: [], grown: null }
        realtime.toRoom(ref.sessionId, ref.room, socket.id).emit('whiteboard:elements', {
          room: ref.room,
          pageId: payload.pageId,
          elements: [...relayed, ...resent],
          by: user.id,
          ...(grown ? { grown } : {}),
        })
      }
      if (won.length) {
        service.persister.markDirty(pageRef)
        service.activity.record({
          ...pageRef,
          schoolId: ref.schoolId,
          userId: user.id,
          action: won.every((e) => e.isDeleted) ? 'erase' : 'draw',
          elementCount: won.length,
        })
        service.editSignals.record(
          { sessionId: session.id, schoolId: session.schoolId, courseId: session.courseId },
          user.id,
          won.map((e) => e.id)
        )
      }
      return { applied: won.length, stale }
    },
  })

  realtime.on('whiteboard:stroke', {
    maxBytes: 64 * 1024,
    validator: vine.compile(
      vine.object({
        pageId: pageIdSchema,
        elementId: vine.string().regex(/^[\w:-]{1,64}$/),
        points: strokePointsSchema,
        start: elementSchema.optional(),
      })
    ),
    async handle({ payload, session, user }) {
      const ref = roomOf(session)
      await requirePen(ref, user.id, session.role)
      await pageOf(ref, payload.pageId)
      const start = payload.start as WbElement | undefined
      if (start && (start.type !== 'freedraw' || start.id !== payload.elementId)) {
        throw new RealtimeError('invalid', 'A stroke starts with its own freedraw element')
      }
      const pageRef = { ...ref, pageId: payload.pageId }
      const points = payload.points as [number, number][]
      let handle: number | null
      if (start) {
        handle = await service.strokeHandle(pageRef)
        service.strokeTracker.start(pageRef, payload.elementId, handle, (start.points as [number, number][] | undefined) ?? [])
        service.strokeTracker.grow(pageRef, payload.elementId, points)
      } else {
        handle = service.strokeTracker.grow(pageRef, payload.elementId, points)
        // Growth of a stroke whose start this process never saw (it restarted): the finished element will follow.
        if (handle === null) return null
      }
      service.strokes.add(ref.sessionId, ref.room, {
        pageId: payload.pageId,
        ...(start ? { start: { handle, by: user.id, element: drawnFields(start) } } : {}),
        growth: [handle, ...points.flat()],
      })
      return null
    },
  })

  realtime.on('whiteboard:cursor', {
    validator: vine.compile(vine.object({ x: finite(), y: finite(), laser: vine.boolean({ strict: true }) })),
    handle({ payload, session, user }) {
      service.cursors.add(session.id, session.room, {
        userId: user.id,
        name: user.fullName,
        role: session.role,
        x: payload.x,
        y: payload.y,
        laser: payload.laser && session.role === 'teacher',
      })
      return null
    },
  })

  realtime.on('whiteboard:viewport', {
    roles: ['teacher'],
    validator: vine.compile(
      vine.object({
        scrollX: finite(),
        scrollY: finite(),
        zoom: vine.number().min(0.05).max(40),
        width: vine.number().min(1).max(20000),
        height: vine.number().min(1).max(20000),
      })
    ),
    async handle({ payload, session, socket }) {
      if (!(await boards.follow(session.id, session.room)).enabled) return null
      await boards.setViewport(session.id, session.room, payload)
      realtime.toRoom(session.id, session.room, socket.id).emit('whiteboard:viewport', payload)
      return null
    },
  })

  realtime.on('whiteboard:follow', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ enabled: vine.boolean({ strict: true }), locked: vine.boolean({ strict: true }) })),
    async handle({ payload, session }) {
      const ref = roomOf(session)
      await service.ensure(ref)
      await boards.setFollow(ref.sessionId, ref.room, { enabled: payload.enabled, locked: payload.enabled && payload.locked })
      await service.announceBoard(ref)
      return null
    },
  })

  realtime.on('whiteboard:pen', {
    roles: ['teacher'],
    validator: vine.compile(
      vine.object({
        userId: vine.number().withoutDecimals().positive().optional(),
        all: vine.boolean({ strict: true }).optional(),
        granted: vine.boolean({ strict: true }),
      })
    ),
    async handle({ payload, session }) {
      if ((payload.userId === undefined) === (payload.all === undefined)) {
        throw new RealtimeError('invalid', 'Name one student (userId) or everyone (all)')
      }
      if (payload.userId !== undefined) {
        const target = (await realtime.participants(session.id)).find((p) => p.userId === payload.userId)
        if (!target || target.role !== 'student') throw new RealtimeError('not_found', 'No such student in this class')
      }
      await service.ensure(roomOf(session))
      await boards.setPen(session.id, payload)
      await service.announcePen(session.id, session.schoolId)
      return null
    },
  })

  realtime.on('whiteboard:page_add', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ title: vine.string().trim().minLength(1).maxLength(120).optional() })),
    async handle({ payload, session, user }) {
      const ref = roomOf(session)
      await service.ensure(ref)
      if ((await boards.pages(ref.sessionId, ref.room)).length >= MAX_PAGES_PER_ROOM) {
        throw new RealtimeError('too_large', `A board holds at most ${MAX_PAGES_PER_ROOM} pages`)
      }
      const page = await boards.addPage(ref, payload.title ?? null)
      await boards.setCurrent(ref.sessionId, ref.room, page.id)
      service.activity.record({ ...ref, pageId: page.id, userId: user.id, action: 'page_add', elementCount: 0 })
      await service.announceBoard(ref)
      return { page }
    },
  })

  realtime.on('whiteboard:page_switch', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ pageId: pageIdSchema })),
    async handle({ payload, session, user }) {
      const ref = roomOf(session)
      await service.ensure(ref)
      await pageOf(ref, payload.pageId)
      await boards.setCurrent(ref.sessionId, ref.room, payload.pageId)
      service.activity.record({ ...ref, pageId: payload.pageId, userId: user.id, action: 'page_switch', elementCount: 0 })
      await service.announceBoard(ref)
      return null
    },
  })

  realtime.on('whiteboard:thumbnail', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ room: vine.string().regex(/^[\w:-]{1,64}$/) })),
    async handle({ payload, session }) {
      if (!(await boards.rooms(session.id)).includes(payload.room)) return { room: payload.room, page: null }
      const { studentsDrawByDefault } = await service.settings(session.schoolId)
      const board = await boards.board(session.id, payload.room, studentsDrawByDefault)
      const page = board.pages.find((p) => p.id === board.currentPageId)
      if (!page) return { room: payload.room, page: null }
      const elements = await boards.scenes.liveElements({ sessionId: session.id, room: payload.room, pageId: page.id })
      return { room: payload.room, page: { ...page, elements } }
    },
  })

  realtime.on('whiteboard:room_boards', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({})),
    async handle({ session }) {
      const rooms = (await boards.rooms(session.id)).filter((room) => room !== session.room)
      return {
        rooms: await Promise.all(
          rooms.map(async (room) => ({
            room,
            pages: await Promise.all(
              (await boards.pages(session.id, room)).map(async (page) => ({
                id: page.id,
                title: page.title,
                elementCount: (await boards.scenes.liveElements({ sessionId: session.id, room, pageId: page.id })).length,
              }))
            ),
          }))
        ),
      }
    },
  })

  realtime.on('whiteboard:pull', {
    roles: ['teacher'],
    validator: vine.compile(
      vine.object({ room: vine.string().maxLength(64), pageIds: vine.array(pageIdSchema).maxLength(MAX_PAGES_PER_ROOM).optional() })
    ),
    async handle({ payload, session, user }) {
      const ref = roomOf(session)
      if (payload.room === ref.room || !(await boards.rooms(ref.sessionId)).includes(payload.room)) {
        throw new RealtimeError('not_found', 'That room has no board to pull')
      }
      await service.ensure(ref)
      const pages = (await boards.pages(ref.sessionId, payload.room)).filter((p) => !payload.pageIds || payload.pageIds.includes(p.id))
      if (!pages.length) throw new RealtimeError('not_found', 'No such pages')
      const copied = await service.copyPages({ sessionId: ref.sessionId, room: payload.room }, ref, pages, `${payload.room}: `)
      await boards.setCurrent(ref.sessionId, ref.room, copied[0].id)
      service.activity.record({ ...ref, pageId: copied[0].id, userId: user.id, action: 'pull', elementCount: copied.length })
      await service.announceBoard(ref)
      return { pages: copied }
    },
  })
}
