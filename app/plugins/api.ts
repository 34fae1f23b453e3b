/*
| The host API surface for plugins. A plugin imports from here (and from npm
| packages), never from another plugin and never from app/<domain> internals.
*/
export { definePlugin } from '#app/plugins/define_plugin'
export type { PluginDefinition } from '#app/plugins/define_plugin'
export { setting } from '#app/plugins/settings_schema'
export type { InferSettings, SettingsSchema } from '#app/plugins/settings_schema'
export type { PluginHost, PluginRealtime, PluginMail, Emitter } from '#app/plugins/host_api'
export type { DirectoryUser, DirectoryCourse, DirectorySchool, ClassTimes } from '#app/plugins/host_directory'
export type { HandlerContext } from '#app/realtime/gateway'
export { RealtimeError } from '#app/realtime/realtime_error'
export type { SessionRole, Participant, Ack } from '#app/realtime/events'
export type { SocketSession, SocketUser } from '#app/realtime/socket_types'
export type { ClassRef } from '#app/classes/lifecycle_events'
export type { SharedState } from '#app/realtime/shared_state'
export { ACTIVITY_SIGNAL_SOURCES, ACTIVITY_SIGNAL_OF_KIND } from '#app/classes/activity_signals'
export type {
  ActivitySignal,
  ActivitySignalClass,
  ActivitySignalEvent,
  ActivitySignalName,
  AttendanceStatus,
} from '#app/classes/activity_signals'
export type { BoardSnapshot, BoardFileRef, BoardSnapshotProvider } from '#app/classes/board_stage'
export { fileStorage } from '#app/storage/file_storage'
