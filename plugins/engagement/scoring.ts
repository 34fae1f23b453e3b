import { ACTIVITY_SIGNAL_SOURCES } from '#app/plugins/api'
import type { PluginHost } from '#app/plugins/api'
import { mergeClassQuiz, mergeStudent, type ClassContribution, type Contribution } from './aggregate.js'
import { SIGNALS, scoreOf, type Score, type Signal, type Weights } from './rules.js'

/** All contributions of one class, grouped: user 0 is the class-wide quiz facts. */
export interface ClassContributions {
  classParts: ClassContribution[]
  students: Map<number, Contribution[]>
}

export function groupContributions(rows: { userId: number; data: unknown }[]): ClassContributions {
  const result: ClassContributions = { classParts: [], students: new Map() }
  for (const row of rows) {
    if (row.userId === 0) result.classParts.push(row.data as ClassContribution)
    else {
      const list = result.students.get(row.userId) ?? []
      list.push(row.data as Contribution)
      result.students.set(row.userId, list)
    }
  }
  return result
}

/** Which of the five sources are switched on for the school (by plugin id, never an import). */
export async function enabledSources(host: Pick<PluginHost, 'plugins'>, schoolId: number): Promise<Record<Signal, boolean>> {
  const flags = await Promise.all(SIGNALS.map((s) => host.plugins.isEnabled(schoolId, ACTIVITY_SIGNAL_SOURCES[s])))
  return Object.fromEntries(SIGNALS.map((s, i) => [s, flags[i]])) as Record<Signal, boolean>
}

/**
 * Scores of every student of a class. `studentIds` adds enrolled students without any signal
 * (they score 0 on what was measured); open intervals (camera on, present) run until `until`.
 */
export function scoreClass(
  contributions: ClassContributions,
  studentIds: number[],
  until: number,
  weights: Weights,
  enabled: Record<Signal, boolean>
): Map<number, Score> {
  const ids = new Set([...studentIds, ...contributions.students.keys()])
  const raws = new Map([...ids].map((id) => [id, mergeStudent(contributions.students.get(id) ?? [], until)]))
  const quiz = mergeClassQuiz(contributions.classParts, [...raws.values()])
  return new Map([...raws].map(([id, raw]) => [id, scoreOf(raw, quiz, weights, enabled)]))
}
