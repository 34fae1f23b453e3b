import type { SessionRole } from '#app/plugins/api'

export interface ChatPolicyInput {
  role: SessionRole
  muted: boolean
  studentsMayChat: boolean
}

/** Why a participant may not write right now, or null when they may. */
export function chatRefusal({ role, muted, studentsMayChat }: ChatPolicyInput): string | null {
  if (role === 'teacher') return null
  if (!studentsMayChat) return 'The chat is read-only for students in this school'
  if (muted) return 'The teacher has muted you in the chat'
  return null
}

/** Collapses runs of blank lines and trims; the UI renders the result as plain text. */
export function normaliseBody(body: string) {
  return body.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim()
}
