/*
| Engagement rules (pure, unit-tested; documented in docs/engagement.md).
| Each signal is normalised to 0–1 by an absolute rule, the score is the weighted sum × 100 over
| the signals that were measured; an unmeasured signal (source plugin off, or no data yet) is
| left out and the remaining weights are scaled up to 100 %.
*/
export const SIGNALS = ['camera', 'quiz', 'chat', 'whiteboard', 'attendance'] as const
export type Signal = (typeof SIGNALS)[number]
export type Weights = Record<Signal, number>

export const DEFAULT_WEIGHTS: Weights = { camera: 20, quiz: 20, chat: 20, whiteboard: 20, attendance: 20 }
/** Messages in one class that count as full chat participation. */
export const CHAT_CAP = 5
/** Distinct whiteboard element edits in one class that count as full interaction. */
export const WHITEBOARD_CAP = 20
/** A correct-time answer slower than the class median still earns at least this much. */
export const QUIZ_ANSWERED_FLOOR = 0.5

/** What the score of one student in one class is made from (merged over processes). */
export interface StudentRaw {
  cameraOnMs: number
  /** Time present in the class: the attendance plugin's figure, else live presence. */
  presentMs: number
  /** questionKey -> server-measured response time of the student's first answer. */
  answers: Record<string, number>
  chatMessages: number
  whiteboardEdits: number
  attendance: { activeMs: number; classMs: number; status: string } | null
}

/** The class-wide quiz facts: questions counted (answered by this student or closed) and the class's answer times. */
export interface ClassQuiz {
  closed: string[]
  /** questionKey -> every student's response time. */
  times: Record<string, number[]>
}

export type NotMeasured = 'disabled' | 'no_data'

export interface SignalPart {
  signal: Signal
  /** 0–1, or null when not measured. */
  value: number | null
  notMeasured: NotMeasured | null
  /** The admin's weight (0–100) and the weight it carried in this score after renormalisation. */
  weight: number
  effectiveWeight: number
  /** The raw figures the value came from, for the explanation. */
  detail: Record<string, number | string>
}

export interface Score {
  /** 0–100 rounded to one decimal, or null when no signal was measured. */
  score: number | null
  parts: SignalPart[]
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0)

