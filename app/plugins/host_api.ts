import type { Router } from '@adonisjs/core/http'
import type { Logger } from '@adonisjs/core/logger'
import type { EmitterService } from '@adonisjs/core/types'
import type { EventsList } from '@adonisjs/core/types'
import type { InferSettings, SettingsSchema } from '#app/plugins/settings_schema'
import type { HandlerDefinition } from '#app/realtime/gateway'
import type { SharedState } from '#app/realtime/shared_state'
import type { ClientEventName, Participant, ServerEventName, ServerEvents } from '#app/realtime/events'
import type { SocketSession, SocketUser } from '#app/realtime/socket_types'
import type { RealtimeServer } from '#app/realtime/realtime_server'
import type { PluginSettingsService } from '#app/plugins/plugin_settings_service'
import { rooms } from '#app/realtime/rooms'
import transmit from '@adonisjs/transmit/services/main'
import { participantsOf } from '#app/classes/presence'
import { requireParticipant } from '#app/classes/class_targets'
import { moveToRoom, returnAllToMain, roomAssignments, roomOf } from '#app/classes/class_rooms'
import { presetGroupsOf } from '#app/classes/class_groups'
import { boardSnapshot, provideBoardSnapshots, type BoardSnapshot, type BoardSnapshotProvider } from '#app/classes/board_stage'
import { provideRoomNames, roomNames, type RoomNamesProvider } from '#app/classes/room_names'
import type { MediaCluster } from '#app/media/media_cluster'
import { classDirectory, directory, type PluginClassDirectory, type PluginDirectory } from '#app/plugins/host_directory'
import type { MailAttachment, OutgoingMail } from '#app/mail/outbox'
import type { MailOutboxService } from '#app/mail/mail_outbox_provider'

export interface Emitter {
  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void
}

/** What a plugin may do with realtime: handle its own events and emit to classes, rooms and users. */
export interface PluginRealtime {
  on<E extends ClientEventName, Scope extends 'session' | 'connection' = 'session'>(
    event: E,
    definition: Omit<HandlerDefinition<E, Scope>, 'pluginId'>
  ): void
  toSession(sessionId: number): Emitter
  /** `exceptSocketId` leaves out one socket, typically the sender of what is relayed. */
  toRoom(sessionId: number, room: string, exceptSocketId?: string): Emitter
  toTeachers(sessionId: number): Emitter
  toUser(userId: number): Emitter
  participants(sessionId: number): Promise<Participant[]>
  /**
   * The ids of the sockets connected to the class, across all web processes (a dead process's sockets
   * are not among them). For state a plugin keeps per socket, to forget the sockets that are gone.
   */
  socketIds(sessionId: number): Promise<Set<string>>
  /**
   * Throws `not_found` unless `userId` is connected to the sender's class (and, with `sameRoom`,
   * in the sender's room). Every event that names another user checks its target with this.
   */
  requireParticipant(session: { id: number; room: string }, userId: number, options?: { sameRoom?: boolean }): Promise<void>
  /** Emits only to sockets of this process (for events every process receives, e.g. from media sidecars). */
  toRoomLocal(sessionId: number, room: string): Emitter
  /** The class's teachers on this process only (same use as toRoomLocal). */
  toTeachersLocal(sessionId: number): Emitter
  /** Runs when a socket disconnects, while its class data is still available. */
  onDisconnecting(listener: (socket: { id: string; user: SocketUser; session: SocketSession | null }) => void | Promise<void>): void
  /** Whether this process holds sockets of the class (cheap, local; used to share periodic work). */
  servesSession(sessionId: number): boolean
}

/** Rooms inside a class ('main' plus e.g. breakout rooms); assignments survive reconnects and work across processes. */
export interface PluginRooms {
  of(sessionId: number, userId: number): Promise<string>
  assignments(sessionId: number): Promise<Record<string, string>>
  /** Moves all of a user's sockets to a room; they receive 'session:room_changed'. */
  move(sessionId: number, userId: number, room: string): Promise<void>
  returnAllToMain(sessionId: number): Promise<void>
}

/** Media rooms on the sidecars (see docs/media.md); rooms are keyed by a string such as `s12:main`. */
export type PluginMedia = Pick<MediaCluster, 'ensureRoom' | 'call' | 'closeRoom' | 'on' | 'off'>

