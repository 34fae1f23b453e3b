import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { startSidecarProcess, type SidecarProcess, TEST_MEDIA_SECRET as SECRET, TEST_SIDECAR_PORT as SIDECAR_PORT } from '#tests/helpers/sidecar'
import { TEST_URL } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import { runOnceInTheSuite } from '#tests/helpers/one_pass'

/*
| Issue 17, what a participant sees of the network and of their devices, in Chromium with fake
| devices against a real sidecar:
|   - the device check on the dashboard: choices remembered across reloads and used in class;
|   - the own connection badge, and the teacher's weak-link marker from a real report through the
|     server (the link is degraded by overriding the measured figures inside the student's page);
|   - audio only: inbound video bytes stop growing while audio keeps coming, and come back;
|   - the school's RNNoise setting: the student's outgoing microphone is the AudioWorklet's output, or not.
*/

type Inbound = { kind: string; bytesReceived: number; framesDecoded: number; trackId: string }
const inbound = (page: Page) => page.evaluate(() => (window as any).__aulaVideo.inbound() as Promise<Inbound[]>)
const bytesOf = (rows: Inbound[], kind: string) => rows.filter((r) => r.kind === kind).reduce((sum, r) => sum + r.bytesReceived, 0)
/** Bytes received on the page's remote camera tracks (not mediasoup-client's bandwidth probe receiver). */
async function cameraBytes(page: Page) {
  const cameras = await page.evaluate(() => (window as any).__aulaVideo.remotes().filter((r: any) => r.source === 'camera').map((r: any) => r.trackId) as string[])
  return (await inbound(page)).filter((r) => cameras.includes(r.trackId)).reduce((sum, r) => sum + r.bytesReceived, 0)
}

async function saveVideoSettings(admin: Page, settings: Record<string, unknown>) {
  const status = await admin.evaluate(async (body) => {
    const xsrf = decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='))!.split('=')[1])
    const response = await fetch('/admin/plugins/video', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'accept': 'application/json', 'x-xsrf-token': xsrf },
      body: JSON.stringify({ enabled: true, settings: body }),
    })
    return response.status
  }, settings)
  if (status !== 200) throw new Error(`saving the video settings answered ${status}`)
}

const SETTINGS = {
  studentsMayShareScreen: false,
  studentsJoinMuted: false,
  maxVideoTiles: 25,
  strongNoiseSuppression: false,
  hlsCpuPercent: 70,
  hlsCpuSeconds: 30,
  hlsLeavePercent: 50,
  hlsLeaveSeconds: 60,
  hlsViewerCap: 0,
}

async function openClass(page: Page, school: SchoolFixture) {
  await page.goto(`${TEST_URL}/classes/${school.classSession.id}`)
  await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live', undefined, { timeout: 30_000 })
}

/** Waits until the page decodes `videos` remote videos and hears `audios` remote microphones. */
async function waitForMedia(page: Page, videos: number, audios: number) {
  let last: Inbound[] = []
  await eventually(
    'media flows',
    async () => {
      last = await inbound(page)
      return last.filter((s) => s.kind === 'video' && s.framesDecoded > 0).length >= videos && last.filter((s) => s.kind === 'audio' && s.bytesReceived > 0).length >= audios
    },
    { timeoutMs: 20_000, intervalMs: 250 }
  ).catch(() => {
    throw new Error(`media did not flow: ${JSON.stringify(last)}`)
  })
}

