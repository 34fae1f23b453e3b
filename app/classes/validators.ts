import vine from '@vinejs/vine'

export const scheduleClassValidator = vine.compile(
  vine.object({
    title: vine.string().trim().minLength(2).maxLength(120),
    scheduledAt: vine.date({ formats: ['YYYY-MM-DDTHH:mm', 'YYYY-MM-DDTHH:mm:ss', 'iso8601'] }),
    durationMinutes: vine.number().withoutDecimals().min(5).max(480),
  })
)

export const adhocClassValidator = vine.compile(
  vine.object({ title: vine.string().trim().minLength(2).maxLength(120).optional() })
)
