import { startSidecarProcess } from '#tests/helpers/sidecar'

/** The media sidecar as the media benches measure it: one mediasoup worker, no test methods. */
export function startBenchSidecar(options: { port: number; secret: string; rtcMinPort: number; rtcMaxPort: number; env?: Record<string, string> }) {
  return startSidecarProcess({
    port: options.port,
    secret: options.secret,
    env: {
      MEDIA_WORKERS: '1',
      MEDIA_RPC_TEST_METHODS: '0',
      MEDIA_LOAD_REPORT_MS: '2000',
      MEDIA_RTC_MIN_PORT: String(options.rtcMinPort),
      MEDIA_RTC_MAX_PORT: String(options.rtcMaxPort),
      ...options.env,
    },
  })
}