export interface PluginClasses {
  /** The preset student groups of the class's course (admin-defined), with member ids. */
  presetGroups(sessionId: number): Promise<{ id: number; name: string; studentIds: number[] }[]>
  /** One class with its times (ISO strings), or null. */
  get: PluginClassDirectory['get']
  /** Classes that ended in a time range, optionally of one school or some courses. */
  ended: PluginClassDirectory['ended']
  /** Announces that this plugin shows the stage's board: it answers snapshots of a room's current page (app/classes/board_stage.ts). */
  provideBoardSnapshots(provider: BoardSnapshotProvider): void
  /** The page a room's board shows right now (null when no plugin shows a board). */
  boardSnapshot(sessionId: number, room: string): Promise<BoardSnapshot | null>
  /** Announces that this plugin names rooms of a class (app/classes/room_names.ts). */
  provideRoomNames(provider: RoomNamesProvider): void
  /** The names people gave the class's rooms, by room key ('main' and unnamed rooms absent). */
  roomNames(sessionId: number): Promise<Record<string, string>>
}

/**
 * The durable mail outbox (app/mail). `enqueue` queues a message once per key — the key is
 * namespaced to the plugin — whatever the number of processes, retries and restarts; it is sent
 * when SMTP is configured and otherwise waits in the admin outbox (/admin/mail).
 */
export interface PluginMail {
  enqueue(mail: Omit<OutgoingMail, 'source'> & { attachments?: MailAttachment[] }): Promise<{ queued: boolean }>
  isQueued(key: string): Promise<boolean>
  smtpConfigured(): Promise<boolean>
}

export interface PluginRoutes {
  /**
   * Registers HTTP routes under /plugins/<id>. The callback receives the router;
   * every route gets the auth middleware and answers 404 while the plugin is
   * disabled for the user's school.
   */
  define(callback: (router: Router) => void): void
}

export interface PluginEvents {
  on<K extends keyof EventsList>(event: K, listener: (payload: EventsList[K]) => void | Promise<void>): void
  emit<K extends keyof EventsList>(event: K, payload: EventsList[K]): Promise<void>
}

/** Other plugins, seen from outside: only whether they are switched on (never their code). */
export interface OtherPlugins {
  /** Whether a plugin (by id) is enabled for a school; false for unknown ids. Cached 2 s per process. */
  isEnabled(schoolId: number, pluginId: string): Promise<boolean>
}

export interface PluginHost<S extends SettingsSchema = SettingsSchema> {
  id: string
  logger: Logger
  realtime: PluginRealtime
  rooms: PluginRooms
  classes: PluginClasses
  /** Resolved lazily: the media cluster connects after boot. */
  media(): Promise<PluginMedia>
  routes: PluginRoutes
  events: PluginEvents
  plugins: OtherPlugins
  /** Read-only people, courses and enrolments of a school (see app/plugins/host_directory.ts). */
  directory: PluginDirectory
  mail: PluginMail
  /**
   * Pushes a notice to these users' dashboards (Transmit, the channel `users/<id>/notifications`
   * that only its own user may subscribe to; across processes through Redis). The notice's `type`
   * is prefixed with the plugin id (`<id>.<type>`). The plugin chooses the recipients: put in a
   * notice only what each of them may read.
   */
  notify(userIds: number[], notice: { type: string } & Record<string, unknown>): void
  settings: {
    forSchool(schoolId: number): Promise<InferSettings<S>>
    isEnabled(schoolId: number): Promise<boolean>
  }
  /** Shared live state, namespaced to the plugin (Redis or memory). */
  state: SharedState
  /**
   * Runs when the process stops gracefully (SIGTERM, Ctrl-C), before the database closes:
   * write out whatever the plugin buffers in memory. A failing listener is logged, not fatal.
   */
  onShutdown(listener: () => void | Promise<void>): void
}

interface HostServices {
  realtime: RealtimeServer
  settings: PluginSettingsService
  emitter: EmitterService
  logger: Logger
  defineRoutes(pluginId: string, callback: (router: Router) => void): void
  media(): Promise<MediaCluster>
  mailOutbox(): Promise<MailOutboxService>
  onShutdown(listener: () => void | Promise<void>): void
}

