/*
| Who takes part in a class, and as what (app/classes/membership.ts): every join, the classroom page
| and the class policies ask it. Each kind of user is asked about a real class in the database,
| including a class taught by a substitute (the course's own teacher keeps the teacher's role) and a
| class handed over from another school, which nobody of this school may enter.
*/
import { test } from '@japa/runner'
import { sessionRoleFor } from '#app/classes/membership'
import User from '#app/users/models/user'
import { PASSWORD, createSchool } from '#tests/helpers/fixtures'

test.group('Class membership', () => {
  test('the class and course teachers and the admins teach; enrolled students learn; nobody else is in', async ({ assert }) => {
    const f = await createSchool({ liveClass: true })
    const other = await createSchool({ liveClass: true })
    /* A substitute teaches this class of the course. */
    f.classSession.teacherId = f.otherTeacher.id
    await f.classSession.save()
    const bystander = await User.create({
      schoolId: f.school.id,
      fullName: 'Nell Newteacher',
      email: `nell.${f.school.slug}@test.aula`,
      password: PASSWORD,
      role: 'teacher',
    })

    const expected: [string, { id: number; schoolId: number; role: string }, string | null][] = [
      ["the class's (substitute) teacher", f.otherTeacher, 'teacher'],
      ["the course's teacher", f.teacher, 'teacher'],
      ['an admin of the school', f.admin, 'teacher'],
      ['an enrolled student', f.students[1], 'student'],
      ['a student of the school not enrolled', f.outsider, null],
      ["an enrolled student's parent", f.parent, null],
      ['a teacher of the school with neither the class nor the course', bystander, null],
      ['an admin of another school', other.admin, null],
      ['a teacher of another school', other.teacher, null],
      ['a student of another school', other.students[0], null],
    ]
    for (const [who, user, role] of expected) assert.equal(await sessionRoleFor(user, f.classSession), role, who)
  })

  test('an enrolment left behind when a student became a parent does not let them in', async ({ assert }) => {
    const f = await createSchool({ liveClass: true })
    const former = f.students[2]
    assert.equal(await sessionRoleFor(former, f.classSession), 'student')
    former.role = 'parent'
    await former.save()
    assert.isNull(await sessionRoleFor(former, f.classSession))
  })

  test("a user of another school is out even when their id is the class's teacher's", async ({ assert }) => {
    const f = await createSchool({ liveClass: true })
    const other = await createSchool({ liveClass: true })
    /* Only the school tells them apart: same id and role as the class's teacher, same for the admin. */
    for (const user of [f.teacher, f.admin, f.students[0]]) {
      assert.isNotNull(await sessionRoleFor(user, f.classSession))
      assert.isNull(await sessionRoleFor({ id: user.id, role: user.role, schoolId: other.school.id }, f.classSession))
    }
  })
})
