import { onBeforeUnmount, ref } from 'vue'

/**
 * A ticking clock aligned with the server's (the server decides when time is up;
 * this only keeps the countdown honest when the device clock is off).
 */
export function useServerClock() {
  let offset = 0
  const now = ref(Date.now())
  const timer = setInterval(() => (now.value = Date.now() + offset), 250)
  onBeforeUnmount(() => clearInterval(timer))
  return {
    now,
    sync(serverNowIso: string) {
      offset = Date.parse(serverNowIso) - Date.now()
      now.value = Date.now() + offset
    },
    remainingMs(closesAt: string | null) {
      return closesAt === null ? null : Math.max(0, Date.parse(closesAt) - now.value)
    },
  }
}
