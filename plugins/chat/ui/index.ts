import { defineUiPlugin } from '~/plugins/registry'
import ChatPanel from './ChatPanel.vue'
import { chatUnread } from './unread'

export default defineUiPlugin({
  id: 'chat',
  slots: {
    'classroom.panel': [{ key: 'chat:panel', title: 'Chat', titleKey: 'chat.tab', component: ChatPanel, order: 10, badge: chatUnread }],
  },
})
