import vine from '@vinejs/vine'

/*
| A plugin's settings schema: serialisable (the admin form is generated from it)
| and compiled to a Vine validator (the server validates every change with it).
*/
interface BaseSetting<T> {
  label: string
  help?: string
  default: T
}
export interface BooleanSetting extends BaseSetting<boolean> {
  type: 'boolean'
}
export interface NumberSetting extends BaseSetting<number> {
  type: 'number'
  min: number
  max: number
  integer?: boolean
  unit?: string
}
export interface TextSetting extends BaseSetting<string> {
  type: 'text'
  maxLength: number
}
export interface ChoiceSetting<T extends string = string> extends BaseSetting<T> {
  type: 'choice'
  choices: readonly { value: T; label: string }[]
}
export type SettingDescriptor = BooleanSetting | NumberSetting | TextSetting | ChoiceSetting
export type SettingsSchema = Record<string, SettingDescriptor>

type ValueOf<D> = D extends BaseSetting<infer T> ? T : never
export type InferSettings<S extends SettingsSchema> = { [K in keyof S]: ValueOf<S[K]> }

export const setting = {
  boolean: (options: Omit<BooleanSetting, 'type'>): BooleanSetting => ({ type: 'boolean', ...options }),
  number: (options: Omit<NumberSetting, 'type'>): NumberSetting => ({ type: 'number', ...options }),
  text: (options: Omit<TextSetting, 'type'>): TextSetting => ({ type: 'text', ...options }),
  choice: <T extends string>(options: Omit<ChoiceSetting<T>, 'type'>): ChoiceSetting<T> => ({
    type: 'choice',
    ...options,
  }),
}

export function defaultSettings<S extends SettingsSchema>(schema: S): InferSettings<S> {
  return Object.fromEntries(Object.entries(schema).map(([key, d]) => [key, d.default])) as InferSettings<S>
}

function fieldValidator(descriptor: SettingDescriptor) {
  switch (descriptor.type) {
    case 'boolean':
      return vine.boolean({ strict: true })
    case 'number': {
      const base = vine.number().min(descriptor.min).max(descriptor.max)
      return descriptor.integer ? base.withoutDecimals() : base
    }
    case 'text':
      return vine.string().trim().maxLength(descriptor.maxLength)
    case 'choice':
      return vine.enum(descriptor.choices.map((c) => c.value))
  }
}

/** Validator for a full settings object; unknown keys are dropped, every key is required. */
export function compileSettingsValidator(schema: SettingsSchema) {
  const properties = Object.fromEntries(
    Object.entries(schema).map(([key, descriptor]) => [key, fieldValidator(descriptor)])
  )
  return vine.compile(vine.object(properties))
}

/** Stored settings merged over defaults; values no longer valid fall back to the default. */
export function effectiveSettings(schema: SettingsSchema, stored: Record<string, unknown>) {
  const result: Record<string, unknown> = {}
  for (const [key, descriptor] of Object.entries(schema)) {
    const value = stored[key]
    result[key] = isValidValue(descriptor, value) ? value : descriptor.default
  }
  return result
}

function isValidValue(descriptor: SettingDescriptor, value: unknown) {
  switch (descriptor.type) {
    case 'boolean':
      return typeof value === 'boolean'
    case 'number':
      return typeof value === 'number' && value >= descriptor.min && value <= descriptor.max
    case 'text':
      return typeof value === 'string' && value.length <= descriptor.maxLength
    case 'choice':
      return descriptor.choices.some((c) => c.value === value)
  }
}
