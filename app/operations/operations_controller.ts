import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { readiness } from '#app/operations/health'

export default class OperationsController {
  /** Liveness: the process answers HTTP. */
  live() {
    return { ok: true }
  }

  /** Readiness: 200 when database, Redis (if configured) and at least one sidecar are reachable, else 503. */
  async ready({ response }: HttpContext) {
    const result = await readiness()
    response.header('cache-control', 'no-store')
    return response.status(result.ready ? 200 : 503).json(result)
  }

  /** Prometheus exposition; only for METRICS_ALLOWED_NETWORKS (after TRUSTED_PROXIES) or the METRICS_TOKEN bearer. */
  async metrics({ request, response }: HttpContext) {
    const access = await app.container.make('metrics.access')
    if (!access.allows(request.ip(), request.header('authorization'))) {
      return response.status(403).send('Forbidden\n')
    }
    const metrics = await app.container.make('metrics')
    response.header('content-type', metrics.contentType)
    response.header('cache-control', 'no-store')
    return response.send(await metrics.render())
  }
}
