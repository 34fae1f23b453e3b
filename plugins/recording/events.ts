/* The recording plugin's additions to the typed realtime event map, and its HTTP payloads. */

export interface RecordingStateView {
  /** The class is being recorded (shown to everybody in class). */
  recording: boolean
}

declare module '#app/realtime/events' {
  interface ClientEvents {
    /** Whether the caller's class is being recorded (for the indicator after a (re)join). */
    'recording:status': { payload: Record<string, never>; result: RecordingStateView }
  }
  interface ServerEvents {
    'recording:state': RecordingStateView
  }
}

export type RecordingListState = 'recording' | 'processing' | 'ready' | 'failed'

export interface RecordingListItem {
  id: number
  title: string
  courseName: string
  state: RecordingListState
  failureReason: string | null
  /** Set when failed: what the UI words in the user's language (failureReason stays the pipeline's English, for support). */
  failureKind: 'nothing_recorded' | 'not_assembled' | null
  startedAt: string
  endedAt: string | null
  durationMs: number | null
  sizeBytes: number | null
  partCount: number | null
}

export interface RecordingChapterView {
  startMs: number
  endMs: number
  title: string
}

/*
| HTTP under /plugins/recording (login and plugin-enabled checks by the host):
|   GET    /recordings                      → { recordings: RecordingListItem[] } the user may watch
|   GET    /recordings/:id                  playback page (Inertia 'plugins/recording/playback')
|   GET    /recordings/:id/video.mp4        the MP4, with HTTP Range (206)
|   GET    /recordings/:id/chapters.vtt     WebVTT chapters
|   GET    /recordings/:id/parts/:part/:file  a stored segment (init.mp4, seg_NNNNN.m4s) while parts exist
|   GET    /admin                           admin page: every recording of the school, failures first
|   DELETE /recordings/:id                  admin: deletes the recording and its files
*/
