import { test } from '@japa/runner'
import { existsSync, readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

/*
| Issue 15 item 11: the admin's plugin page shows each plugin's name, description and settings form
| (labels, help, units, choices) in the user's language. The English texts live in the manifests;
| every other shipped language must translate each of them in plugins/<id>/ui/locales/<locale>.json
| (read by resources/js/lib/plugin_texts.ts), or the German page would show English.
*/
const OTHER_LOCALES = ['de']

function lookup(catalogue: unknown, path: string[]): unknown {
  return path.reduce<any>((node, key) => (node && typeof node === 'object' ? node[key] : undefined), catalogue)
}

test.group('Plugin manifest texts in every language', () => {
  test('each plugin’s name, description and every settings label, help, unit and choice is translated', async ({ assert }) => {
    const plugins = await app.container.make('plugins')
    const missing: string[] = []
    for (const { definition: { manifest } } of plugins.registry.all()) {
      for (const locale of OTHER_LOCALES) {
        const file = app.makePath('plugins', manifest.id, 'ui', 'locales', `${locale}.json`)
        const catalogue = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
        const need = (path: string[], english: string) => {
          const value = lookup(catalogue, path)
          if (typeof value !== 'string' || !value.trim()) missing.push(`${locale} ${manifest.id}: ${path.join('.')} (${JSON.stringify(english)})`)
        }
        need(['manifest', 'name'], manifest.name)
        need(['manifest', 'description'], manifest.description)
        for (const [key, d] of Object.entries(manifest.settings)) {
          need(['settings', key, 'label'], d.label)
          if (d.help) need(['settings', key, 'help'], d.help)
          if (d.type === 'number' && d.unit) need(['settings', key, 'unit'], d.unit)
          if (d.type === 'choice') for (const choice of d.choices) need(['settings', key, 'choices', choice.value], choice.label)
        }
      }
    }
    assert.deepEqual(missing, [], `untranslated manifest texts:\n${missing.join('\n')}`)
  })
})
