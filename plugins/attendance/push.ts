import type { AttendanceHost } from './context.js'

/*
| Dashboards update by push (host.notify: Transmit on each user's own channel), never by polling.
| Each notice names only what its recipient may read: the course (for its teacher and the school's
| admins) or the students (each student themselves, each parent their own children). Recipients come
| from host.directory, which is scoped to the course's school, so nobody of another school, no other
| teacher and no other parent is ever sent anything. The card then reloads through the authorised
| HTTP views.
*/
export type ChangeReason = 'class_ended' | 'override' | 'presence'

export async function pushChange(
  host: AttendanceHost,
  change: { schoolId: number; courseId: number; studentIds: number[]; reason: ChangeReason }
) {
  const { schoolId, courseId, studentIds, reason } = change
  const [course] = await host.directory.courses(schoolId, { ids: [courseId] })
  if (!course) return
  const admins = await host.directory.usersWithRole(schoolId, 'admin')
  host.notify([...(course.teacherId ? [course.teacherId] : []), ...admins.map((a) => a.id)], { type: 'changed', reason, courseId })
  if (!studentIds.length) return
  // A presence changes no rate: the student's own card does not show it; their parents' shows them in class.
  if (reason !== 'presence') {
    const students = await host.directory.users(schoolId, studentIds)
    for (const s of students.filter((u) => u.role === 'student')) host.notify([s.id], { type: 'changed', reason, studentIds: [s.id] })
  }
  const children = new Map<number, number[]>()
  for (const { studentId, parent } of await host.directory.parentsOf(schoolId, studentIds)) {
    children.set(parent.id, [...(children.get(parent.id) ?? []), studentId])
  }
  for (const [parentId, ids] of children) host.notify([parentId], { type: 'changed', reason, studentIds: ids })
}

/** Never lets a failed push break what triggered it (capture, finalization, an override). */
export async function pushSafely(host: AttendanceHost, change: Parameters<typeof pushChange>[1]) {
  try {
    await pushChange(host, change)
  } catch (error) {
    host.logger.warn({ err: error, ...change }, 'attendance: pushing a dashboard update failed')
  }
}
