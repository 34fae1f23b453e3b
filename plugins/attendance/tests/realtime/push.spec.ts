import { test } from '@japa/runner'
import User from '#app/users/models/user'
import Course from '#app/courses/models/course'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { sendOk, socketTracker, TEST_URL } from '#tests/helpers/sockets'
import { jsonClientAs } from '#tests/helpers/http_login'
import { listenAs, type Listener } from '#tests/helpers/transmit'
import '../../events.js'

/*
| Dashboards are updated by push (plugins/attendance/push.ts over Transmit): a presence change
| reaches the course's teacher, the school's admins and the student's parents; a class end and an
| override also each student; nobody else: not the teacher of another course, not another school, not another
| parent (each parent only ever hears of their own children).
*/
const sockets = socketTracker()
const changed = (reason: string, match: (n: Record<string, any>) => boolean) => (n: Record<string, any>) =>
  n.type === 'attendance.changed' && n.reason === reason && match(n)

const httpAs = (user: { email: string }) => jsonClientAs(TEST_URL, user.email, PASSWORD)

test.group('Attendance: dashboards updated by push', (group) => {
  const listeners: Listener[] = []
  group.each.teardown(() => {
    sockets.closeAll()
    listeners.splice(0).forEach((l) => l.close())
  })

  test('presence, class end and override reach the allowed viewers only', async ({ assert }) => {
    const f = await createSchool({ students: 3, liveClass: true })
    const other = await createSchool()
    const [s0, s1] = f.students
    // Another teacher of the same school, whose own course s0 also attends.
    const otherCourse = await Course.create({ schoolId: f.school.id, teacherId: f.otherTeacher.id, name: 'Other course' })
    await otherCourse.related('students').attach([s0.id])
    const secondParent = await User.create({ schoolId: f.school.id, fullName: 'Sam Parent', email: `sam.${f.school.slug}@test.aula`, password: PASSWORD, role: 'parent' })
    await secondParent.related('children').attach([s1.id])

    const listen = async (user: User) => {
      const l = await listenAs(user)
      listeners.push(l)
      return l
    }
    const [teacher, admin, parent, parent2, student, otherTeacher, otherAdmin, otherSchoolTeacher] = await Promise.all(
      [f.teacher, f.admin, f.parent, secondParent, s0, f.otherTeacher, other.admin, other.teacher].map(listen)
    )
    const ofCourse = (n: Record<string, any>) => n.courseId === f.course.id

    // A presence: the course's teacher and the admins hear of it, and the dashboard shows it live.
    const teacherSocket = await sockets.joined(f.teacher, f.classSession.id)
    await sockets.joined(s0, f.classSession.id)
    await teacher.next('a presence push', changed('presence', ofCourse))
    await admin.next('a presence push', changed('presence', ofCourse))
    const overview = await (await (await httpAs(f.teacher))('GET', '/plugins/attendance/overview')).json()
    assert.deepEqual(overview.courses.find((c: any) => c.id === f.course.id).live, { here: 1, away: 0 })
    // The student's parent hears of it too, and their child's card shows them in class.
    assert.deepEqual((await parent.next('a presence push', changed('presence', () => true))).studentIds, [s0.id])
    const child = await (await (await httpAs(f.parent))('GET', `/plugins/attendance/students/${s0.id}`)).json()
    assert.deepEqual(child.live, [{ courseId: f.course.id, name: f.course.name, state: 'here' }])

    // The class ends: teacher, admins, each student and each parent (their own child only).
    await sendOk(teacherSocket, 'session:end', {})
    await teacher.next('a class-end push', changed('class_ended', ofCourse))
    await admin.next('a class-end push', changed('class_ended', ofCourse))
    assert.deepEqual((await parent.next('a class-end push', changed('class_ended', () => true))).studentIds, [s0.id])
    assert.deepEqual((await parent2.next('a class-end push', changed('class_ended', () => true))).studentIds, [s1.id])
    assert.deepEqual((await student.next('a class-end push', changed('class_ended', () => true))).studentIds, [s0.id])

    // The teacher excuses s1: s1's parent hears of it, s0's parent does not.
    const excused = await (await httpAs(f.teacher))('POST', `/plugins/attendance/classes/${f.classSession.id}/students/${s1.id}/status`, { status: 'excused', reason: 'ill' })
    assert.equal(excused.status, 200)
    await teacher.next('an override push', changed('override', ofCourse))
    await admin.next('an override push', changed('override', ofCourse))
    assert.deepEqual((await parent2.next('an override push', changed('override', () => true))).studentIds, [s1.id])

    // Nothing of it reached anyone else (a marker sent afterwards arrives, nothing before it).
    assert.deepEqual(await otherTeacher.settle(), [], 'the teacher of another course')
    assert.deepEqual(await otherAdmin.settle(), [], "another school's admin")
    assert.deepEqual(await otherSchoolTeacher.settle(), [], "another school's teacher")
    const parentNotices = await parent.settle()
    assert.deepEqual([...new Set(parentNotices.flatMap((n) => n.studentIds))], [s0.id], 'a parent hears of their own child only')
    assert.notInclude(parentNotices.map((n) => n.reason), 'override')
    assert.notInclude((await parent2.settle()).map((n) => n.reason), 'presence', 'the presence of another parent’s child')
    assert.deepEqual([...new Set((await parent2.settle()).flatMap((n) => n.studentIds))], [s1.id])
    assert.deepEqual([...new Set((await student.settle()).flatMap((n) => n.studentIds))], [s0.id])
  })
})
