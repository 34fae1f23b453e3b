import { DateTime } from 'luxon'
import School from '#app/schools/models/school'
import User from '#app/users/models/user'
import Course from '#app/courses/models/course'
import StudentGroup from '#app/courses/models/student_group'
import ClassSession from '#app/classes/models/class_session'

export const DEMO_PASSWORD = 'aula-demo'

const STUDENTS = [
  'Amara Okafor', 'Ben Fischer', 'Chloé Martin', 'Diego Ramírez', 'Elif Yılmaz', 'Finn O’Brien',
  'Grace Kim', 'Hugo Lambert', 'Isla Novak', 'Jonas Berg', 'Keira Singh', 'Liam Costa',
]

const slugify = (name: string) =>
  name.normalize('NFD').replace(/[\u0300-\u036f’']/g, '').toLowerCase().split(' ')[0]

/** The demo school printed by `bin/aula start`. Idempotent: returns null when it already exists. */
export async function seedDemoSchool() {
  if (await School.findBy('slug', 'demo')) return null
  const school = await School.create({ name: 'Aula Demo School', slug: 'demo', timezone: 'UTC' })
  const make = (fullName: string, email: string, role: User['role']) =>
    User.create({ schoolId: school.id, fullName, email, password: DEMO_PASSWORD, role })

  const admin = await make('Alex Admin', 'admin@demo.aula', 'admin')
  const ada = await make('Ada Lovelace', 'ada@demo.aula', 'teacher')
  const alan = await make('Alan Turing', 'alan@demo.aula', 'teacher')
  const students: User[] = []
  for (const name of STUDENTS) students.push(await make(name, `${slugify(name)}@demo.aula`, 'student'))
  const parent = await make('Pat Okafor', 'parent@demo.aula', 'parent')
  await parent.related('children').attach([students[0].id, students[1].id])

  const maths = await Course.create({
    schoolId: school.id,
    teacherId: ada.id,
    name: 'Mathematics 7A',
    description: 'Fractions, ratios and first steps in algebra.',
  })
  await maths.related('students').attach(students.map((s) => s.id))
  const groupNames = ['Red team', 'Green team', 'Blue team']
  for (const [index, name] of groupNames.entries()) {
    const group = await StudentGroup.create({ courseId: maths.id, name })
    await group.related('members').attach(students.filter((_, i) => i % 3 === index).map((s) => s.id))
  }

  const physics = await Course.create({
    schoolId: school.id,
    teacherId: alan.id,
    name: 'Physics 7A',
    description: 'Forces, energy and simple machines.',
  })
  await physics.related('students').attach(students.slice(0, 6).map((s) => s.id))

  const tomorrow = DateTime.now().plus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 })
  await ClassSession.create({
    schoolId: school.id,
    courseId: maths.id,
    teacherId: ada.id,
    title: 'Fractions and decimals',
    status: 'scheduled',
    scheduledAt: tomorrow,
    durationMinutes: 45,
  })
  await ClassSession.create({
    schoolId: school.id,
    courseId: physics.id,
    teacherId: alan.id,
    title: 'Levers and pulleys',
    status: 'scheduled',
    scheduledAt: tomorrow.plus({ hours: 2 }),
    durationMinutes: 45,
  })

  return { school, admin, teachers: [ada, alan], students, parent }
}

export const DEMO_LOGINS = [
  { role: 'admin', email: 'admin@demo.aula' },
  { role: 'teacher', email: 'ada@demo.aula' },
  { role: 'teacher', email: 'alan@demo.aula' },
  { role: 'student', email: 'amara@demo.aula' },
  { role: 'student', email: 'ben@demo.aula' },
  { role: 'parent', email: 'parent@demo.aula' },
]
