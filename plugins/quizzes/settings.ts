import { setting } from '#app/plugins/api'

export const STUDENT_RESULTS = ['reveal', 'close', 'never'] as const
export type StudentResults = (typeof STUDENT_RESULTS)[number]

export const quizSettings = {
  allowAnonymous: setting.boolean({
    label: 'Teachers may run anonymous polls',
    help: 'Anonymous answers are stored without any student identity; teachers only see counts.',
    default: true,
  }),
  defaultTimeLimitSeconds: setting.number({
    label: 'Default time limit',
    help: 'Pre-filled when a teacher launches a question; 0 means no time limit.',
    default: 0,
    min: 0,
    max: 3600,
    integer: true,
    unit: 'seconds',
  }),
  studentResults: setting.choice<StudentResults>({
    label: 'Students see the results',
    default: 'reveal',
    choices: [
      { value: 'reveal', label: 'When the teacher reveals them' },
      { value: 'close', label: 'Automatically when a question closes' },
      { value: 'never', label: 'Never' },
    ],
  }),
}
