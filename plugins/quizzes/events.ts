/* The quizzes plugin's views, its additions to the typed realtime event map and its event-bus signals. */
import type { Question, QuestionInput, QuestionOption, QuestionType } from './shared/questions.js'

/** A launched question as every participant sees it (never the correct answer before the reveal). */
export interface RunView {
  id: number
  quizId: number | null
  quizTitle: string | null
  /** 0-based position in the quiz, and the quiz's length (prepared quizzes only). */
  position: number | null
  questionCount: number | null
  type: QuestionType
  prompt: string
  options: QuestionOption[]
  anonymous: boolean
  hasCorrectAnswer: boolean
  timeLimitSeconds: number | null
  status: 'open' | 'closed'
  openedAt: string
  closesAt: string | null
  closedAt: string | null
  revealed: boolean
}

/** The teacher's view adds the answer key. */
export interface TeacherRunView extends RunView {
  correct: string[]
  accepted: string[]
}

export interface OptionCount {
  id: string
  label: string
  count: number
  correct: boolean
}

/** Short answers with the same normalised text, grouped. */
export interface AnswerGroup {
  key: string
  text: string
  count: number
  correct: boolean | null
  /** Who wrote it (named questions, teacher's view only). */
  names: string[]
}

export interface ResponseView {
  userId: number
  fullName: string
  answer: string
  correct: boolean | null
  responseMs: number | null
}

/** The live tally a teacher sees. `revision` only grows: keep the tally with the highest one. */
export interface Tally {
  runId: number
  revision: number
  total: number
  correctCount: number
  options: OptionCount[]
  groups: AnswerGroup[]
  /** null for anonymous polls: the teacher sees counts, never names. */
  responses: ResponseView[] | null
  averageResponseMs: number | null
}

/** What students see once results are revealed. */
export interface RevealedResults {
  runId: number
  prompt: string
  type: QuestionType
  total: number
  correctCount: number
  hasCorrectAnswer: boolean
  options: OptionCount[]
  groups: { text: string; count: number; correct: boolean | null }[]
  accepted: string[]
}

export interface MyAnswer {
  runId: number
  optionIds: string[]
  text: string | null
  /** Only once the results are revealed. */
  correct: boolean | null
}

export interface QuizSummary {
  id: number
  courseId: number
  title: string
  questions: Question[]
  updatedAt: string
}

export interface LaunchPayload {
  quizId?: number
  questionIndex?: number
  question?: QuestionInput
  anonymous?: boolean
  timeLimitSeconds?: number | null
}

export interface QuizState {
  run: RunView | TeacherRunView | null
  /** Teachers only. */
  tally: Tally | null
  myAnswer: MyAnswer | null
  results: RevealedResults | null
  serverNow: string
}

declare module '#app/realtime/events' {
  interface ClientEvents {
    'quizzes:state': { payload: Record<string, never>; result: QuizState }
    'quizzes:library': { payload: Record<string, never>; result: { quizzes: QuizSummary[] } }
    'quizzes:launch': { payload: LaunchPayload; result: { run: TeacherRunView; tally: Tally } }
    'quizzes:answer': {
      payload: { runId: number; optionIds?: string[]; text?: string }
      result: { replaced: boolean; responseMs: number }
    }
    'quizzes:close': { payload: { runId: number }; result: { run: TeacherRunView } }
    'quizzes:reveal': { payload: { runId: number }; result: { results: RevealedResults } }
    'quizzes:mark': { payload: { runId: number; key: string; correct: boolean }; result: { tally: Tally } }
  }
  interface ServerEvents {
    'quizzes:launched': { run: RunView; serverNow: string }
    'quizzes:tally': { tally: Tally }
    'quizzes:closed': { runId: number; closedAt: string }
    'quizzes:revealed': { results: RevealedResults }
  }
}

/** Signals on the host event bus, for the engagement plugin and others. */
export interface QuizSignalBase {
  sessionId: number
  schoolId: number
  courseId: number
  runId: number
  questionType: QuestionType
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'quizzes:launched': QuizSignalBase & { quizId: number | null; anonymous: boolean; launchedBy: number }
    /** An accepted answer. userId is null for anonymous polls; replaced: a change of an earlier answer. */
    'quizzes:answered': QuizSignalBase & {
      userId: number | null
      responseMs: number
      correct: boolean | null
      replaced: boolean
    }
    /** The teacher marked short answers; correctness of these answers changed. */
    'quizzes:graded': QuizSignalBase & { changes: { userId: number | null; correct: boolean | null }[] }
    'quizzes:closed': QuizSignalBase & { answers: number; correct: number }
  }
}
