import { setting } from '#app/plugins/api'

export const videoSettings = {
  studentsMayShareScreen: setting.boolean({ label: 'Students may share their screen', default: false }),
  studentsJoinMuted: setting.boolean({ label: 'Students join with the microphone muted', default: true }),
  maxVideoTiles: setting.number({ label: 'Most video tiles shown at once', default: 25, min: 4, max: 49, integer: true }),
}
