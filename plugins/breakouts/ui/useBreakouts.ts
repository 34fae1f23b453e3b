import { computed, onBeforeUnmount, ref, watch } from 'vue'
import { useClassroom } from '~/classroom/context'
import type { BreakoutRoundView } from '../events'

/** The current breakout round, kept in sync with the server, and a ticking clock. */
export function useBreakouts() {
  const classroom = useClassroom()
  const round = ref<BreakoutRoundView | null>(null)
  const now = ref(Date.now())
  const tick = setInterval(() => (now.value = Date.now()), 1000)
  onBeforeUnmount(() => clearInterval(tick))

  classroom.onJoined(async () => {
    round.value = (await classroom.request('breakouts:state', {})).round
  })
  classroom.on('breakouts:updated', (payload) => (round.value = payload.round))
  /* Publish the rooms' names for the rest of the classroom (people list, whiteboard), kept after the round closes. */
  watch(round, (current) => {
    if (!current) return
    const names = Object.fromEntries(current.rooms.map((r) => [r.key, r.name]))
    classroom.state.roomNames = { ...classroom.state.roomNames, ...names }
  })

  const remainingMs = computed(() => (round.value ? Math.max(0, Date.parse(round.value.endsAt) - now.value) : 0))
  const remainingLabel = computed(() => {
    const total = Math.ceil(remainingMs.value / 1000)
    return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`
  })
  const myRoom = computed(() => round.value?.rooms.find((r) => r.key === classroom.state.you?.room) ?? null)
  return { classroom, round, remainingMs, remainingLabel, myRoom }
}
