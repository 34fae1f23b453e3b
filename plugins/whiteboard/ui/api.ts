/* Calls to the whiteboard's HTTP routes (/plugins/whiteboard/...), with the CSRF header Shield expects. */
import { ApiError, requestJson } from '~/lib/http'
import type { WbBoardList, WbDeckUploaded, WbReview } from '../events'

export { ApiError }

export const BASE = '/plugins/whiteboard'
/** Where the server serves Excalidraw's fonts (the package's dist/prod/fonts as fonts/...). */
export const ASSET_PATH = `${BASE}/assets/`

export const getJson = <T>(path: string) => requestJson<T>('GET', `${BASE}${path}`)

export const listBoards = () => getJson<WbBoardList>('/boards')
export const reviewSession = (sessionId: number) => getJson<WbReview>(`/sessions/${sessionId}/pages`)

/** Uploads a PDF deck; every slide becomes a page of the room's board. */
export function uploadDeck(sessionId: number, file: File, room: string) {
  const body = new FormData()
  body.append('deck', file)
  body.append('room', room)
  return requestJson<WbDeckUploaded>('POST', `${BASE}/sessions/${sessionId}/deck`, body)
}

const dataUrls = new Map<string, Promise<string>>()

/** A slide image as a data URL (what Excalidraw's addFiles takes), fetched once per URL. */
export function fetchDataUrl(url: string) {
  let pending = dataUrls.get(url)
  if (!pending) {
    pending = fetch(url, { credentials: 'same-origin' })
      .then((response) => {
        if (!response.ok) throw new ApiError(`The slide image could not be loaded (${response.status})`, response.status)
        return response.blob()
      })
      .then(
        (blob) =>
          new Promise<string>((resolve, reject) => {
            const reader = new FileReader()
            reader.onload = () => resolve(reader.result as string)
            reader.onerror = () => reject(reader.error)
            reader.readAsDataURL(blob)
          })
      )
    pending.catch(() => dataUrls.delete(url))
    dataUrls.set(url, pending)
  }
  return pending
}
