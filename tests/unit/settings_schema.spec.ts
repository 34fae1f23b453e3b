import { test } from '@japa/runner'
import { compileSettingsValidator, defaultSettings, effectiveSettings, setting } from '#app/plugins/settings_schema'

const schema = {
  studentsMayChat: setting.boolean({ label: 'Students may chat', default: true }),
  maxLength: setting.number({ label: 'Max length', default: 500, min: 1, max: 2000, integer: true }),
  mode: setting.choice({ label: 'Mode', default: 'open', choices: [{ value: 'open', label: 'Open' }, { value: 'closed', label: 'Closed' }] }),
  greeting: setting.text({ label: 'Greeting', default: 'Hi', maxLength: 10 }),
}

test.group('Plugin settings schema', () => {
  test('defaults come from the schema', ({ assert }) => {
    assert.deepEqual(defaultSettings(schema), { studentsMayChat: true, maxLength: 500, mode: 'open', greeting: 'Hi' })
  })

  test('validates a full settings object and drops unknown keys', async ({ assert }) => {
    const validator = compileSettingsValidator(schema)
    const value = await validator.validate({ studentsMayChat: false, maxLength: 20, mode: 'closed', greeting: 'Yo', extra: 1 })
    assert.deepEqual(value, { studentsMayChat: false, maxLength: 20, mode: 'closed', greeting: 'Yo' })
  })

  test('rejects out-of-range, wrong-type and unknown choice values', async ({ assert }) => {
    const validator = compileSettingsValidator(schema)
    const base = { studentsMayChat: true, maxLength: 20, mode: 'open', greeting: 'Yo' }
    await assert.rejects(() => validator.validate({ ...base, maxLength: 5000 }))
    await assert.rejects(() => validator.validate({ ...base, maxLength: 2.5 }))
    await assert.rejects(() => validator.validate({ ...base, studentsMayChat: 'yes' }))
    await assert.rejects(() => validator.validate({ ...base, mode: 'sideways' }))
    await assert.rejects(() => validator.validate({ ...base, greeting: 'much too long greeting' }))
  })

  test('effective settings fall back to defaults for missing or stale values', ({ assert }) => {
    assert.deepEqual(effectiveSettings(schema, { maxLength: 9999, mode: 'closed' }), {
      studentsMayChat: true,
      maxLength: 500,
      mode: 'closed',
      greeting: 'Hi',
    })
  })
})
