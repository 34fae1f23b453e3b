import { test } from '@japa/runner'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { createNetns, netnsAvailable, tcpForward, type Netns } from '#tests/helpers/netns'
import { eventually } from '#tests/helpers/poll'
import { startSidecarProcess, type SidecarProcess, TEST_MEDIA_SECRET as SECRET, TEST_SIDECAR_PORT as SIDECAR_PORT } from '#tests/helpers/sidecar'
import { TEST_URL } from '#tests/helpers/sockets'
import { selfSignedCertificate, startCoturn, type Coturn } from '#tests/helpers/turn'
import { runOnceInTheSuite } from '#tests/helpers/one_pass'

/*
| A student on a school network that blocks things, as a real Chromium inside a network namespace
| (tests/helpers/netns.ts) whose nftables rules drop traffic. The teacher's Chromium, the web app,
| the media sidecar (one port: MEDIA_WEBRTC_PORT) and coturn run on the host; the namespace reaches them
| only through the veth pair's host address.
*/

/* The in-test web process talks to MEDIA_SIDECARS / MEDIA_RPC_SECRET from .env.test. */
const APP_PORT = Number(process.env.PORT ?? 3334)
/* Ports and names of this checkout (PORT differs per worktree), so parallel checkouts do not collide. */
const WEBRTC_PORT = 37000 + (APP_PORT % 1000)
const TURN_PORT = 38000 + (APP_PORT % 1000)
const TURNS_PORT = 39000 + (APP_PORT % 1000)
const NS = `aula${APP_PORT}`
const PREFIX = `10.${77 + (Math.floor(APP_PORT / 250) % 100)}.${APP_PORT % 250}`
const TURN_SECRET = 'school-network-turn-secret-0123'

interface SelectedPair {
  state: string
  local: { candidateType: string; protocol: string; relayProtocol?: string }
  remote: { candidateType: string; protocol: string; address: string; port: number }
}

/** Every RTCPeerConnection of the page (mediasoup-client's send and receive transports), for getStats. */
const trackPeerConnections = async (page: Page) => {
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection
    const all: RTCPeerConnection[] = []
    const states: string[] = []
    ;(window as any).__netlabPcs = all
    ;(window as any).__netlabStates = states
    ;(window as any).RTCPeerConnection = class extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args)
        all.push(this)
        const index = all.length - 1
        this.addEventListener('connectionstatechange', () => states.push(`${Date.now()} pc${index} ${this.connectionState}`))
      }
    }
  })
}

/** The selected ICE candidate pair of each open peer connection, from getStats(). */
const selectedPairs = (page: Page) =>
  page.evaluate(async () => {
    const pairs: SelectedPair[] = []
    for (const pc of (window as any).__netlabPcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue
      const report = await pc.getStats()
      report.forEach((s: any) => {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) return
        const pair = report.get(s.selectedCandidatePairId)
        const local = report.get(pair.localCandidateId)
        const remote = report.get(pair.remoteCandidateId)
        pairs.push({
          state: pc.connectionState,
          local: { candidateType: local.candidateType, protocol: local.protocol, relayProtocol: local.relayProtocol },
          remote: { candidateType: remote.candidateType, protocol: remote.protocol, address: remote.address, port: remote.port },
        })
      })
    }
    return pairs
  })

/** Both transports (send and receive) connected, and their selected pairs. */
const connectedPairs = (page: Page) =>
  eventually('both transports on a selected pair', async () => {
    const found = await selectedPairs(page)
    return found.length === 2 && found.every((p) => p.state === 'connected') ? found : null
  })

const framesDecoded = (page: Page) =>
  page.evaluate(async () => {
    const rows: { kind: string; framesDecoded: number }[] = await (window as any).__aulaVideo.inbound()
    return rows.filter((r) => r.kind === 'video').reduce((sum, r) => sum + r.framesDecoded, 0)
  })

