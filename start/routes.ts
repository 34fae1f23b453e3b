import router from '@adonisjs/core/services/router'
import transmit from '@adonisjs/transmit/services/main'
import { middleware } from '#start/kernel'

const SessionController = () => import('#app/users/controllers/session_controller')
const ProfileController = () => import('#app/users/controllers/profile_controller')
const DashboardController = () => import('#app/dashboard/controllers/dashboard_controller')
const ClassesController = () => import('#app/classes/controllers/classes_controller')
const UsersController = () => import('#app/admin/controllers/users_controller')
const CoursesController = () => import('#app/admin/controllers/courses_controller')
const PluginsController = () => import('#app/admin/controllers/plugins_controller')
const MailOutboxController = () => import('#app/admin/controllers/mail_outbox_controller')
const OperationsController = () => import('#app/operations/operations_controller')

/* Operations: liveness, readiness (database, Redis, sidecars), Prometheus metrics (restricted) */
router.get('/health', [OperationsController, 'live'])
router.get('/health/ready', [OperationsController, 'ready'])
router.get('/metrics', [OperationsController, 'metrics'])

router
  .group(() => {
    router.get('/login', [SessionController, 'create']).as('login')
    router.post('/login', [SessionController, 'store'])
  })
  .use(middleware.guest())

router
  .group(() => {
    router.post('/logout', [SessionController, 'destroy']).as('logout')
    router.get('/', [DashboardController, 'show']).as('dashboard')
    router.put('/profile/locale', [ProfileController, 'updateLocale'])

    router.post('/courses/:courseId/classes', [ClassesController, 'store'])
    router.post('/courses/:courseId/classes/start-now', [ClassesController, 'startNow'])
    router.get('/classes/:id', [ClassesController, 'show']).as('classroom')
    router.post('/classes/:id/start', [ClassesController, 'start'])
    router.post('/classes/:id/end', [ClassesController, 'end'])
  })
  .use(middleware.auth())

router
  .group(() => {
    router.get('/users', [UsersController, 'index'])
    router.post('/users', [UsersController, 'store'])
    router.put('/users/:id/children', [UsersController, 'linkChildren'])
    router.delete('/users/:id', [UsersController, 'destroy'])

    router.get('/courses', [CoursesController, 'index'])
    router.post('/courses', [CoursesController, 'store'])
    router.get('/courses/:id', [CoursesController, 'show'])
    router.put('/courses/:id', [CoursesController, 'update'])
    router.put('/courses/:id/students', [CoursesController, 'enroll'])
    router.post('/courses/:id/groups', [CoursesController, 'storeGroup'])
    router.delete('/courses/:id/groups/:groupId', [CoursesController, 'destroyGroup'])

    router.get('/plugins', [PluginsController, 'index'])
    router.put('/plugins/:id', [PluginsController, 'update'])

    router.get('/mail', [MailOutboxController, 'index'])
    router.get('/mail/:id', [MailOutboxController, 'show'])
    router.post('/mail/:id/retry', [MailOutboxController, 'retry'])
  })
  .prefix('/admin')
  .use([middleware.auth(), middleware.role(['admin'])])

/* Server-sent notifications (e.g. "your class is live") on users/<id>/notifications */
transmit.registerRoutes((route) => route.use(middleware.auth()))
transmit.authorize<{ id: string }>('users/:id/notifications', (ctx, { id }) => ctx.auth.user?.id === Number(id))
