import { test } from '@japa/runner'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import app from '@adonisjs/core/services/app'

/*
| Issue 15 item 11: the browser's texts come from the catalogues (resources/js/locales/<locale>.json,
| plugins/<id>/ui/locales/<locale>.json under the plugin's id; resources/js/i18n.ts), in every
| shipped language. Read from the source: every key the UI names literally (`t('…')`,
| `i18n.global.t('…')`, `te('…')`) exists in each catalogue, each catalogue has the same keys as the
| English one, and no UI code assigns an English sentence to what it shows (an error, notice or problem).
*/
const LOCALES = ['en', 'de']
const root = app.makePath()

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) files(path, out)
    else if (/\.(vue|ts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

const uiFiles = () => [
  ...files(join(root, 'resources', 'js')),
  ...readdirSync(join(root, 'plugins')).flatMap((id) => files(join(root, 'plugins', id, 'ui'))),
]

function catalogue(locale: string) {
  const messages: Record<string, unknown> = JSON.parse(readFileSync(join(root, 'resources', 'js', 'locales', `${locale}.json`), 'utf8'))
  for (const id of readdirSync(join(root, 'plugins'))) {
    const file = join(root, 'plugins', id, 'ui', 'locales', `${locale}.json`)
    if (existsSync(file)) messages[id] = JSON.parse(readFileSync(file, 'utf8'))
  }
  return messages
}

function keysOf(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix]
  if (!node || typeof node !== 'object') return []
  return Object.entries(node).flatMap(([key, value]) => keysOf(value, prefix ? `${prefix}.${key}` : key))
}

test.group('UI texts come from the catalogues', () => {
  test('every key the UI names exists in every language; the catalogues have the same keys', ({ assert }) => {
    const used = new Map<string, string>()
    for (const file of uiFiles()) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\b(?:\$t|t|te)\(\s*'([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+)'/g)) {
        used.set(match[1], relative(root, file))
      }
    }
    assert.isAbove(used.size, 300, 'the scan finds the UI’s keys')
    const english = new Set(keysOf(catalogue('en')))
    const problems: string[] = []
    for (const locale of LOCALES) {
      const keys = new Set(keysOf(catalogue(locale)))
      for (const [key, file] of used) if (!keys.has(key)) problems.push(`${locale}: ${key} (used in ${file}) is missing`)
      if (locale !== 'en') {
        for (const key of english) if (!keys.has(key)) problems.push(`${locale}: ${key} is in English only`)
        // A plugin's manifest and settings texts are in English in its manifest (plugin_texts_catalogue.spec.ts).
        const fromManifest = /^[a-z]+\.(manifest|settings)\./
        for (const key of keys) if (!english.has(key) && !fromManifest.test(key)) problems.push(`${locale}: ${key} is not in English`)
      }
    }
    assert.deepEqual(problems, [])
  })

  test('no UI code shows an English sentence of its own as an error, notice or problem', ({ assert }) => {
    const literal = /\b(?:error|notice|problem|message|flash)(?:\.value)?\s*=\s*['`"][A-Z][a-z]+ [^'`"]*['`"]/g
    const found: string[] = []
    for (const file of uiFiles()) {
      const lines = readFileSync(file, 'utf8').split('\n')
      lines.forEach((line, i) => {
        for (const match of line.matchAll(literal)) found.push(`${relative(root, file)}:${i + 1}: ${match[0]}`)
      })
    }
    assert.deepEqual(found, [])
  })
})
