/*
| Inbound JSON is refused when it names a prototype key (`__proto__`, `constructor`,
| `prototype`) at any depth or nests deeper than MAX_PAYLOAD_DEPTH: such keys are how a
| later deep merge (Lucid's $hydrateOriginals uses lodash.merge) reaches Object.prototype.
| The walk is iterative so that a 10,000-deep payload costs nothing and throws nothing.
*/
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])
export const MAX_PAYLOAD_DEPTH = 64

export type PayloadProblem = { kind: 'prototype_key'; key: string } | { kind: 'too_deep'; maxDepth: number }

export function findPayloadProblem(value: unknown, maxDepth = MAX_PAYLOAD_DEPTH): PayloadProblem | null {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (current === null || typeof current !== 'object') continue
    if (depth >= maxDepth) return { kind: 'too_deep', maxDepth }
    if (Array.isArray(current)) {
      for (const item of current) stack.push([item, depth + 1])
      continue
    }
    for (const key of Object.keys(current)) {
      if (PROTOTYPE_KEYS.has(key)) return { kind: 'prototype_key', key }
      stack.push([(current as Record<string, unknown>)[key], depth + 1])
    }
  }
  return null
}

export function describePayloadProblem(problem: PayloadProblem) {
  return problem.kind === 'prototype_key'
    ? `The key "${problem.key}" is not allowed`
    : `The payload nests deeper than ${problem.maxDepth} levels`
}

/** JSON.parse for stored JSON: prototype keys are dropped, so the value is safe to merge or spread. */
export function parseStoredJson<T>(text: string): T {
  return JSON.parse(text, (key, value) => (PROTOTYPE_KEYS.has(key) ? undefined : value)) as T
}
