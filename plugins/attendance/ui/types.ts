/* Shapes of the plugin's JSON views (controllers/attendance_controller.ts). */
export interface RecordItem {
  sessionId: number
  courseId: number
  title: string
  endedAt: string
  userId: number
  fullName: string
  status: string
  computedStatus: string
  presentMinutes: number
  activeMinutes: number
  classMinutes: number
  override: { reason: string | null; by: string | null; at: string } | null
}
export interface PeriodInfo {
  kind: 'weekly' | 'monthly'
  key: string
  label: string
}
export interface StudentData {
  student: { id: number; fullName: string }
  period: PeriodInfo
  rate: number | null
  threshold: number
  /** Classes the student is in right now. */
  live?: { courseId: number; name: string; state: 'here' | 'away' }[]
  courses: { id: number; name: string; rate: number | null; records: RecordItem[]; missed: RecordItem[] }[]
}
export interface CourseData {
  course: { id: number; name: string }
  period: PeriodInfo
  rate: number | null
  students: { userId: number; fullName: string; rate: number | null; classes: number; missed: number }[]
  classes: { sessionId: number; title: string; endedAt: string; rate: number | null }[]
}
export interface ClassData {
  class: { id: number; title: string; courseId: number; startedAt: string | null; endedAt: string | null; finalized: boolean }
  rate: number | null
  records: RecordItem[]
  canOverride: boolean
}
