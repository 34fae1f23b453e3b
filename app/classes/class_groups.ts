import db from '@adonisjs/lucid/services/db'

/** The preset student groups of a class's course, with their members. */
export async function presetGroupsOf(sessionId: number) {
  const rows: { id: number; name: string; studentId: number | null }[] = await db
    .from('student_groups')
    .join('class_sessions', 'class_sessions.course_id', 'student_groups.course_id')
    .leftJoin('student_group_members', 'student_group_members.student_group_id', 'student_groups.id')
    .where('class_sessions.id', sessionId)
    .orderBy('student_groups.name')
    .select('student_groups.id as id', 'student_groups.name as name', 'student_group_members.student_id as studentId')
  const groups = new Map<number, { id: number; name: string; studentIds: number[] }>()
  for (const row of rows) {
    const group = groups.get(row.id) ?? { id: row.id, name: row.name, studentIds: [] }
    if (row.studentId) group.studentIds.push(Number(row.studentId))
    groups.set(row.id, group)
  }
  return [...groups.values()]
}
