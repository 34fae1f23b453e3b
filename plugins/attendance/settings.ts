import { setting } from '#app/plugins/api'

/** Per-school attendance settings; the admin form under /admin/plugins is generated from this. */
/* The default e-mail texts; while a school keeps them, each recipient gets them in their own language (mail_texts.ts). */
export const DEFAULT_THRESHOLD_SUBJECT = 'Attendance of {student}: {rate}'
export const DEFAULT_THRESHOLD_BODY =
  'Hello {recipient},\n\nthe attendance rate of {student} for {period} is {rate}, below the school’s threshold of {threshold}.\n\nClasses missed:\n{missed}\n\nReport: {link}'

export const attendanceSettings = {
  threshold: setting.number({ label: 'Warning threshold', help: 'Attendance rate below which e-mails are sent', default: 75, min: 0, max: 100, integer: true, unit: '%' }),
  rateBasis: setting.choice({
    label: 'Rate counts',
    default: 'active',
    choices: [
      { value: 'active', label: 'Active minutes (tab visible)' },
      { value: 'present', label: 'Present minutes' },
    ],
  }),
  period: setting.choice({
    label: 'Period',
    default: 'weekly',
    choices: [
      { value: 'weekly', label: 'Weekly' },
      { value: 'monthly', label: 'Monthly' },
    ],
  }),
  weekStart: setting.choice({
    label: 'Weeks start on',
    default: 'monday',
    choices: [
      { value: 'monday', label: 'Monday' },
      { value: 'sunday', label: 'Sunday' },
    ],
  }),
  timezone: setting.text({ label: 'Time zone', help: 'IANA name such as Europe/Berlin, or “school” for the school’s time zone', default: 'school', maxLength: 64 }),
  minClasses: setting.number({ label: 'Classes before a warning', default: 2, min: 1, max: 50, integer: true }),
  notifyStudent: setting.boolean({ label: 'E-mail the student', default: true }),
  notifyParents: setting.boolean({ label: 'E-mail each linked parent', default: true }),
  notifyTeacher: setting.boolean({ label: 'E-mail the course teacher', default: false }),
  subject: setting.text({ label: 'E-mail subject', help: 'Placeholders: {student} {rate} {threshold} {period}', default: DEFAULT_THRESHOLD_SUBJECT, maxLength: 200 }),
  body: setting.text({
    label: 'E-mail text',
    help: 'Placeholders: {recipient} {student} {rate} {threshold} {period} {missed} {link}',
    default: DEFAULT_THRESHOLD_BODY,
    maxLength: 4000,
  }),
  consecutiveAbsences: setting.number({ label: 'Warn after consecutive absences', help: '0 = off', default: 0, min: 0, max: 20, integer: true }),
  lateGraceMinutes: setting.number({ label: 'Late after', help: 'Minutes after the start', default: 5, min: 0, max: 60, integer: true, unit: 'min' }),
  leftEarlyMinutes: setting.number({ label: 'Left early if gone more than', help: 'Minutes before the end', default: 5, min: 0, max: 60, integer: true, unit: 'min' }),
  reconnectGraceSeconds: setting.number({ label: 'Reconnect grace', help: 'A reconnect within this time is one presence', default: 60, min: 0, max: 600, integer: true, unit: 's' }),
  inactivePercent: setting.number({ label: 'Inactive when hidden for at least', default: 80, min: 1, max: 100, integer: true, unit: '%' }),
  reportEmails: setting.boolean({ label: 'E-mail the school report to admins each period', default: false }),
}

export type AttendanceSettingsSchema = typeof attendanceSettings
