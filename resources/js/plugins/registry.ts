import type { Component, Ref } from 'vue'
import type { ClassroomContext } from '~/classroom/context'

/*
| UI slot registry. A plugin's Vue parts are declared in plugins/<id>/ui/index.ts
| with defineUiPlugin(); the host mounts them into named slots for schools where
| the plugin is enabled.
*/
export type SlotName =
  | 'classroom.panel'
  | 'classroom.stage'
  | 'classroom.toolbar'
  | 'classroom.overlay'
  /** A small status badge in the classroom's header, after LIVE (e.g. "Recording"); icon-only on phones. */
  | 'classroom.status'
  /** Extra content per room in a room overview (e.g. breakouts); the component gets a `room` prop. */
  | 'classroom.room_overview'
  | 'dashboard.teacher'
  | 'dashboard.student'
  /** On a parent's dashboard, once per linked child; the component gets a `child` prop ({ id, fullName }). */
  | 'dashboard.parent'
  | 'dashboard.admin'

export interface SlotEntry {
  key: string
  component: Component
  /** Tab title for panels, button label for stage modes. */
  title?: string
  order?: number
  roles?: ('teacher' | 'student')[]
  /**
   * Panels only: a count shown on the tab (e.g. unread messages). Called once when the classroom
   * page starts, so it can listen to events while its panel is not mounted.
   */
  badge?: (classroom: ClassroomContext) => Ref<number>
  /** Toolbar only: the part accepts a `part` prop ('primary' | 'secondary') and splits its controls between the bar and the phone menu. */
  splits?: boolean
  /** Panels and stages: the translation key of the title (falls back to `title`). */
  titleKey?: string
}

export interface UiPlugin {
  id: string
  slots: Partial<Record<SlotName, SlotEntry[]>>
}

export function defineUiPlugin(plugin: UiPlugin) {
  return plugin
}

const modules = import.meta.glob<{ default: UiPlugin }>('../../../plugins/*/ui/index.ts', { eager: true })
const uiPlugins = Object.values(modules).map((m) => m.default)

export interface MountedEntry extends SlotEntry {
  pluginId: string
}

export function slotEntries(slot: SlotName, enabled: (id: string) => boolean, role?: 'teacher' | 'student'): MountedEntry[] {
  return uiPlugins
    .filter((plugin) => enabled(plugin.id))
    .flatMap((plugin) => (plugin.slots[slot] ?? []).map((entry) => ({ ...entry, pluginId: plugin.id })))
    .filter((entry) => !entry.roles || !role || entry.roles.includes(role))
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
}
