import { useI18n } from 'vue-i18n'

/*
| A plugin's manifest texts (name, description, settings labels, help, units, choices) are written in
| English in plugins/<id>/settings.ts and plugin.ts; other languages translate them in the plugin's
| ui/locales/<locale>.json under `manifest` and `settings.<key>` (label, help, unit, choices.<value>).
| A key a catalogue lacks shows the manifest's English text.
*/
interface Descriptor {
  label: string
  help?: string
  unit?: string
  choices?: readonly { value: string; label: string }[]
}

export function usePluginTexts() {
  const { t, te } = useI18n()
  const own = (key: string, fallback: string) => (te(key) ? t(key) : fallback)
  return {
    name: (plugin: { id: string; name: string }) => own(`${plugin.id}.manifest.name`, plugin.name),
    description: (plugin: { id: string; description: string }) => own(`${plugin.id}.manifest.description`, plugin.description),
    label: (pluginId: string, key: string, d: Descriptor) => own(`${pluginId}.settings.${key}.label`, d.label),
    help: (pluginId: string, key: string, d: Descriptor) => (d.help ? own(`${pluginId}.settings.${key}.help`, d.help) : ''),
    unit: (pluginId: string, key: string, d: Descriptor) => (d.unit ? own(`${pluginId}.settings.${key}.unit`, d.unit) : ''),
    choice: (pluginId: string, key: string, choice: { value: string; label: string }) =>
      own(`${pluginId}.settings.${key}.choices.${choice.value}`, choice.label),
  }
}
