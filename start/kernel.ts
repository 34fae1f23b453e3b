import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#app/core/exception_handler'))

server.use([
  () => import('#app/core/middleware/secure_transport_middleware'),
  () => import('#app/core/middleware/container_bindings_middleware'),
  () => import('@adonisjs/static/static_middleware'),
  () => import('@adonisjs/vite/vite_middleware'),
])

router.use([
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('#app/core/middleware/payload_guard_middleware'),
  () => import('@adonisjs/session/session_middleware'),
  () => import('@adonisjs/shield/shield_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#app/core/middleware/session_version_middleware'),
  () => import('@adonisjs/inertia/inertia_middleware'),
  () => import('#app/core/middleware/initialize_bouncer_middleware'),
  () => import('#app/core/middleware/detect_user_locale_middleware'),
])

export const middleware = router.named({
  auth: () => import('#app/core/middleware/auth_middleware'),
  guest: () => import('#app/core/middleware/guest_middleware'),
  role: () => import('#app/core/middleware/role_middleware'),
  pluginEnabled: () => import('#app/plugins/plugin_enabled_middleware'),
})
