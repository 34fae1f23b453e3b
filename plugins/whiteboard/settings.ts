import { setting } from '#app/plugins/api'

export const whiteboardSettings = {
  studentsDrawByDefault: setting.boolean({
    label: 'Students may draw when a class starts',
    help: 'Otherwise only the teacher has the pen until they hand it to a student or to everyone',
    default: false,
  }),
  studentsSeeAllCursors: setting.boolean({
    label: 'Students see each other’s cursors',
    help: 'The teacher’s cursor and laser are always shown',
    default: false,
  }),
  maxElementsPerPage: setting.number({
    label: 'Most elements on one page',
    default: 5000,
    min: 100,
    max: 50000,
    integer: true,
  }),
  maxDeckPages: setting.number({
    label: 'Most pages of an uploaded PDF deck',
    default: 60,
    min: 1,
    max: 200,
    integer: true,
    unit: 'pages',
  }),
}