/** Video frames are being decoded: the count grows past `from` (and past what it was a poll earlier). */
async function framesAdvance(page: Page, timeoutMs: number, from?: number) {
  let last = from ?? (await framesDecoded(page))
  await eventually(
    'video frames decoded',
    async () => {
      const now = await framesDecoded(page)
      const grew = now > last && now > 0
      last = now
      return grew
    },
    { timeoutMs, intervalMs: 250 }
  )
}

/** Teacher on the host (127.0.0.1), student inside the namespace (the veth address): both live in the class. */
async function classWithStudentInNamespace(teacherBrowser: Browser, studentBrowser: Browser, appUrl: string) {
  const { teacher, students, classSession } = await createSchool({ liveClass: true })
  const teacherPage = await pageAs(teacherBrowser, teacher)
  const studentPage = await pageAs(studentBrowser, students[0], appUrl, trackPeerConnections)
  await teacherPage.goto(`${TEST_URL}/classes/${classSession.id}`)
  await teacherPage.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live')
  await studentPage.goto(`${appUrl}/classes/${classSession.id}`)
  // Any later document load of the student's page (a reload, a rejoin through another page) is counted.
  const navigations: string[] = []
  studentPage.on('load', () => navigations.push(studentPage.url()))
  await studentPage.evaluate(() => ((window as any).__netlabSameDocument = true))
  await studentPage.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live')
  return { teacherPage, studentPage, navigations, close: () => Promise.all([teacherPage.context().close(), studentPage.context().close()]) }
}

