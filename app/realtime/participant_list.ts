/*
| The participant list of a class, kept the same way by the server (participantsOf), the classroom page
| and the tests: the full list comes once, in the session:join snapshot; after that each client applies
| the deltas (presence:joined, presence:left, presence:updated) and, after bulk changes (moves between
| rooms, all hands lowered), the full list of presence:participants. No server import: the Vue client
| imports this file.
*/
import type { Participant, ServerEvents } from './events.js'

/** Teacher first, then by name. */
export function compareParticipants(a: Participant, b: Participant) {
  return a.role === b.role ? a.fullName.localeCompare(b.fullName) : a.role === 'teacher' ? -1 : 1
}

export type PresenceChange =
  | { event: 'presence:joined'; payload: ServerEvents['presence:joined'] }
  | { event: 'presence:updated'; payload: ServerEvents['presence:updated'] }
  | { event: 'presence:left'; payload: ServerEvents['presence:left'] }
  | { event: 'presence:participants'; payload: ServerEvents['presence:participants'] }

export const PRESENCE_EVENTS = ['presence:joined', 'presence:updated', 'presence:left', 'presence:participants'] as const

/** The list after one change (a new array; the input is not modified). Joined and updated both insert or replace. */
export function applyPresence(list: Participant[], change: PresenceChange): Participant[] {
  switch (change.event) {
    case 'presence:participants':
      return change.payload.participants
    case 'presence:left':
      return list.filter((p) => p.userId !== change.payload.userId)
    case 'presence:joined':
    case 'presence:updated': {
      const { participant } = change.payload
      return [...list.filter((p) => p.userId !== participant.userId), participant].sort(compareParticipants)
    }
  }
}

/**
 * A client's list across joins: changes that arrive while a session:join is in flight are kept and
 * replayed on top of its snapshot (the snapshot may have been read before them, its answer arrive after).
 */
export class ParticipantList {
  #list: Participant[] = []
  #pending: PresenceChange[] | null = null

  constructor(private onChange: (list: Participant[]) => void = () => {}) {}

  get current() {
    return this.#list
  }

  /** Call when sending session:join. */
  joining() {
    this.#pending = []
  }

  /** Call with the session:join answer. */
  joined(participants: Participant[]) {
    let list = participants
    for (const change of this.#pending ?? []) list = applyPresence(list, change)
    this.#pending = null
    this.#set(list)
  }

  /** Call when session:join was refused or never answered. */
  joinFailed() {
    this.#pending = null
  }

  apply(change: PresenceChange) {
    if (this.#pending) this.#pending.push(change)
    this.#set(applyPresence(this.#list, change))
  }

  #set(list: Participant[]) {
    this.#list = list
    this.onChange(list)
  }
}
