import { defineConfig } from '@adonisjs/inertia'
import type { InferSharedProps } from '@adonisjs/inertia/types'
import { sharedPageProps } from '#app/core/shared_page_props'

const inertiaConfig = defineConfig({
  rootView: 'inertia_layout',
  entrypoint: 'resources/js/app.ts',
  sharedData: sharedPageProps,
  ssr: { enabled: false },
})

export default inertiaConfig

declare module '@adonisjs/inertia/types' {
  export interface SharedProps extends InferSharedProps<typeof inertiaConfig> {}
}
