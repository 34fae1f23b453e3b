import app from '@adonisjs/core/services/app'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'

const SERVER_ERROR = 'The server could not handle this request'
/**
 * The policy of an error response that never reached the router middleware (shield sets the strict
 * one, see app/core/content_security_policy.ts): such a page loads and runs nothing.
 */
const ERROR_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/**
 * Renders an error page with Inertia when the request got that far; a 404 for a path no route
 * matches never ran the router middleware (no Inertia there), so it gets a small plain page.
 */
const page =
  (component: string, status: number, generic?: string): StatusPageRenderer =>
  (error, ctx) => {
    const message = generic ?? error.message
    if (ctx.inertia) return ctx.inertia.render(component, { error: message })
    ctx.response.status(status).type('text/html').send(`<!doctype html><title>${status}</title><p>${status}</p>`)
  }

export default class HttpExceptionHandler extends ExceptionHandler {
  /* Stack frames and paths only in development (NODE_ENV=development), never in production or tests. */
  protected debug = app.inDev
  protected renderStatusPages = app.inProduction

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': page('errors/forbidden', 403),
    '404': page('errors/not_found', 404),
    '500..599': page('errors/server_error', 500, SERVER_ERROR),
  }

  async handle(error: unknown, ctx: HttpContext) {
    // (Development's debug pages run their own inline scripts, with shield's nonce when it ran.)
    if (!this.debug && !ctx.response.getHeader('content-security-policy')) ctx.response.header('Content-Security-Policy', ERROR_PAGE_CSP)
    // Outside development a server error names nothing of the server (no driver message, no path).
    const status = this.#status(error)
    const wantsJson = ctx.request.accepts(['html', 'json']) === 'json'
    if (!this.debug && status >= 500 && (wantsJson || !this.renderStatusPages)) {
      ctx.response.status(status).send(wantsJson ? { message: SERVER_ERROR } : SERVER_ERROR)
      return
    }
    return super.handle(error, ctx)
  }

  #status(error: unknown) {
    const status = (error as { status?: unknown })?.status
    return typeof status === 'number' ? status : 500
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}
