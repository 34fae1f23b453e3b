/** socket.io room names, in one place. */
export const rooms = {
  session: (sessionId: number) => `s:${sessionId}`,
  sessionRoom: (sessionId: number, room: string) => `s:${sessionId}:r:${room}`,
  sessionTeachers: (sessionId: number) => `s:${sessionId}:teachers`,
  sessionUser: (sessionId: number, userId: number) => `s:${sessionId}:u:${userId}`,
  user: (userId: number) => `u:${userId}`,
  school: (schoolId: number) => `school:${schoolId}`,
}

export const MAIN_ROOM = 'main'
