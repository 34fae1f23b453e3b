import { definePlugin } from '#app/plugins/api'
import { chatSettings } from './settings.js'
import { registerChatHandlers } from './realtime.js'

export default definePlugin({
  manifest: {
    id: 'chat',
    name: 'Chat',
    description: 'Class chat with moderation: teachers delete messages and mute students.',
    version: '1.0.0',
    settings: chatSettings,
    permissions: ['realtime:session', 'db:own-tables', 'events:lifecycle', 'ui:classroom'],
  },
  setup(host) {
    registerChatHandlers(host)
  },
})
