import './css/app.css'
import { createApp, h, type DefineComponent } from 'vue'
import { createInertiaApp, router } from '@inertiajs/vue3'
import { resolvePageComponent } from '@adonisjs/inertia/helpers'
import { i18n, setLocale } from '~/i18n'

/*
| Inertia's progress bar (NProgress) marks its bar with role="bar", which is not an ARIA role; it is
| decoration (the page announces its own loading), so hide it from screen readers. The role itself
| stays: NProgress finds its bar by it on every step (without it each navigation threw a TypeError).
*/
new MutationObserver(() => {
  const progress = document.getElementById('nprogress')
  if (progress && !progress.hasAttribute('aria-hidden')) progress.setAttribute('aria-hidden', 'true')
}).observe(document.documentElement, { childList: true, subtree: true })

createInertiaApp({
  progress: { color: '#2f5bea', includeCSS: false }, // its CSS is in css/app.css (CSP: no inline <style>)
  title: (title) => (title ? `${title} · Aula` : 'Aula'),
  // Core pages live in ./pages; a plugin's pages in plugins/<id>/ui/pages, named 'plugins/<id>/<page>'.
  resolve: (name) =>
    name.startsWith('plugins/')
      ? resolvePageComponent(
          `../../plugins/${name.split('/')[1]}/ui/pages/${name.split('/').slice(2).join('/')}.vue`,
          import.meta.glob<DefineComponent>('../../plugins/*/ui/pages/**/*.vue')
        )
      : resolvePageComponent(`./pages/${name}.vue`, import.meta.glob<DefineComponent>('./pages/**/*.vue')),
  setup({ el, App, props, plugin }) {
    setLocale(props.initialPage.props.locale as string | undefined)
    router.on('navigate', (event) => setLocale(event.detail.page.props.locale as string | undefined))
    createApp({ render: () => h(App, props) })
      .use(plugin)
      .use(i18n)
      .mount(el)
  },
})
