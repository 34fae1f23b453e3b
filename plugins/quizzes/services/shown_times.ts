import type { SharedState } from '#app/plugins/api'

/*
| When a named question was first shown to each student (epoch ms), shared by all
| app processes. Students present at the launch get the launch time; a student who
| arrives later gets the time of their arrival, so their response time is fair.
| Reconnecting never resets it. Anonymous polls record nothing. Cleared on close.
*/
export class ShownTimes {
  constructor(private state: SharedState) {}

  #key = (runId: number) => `shown:${runId}`

  async markPresent(runId: number, userIds: number[], atMs: number) {
    for (const userId of userIds) await this.state.hset(this.#key(runId), String(userId), String(atMs))
  }

  async markIfAbsent(runId: number, userId: number, atMs: number) {
    if ((await this.state.hget(this.#key(runId), String(userId))) === null) {
      await this.state.hset(this.#key(runId), String(userId), String(atMs))
    }
  }

  async get(runId: number, userId: number) {
    const value = await this.state.hget(this.#key(runId), String(userId))
    return value === null ? null : Number(value)
  }

  clear(runId: number) {
    return this.state.del(this.#key(runId))
  }
}
