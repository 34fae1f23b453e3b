import db from '@adonisjs/lucid/services/db'
import type { Logger } from '@adonisjs/core/logger'
import type { PluginHost } from '#app/plugins/api'
import type { EventsList } from '@adonisjs/core/types'
import './events.js'
import { sqlTimestamp } from './models/sql_now.js'
import { PERSIST_EVERY_MS } from './persister.js'

export type ActivityEntry = Omit<EventsList['whiteboard:activity'], 'at'>

/*
| Who did what on the board, and when. Announced at once on the event bus; written to
| whiteboard_activity in batches, one row per (user, page, action) per flush window, so a
| drawing class does not turn into one insert per pointer move.
*/
export class ActivityLog {
  #pending = new Map<string, ActivityEntry & { at: Date }>()

  constructor(
    private events: PluginHost['events'],
    private logger: Logger
  ) {
    setInterval(() => void this.flush(), PERSIST_EVERY_MS).unref()
  }

  record(entry: ActivityEntry) {
    const at = new Date()
    void this.events.emit('whiteboard:activity', { ...entry, at: at.toISOString() })
    // The stage's board contract (app/classes/board_stage.ts): readers such as the recording ask for the scene.
    void this.events.emit('board:changed', {
      sessionId: entry.sessionId,
      schoolId: entry.schoolId,
      room: entry.room,
      pageId: entry.pageId,
      pageChanged: entry.action !== 'draw' && entry.action !== 'erase',
      at: at.toISOString(),
    })
    const key = `${entry.sessionId}|${entry.room}|${entry.pageId}|${entry.userId}|${entry.action}`
    const pending = this.#pending.get(key)
    if (pending) pending.elementCount += entry.elementCount
    else this.#pending.set(key, { ...entry, at })
  }

  async flush() {
    if (!this.#pending.size) return
    const rows = [...this.#pending.values()]
    this.#pending.clear()
    try {
      await db.table('whiteboard_activity').multiInsert(
        rows.map((r) => ({
          class_session_id: r.sessionId,
          user_id: r.userId,
          room: r.room,
          page_key: r.pageId,
          action: r.action,
          element_count: r.elementCount,
          occurred_at: sqlTimestamp(r.at),
        }))
      )
    } catch (error) {
      this.logger.error({ err: error }, 'whiteboard activity could not be written')
    }
  }

}
