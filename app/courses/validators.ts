import vine from '@vinejs/vine'

const ids = () => vine.array(vine.number().withoutDecimals().positive()).maxLength(500)

export const courseValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(120),
    description: vine.string().trim().maxLength(2000).optional(),
    teacherId: vine.number().withoutDecimals().positive(),
  })
)

export const enrollmentValidator = vine.compile(vine.object({ studentIds: ids() }))

export const groupValidator = vine.compile(
  vine.object({ name: vine.string().trim().minLength(1).maxLength(60), studentIds: ids() })
)
