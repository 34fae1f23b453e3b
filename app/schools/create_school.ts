import { randomBytes } from 'node:crypto'
import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import School from '#app/schools/models/school'
import User from '#app/users/models/user'

export const createSchoolValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(120),
    slug: vine
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/)
      .unique(async (query, value) => !(await query.from('schools').where('slug', value).first())),
    timezone: vine.string().trim().maxLength(64),
    adminName: vine.string().trim().minLength(2).maxLength(120),
    adminEmail: vine
      .string()
      .trim()
      .email()
      .normalizeEmail({ all_lowercase: true })
      .unique(async (query, value) => !(await query.from('users').where('email', value).first())),
    adminPassword: vine.string().minLength(10).maxLength(200).optional(),
  })
)

/** Creates a school and its first admin in one transaction (the operator's way to add a school). */
export async function createSchoolWithAdmin(input: unknown) {
  const data = await createSchoolValidator.validate(input)
  if (!Intl.supportedValuesOf('timeZone').includes(data.timezone) && data.timezone !== 'UTC') {
    throw new Error(`Unknown time zone "${data.timezone}"`)
  }
  const password = data.adminPassword ?? randomBytes(12).toString('base64url')
  return db.transaction(async (trx) => {
    const school = await School.create({ name: data.name, slug: data.slug, timezone: data.timezone }, { client: trx })
    const admin = await User.create(
      { schoolId: school.id, fullName: data.adminName, email: data.adminEmail, password, role: 'admin' },
      { client: trx }
    )
    return { school, admin, password, generated: !data.adminPassword }
  })
}
