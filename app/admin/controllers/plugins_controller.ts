import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import vine from '@vinejs/vine'
import PluginSettingsAudit from '#app/plugins/models/plugin_settings_audit'
import { PluginSettingsError } from '#app/plugins/plugin_settings_service'
import { PLUGIN_PERMISSIONS } from '#app/plugins/manifest'
import { rooms } from '#app/realtime/rooms'

const updateValidator = vine.compile(
  vine.object({ enabled: vine.boolean(), settings: vine.record(vine.any()).optional() })
)

export default class PluginsController {
  async index({ auth, inertia }: HttpContext) {
    const admin = auth.getUserOrFail()
    const plugins = await app.container.make('plugins')
    const states = await plugins.settings.allFor(admin.schoolId)
    const audits = await PluginSettingsAudit.query()
      .where('school_id', admin.schoolId)
      .preload('user')
      .orderBy('id', 'desc')
      .limit(50)
    return inertia.render('admin/plugins', {
      plugins: await Promise.all(
        plugins.registry.all().map(async ({ definition: { manifest } }) => {
          const own = await plugins.settings.stateFor(admin.schoolId, manifest.id)
          return {
            id: manifest.id,
            name: manifest.name,
            description: manifest.description,
            version: manifest.version,
            dependencies: manifest.dependencies ?? [],
            permissions: manifest.permissions.map((p) => ({ id: p, label: PLUGIN_PERMISSIONS[p] })),
            schema: manifest.settings,
            enabled: own.enabled,
            effectivelyEnabled: states.find((s) => s.id === manifest.id)?.enabled ?? false,
            settings: own.settings,
          }
        })
      ),
      audits: audits.map((a) => ({
        id: a.id,
        pluginId: a.pluginId,
        userName: a.user?.fullName ?? null,
        at: a.createdAt.toISO(),
        oldValue: a.oldValue,
        newValue: a.newValue,
      })),
    })
  }

  /** Saves a plugin's switch and settings for the admin's school and pushes them to live classes. */
  async update({ auth, params, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const plugins = await app.container.make('plugins')
    const change = await request.validateUsing(updateValidator)
    const current = plugins.registry.has(params.id) ? await plugins.settings.stateFor(admin.schoolId, params.id) : null
    try {
      await plugins.settings.update(
        admin.schoolId,
        params.id,
        { enabled: change.enabled, settings: change.settings ?? current?.settings ?? {} },
        admin.id,
        i18n.createMessagesProvider()
      )
    } catch (error) {
      if (!(error instanceof PluginSettingsError)) throw error
      if (error.status === 404) return response.notFound({ errors: [{ message: error.message }] })
      if (request.accepts(['html', 'json']) === 'json') {
        return response.status(error.status).send({ errors: error.messages })
      }
      // Inertia's middleware shares `errors` from the session's inputErrorsBag (when errorsBag says a
      // validation failed), keyed here `<plugin>.<setting>` as the settings form reads them.
      session.flashErrors({ E_VALIDATION_ERROR: i18n.t('core.flash.settingsInvalid') })
      session.flash('inputErrorsBag', Object.fromEntries(error.messages.map((m) => [`${params.id}.${m.field}`, m.message])))
      session.flash('error', i18n.t('core.flash.settingsInvalid'))
      return response.redirect().back()
    }

    const realtime = await app.container.make('realtime')
    realtime.to(rooms.school(admin.schoolId)).emit('plugins:updated', { plugins: await plugins.settings.allFor(admin.schoolId) })
    await emitter.emit('plugins:settings_changed', { schoolId: admin.schoolId, pluginId: params.id, userId: admin.id })

    const saved = await plugins.settings.stateFor(admin.schoolId, params.id)
    if (request.accepts(['html', 'json']) === 'json') return saved
    session.flash('success', i18n.t('core.flash.settingsSaved'))
    return response.redirect().back()
  }
}
