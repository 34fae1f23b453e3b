import { setting } from '#app/plugins/api'

export const breakoutSettings = {
  maxRooms: setting.number({ label: 'Most rooms per class', default: 10, min: 2, max: 50, integer: true }),
  defaultDurationMinutes: setting.number({
    label: 'Default duration',
    default: 15,
    min: 1,
    max: 240,
    integer: true,
    unit: 'minutes',
  }),
  allowSelfChoose: setting.boolean({ label: 'Students may choose their room', default: true }),
  copyMainWhiteboard: setting.boolean({
    label: 'Start each room’s whiteboard with a copy of the current main page',
    default: true,
  }),
}
