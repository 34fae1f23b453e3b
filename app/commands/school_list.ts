import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class SchoolList extends BaseCommand {
  static commandName = 'aula:school:list'
  static description = 'List the schools with their admins and number of users'
  static options: CommandOptions = { startApp: true }

  async run() {
    const db = (await import('@adonisjs/lucid/services/db')).default
    const schools = await db.from('schools').select('id', 'name', 'slug', 'timezone').orderBy('id')
    const table = this.ui.table()
    table.head(['id', 'slug', 'name', 'time zone', 'users', 'admins'])
    for (const school of schools) {
      const users = await db.from('users').where('school_id', school.id).count('* as total').first()
      const admins = await db.from('users').where({ school_id: school.id, role: 'admin' }).select('email')
      table.row([String(school.id), school.slug, school.name, school.timezone, String(users?.total ?? 0), admins.map((a) => a.email).join(', ')])
    }
    table.render()
  }
}
