import type { RpcErrorCode } from '#app/media/rpc/contract'

export class RpcError extends Error {
  constructor(
    public code: RpcErrorCode,
    message: string
  ) {
    super(message)
  }
}

export class RpcTimeoutError extends RpcError {
  constructor(method: string, ms: number) {
    super('timeout', `Media RPC "${method}" did not answer within ${ms} ms`)
  }
}
