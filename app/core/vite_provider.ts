import type { ApplicationService } from '@adonisjs/core/types'
import ViteProvider from '@adonisjs/vite/vite_provider'
import ViteMiddleware from '@adonisjs/vite/vite_middleware'
import { Vite } from '@adonisjs/vite'

/**
 * @adonisjs/vite's provider, with one switch: `AULA_BUILT_ASSETS=1` makes a development or test
 * process serve the production build (`bin/setup/build_assets.sh`: public/assets and its manifest)
 * instead of starting Vite's dev server. The test runner sets it for the PostgreSQL + Redis run
 * (bin/run_tests.sh), so the browser tests run once per CI run against the bundle users get.
 * Production never starts the dev server, switch or not.
 */
export default class AulaViteProvider extends ViteProvider {
  #runDevServer: boolean

  constructor(app: ApplicationService) {
    super(app)
    const environment = app.getEnvironment()
    this.#runDevServer =
      (app.inDev || app.inTest) && (environment === 'web' || environment === 'test') && process.env.AULA_BUILT_ASSETS !== '1'
  }

  register() {
    const vite = new Vite(this.#runDevServer, this.app.config.get('vite'))
    this.app.container.bind('vite', () => vite)
    this.app.container.singleton(ViteMiddleware, () => new ViteMiddleware(vite))
  }

  async boot() {
    await this.registerEdgePlugin()
    if (!this.#runDevServer) return
    const vite = await this.app.container.make('vite')
    await vite.createDevServer()
  }

  async shutdown() {
    if (!this.#runDevServer) return
    const vite = await this.app.container.make('vite')
    await vite.stopDevServer()
  }
}
