import type { LucidModel } from '@adonisjs/lucid/types/model'

/**
 * Finds a row by id inside the user's school or throws a 404. Every lookup of a
 * tenant-owned row from a request goes through here, so a user of school A gets
 * "not found" for any row of school B.
 */
export async function findInSchool<T extends LucidModel>(model: T, id: unknown, schoolId: number) {
  const numeric = Number(id)
  if (!Number.isInteger(numeric) || numeric <= 0) {
    return model.query().where('id', -1).firstOrFail() as Promise<InstanceType<T>>
  }
  return model.query().where('id', numeric).where('school_id', schoolId).firstOrFail() as Promise<InstanceType<T>>
}
