import { usePage } from '@inertiajs/vue3'
import { useNotifications } from '~/lib/notifications'
import type { SharedProps } from '~/lib/types'

/*
| Reloads a card when the server pushes an attendance change it concerns (host.notify, see
| plugins/attendance/push.ts): one reload at a time, and one more if changes arrived meanwhile.
*/
export function useAttendancePush(concerns: (notice: { courseId?: number; studentIds?: number[] }) => boolean, reload: () => Promise<void>) {
  const user = usePage<SharedProps>().props.user
  let running: Promise<void> | null = null
  let again = false
  const run = async () => {
    if (running) return void (again = true)
    running = reload()
    await running
    running = null
    if (again) {
      again = false
      await run()
    }
  }
  return useNotifications(user?.id ?? 0, (notice) => {
    if (notice.type === 'attendance.changed' && concerns(notice as never)) void run()
  })
}
