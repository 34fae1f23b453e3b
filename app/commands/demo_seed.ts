import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class DemoSeed extends BaseCommand {
  static commandName = 'aula:demo'
  static description = 'Seed the demo school (once) and print the URL and demo logins'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { seedDemoSchool, DEMO_LOGINS, DEMO_PASSWORD } = await import('#database/seeders/demo_school')
    const created = await seedDemoSchool()
    const env = (await import('#start/env')).default
    const url = env.get('APP_URL') ?? `http://localhost:${env.get('PORT')}`
    this.logger.info(created ? 'Seeded the demo school' : 'Demo school already present')
    this.logger.log('')
    this.logger.log(`  Aula is starting on ${this.colors.cyan(url)}`)
    this.logger.log('')
    this.logger.log(`  Demo logins (password: ${this.colors.yellow(DEMO_PASSWORD)})`)
    for (const login of DEMO_LOGINS) this.logger.log(`    ${login.role.padEnd(8)} ${login.email}`)
    this.logger.log('')
  }
}
