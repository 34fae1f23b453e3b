import { createHmac, randomBytes } from 'node:crypto'

/*
| Who answered, as stored in quiz_answers.respondent_key.
|
| Named questions: "u:<user id>" (and the user id column).
| Anonymous polls: "a:" + HMAC-SHA256(APP_KEY ‖ run salt, "<run id>:<user id>"), and no
| user id, no timestamps. The key only serves to accept one answer per student
| (a change replaces it). The salt is 32 random bytes stored on the run while it is
| open and erased when it closes; from then on no one — not even someone holding the
| database and APP_KEY — can tell which student gave which anonymous answer.
*/
export const newSalt = () => randomBytes(32).toString('base64url')

export function respondentKey(run: { id: number; anonymous: boolean; anonSalt: string | null }, userId: number, appKey: string) {
  if (!run.anonymous) return `u:${userId}`
  if (!run.anonSalt) throw new Error('An anonymous question without a salt takes no answers')
  const digest = createHmac('sha256', `${appKey}\u0000${run.anonSalt}`).update(`${run.id}:${userId}`).digest('base64url')
  return `a:${digest}`
}