test.group('Video on school networks (Chromium in a network namespace with nftables)', (group) => {
  runOnceInTheSuite(group)
  let netns: Netns
  let sidecar: SidecarProcess
  let coturn: Coturn
  let teacherBrowser: Browser
  let studentBrowser: Browser
  let app: Awaited<ReturnType<typeof tcpForward>>
  const certDir = join(tmpdir(), `aula-netlab-cert-${process.pid}`)
  const saved = { urls: process.env.TURN_URLS, secret: process.env.TURN_SECRET, relayOnly: process.env.TURN_RELAY_ONLY }

  group.setup(async () => {
    if (!netnsAvailable()) throw new Error('these tests need root, iproute2 and nftables (bin/setup/system_packages.sh)')
    const cleanups: (() => unknown)[] = []
    const cleanup = async () => {
      for (const step of cleanups.reverse()) await Promise.resolve(step()).catch((error) => console.error('cleanup:', error))
    }
    try {
      netns = createNetns(NS, PREFIX)
      cleanups.push(() => netns.destroy())
      app = await tcpForward(netns.hostIp, APP_PORT, '127.0.0.1', APP_PORT)
      cleanups.push(() => app.close())
      sidecar = await startSidecarProcess({
        port: SIDECAR_PORT,
        secret: SECRET,
        env: { MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: netns.hostIp, MEDIA_WEBRTC_PORT: String(WEBRTC_PORT) },
      })
      cleanups.push(() => sidecar.kill('SIGKILL'))
      const certificate = selfSignedCertificate(certDir, netns.hostIp)
      cleanups.push(() => rmSync(certDir, { recursive: true, force: true }))
      coturn = await startCoturn({
        host: netns.hostIp,
        port: TURN_PORT,
        secret: TURN_SECRET,
        tls: { port: TURNS_PORT, cert: certificate.cert, key: certificate.key },
      })
      cleanups.push(() => coturn.stop())
      teacherBrowser = await launchChromium({ media: true })
      cleanups.push(() => teacherBrowser.close())
      // The student's Chromium trusts coturn's self-signed certificate by its key, and nothing else; the app is
      // plain http on a non-loopback address there, which Chromium must treat as secure for getUserMedia.
      studentBrowser = await launchChromium({
        media: true,
        executablePath: netns.chromiumWrapper,
        args: [`--ignore-certificate-errors-spki-list=${certificate.spki}`, `--unsafely-treat-insecure-origin-as-secure=${app.url}`],
      })
      cleanups.push(() => studentBrowser.close())
      cleanups.push(() => {
        for (const [key, value] of [
          ['TURN_URLS', saved.urls],
          ['TURN_SECRET', saved.secret],
          ['TURN_RELAY_ONLY', saved.relayOnly],
        ] as const) {
          if (value === undefined) delete process.env[key]
          else process.env[key] = value
        }
      })
    } catch (error) {
      await cleanup()
      throw error
    }
    return cleanup
  })

  group.each.setup(() => {
    delete process.env.TURN_URLS
    delete process.env.TURN_RELAY_ONLY
    netns.firewall({})
  })

  test('with all UDP dropped, the student gets the teacher’s video over ICE-TCP to the sidecar’s one port', async ({ assert }) => {
    netns.firewall({ output: ['meta l4proto udp drop'], input: ['meta l4proto udp drop'] })
    const { studentPage, close } = await classWithStudentInNamespace(teacherBrowser, studentBrowser, app.url)
    try {
      await framesAdvance(studentPage, 30_000)
      const pairs = await connectedPairs(studentPage)
      for (const pair of pairs) {
        // An active ICE-TCP candidate connects from an ephemeral port, so Chromium lists it as peer-reflexive.
        assert.oneOf(pair.local.candidateType, ['host', 'prflx'])
        assert.equal(pair.local.protocol, 'tcp')
        assert.deepEqual(pair.remote, { candidateType: 'host', protocol: 'tcp', address: netns.hostIp, port: WEBRTC_PORT })
      }
      await framesAdvance(studentPage, 10_000)
    } finally {
      await close()
    }
  }).timeout(90_000)

  test('with UDP and TCP to the media port dropped too, the student gets the video through coturn over TLS', async ({ assert }) => {
    process.env.TURN_SECRET = TURN_SECRET
    process.env.TURN_URLS = [
      `turn:${netns.hostIp}:${TURN_PORT}?transport=udp`,
      `turn:${netns.hostIp}:${TURN_PORT}?transport=tcp`,
      `turns:${netns.hostIp}:${TURNS_PORT}?transport=tcp`,
    ].join(',')
    // Only the web app and TURN over TLS get through: like a school firewall that opens 443 and nothing else.
    netns.firewall({
      output: [
        'meta l4proto udp drop',
        `ip daddr ${netns.hostIp} tcp dport ${WEBRTC_PORT} drop`,
        `ip daddr ${netns.hostIp} tcp dport ${TURN_PORT} drop`,
      ],
      input: ['meta l4proto udp drop'],
    })
    const { studentPage, close } = await classWithStudentInNamespace(teacherBrowser, studentBrowser, app.url)
    try {
      await framesAdvance(studentPage, 45_000)
      const pairs = await connectedPairs(studentPage)
      for (const pair of pairs) {
        assert.equal(pair.local.candidateType, 'relay')
        assert.equal(pair.local.relayProtocol, 'tls')
        // Beyond the relay, coturn reaches the sidecar's one port over UDP.
        assert.deepEqual(pair.remote, { candidateType: 'host', protocol: 'udp', address: netns.hostIp, port: WEBRTC_PORT })
      }
      await framesAdvance(studentPage, 10_000)
    } finally {
      await close()
    }
  }).timeout(90_000)

  /**
   * The student's path to the sidecar's media port is cut for 5 s by `cut` (nftables rules), then
   * restored: the teacher's video must come back within 10 s, in the same document.
   */
  async function cutAndRestore(assert: any, studentPage: Page, navigations: string[], cut: { output: string[]; input: string[] }, always: { output: string[]; input: string[] }) {
    netns.firewall({ output: [...always.output, ...cut.output], input: [...always.input, ...cut.input] })
    const cutAt = Date.now()
    const restartsBefore = await studentPage.evaluate(() => (window as any).__aulaVideo.iceRestarts() as number)
    // The cut is real: the decoded frame count stops growing (two reads 1 s apart are equal).
    let last = -1
    await eventually(
      'video stopped',
      async () => {
        const now = await framesDecoded(studentPage)
        const stopped = now === last
        last = now
        return stopped
      },
      { timeoutMs: 5000, intervalMs: 1000 }
    )
    // The outage lasts 5 s (the scenario), then the path comes back.
    await eventually('5 s of outage', () => Date.now() - cutAt >= 5000, { timeoutMs: 6000, intervalMs: 50 })
    const frozenAt = await framesDecoded(studentPage)
    netns.firewall(always)
    const restoredAt = Date.now()
    await framesAdvance(studentPage, 10_000, frozenAt)
    const backAfterMs = Date.now() - restoredAt
    await framesAdvance(studentPage, 5000)
    const restarts = (await studentPage.evaluate(() => (window as any).__aulaVideo.iceRestarts() as number)) - restartsBefore
    const states = (await studentPage.evaluate(() => (window as any).__netlabStates as string[]))
      .map((line) => line.split(' '))
      .filter(([at]) => Number(at) >= cutAt)
      .map(([at, pc, state]) => `${pc} ${state} at +${Number(at) - cutAt} ms`)
    console.log(`path cut 5 s: video back ${backAfterMs} ms after the path was restored, ${restarts} ICE restart(s); ${states.join(', ') || 'no connection state change'}`)
    assert.deepEqual(navigations, [], 'the page did not load another document')
    assert.isTrue(await studentPage.evaluate(() => (window as any).__netlabSameDocument === true), 'same document: no reload')
    assert.equal(await studentPage.evaluate(() => (window as any).__aulaVideo.status()), 'live')
    return { restarts }
  }

  test('a student whose path to the sidecar is dropped for 5 s gets the video back without a reload', async ({ assert }) => {
    const { studentPage, navigations, close } = await classWithStudentInNamespace(teacherBrowser, studentBrowser, app.url)
    try {
      await framesAdvance(studentPage, 30_000)
      for (const pair of await connectedPairs(studentPage)) assert.equal(pair.local.protocol, 'udp', 'before the cut: plain UDP')
      const media = (proto: string) => [`ip daddr ${netns.hostIp} ${proto} dport ${WEBRTC_PORT} drop`]
      const back = (proto: string) => [`ip saddr ${netns.hostIp} ${proto} sport ${WEBRTC_PORT} drop`]
      await cutAndRestore(
        assert,
        studentPage,
        navigations,
        { output: [...media('udp'), ...media('tcp')], input: [...back('udp'), ...back('tcp')] },
        { output: [], input: [] }
      )
    } finally {
      await close()
    }
  }).timeout(90_000)

  test('a student on ICE-TCP whose connection to the sidecar is reset and refused for 5 s gets the video back by an ICE restart', async ({
    assert,
  }) => {
    const noUdp = { output: ['meta l4proto udp drop'], input: ['meta l4proto udp drop'] }
    netns.firewall(noUdp)
    const { studentPage, navigations, close } = await classWithStudentInNamespace(teacherBrowser, studentBrowser, app.url)
    try {
      await framesAdvance(studentPage, 30_000)
      for (const pair of await connectedPairs(studentPage)) assert.equal(pair.local.protocol, 'tcp', 'before the cut: ICE-TCP')
      // The TCP connection dies (reset) and new ones are refused: only new ICE parameters and new connections bring media back.
      const { restarts } = await cutAndRestore(
        assert,
        studentPage,
        navigations,
        {
          output: [`ip daddr ${netns.hostIp} tcp dport ${WEBRTC_PORT} reject with tcp reset`],
          // (nft answers the student's own segments with a reset that appears to come from the sidecar: let it in.)
          input: [`ip saddr ${netns.hostIp} tcp sport ${WEBRTC_PORT} tcp flags & rst == 0 drop`],
        },
        noUdp
      )
      assert.isAtLeast(restarts, 1, 'recovered by an ICE restart')
      for (const pair of await connectedPairs(studentPage)) assert.equal(pair.local.protocol, 'tcp')
    } finally {
      await close()
    }
  }).timeout(90_000)
})
