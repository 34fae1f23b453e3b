import { setting } from '#app/plugins/api'

export const recordingSettings = {
  resolution: setting.choice({
    label: 'Recording resolution',
    help: '1080p costs the media server about twice the CPU of 720p',
    default: '720p',
    choices: [
      { value: '720p', label: '720p (1280 × 720)' },
      { value: '1080p', label: '1080p (1920 × 1080)' },
    ],
  }),
  parentsMayWatch: setting.boolean({ label: 'Parents may watch their children’s class recordings', default: false }),
  retentionDays: setting.number({
    label: 'Keep recordings for',
    help: '0 keeps them until an admin deletes them',
    default: 365,
    min: 0,
    max: 3650,
    integer: true,
    unit: 'days',
  }),
}
