import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import Course from '#app/courses/models/course'
import User from '#app/users/models/user'
import { classesForUser } from '#app/classes/class_queries'
import { participantsOf } from '#app/classes/presence'

export default class DashboardController {
  async show({ auth, inertia }: HttpContext) {
    const user = auth.getUserOrFail()
    switch (user.role) {
      case 'admin':
        return inertia.render('dashboard/admin', await this.#admin(user))
      case 'teacher':
        return inertia.render('dashboard/teacher', await this.#teacher(user))
      case 'student':
        return inertia.render('dashboard/student', {
          classes: await classesForUser(user),
          plugins: await this.#plugins(user.schoolId),
        })
      case 'parent':
        return inertia.render('dashboard/parent', await this.#parent(user))
    }
  }

  async #admin(user: User) {
    const counts = await db
      .from('users')
      .where('school_id', user.schoolId)
      .groupBy('role')
      .select('role')
      .count('* as total')
    const plugins = await (await app.container.make('plugins')).settings.allFor(user.schoolId)
    return {
      counts: Object.fromEntries(counts.map((row) => [row.role, Number(row.total)])),
      courseCount: Number((await db.from('courses').where('school_id', user.schoolId).count('* as total'))[0].total),
      plugins: plugins.map(({ id, name, enabled }) => ({ id, name, enabled })),
      classes: await classesForUser(user),
    }
  }

  async #teacher(user: User) {
    const courses = await Course.query()
      .where({ schoolId: user.schoolId, teacherId: user.id })
      .withCount('students')
      .orderBy('name')
    return {
      courses: courses.map((c) => ({ id: c.id, name: c.name, studentCount: Number(c.$extras.students_count) })),
      classes: await classesForUser(user),
      plugins: await this.#plugins(user.schoolId),
    }
  }

  async #plugins(schoolId: number) {
    const all = await (await app.container.make('plugins')).settings.allFor(schoolId)
    return all.map(({ id, enabled }) => ({ id, enabled }))
  }

  async #parent(user: User) {
    const children = await user.related('children').query().where('school_id', user.schoolId).orderBy('full_name')
    const perChild = await Promise.all(
      children.map(async (child) => ({
        id: child.id,
        fullName: child.fullName,
        classes: await classesForUser(user, [child.id]),
      }))
    )
    // Whether each child is in each live class right now (connected to it), not merely enrolled in its course.
    const realtime = await app.container.make('realtime')
    const withPresence = await Promise.all(
      perChild.map(async (child) => {
        const here = await Promise.all(
          child.classes.live.map(async (c) => ((await participantsOf(realtime, c.id)).some((p) => p.userId === child.id) ? c.id : null))
        )
        return { ...child, inClassIds: here.filter((id): id is number => id !== null) }
      })
    )
    return { children: withPresence, plugins: await this.#plugins(user.schoolId) }
  }
}
