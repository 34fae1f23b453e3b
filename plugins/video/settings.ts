import { setting } from '#app/plugins/api'

export const videoSettings = {
  studentsMayShareScreen: setting.boolean({ label: 'Students may share their screen', default: false }),
  studentsJoinMuted: setting.boolean({ label: 'Students join with the microphone muted', default: true }),
  strongNoiseSuppression: setting.boolean({
    label: 'Stronger noise suppression for students’ microphones (RNNoise, runs in the browser)',
    default: false,
  }),
  maxVideoTiles: setting.number({ label: 'Most video tiles shown at once', default: 25, min: 4, max: 49, integer: true }),
  /* HLS fallback for large lectures (issue 14, docs/media.md#hls-fallback). */
  hlsCpuPercent: setting.number({
    label: 'HLS for new viewers when the media worker’s CPU is at or above (%)',
    default: 70,
    min: 1,
    max: 100,
    integer: true,
  }),
  hlsCpuSeconds: setting.number({ label: '… for at least (seconds)', default: 30, min: 0, max: 600, integer: true }),
  hlsLeavePercent: setting.number({ label: 'WebRTC again for new viewers once the CPU is below (%)', default: 50, min: 1, max: 100, integer: true }),
  hlsLeaveSeconds: setting.number({ label: '… for at least (seconds)', default: 60, min: 0, max: 600, integer: true }),
  hlsViewerCap: setting.number({
    label: 'HLS for new viewers once a class has this many WebRTC viewers (0 = no limit)',
    default: 0,
    min: 0,
    max: 10000,
    integer: true,
  }),
}
