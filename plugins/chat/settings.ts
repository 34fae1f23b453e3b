import { setting } from '#app/plugins/api'

export const chatSettings = {
  studentsMayChat: setting.boolean({ label: 'Students may write in the chat', default: true }),
  maxMessageLength: setting.number({
    label: 'Longest message',
    help: 'Characters per message',
    default: 500,
    min: 20,
    max: 2000,
    integer: true,
    unit: 'characters',
  }),
  messagesPerMinute: setting.number({
    label: 'Messages per student per minute',
    default: 12,
    min: 1,
    max: 120,
    integer: true,
  }),
}
