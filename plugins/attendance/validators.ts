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

const isoDate = () => vine.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/)

/** A background export: what (scope and id), the format, and a period (weekly/monthly around `at`) or a run of days. */
export const exportValidator = vine.compile(
  vine.object({
    scope: vine.enum(['course', 'student', 'school'] as const),
    id: vine.number().withoutDecimals().positive().max(2 ** 31).optional(),
    format: vine.enum(['csv', 'xlsx', 'pdf'] as const),
    period: vine.enum(['weekly', 'monthly'] as const).optional(),
    at: vine.string().trim().maxLength(40).optional(),
    from: isoDate().optional().requiredIfExists('to'),
    to: isoDate().optional().requiredIfExists('from'),
  })
)
