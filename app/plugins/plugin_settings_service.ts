import { errors as vineErrors } from '@vinejs/vine'
import type { MessagesProviderContact } from '@vinejs/vine/types'
import db from '@adonisjs/lucid/services/db'
import SchoolPlugin from '#app/plugins/models/school_plugin'
import PluginSettingsAudit from '#app/plugins/models/plugin_settings_audit'
import { effectiveSettings } from '#app/plugins/settings_schema'
import type { PluginRegistry } from '#app/plugins/plugin_registry'
import type { ClientPluginConfig } from '#app/realtime/events'

export interface PluginState {
  enabled: boolean
  settings: Record<string, unknown>
}

export class PluginSettingsError extends Error {
  constructor(
    message: string,
    public status: number,
    public messages: { field?: string; message: string }[] = []
  ) {
    super(message)
  }
}

/** Per-school plugin switches and settings, with an audit trail of every change. */
export class PluginSettingsService {
  /** Short-lived per-process cache: plugin checks run on every realtime event. */
  #cache = new Map<number, { expiresAt: number; value: ClientPluginConfig[] }>()
  static CACHE_MS = 2000

  constructor(private registry: PluginRegistry) {}

  forgetSchool(schoolId: number) {
    this.#cache.delete(schoolId)
  }

  async stateFor(schoolId: number, pluginId: string): Promise<PluginState> {
    const plugin = this.registry.get(pluginId)
    if (!plugin) throw new PluginSettingsError(`Unknown plugin "${pluginId}"`, 404)
    const row = await SchoolPlugin.query().where({ schoolId, pluginId }).first()
    return this.#resolve(pluginId, row)
  }

  async isEnabled(schoolId: number, pluginId: string) {
    if (!this.registry.has(pluginId)) return false
    const states = await this.allFor(schoolId)
    return states.find((s) => s.id === pluginId)?.enabled ?? false
  }

  /** Every plugin for a school; a plugin whose dependency is disabled counts as disabled. */
  async allFor(schoolId: number): Promise<ClientPluginConfig[]> {
    const cached = this.#cache.get(schoolId)
    if (cached && cached.expiresAt > Date.now()) return cached.value
    const value = await this.#load(schoolId)
    this.#cache.set(schoolId, { expiresAt: Date.now() + PluginSettingsService.CACHE_MS, value })
    return value
  }

  async #load(schoolId: number): Promise<ClientPluginConfig[]> {
    const rows = await SchoolPlugin.query().where({ schoolId })
    const byId = new Map(rows.map((row) => [row.pluginId, row]))
    const resolved = new Map<string, ClientPluginConfig>()
    for (const plugin of this.registry.all()) {
      const manifest = plugin.definition.manifest
      const state = this.#resolve(manifest.id, byId.get(manifest.id))
      const dependenciesOn = (manifest.dependencies ?? []).every((dep) => resolved.get(dep)?.enabled)
      resolved.set(manifest.id, {
        id: manifest.id,
        name: manifest.name,
        enabled: state.enabled && dependenciesOn,
        settings: state.settings,
      })
    }
    return [...resolved.values()]
  }

  async settingsFor<T = Record<string, unknown>>(schoolId: number, pluginId: string): Promise<T> {
    return (await this.stateFor(schoolId, pluginId)).settings as T
  }

  /** Validates and stores a change; returns the new state. Writes an audit row when something changed. */
  async update(
    schoolId: number,
    pluginId: string,
    change: { enabled: boolean; settings: unknown },
    userId: number | null,
    /** The request's language for the validation messages (default: Vine's English). */
    messagesProvider?: MessagesProviderContact
  ) {
    const plugin = this.registry.get(pluginId)
    if (!plugin) throw new PluginSettingsError(`Unknown plugin "${pluginId}"`, 404)
    let settings: Record<string, unknown>
    try {
      settings = await plugin.validator.validate(change.settings ?? {}, messagesProvider ? { messagesProvider } : undefined)
    } catch (error) {
      if (error instanceof vineErrors.E_VALIDATION_ERROR) {
        throw new PluginSettingsError('Invalid settings', 422, error.messages)
      }
      throw error
    }

    this.forgetSchool(schoolId)
    const result = await db.transaction(async (trx) => {
      const row = await SchoolPlugin.query({ client: trx }).where({ schoolId, pluginId }).forUpdate().first()
      const before = this.#resolve(pluginId, row)
      const after: PluginState = { enabled: change.enabled, settings }
      if (JSON.stringify(before) === JSON.stringify(after)) return after

      const target = row ?? new SchoolPlugin()
      target.useTransaction(trx)
      target.merge({ schoolId, pluginId, enabled: after.enabled, settings: after.settings })
      await target.save()
      await PluginSettingsAudit.create(
        { schoolId, pluginId, userId, oldValue: before, newValue: after },
        { client: trx }
      )
      return after
    })
    this.forgetSchool(schoolId)
    return result
  }

  #resolve(pluginId: string, row: SchoolPlugin | null | undefined): PluginState {
    const plugin = this.registry.get(pluginId)!
    const manifest = plugin.definition.manifest
    return {
      enabled: row ? row.enabled : manifest.enabledByDefault !== false,
      settings: effectiveSettings(manifest.settings, row?.settings ?? {}),
    }
  }
}
