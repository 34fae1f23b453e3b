/* The breakouts plugin's additions to the typed realtime event map and the event bus. */
export interface BreakoutRoomView {
  key: string
  name: string
  members: { userId: number; fullName: string; role: 'teacher' | 'student' }[]
}

export interface BreakoutRoundView {
  id: number
  strategy: 'random' | 'groups' | 'manual' | 'self'
  endsAt: string
  rooms: BreakoutRoomView[]
  capacity: number | null
}

export type OpenStrategy = 'random' | 'groups' | 'manual' | 'self'

declare module '#app/realtime/events' {
  interface ClientEvents {
    'breakouts:state': { payload: Record<string, never>; result: { round: BreakoutRoundView | null } }
    'breakouts:open': {
      payload: {
        strategy: OpenStrategy
        roomCount?: number
        studentsPerRoom?: number
        durationMinutes?: number
        manual?: { userId: number; room: number }[]
        names?: string[]
      }
      result: { round: BreakoutRoundView }
    }
    'breakouts:move': { payload: { userId: number; roomKey: string }; result: null }
    'breakouts:rename': { payload: { roomKey: string; name: string }; result: null }
    'breakouts:choose': { payload: { roomKey: string }; result: null }
    'breakouts:hop': { payload: { roomKey: string }; result: null }
    'breakouts:broadcast': { payload: { text: string }; result: null }
    'breakouts:extend': { payload: { minutes: number }; result: { endsAt: string } }
    'breakouts:close_room': { payload: { roomKey: string }; result: null }
    'breakouts:close': { payload: Record<string, never>; result: null }
  }
  interface ServerEvents {
    'breakouts:updated': { round: BreakoutRoundView | null }
    'breakouts:broadcast': { text: string; from: string; at: string }
  }
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'breakouts:opened': { sessionId: number; schoolId: number; roundId: number; rooms: { key: string; name: string }[]; copyMainWhiteboard: boolean }
    'breakouts:closed': { sessionId: number; schoolId: number; roundId: number; rooms: { key: string; name: string }[] }
  }
}
