import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { describePayloadProblem, findPayloadProblem } from '#app/core/payload_guard'

/** The body parser already drops such keys silently; a JSON body that names them is refused instead. */
function rawJsonProblem(raw: string | null) {
  if (!raw || !/__proto__|constructor|prototype|[[{]{64}/.test(raw)) return null
  try {
    return findPayloadProblem(JSON.parse(raw))
  } catch {
    return null
  }
}

/**
 * Refuses HTTP bodies and query strings that carry `__proto__`, `constructor` or `prototype`
 * keys at any depth, or nest deeper than 64 levels, before any controller sees them.
 */
export default class PayloadGuardMiddleware {
  async handle({ request, response }: HttpContext, next: NextFn) {
    const problem = findPayloadProblem(request.body()) ?? findPayloadProblem(request.qs()) ?? rawJsonProblem(request.raw())
    if (problem) {
      return response.status(400).send({ errors: [{ message: describePayloadProblem(problem), rule: 'payload' }] })
    }
    return next()
  }
}