/** Records CSP violations of a page (document events and console reports of workers and worklets). */
async function watchCsp(page: Page, violations: string[]) {
  await page.exposeFunction('__netuiCsp', (text: string) => violations.push(text))
  await page.addInitScript(() =>
    window.addEventListener('securitypolicyviolation', (e) => (window as any).__netuiCsp(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} ${e.sample}`), true)
  )
  page.on('console', (message) => {
    if (/content.security.policy|wasm-unsafe-eval/i.test(message.text())) violations.push(`console: ${message.text()}`)
  })
}

test.group('Video: network quality, audio only, device check, RNNoise (Chromium, real sidecar)', (group) => {
  runOnceInTheSuite(group)
  let browser: Browser
  let sidecar: SidecarProcess
  group.setup(async () => {
    sidecar = await startSidecarProcess({ port: SIDECAR_PORT, secret: SECRET, env: { MEDIA_WORKERS: '1' } })
    browser = await launchChromium({ media: true, cameras: 2 })
    return async () => {
      await browser.close()
      await sidecar.kill('SIGKILL')
    }
  })

  test('the device check remembers camera, microphone and speaker across reloads, and the class uses them', async ({ assert }) => {
    const school = await createSchool({ liveClass: true })
    const page = await pageAs(browser, school.students[0])
    await page.click('[data-test=device-check-open]')
    await page.waitForFunction(() => (document.querySelector('[data-test=dc-preview]') as HTMLVideoElement | null)?.videoWidth! > 0)

    // Not the browser's first camera and microphone, so that "used in class" means "chosen here".
    const options = (select: string) =>
      page.$$eval(`[data-test=${select}] option`, (els) => els.map((el) => ({ value: (el as HTMLOptionElement).value, label: el.textContent!.trim() })))
    const cameras = await options('dc-camera')
    const mics = await options('dc-mic')
    assert.isAtLeast(cameras.length, 2, JSON.stringify(cameras))
    assert.isAtLeast(mics.length, 2, JSON.stringify(mics))
    const camera = cameras[cameras.length - 1]
    const mic = mics[mics.length - 1]
    await page.selectOption('[data-test=dc-camera]', camera.value)
    await page.selectOption('[data-test=dc-mic]', mic.value)
    const speakers = await options('dc-speaker')
    const speaker = speakers[speakers.length - 1]
    if (speakers.length) await page.selectOption('[data-test=dc-speaker]', speaker.value)

    // The preview shows the chosen camera, the meter moves with the (beeping) fake microphone, the tone plays.
    await page.waitForFunction(
      (label) => ((document.querySelector('[data-test=dc-preview]') as HTMLVideoElement).srcObject as MediaStream | null)?.getVideoTracks()[0]?.label === label,
      camera.label
    )
    await page.waitForFunction(() => Number(document.querySelector('[data-test=dc-level]')?.getAttribute('data-level')) > 0.01, undefined, { timeout: 10_000 })
    await page.click('[data-test=dc-tone]')
    await page.waitForSelector('[data-test=dc-tone][data-played="1"]')

    // Remembered across a reload.
    await page.reload()
    await page.click('[data-test=device-check-open]')
    await page.waitForFunction(() => (document.querySelector('[data-test=dc-preview]') as HTMLVideoElement | null)?.videoWidth! > 0)
    assert.equal(await page.inputValue('[data-test=dc-camera]'), camera.value)
    assert.equal(await page.inputValue('[data-test=dc-mic]'), mic.value)
    if (speakers.length) assert.equal(await page.inputValue('[data-test=dc-speaker]'), speaker.value)
    await page.click('[data-test=dc-done]')

    // The class opens the remembered devices, and plays the others on the remembered speaker.
    const teacher = await pageAs(browser, school.teacher)
    await openClass(teacher, school)
    await openClass(page, school)
    const used = await page.evaluate(() => (window as any).__aulaVideo.localDevices())
    assert.equal(used.camera, camera.label)
    assert.equal(used.mic, mic.label)
    if (speakers.length) {
      await page.waitForSelector('[data-test=remote-audio]', { state: 'attached' })
      await page.waitForFunction((id) => (document.querySelector('[data-test=remote-audio]') as any).sinkId === id, speaker.value)
    }
  })

  test('own connection badge; the teacher sees a weak-link marker when the student’s link is poor; audio only stops video and resumes it', async ({ assert }) => {
    const school = await createSchool({ liveClass: true })
    const admin = await pageAs(browser, school.admin)
    await saveVideoSettings(admin, SETTINGS)
    const teacher = await pageAs(browser, school.teacher)
    const student = await pageAs(browser, school.students[0])
    await openClass(teacher, school)
    await openClass(student, school)
    await waitForMedia(student, 1, 1)
    await waitForMedia(teacher, 1, 1)

    // Everyone sees their own connection; a loopback link is not poor.
    const badge = await student.waitForSelector('[data-test=own-quality]', { timeout: 15_000 })
    assert.oneOf(await badge.getAttribute('data-level'), ['good', 'fair'])
    const marker = `[data-video-user="${school.students[0].id}"] [data-test=weak-link]`
    assert.equal(await teacher.locator(marker).count(), 0)

    // The student's link degrades (measured figures overridden inside the page; report and relay are real).
    await student.evaluate(() => ((window as any).__aulaNetworkOverride = { rttMs: 900, lossPercent: 18 }))
    await student.waitForSelector('[data-test=own-quality][data-level=poor]', { timeout: 15_000 })
    await teacher.waitForSelector(marker, { timeout: 15_000 })
    // Only teachers get the marker: the student's own page has none for anyone.
    assert.equal(await student.locator('[data-test=weak-link]').count(), 0)

    // One tap: audio only. Video stops arriving (bytes stop growing) while audio keeps coming.
    await student.click('[data-test=audio-only]')
    await student.waitForSelector('[data-test=audio-only][aria-pressed=true]')
    // Two reads half a second apart (the poll's interval) that agree: nothing more arrives.
    let flat = -1
    await eventually(
      'inbound video stops growing',
      async () => {
        const now = await cameraBytes(student)
        const same = now === flat
        flat = now
        return same
      },
      { timeoutMs: 15_000, intervalMs: 500 }
    )
    const audioBefore = bytesOf(await inbound(student), 'audio')
    await eventually('audio keeps arriving', async () => bytesOf(await inbound(student), 'audio') > audioBefore + 6000, { timeoutMs: 15_000, intervalMs: 250 })
    assert.equal(await cameraBytes(student), flat, 'no video arrived while audio did')
    // The student's own camera stopped too: the teacher sees it off.
    await teacher.waitForFunction(
      (id) => (window as any).__aulaVideo.remotes().some((r: any) => r.userId === id && r.source === 'camera' && r.paused),
      school.students[0].id
    )

    // Tap again: video comes back both ways.
    await student.click('[data-test=audio-only]')
    await eventually('inbound video grows again', async () => (await cameraBytes(student)) > flat + 10_000, { timeoutMs: 15_000, intervalMs: 250 })
    await teacher.waitForFunction(
      (id) => (window as any).__aulaVideo.remotes().some((r: any) => r.userId === id && r.source === 'camera' && !r.paused),
      school.students[0].id
    )

    // The link recovers: the marker goes away.
    await student.evaluate(() => delete (window as any).__aulaNetworkOverride)
    await teacher.waitForSelector(marker, { state: 'detached', timeout: 15_000 })
  })

  test('strong noise suppression on: the student’s outgoing microphone is the RNNoise worklet’s output (teachers’ is not); off: the microphone itself; no CSP violation', async ({ assert }) => {
    const school = await createSchool({ liveClass: true })
    const admin = await pageAs(browser, school.admin)
    await saveVideoSettings(admin, { ...SETTINGS, strongNoiseSuppression: true })
    const violations: string[] = []
    const teacher = await pageAs(browser, school.teacher)
    const student = await pageAs(browser, school.students[0], TEST_URL, (page) => watchCsp(page, violations))
    await openClass(teacher, school)
    await openClass(student, school)

    type Pipeline = { worklet: boolean; processorError: boolean; contextState: string | null; rawTrackId: string | null; processedTrackId: string | null; producedTrackId: string | null }
    const pipeline = (page: Page) => page.evaluate(() => (window as any).__aulaVideo.micPipeline() as Pipeline)
    const on = await pipeline(student)
    assert.isTrue(on.worklet, JSON.stringify(on))
    assert.isFalse(on.processorError, 'the RNNoise processor threw')
    assert.equal(on.contextState, 'running')
    assert.isString(on.processedTrackId)
    assert.equal(on.producedTrackId, on.processedTrackId, 'the producer sends the worklet’s output')
    assert.notEqual(on.producedTrackId, on.rawTrackId)
    const teacherSide = await pipeline(teacher)
    assert.isFalse(teacherSide.worklet, 'teachers’ microphones are left alone')
    assert.equal(teacherSide.producedTrackId, teacherSide.rawTrackId)
    // The worklet really runs RNNoise (a worklet whose wasm failed to load outputs exact silence): the
    // produced track carries sound from the (beeping) fake microphone.
    const peak = await student.evaluate(async () => {
      const track = (window as any).__aulaVideo.producedMicTrack() as MediaStreamTrack
      const context = new AudioContext()
      const analyser = context.createAnalyser()
      context.createMediaStreamSource(new MediaStream([track])).connect(analyser)
      const samples = new Float32Array(analyser.fftSize)
      let max = 0
      const until = performance.now() + 10_000
      while (max === 0 && performance.now() < until) {
        await new Promise((resolve) => requestAnimationFrame(resolve))
        analyser.getFloatTimeDomainData(samples)
        for (const v of samples) max = Math.max(max, Math.abs(v))
      }
      await context.close()
      return max
    })
    assert.isAbove(peak, 0, 'the worklet’s output is silence')
    // What the worklet produces reaches the teacher.
    await waitForMedia(teacher, 1, 1)
    const heard = bytesOf(await inbound(teacher), 'audio')
    await eventually('the student’s processed audio keeps arriving', async () => bytesOf(await inbound(teacher), 'audio') > heard + 4000, { timeoutMs: 15_000, intervalMs: 250 })
    assert.deepEqual(violations, [])

    await saveVideoSettings(admin, SETTINGS)
    await student.reload()
    await student.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live', undefined, { timeout: 30_000 })
    const off = await pipeline(student)
    assert.isFalse(off.worklet)
    assert.isNull(off.processedTrackId)
    assert.equal(off.producedTrackId, off.rawTrackId)
    assert.deepEqual(violations, [])
  })
})
