import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { errors as vineErrors } from '@vinejs/vine'

export default class SchoolCreate extends BaseCommand {
  static commandName = 'aula:school:create'
  static description = 'Create a school and its first admin (prints the admin password when generated)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'School name', required: true })
  declare name: string

  @flags.string({ description: 'Short unique id (lowercase letters, digits, dashes)', required: true })
  declare slug: string

  @flags.string({ description: 'IANA time zone, e.g. Europe/Berlin', default: 'UTC' })
  declare timezone: string

  @flags.string({ description: 'Full name of the first admin', required: true })
  declare adminName: string

  @flags.string({ description: 'E-mail (login) of the first admin', required: true })
  declare adminEmail: string

  @flags.string({ description: 'Password of the first admin (generated and printed when left out)' })
  declare adminPassword?: string

  async run() {
    const { createSchoolWithAdmin } = await import('#app/schools/create_school')
    try {
      const { school, admin, password, generated } = await createSchoolWithAdmin({
        name: this.name,
        slug: this.slug,
        timezone: this.timezone,
        adminName: this.adminName,
        adminEmail: this.adminEmail,
        adminPassword: this.adminPassword,
      })
      this.logger.success(`Created school #${school.id} "${school.name}" (${school.slug}) with admin ${admin.email}`)
      if (generated) this.logger.log(`  Admin password: ${password}  (change it after the first login)`)
    } catch (error) {
      this.exitCode = 1
      if (error instanceof vineErrors.E_VALIDATION_ERROR) {
        for (const message of error.messages as { field: string; message: string }[]) {
          this.logger.error(`${message.field}: ${message.message}`)
        }
        return
      }
      this.logger.error((error as Error).message)
    }
  }
}
