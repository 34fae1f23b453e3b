import type { RecordingBoardScene } from '#app/media/rpc/contract'
import type { EventsList } from '@adonisjs/core/types'
import Recording from './models/recording.js'
import type { RecordingService } from './recording_service.js'

/** While someone draws, the sidecar gets the page at most this often. */
const THROTTLE_MS = 250

/**
 * Feeds the stage's board (app/classes/board_stage.ts) into the class's recording: on every
 * change of the main room's board, a snapshot of the current page goes to the sidecar (throttled),
 * and every page change becomes a chapter titled after the page or slide. Slide images are sent
 * once per recording and sidecar start.
 */
export class BoardFeed {
  #timers = new Map<number, NodeJS.Timeout>()
  #sentFiles = new Map<number, Set<string>>()
  #sending = new Map<number, Promise<void>>()

  constructor(private service: RecordingService) {
    service.boardFeed = this
  }

  async onChanged(event: EventsList['board:changed']) {
    if (event.room !== 'main') return
    const recording = await Recording.query().where('classSessionId', event.sessionId).where('state', 'recording').first()
    if (!recording) return
    if (event.pageChanged) {
      const snapshot = await this.service.host.classes.boardSnapshot(event.sessionId, 'main')
      if (snapshot) await this.service.chapter(recording, new Date(event.at), snapshot.title, snapshot.pageId)
      return this.#send(recording)
    }
    if (this.#timers.has(recording.id)) return
    this.#timers.set(
      recording.id,
      setTimeout(() => {
        this.#timers.delete(recording.id)
        void this.#send(recording)
      }, THROTTLE_MS)
    )
  }

  /** The sidecar (re)started this recording: it needs the current page and every slide again. */
  resend(recording: Recording) {
    this.#sentFiles.delete(recording.id)
    void this.#send(recording)
  }

  /** The first page of the class is its first chapter. */
  async firstChapter(recording: Recording) {
    const snapshot = await this.service.host.classes.boardSnapshot(recording.classSessionId, 'main')
    await this.service.chapter(recording, recording.startedAt.toJSDate(), snapshot?.title ?? recording.title, snapshot?.pageId ?? null)
  }

  #send(recording: Recording) {
    const previous = this.#sending.get(recording.id) ?? Promise.resolve()
    const next = previous.then(() => this.#push(recording)).catch((error) => {
      this.service.host.logger.warn({ err: error, recording: recording.id }, 'board frame not sent to the recording')
    })
    this.#sending.set(recording.id, next)
    void next.finally(() => {
      if (this.#sending.get(recording.id) === next) this.#sending.delete(recording.id)
    })
    return next
  }

  async #push(recording: Recording) {
    const takenAt = Date.now()
    const snapshot = await this.service.host.classes.boardSnapshot(recording.classSessionId, 'main')
    if (!snapshot) return
    const sent = this.#sentFiles.get(recording.id) ?? new Set<string>()
    const files: RecordingBoardScene['files'] = []
    for (const file of snapshot.files) {
      if (sent.has(file.id)) continue
      files.push({ id: file.id, mimeType: file.mimeType, dataURL: `data:${file.mimeType};base64,${(await file.load()).toString('base64')}` })
      sent.add(file.id)
    }
    this.#sentFiles.set(recording.id, sent)
    const media = await this.service.host.media()
    await media.call(recording.roomKey, 'recording.board', { recordingKey: recording.recordingKey, scene: { elements: snapshot.elements, files }, takenAt }, 15_000)
  }

  forget(recordingId: number) {
    clearTimeout(this.#timers.get(recordingId))
    this.#timers.delete(recordingId)
    this.#sentFiles.delete(recordingId)
  }
}
