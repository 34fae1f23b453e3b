import type { RealtimeErrorBody, RealtimeErrorCode } from '#app/realtime/events'

/** Thrown by realtime handlers; becomes an error acknowledgement to the sender. */
export class RealtimeError extends Error {
  constructor(
    public code: RealtimeErrorCode,
    message: string,
    public details?: unknown
  ) {
    super(message)
  }

  toBody(): RealtimeErrorBody {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) }
  }
}
