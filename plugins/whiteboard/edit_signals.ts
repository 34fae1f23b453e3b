import type { ActivitySignalClass, PluginHost } from '#app/plugins/api'

/** How long edits are gathered before they go out as one engagement signal per student. */
export const EDIT_SIGNAL_WINDOW_MS = 1000

/*
| Whiteboard edits as engagement signals (kind 'whiteboard_edit', app/classes/activity_signals.ts).
| A drag sends many updates of one element and a stroke grows point by point, so the count is the
| number of distinct elements a user changed in a window, sent once per window rather than per update.
*/
export class EditSignals {
  #pending = new Map<string, { ref: ActivitySignalClass; userId: number; elementIds: Set<string> }>()

  constructor(
    private events: PluginHost['events'],
    private logger: PluginHost['logger'],
    windowMs = EDIT_SIGNAL_WINDOW_MS
  ) {
    setInterval(() => void this.flush(), windowMs).unref()
  }

  record(ref: ActivitySignalClass, userId: number, elementIds: string[]) {
    const key = `${ref.sessionId}|${userId}`
    const pending = this.#pending.get(key) ?? { ref, userId, elementIds: new Set<string>() }
    for (const id of elementIds) pending.elementIds.add(id)
    this.#pending.set(key, pending)
  }

  async flush() {
    if (!this.#pending.size) return
    const batch = [...this.#pending.values()]
    this.#pending.clear()
    const at = new Date().toISOString()
    for (const { ref, userId, elementIds } of batch) {
      try {
        await this.events.emit('activity:signal', { ...ref, at, kind: 'whiteboard_edit', userId, count: elementIds.size })
      } catch (error) {
        this.logger.error({ err: error }, 'whiteboard edit signal could not be published')
      }
    }
  }
}
