/** Media room keys: one router per (class, room). */
export const mediaRoomKey = (sessionId: number, room: string) => `s${sessionId}:${room}`

export function parseMediaRoomKey(key: string): { sessionId: number; room: string } | null {
  const match = /^s(\d+):([a-z0-9-]{1,32})$/.exec(key)
  return match ? { sessionId: Number(match[1]), room: match[2] } : null
}
