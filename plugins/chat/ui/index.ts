import { defineUiPlugin } from '~/plugins/registry'
import ChatPanel from './ChatPanel.vue'

export default defineUiPlugin({
  id: 'chat',
  slots: {
    'classroom.panel': [{ key: 'chat:panel', title: 'Chat', component: ChatPanel, order: 10 }],
  },
})
