import type { AttendanceHost } from './context.js'

const AttendanceController = () => import('./controllers/attendance_controller.js')
const ReportsController = () => import('./controllers/reports_controller.js')
const ExportsController = () => import('./controllers/exports_controller.js')

/** HTTP API and pages under /plugins/attendance (login and plugin-enabled checks by the host). */
export function registerAttendanceRoutes(host: AttendanceHost) {
  host.routes.define((router) => {
    router.get('/overview', [AttendanceController, 'overview'])
    router.get('/classes/:sessionId', [AttendanceController, 'classSummary'])
    router.post('/classes/:sessionId/students/:userId/status', [AttendanceController, 'override'])
    router.get('/courses/:courseId', [AttendanceController, 'course'])
    router.get('/students/:userId', [AttendanceController, 'student'])
    router.get('/reports/courses/:courseId/:format', [ReportsController, 'course']).where('format', /^(csv|xlsx|pdf)$/)
    router.get('/reports/students/:userId/:format', [ReportsController, 'student']).where('format', /^(csv|xlsx|pdf)$/)
    router.get('/reports/school/:format', [ReportsController, 'school']).where('format', /^(csv|xlsx|pdf)$/)
    router.post('/exports', [ExportsController, 'create'])
    router.get('/exports/:exportId', [ExportsController, 'show'])
    router.get('/exports/:exportId/file', [ExportsController, 'file'])
  })
}
