import vine from '@vinejs/vine'

/*
| What the server accepts as an Excalidraw element. Only the fields the server reads or
| that could hurt other clients are checked; Excalidraw's other fields pass through.
*/
export const MAX_ELEMENTS_PER_UPDATE = 500
export const MAX_POINTS_PER_ELEMENT = 20_000
export const MAX_POINTS_PER_STROKE_MESSAGE = 1000

export const ELEMENT_TYPES = [
  'rectangle',
  'diamond',
  'ellipse',
  'arrow',
  'line',
  'freedraw',
  'text',
  'image',
  'frame',
  'magicframe',
  'embeddable',
  'iframe',
  'selection',
] as const

const finite = () => vine.number().min(-1e7).max(1e7)
const point = () => vine.array(finite()).fixedLength(2)

export const elementSchema = vine
  .object({
    id: vine.string().regex(/^[\w:-]{1,64}$/),
    type: vine.enum(ELEMENT_TYPES),
    version: vine.number().withoutDecimals().min(1).max(1e9),
    versionNonce: vine.number().withoutDecimals().min(-2147483648).max(4294967295),
    isDeleted: vine.boolean({ strict: true }),
    x: finite(),
    y: finite(),
    width: finite().optional(),
    height: finite().optional(),
    points: vine.array(point()).maxLength(MAX_POINTS_PER_ELEMENT).optional(),
    text: vine.string().maxLength(20_000).optional(),
    originalText: vine.string().maxLength(20_000).optional(),
    link: vine.string().maxLength(2000).nullable().optional(),
    fileId: vine.string().maxLength(80).nullable().optional(),
  })
  .allowUnknownProperties()

export const elementsSchema = vine.array(elementSchema).minLength(1).maxLength(MAX_ELEMENTS_PER_UPDATE)
export const pageIdSchema = vine.string().regex(/^[\w-]{1,40}$/)
export const strokePointsSchema = vine.array(point()).minLength(1).maxLength(MAX_POINTS_PER_STROKE_MESSAGE)

/** Slide backgrounds are ids the server creates; students may never change them. */
export const SLIDE_ELEMENT_PREFIX = 'slide-'
