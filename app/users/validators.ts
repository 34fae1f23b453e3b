import vine from '@vinejs/vine'
import { ROLES } from '#app/users/roles'

export const loginValidator = vine.compile(
  vine.object({
    email: vine.string().trim().email().maxLength(254),
    password: vine.string().minLength(1).maxLength(200),
  })
)

export const createUserValidator = vine.compile(
  vine.object({
    fullName: vine.string().trim().minLength(2).maxLength(120),
    email: vine
      .string()
      .trim()
      .email()
      .maxLength(254)
      .normalizeEmail({ all_lowercase: true })
      .unique(async (db, value) => !(await db.from('users').where('email', value).first())),
    password: vine.string().minLength(8).maxLength(200),
    role: vine.enum(ROLES),
    childIds: vine.array(vine.number().withoutDecimals().positive()).maxLength(20).optional(),
  })
)

export const linkChildrenValidator = vine.compile(
  vine.object({ childIds: vine.array(vine.number().withoutDecimals().positive()).maxLength(20) })
)
