import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#app/users/models/user'
import type ClassSession from '#app/classes/models/class_session'
import { sessionRoleFor } from '#app/classes/membership'

export default class ClassSessionPolicy extends BasePolicy {
  /** Start, end, reschedule: the class's teacher, the course's teacher, or an admin of the school. */
  async manage(user: User, session: ClassSession) {
    return (await sessionRoleFor(user, session)) === 'teacher'
  }

  async join(user: User, session: ClassSession) {
    return (await sessionRoleFor(user, session)) !== null
  }
}
