export type Role = 'admin' | 'teacher' | 'student' | 'parent'

export interface SharedProps {
  user: { id: number; fullName: string; email: string; role: Role; schoolId: number; locale: string | null } | null
  flash: { success: string | null; error: string | null }
  errors: Record<string, string | string[]>
}

export interface ClassSummary {
  id: number
  title: string
  status: 'scheduled' | 'live' | 'ended'
  courseId: number
  courseName: string | null
  teacherId: number
  teacherName: string | null
  scheduledAt: string | null
  durationMinutes: number
  startedAt: string | null
  endedAt: string | null
}

export interface ClassesByStatus {
  live: ClassSummary[]
  upcoming: ClassSummary[]
  past: ClassSummary[]
}

/** The UI's language (set on <html lang> by setLocale in i18n.ts), for dates and numbers. */
export function uiLocale() {
  return (typeof document !== 'undefined' && document.documentElement.lang) || undefined
}

export function formatWhen(iso: string | null) {
  if (!iso) return ''
  return new Date(iso).toLocaleString(uiLocale(), { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
}