export function createPluginHost<S extends SettingsSchema>(pluginId: string, services: HostServices): PluginHost<S> {
  const { realtime, settings, emitter } = services
  const localEmitterFor = (room: string): Emitter => ({
    emit: (event, payload) => {
      if (realtime.attached) realtime.io.local.to(room).emit(event, ...([payload] as any))
    },
  })
  const emitterFor = (room: string, exceptSocketId?: string): Emitter => ({
    emit: (event, payload) => realtime.to(room, exceptSocketId).emit(event, payload),
  })

  return {
    id: pluginId,
    logger: services.logger.child({ plugin: pluginId }),
    realtime: {
      on(event, definition) {
        if (!event.startsWith(`${pluginId}:`)) {
          throw new Error(`Plugin "${pluginId}" may only register events named "${pluginId}:*", got "${event}"`)
        }
        realtime.gateway.on(event, { ...definition, pluginId } as any)
      },
      toSession: (sessionId) => emitterFor(rooms.session(sessionId)),
      toRoom: (sessionId, room, exceptSocketId) => emitterFor(rooms.sessionRoom(sessionId, room), exceptSocketId),
      toTeachers: (sessionId) => emitterFor(rooms.sessionTeachers(sessionId)),
      toUser: (userId) => emitterFor(rooms.user(userId)),
      participants: (sessionId) => participantsOf(realtime, sessionId),
      socketIds: async (sessionId) => new Set((await realtime.io.in(rooms.session(sessionId)).fetchSockets()).map((socket) => socket.id)),
      requireParticipant: async (session, userId, options) => {
        await requireParticipant(realtime, session, userId, options)
      },
      toRoomLocal: (sessionId, room) => localEmitterFor(rooms.sessionRoom(sessionId, room)),
      toTeachersLocal: (sessionId) => localEmitterFor(rooms.sessionTeachers(sessionId)),
      onDisconnecting: (listener) =>
        realtime.onDisconnecting((socket) => listener({ id: socket.id, user: socket.data.user, session: socket.data.session })),
      servesSession: (sessionId) =>
        realtime.attached && (realtime.io.of('/').adapter.rooms.get(rooms.session(sessionId))?.size ?? 0) > 0,
    },
    rooms: {
      of: (sessionId, userId) => roomOf(realtime, sessionId, userId),
      assignments: (sessionId) => roomAssignments(realtime, sessionId),
      move: (sessionId, userId, room) => moveToRoom(realtime, sessionId, userId, room),
      returnAllToMain: (sessionId) => returnAllToMain(realtime, sessionId),
    },
    classes: {
      presetGroups: (sessionId) => presetGroupsOf(sessionId),
      get: classDirectory.get,
      ended: classDirectory.ended,
      provideBoardSnapshots: (provider) => provideBoardSnapshots(provider),
      boardSnapshot: (sessionId, room) => boardSnapshot(sessionId, room),
      provideRoomNames: (provider) => provideRoomNames(pluginId, provider),
      roomNames: (sessionId) => roomNames(sessionId),
    },
    directory,
    mail: {
      enqueue: async (mail) => (await services.mailOutbox()).enqueue({ ...mail, key: `${pluginId}:${mail.key}`, source: pluginId }),
      isQueued: async (key) => (await services.mailOutbox()).isQueued(`${pluginId}:${key}`),
      smtpConfigured: async () => (await services.mailOutbox()).smtpConfigured,
    },
    notify: (userIds, notice) => {
      const message = JSON.parse(JSON.stringify({ ...notice, type: `${pluginId}.${notice.type}` }))
      for (const userId of new Set(userIds)) transmit.broadcast(`users/${userId}/notifications`, message)
    },
    media: () => services.media(),
    routes: { define: (callback) => services.defineRoutes(pluginId, callback) },
    events: {
      on: (event, listener) => emitter.on(event, listener as any),
      emit: (event, payload) => emitter.emit(event, payload as any),
    },
    plugins: { isEnabled: (schoolId, otherId) => settings.isEnabled(schoolId, otherId) },
    settings: {
      forSchool: (schoolId) => settings.settingsFor<InferSettings<S>>(schoolId, pluginId),
      isEnabled: (schoolId) => settings.isEnabled(schoolId, pluginId),
    },
    state: realtime.state.namespaced(`plugin:${pluginId}:`),
    onShutdown: (listener) =>
      services.onShutdown(async () => {
        try {
          await listener()
        } catch (error) {
          services.logger.error({ err: error, plugin: pluginId }, 'plugin shutdown hook failed')
        }
      }),
  }
}
