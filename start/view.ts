import edge from 'edge.js'

/**
 * The source file of an Inertia page, as Vite's manifest names it: a core page in resources/js/pages,
 * a plugin's page ('plugins/<id>/<page>') in plugins/<id>/ui/pages (resources/js/app.ts resolves both alike).
 */
export function inertiaPageSource(component: string) {
  const [first, pluginId, ...rest] = component.split('/')
  if (first === 'plugins' && pluginId && rest.length) return `plugins/${pluginId}/ui/pages/${rest.join('/')}.vue`
  return `resources/js/pages/${component}.vue`
}

edge.global('inertiaPageSource', inertiaPageSource)
