/* The attendance plugin's additions to the typed realtime event map. */
export interface LiveStudent {
  userId: number
  fullName: string
  /** here: connected with the tab visible; away: connected, tab hidden; missing: not connected. */
  state: 'here' | 'away' | 'missing'
}

declare module '#app/realtime/events' {
  interface ClientEvents {
    'attendance:visibility': { payload: { hidden: boolean }; result: { recorded: boolean } }
    'attendance:live': { payload: Record<string, never>; result: { students: LiveStudent[] } }
  }
  interface ServerEvents {
    'attendance:changed': { userId: number; state: LiveStudent['state'] }
  }
}
export {}
