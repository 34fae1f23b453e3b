import vine from '@vinejs/vine'

export const overrideValidator = vine.compile(
  vine.object({
    status: vine.enum(['present', 'late', 'left_early', 'inactive', 'absent', 'excused'] as const),
    reason: vine.string().trim().minLength(1).maxLength(500),
  })
)

export const periodQueryValidator = vine.compile(
  vine.object({
    period: vine.enum(['weekly', 'monthly'] as const).optional(),
    at: vine.string().trim().maxLength(40).optional(),
  })
)
