/* The chat plugin's additions to the typed realtime event map. */
export interface ChatMessageView {
  id: number
  userId: number
  authorName: string
  authorRole: 'teacher' | 'student'
  body: string
  room: string
  at: string
}

declare module '#app/realtime/events' {
  interface ClientEvents {
    'chat:history': { payload: Record<string, never>; result: { messages: ChatMessageView[]; mutedUserIds: number[] } }
    'chat:send': { payload: { body: string }; result: { message: ChatMessageView } }
    'chat:delete': { payload: { messageId: number }; result: null }
    'chat:mute': { payload: { userId: number; muted: boolean }; result: null }
  }
  interface ServerEvents {
    'chat:message': { message: ChatMessageView }
    'chat:deleted': { messageId: number }
    'chat:muted': { userId: number; muted: boolean }
  }
}
