import type { SettingsSchema } from '#app/plugins/settings_schema'

/** Permissions a plugin asks the host for; shown to admins on the plugins page. */
export const PLUGIN_PERMISSIONS = {
  'realtime:session': 'Send and receive realtime events inside live classes',
  'http:routes': 'Serve its own HTTP routes',
  'db:own-tables': 'Store data in its own database tables',
  'events:lifecycle': 'React to class lifecycle events (started, joined, left, ended)',
  'events:activity': 'Read what students do in class (camera, quiz, chat, whiteboard and attendance signals)',
  'ui:classroom': 'Show panels in the classroom',
  'ui:dashboard': 'Show cards on dashboards',
  'media:rooms': 'Create media rooms',
  'mail:send': 'Send e-mails',
  'notify:users': 'Push notices to users’ dashboards',
  'storage:files': 'Keep files in Aula’s storage (local disk or S3)',
} as const
export type PluginPermission = keyof typeof PLUGIN_PERMISSIONS

export interface PluginManifest<S extends SettingsSchema = SettingsSchema> {
  /** Folder name under plugins/, lowercase letters, digits and dashes. */
  id: string
  name: string
  description: string
  version: string
  dependencies?: string[]
  settings: S
  permissions: PluginPermission[]
  /** Whether schools get the plugin enabled until an admin decides otherwise. */
  enabledByDefault?: boolean
}