export function median(values: number[]) {
  if (!values.length) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Camera: share of the present time the camera was on. Not present at all → 0. */
export const cameraValue = (raw: StudentRaw) => (raw.presentMs > 0 ? clamp01(raw.cameraOnMs / raw.presentMs) : 0)

/** Chat: messages / CHAT_CAP, capped at 1. */
export const chatValue = (raw: StudentRaw) => clamp01(raw.chatMessages / CHAT_CAP)

/** Whiteboard: edited elements / WHITEBOARD_CAP, capped at 1. */
export const whiteboardValue = (raw: StudentRaw) => clamp01(raw.whiteboardEdits / WHITEBOARD_CAP)

/** Attendance: active share of the class (the attendance plugin's figures). */
export const attendanceValue = (att: NonNullable<StudentRaw['attendance']>) => (att.classMs > 0 ? clamp01(att.activeMs / att.classMs) : 0)

/**
 * One question: unanswered 0; answered at or faster than the class's median time 1; slower
 * answers median/time, never below QUIZ_ANSWERED_FLOOR (answering always counts).
 */
export function questionValue(responseMs: number | undefined, classTimes: number[]) {
  return valueAgainstMedian(responseMs, classTimes.length ? median(classTimes) : null)
}

/** questionValue with the class median already known (null: nobody's time is known, the answer is its own median). */
function valueAgainstMedian(responseMs: number | undefined, classMedian: number | null) {
  if (responseMs === undefined) return 0
  const m = classMedian ?? responseMs
  if (responseMs <= m || responseMs <= 0) return 1
  return Math.max(QUIZ_ANSWERED_FLOOR, m / responseMs)
}

/*
| Each question's class median, computed once per ClassQuiz: a class scores every student against the
| same quiz, and sorting the class's times again for every student made a tick quadratic in class size
| (a class of 300 with 8 questions took ~100 ms per tick; bench/engagement). A ClassQuiz is not changed
| once scoring started (mergeClassQuiz builds a new one for every tick).
*/
const medians = new WeakMap<ClassQuiz, Map<string, number | null>>()
function classMedian(quiz: ClassQuiz, key: string) {
  let known = medians.get(quiz)
  if (!known) medians.set(quiz, (known = new Map()))
  if (!known.has(key)) {
    const times = quiz.times[key] ?? []
    known.set(key, times.length ? median(times) : null)
  }
  return known.get(key)!
}

/** Quiz: the mean over the questions that count for the student (answered, or closed); null when none. */
export function quizValue(raw: StudentRaw, quiz: ClassQuiz): { value: number | null; counted: number; answered: number } {
  const keys = new Set([...quiz.closed, ...Object.keys(raw.answers)])
  if (!keys.size) return { value: null, counted: 0, answered: 0 }
  let sum = 0
  for (const key of keys) sum += valueAgainstMedian(raw.answers[key], classMedian(quiz, key))
  return { value: sum / keys.size, counted: keys.size, answered: Object.keys(raw.answers).length }
}

/** True when weights are five integers 0–100 that sum to 100. */
export function validWeights(w: unknown): w is Weights {
  if (!w || typeof w !== 'object') return false
  let sum = 0
  for (const s of SIGNALS) {
    const v = (w as any)[s]
    if (!Number.isInteger(v) || v < 0 || v > 100) return false
    sum += v
  }
  return sum === 100
}

/**
 * The weighted score. `enabled` says which sources are switched on for the school; a signal
 * without data (no question in the class, attendance not yet published) is not measured either.
 */
export function scoreOf(raw: StudentRaw, quiz: ClassQuiz, weights: Weights, enabled: Record<Signal, boolean>): Score {
  const q = quizValue(raw, quiz)
  const values: Record<Signal, { value: number | null; detail: SignalPart['detail'] }> = {
    camera: { value: cameraValue(raw), detail: { cameraOnMs: Math.round(raw.cameraOnMs), presentMs: Math.round(raw.presentMs) } },
    quiz: { value: q.value, detail: { questions: q.counted, answered: q.answered } },
    chat: { value: chatValue(raw), detail: { messages: raw.chatMessages, cap: CHAT_CAP } },
    whiteboard: { value: whiteboardValue(raw), detail: { edits: raw.whiteboardEdits, cap: WHITEBOARD_CAP } },
    attendance: raw.attendance
      ? { value: attendanceValue(raw.attendance), detail: { ...raw.attendance } }
      : { value: null, detail: {} },
  }
  // Attendance is one verdict published at class end: once it arrived it counts, even from a source
  // the host does not list as enabled (a plugin switched off since, or installed after this class).
  const on = (signal: Signal) => enabled[signal] || (signal === 'attendance' && raw.attendance !== null)
  const parts: SignalPart[] = SIGNALS.map((signal) => {
    const notMeasured: NotMeasured | null = !on(signal) ? 'disabled' : values[signal].value === null ? 'no_data' : null
    return {
      signal,
      value: notMeasured ? null : values[signal].value,
      notMeasured,
      weight: weights[signal],
      effectiveWeight: 0,
      detail: notMeasured === 'disabled' ? {} : values[signal].detail,
    }
  })
  const measuredWeight = parts.reduce((sum, p) => sum + (p.value === null ? 0 : p.weight), 0)
  if (measuredWeight === 0) return { score: null, parts }
  let total = 0
  for (const p of parts) {
    if (p.value === null) continue
    p.effectiveWeight = Math.round((p.weight / measuredWeight) * 1000) / 10
    total += (p.weight / measuredWeight) * p.value
  }
  return { score: Math.round(total * 1000) / 10, parts }
}
