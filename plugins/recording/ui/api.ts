import type { RecordingListItem } from '../events'

export async function listRecordings(childId?: number): Promise<RecordingListItem[]> {
  const response = await fetch(`/plugins/recording/recordings${childId ? `?child=${childId}` : ''}`, { headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`Recordings could not be loaded (${response.status})`)
  return (await response.json()).recordings
}

export async function deleteRecording(id: number) {
  const xsrf = decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='))?.split('=')[1] ?? '')
  const response = await fetch(`/plugins/recording/recordings/${id}`, { method: 'DELETE', headers: { accept: 'application/json', 'x-xsrf-token': xsrf } })
  if (!response.ok) throw new Error((await response.json().catch(() => null))?.error ?? `Delete failed (${response.status})`)
}
