import vine from '@vinejs/vine'
import { SIGNALS } from './rules.js'

const weight = () => vine.number().withoutDecimals().min(0).max(100)
const weights = vine
  .object(Object.fromEntries(SIGNALS.map((s) => [s, weight()])) as Record<(typeof SIGNALS)[number], ReturnType<typeof weight>>)
  .use(
    vine.createRule((value, _options, field) => {
      const sum = SIGNALS.reduce((total, s) => total + Number((value as any)?.[s] ?? 0), 0)
      if (sum !== 100) field.report('The weights must add up to 100 %', 'weights_sum', field)
    })()
  )

export const settingsValidator = vine.compile(
  vine.object({
    weights,
    atRiskThreshold: vine.number().withoutDecimals().min(0).max(100),
    atRiskWindow: vine.number().withoutDecimals().min(1).max(50),
    studentsSeeOwn: vine.boolean(),
    parentsSeeChild: vine.boolean(),
  })
)

export const previewValidator = vine.compile(vine.object({ weights }))

export const idParam = vine.compile(vine.object({ id: vine.number().withoutDecimals().positive().max(2_147_483_647) }))
export const exportParam = vine.compile(vine.object({ format: vine.enum(['csv', 'xlsx']) }))
