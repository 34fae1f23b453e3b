import type { RpcErrorCode } from '#app/media/rpc/contract'

export class RpcError extends Error {
  constructor(
    public code: RpcErrorCode,
    message: string
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** The sidecar did not answer in time (it may be overloaded, paused or partitioned). */
export class RpcTimeoutError extends RpcError {
  constructor(method: string, ms: number) {
    super('timeout', `Media RPC "${method}" did not answer within ${ms} ms`)
  }
}

/** The sidecar answered with an error; `code` says which kind. */
export class RpcRemoteError extends RpcError {
  constructor(
    code: RpcErrorCode,
    message: string,
    public method: string
  ) {
    super(code, message)
  }
}

/** The sidecar refused our shared secret (MEDIA_RPC_SECRET differs between web and sidecar). */
export class RpcAuthError extends RpcError {
  constructor(url: string, reason: string) {
    super('unauthenticated', `Media sidecar ${url} refused the connection: ${reason}`)
  }
}

/** No connection to the sidecar right now (calls fail fast instead of queueing). */
export class RpcDisconnectedError extends RpcError {
  constructor(message: string) {
    super('disconnected', message)
  }
}
