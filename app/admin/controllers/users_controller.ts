import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import User from '#app/users/models/user'
import { findInSchool } from '#app/core/scoped'
import { createUserValidator, linkChildrenValidator } from '#app/users/validators'
import { endSessionsOf } from '#app/users/session_version'

async function assertStudentsOfSchool(ids: number[], schoolId: number) {
  if (!ids.length) return true
  const found = await db.from('users').whereIn('id', ids).where({ school_id: schoolId, role: 'student' }).count('* as total')
  return Number(found[0].total) === new Set(ids).size
}

export default class UsersController {
  async index({ auth, inertia }: HttpContext) {
    const admin = auth.getUserOrFail()
    const users = await User.query().where('school_id', admin.schoolId).preload('children').orderBy('role').orderBy('full_name')
    return inertia.render('admin/users', {
      users: users.map((u) => ({ ...u.toSummary(), childIds: u.children.map((c) => c.id) })),
    })
  }

  async store({ auth, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const data = await request.validateUsing(createUserValidator)
    const childIds = data.role === 'parent' ? (data.childIds ?? []) : []
    if (!(await assertStudentsOfSchool(childIds, admin.schoolId))) {
      return response.unprocessableEntity({ errors: [{ field: 'childIds', message: 'Children must be students of your school' }] })
    }
    const user = await User.create({
      schoolId: admin.schoolId,
      fullName: data.fullName,
      email: data.email,
      password: data.password,
      role: data.role,
    })
    if (childIds.length) await user.related('children').attach(childIds)
    if (request.accepts(['html', 'json']) === 'json') return response.created(user.toSummary())
    session.flash('success', i18n.t('core.flash.userCreated', { name: user.fullName }))
    return response.redirect().back()
  }

  async linkChildren({ auth, params, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const parent = await findInSchool(User, params.id, admin.schoolId)
    if (parent.role !== 'parent') return response.unprocessableEntity({ errors: [{ message: 'Only parents have children' }] })
    const { childIds } = await request.validateUsing(linkChildrenValidator)
    if (!(await assertStudentsOfSchool(childIds, admin.schoolId))) {
      return response.unprocessableEntity({ errors: [{ field: 'childIds', message: 'Children must be students of your school' }] })
    }
    await parent.related('children').sync(childIds)
    if (request.accepts(['html', 'json']) === 'json') return { id: parent.id, childIds }
    session.flash('success', i18n.t('core.flash.childrenUpdated', { name: parent.fullName }))
    return response.redirect().back()
  }

  async destroy({ auth, params, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const user = await findInSchool(User, params.id, admin.schoolId)
    if (user.id === admin.id) return response.unprocessableEntity({ errors: [{ message: 'You cannot delete yourself' }] })
    const teaches = await db.from('courses').where('teacher_id', user.id).first()
    if (teaches) return response.conflict({ errors: [{ message: 'Reassign this teacher’s courses first' }] })
    await endSessionsOf(user.id)
    await user.delete()
    if (request.accepts(['html', 'json']) === 'json') return response.noContent()
    session.flash('success', i18n.t('core.flash.userDeleted', { name: user.fullName }))
    return response.redirect().back()
  }
}
