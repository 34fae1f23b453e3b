import { ref, watch } from 'vue'
import type { ClassroomContext } from '~/classroom/context'

/** Messages from others that arrived while the chat tab was not on screen. */
export function chatUnread(classroom: ClassroomContext) {
  const unread = ref(0)
  const visible = () => classroom.state.panel === 'chat:panel'
  classroom.on('chat:message', ({ message }) => {
    if (!visible() && message.userId !== classroom.state.you?.userId) unread.value++
  })
  watch(visible, (now) => {
    if (now) unread.value = 0
  })
  return unread
}
