import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { startSidecarProcess, type SidecarProcess, TEST_MEDIA_SECRET as SECRET, TEST_SIDECAR_PORT as SIDECAR_PORT } from '#tests/helpers/sidecar'
import { TEST_URL } from '#tests/helpers/sockets'
import { startCoturn, type Coturn } from '#tests/helpers/turn'
import { eventually } from '#tests/helpers/poll'

/* The in-test web process talks to MEDIA_SIDECARS / MEDIA_RPC_SECRET from .env.test. */
const TURN_PORT = 35000 + (Number(process.env.PORT ?? 3334) % 1000)
const TURN_SECRET = 'browser-turn-secret-0123456789'
const TURN_ENV = {
  TURN_URLS: `turn:127.0.0.1:${TURN_PORT}?transport=udp`,
  TURN_SECRET,
  TURN_RELAY_ONLY: 'true',
}

const framesDecoded = (page: Page) =>
  page.evaluate(async () => {
    const rows: { kind: string; framesDecoded: number }[] = await (window as any).__aulaVideo.inbound()
    return rows.filter((r) => r.kind === 'video').reduce((sum, r) => sum + r.framesDecoded, 0)
  })
const candidateTypes = (page: Page) => page.evaluate(() => (window as any).__aulaVideo.candidateTypes() as Promise<Record<string, string | null>>)
const iceRestarts = (page: Page) => page.evaluate(() => (window as any).__aulaVideo.iceRestarts() as number)

/** Frames keep being decoded: the count grows between two reads. */
async function videoFlows(page: Page, timeoutMs: number) {
  let last = await framesDecoded(page)
  await eventually(
    'video frames decoded',
    async () => {
      const now = await framesDecoded(page)
      const grew = now > last && last > 0
      last = now
      return grew
    },
    { timeoutMs, intervalMs: 500 }
  )
}

test.group('Video over a TURN relay in Chromium (coturn, relay-only policy)', (group) => {
  let browser: Browser
  let sidecar: SidecarProcess
  let coturn: Coturn
  const saved: Record<string, string | undefined> = {}
  group.setup(async () => {
    for (const [key, value] of Object.entries(TURN_ENV)) {
      saved[key] = process.env[key]
      process.env[key] = value
    }
    sidecar = await startSidecarProcess({ port: SIDECAR_PORT, secret: SECRET, env: { MEDIA_WORKERS: '1' } })
    coturn = await startCoturn({ host: '127.0.0.1', port: TURN_PORT, secret: TURN_SECRET, allowLoopbackPeers: true })
    browser = await launchChromium({ media: true })
    return async () => {
      await browser.close()
      await coturn.stop()
      await sidecar.kill('SIGKILL')
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
      }
    }
  })

  test('media flows only through the relay, and comes back by an ICE restart when the TURN server restarts', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const pages = [await pageAs(browser, teacher), await pageAs(browser, students[0])]
    for (const page of pages) {
      await page.goto(`${TEST_URL}/classes/${classSession.id}`)
      await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live')
    }
    const [teacherPage, studentPage] = pages

    // Relay-only: without the iceServers the browser would gather no candidate at all and nothing would flow.
    await videoFlows(studentPage, 30_000)
    await videoFlows(teacherPage, 30_000)
    for (const page of pages) {
      await eventually('both transports on a selected pair', async () => Object.values(await candidateTypes(page)).every(Boolean), {
        timeoutMs: 10_000,
      })
      assert.deepEqual(await candidateTypes(page), { send: 'relay', recv: 'relay' })
    }
    const restartsBefore = await iceRestarts(studentPage)

    // The TURN server dies and comes back on the same address: every allocation is gone, so media stops
    // until each browser restarts ICE with the server's new ICE parameters and fresh credentials.
    await coturn.stop()
    coturn = await startCoturn({ host: '127.0.0.1', port: TURN_PORT, secret: TURN_SECRET, allowLoopbackPeers: true })
    await eventually('the student restarted ICE', async () => (await iceRestarts(studentPage)) > restartsBefore, { timeoutMs: 60_000 })
    await videoFlows(studentPage, 60_000)
    await videoFlows(teacherPage, 60_000)
    assert.deepEqual(await candidateTypes(studentPage), { send: 'relay', recv: 'relay' })
    assert.equal(await studentPage.evaluate(() => (window as any).__aulaVideo.status()), 'live', 'no rejoin: the same session recovered')
  }).timeout(240_000)
})
