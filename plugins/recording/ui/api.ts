import { requestJson } from '~/lib/http'
import type { RecordingListItem } from '../events'

/* Failures are ApiErrors (their HTTP status): errorText() words them in the UI's language. */
export async function listRecordings(childId?: number): Promise<RecordingListItem[]> {
  const { recordings } = await requestJson<{ recordings: RecordingListItem[] }>('GET', `/plugins/recording/recordings${childId ? `?child=${childId}` : ''}`)
  return recordings
}

export async function deleteRecording(id: number) {
  await requestJson('DELETE', `/plugins/recording/recordings/${id}`)
}
