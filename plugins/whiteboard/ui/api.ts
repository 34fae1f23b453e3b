/* Calls to the whiteboard's HTTP routes (/plugins/whiteboard/...), with the CSRF header Shield expects. */
import type { WbBoardList, WbDeckUploaded, WbReview } from '../events'

export const BASE = '/plugins/whiteboard'
/** Where the server serves Excalidraw's fonts (the package's dist/prod/fonts as fonts/...). */
export const ASSET_PATH = `${BASE}/assets/`

export function xsrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='))
  return match ? decodeURIComponent(match.slice('XSRF-TOKEN='.length)) : ''
}

export class ApiError extends Error {
  constructor(
    message: string,
    public status: number
  ) {
    super(message)
  }
}

async function parse<T>(response: Response): Promise<T> {
  const data = await response.json().catch(() => ({}))
  if (!response.ok) {
    const message =
      data?.errors?.[0]?.message ??
      data?.message ??
      (response.status === 413 ? 'The file is too large' : response.status === 404 ? 'Not found' : `The server answered ${response.status}`)
    throw new ApiError(message, response.status)
  }
  return data as T
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${BASE}${path}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
  return parse<T>(response)
}

export const listBoards = () => getJson<WbBoardList>('/boards')
export const reviewSession = (sessionId: number) => getJson<WbReview>(`/sessions/${sessionId}/pages`)

/** Uploads a PDF deck; every slide becomes a page of the room's board. */
export async function uploadDeck(sessionId: number, file: File, room: string) {
  const body = new FormData()
  body.append('deck', file)
  body.append('room', room)
  const response = await fetch(`${BASE}/sessions/${sessionId}/deck`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Accept': 'application/json', 'X-XSRF-TOKEN': xsrfToken() },
    body,
  })
  return parse<WbDeckUploaded>(response)
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
