import { onBeforeUnmount, onMounted, ref } from 'vue'
import { Transmit } from '@adonisjs/transmit-client'

/*
| The user's server-sent notifications (Transmit, channel `users/<id>/notifications`): the core's
| (`class.live`) and plugins' (`<plugin>.<type>`, see host.notify). One connection per page, shared
| by every component that listens, closed when the last one unmounts.
*/
let shared: { transmit: Transmit; users: number } | null = null

export function useNotifications(userId: number, onNotice: (notice: Record<string, unknown>) => void) {
  const listening = ref(false)
  let stop: (() => void) | null = null
  let unmounted = false
  onMounted(async () => {
    shared ??= { transmit: new Transmit({ baseUrl: window.location.origin }), users: 0 }
    shared.users++
    const subscription = shared.transmit.subscription(`users/${userId}/notifications`)
    stop = subscription.onMessage((notice: Record<string, unknown>) => onNotice(notice))
    await subscription.create()
    if (!unmounted) listening.value = subscription.isCreated
  })
  onBeforeUnmount(() => {
    unmounted = true
    stop?.()
    if (shared && --shared.users === 0) {
      shared.transmit.close()
      shared = null
    }
  })
  return { listening }
}
