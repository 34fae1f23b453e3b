import { onBeforeUnmount, onMounted, ref } from 'vue'
import { Transmit } from '@adonisjs/transmit-client'

/** Subscribes to the user's server-sent notifications (Transmit) while the component lives. */
export function useNotifications(userId: number, onNotice: (notice: Record<string, unknown>) => void) {
  let transmit: Transmit | null = null
  const listening = ref(false)
  onMounted(async () => {
    transmit = new Transmit({ baseUrl: window.location.origin })
    const subscription = transmit.subscription(`users/${userId}/notifications`)
    await subscription.create()
    subscription.onMessage((notice: Record<string, unknown>) => onNotice(notice))
    listening.value = true
  })
  onBeforeUnmount(() => transmit?.close())
  return { listening }
}
