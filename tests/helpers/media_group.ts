import type { Group } from '@japa/runner/core'
import type { Browser } from 'playwright-core'
import { launchChromium } from '#tests/helpers/browser'
import { startSidecarProcess, TEST_MEDIA_SECRET, TEST_SIDECAR_PORT, type SidecarProcess } from '#tests/helpers/sidecar'

/**
 * What a browser class test with video needs for its group: a real media sidecar where the test
 * server looks for one, and Chromium with a fake camera and microphone; both go after the group.
 * Read `browser` and `sidecar` inside the tests (they exist once the group has started).
 */
export function chromiumWithSidecar(group: Group) {
  const parts = {} as { browser: Browser; sidecar: SidecarProcess }
  group.setup(async () => {
    parts.sidecar = await startSidecarProcess({ port: TEST_SIDECAR_PORT, secret: TEST_MEDIA_SECRET })
    parts.browser = await launchChromium({ media: true })
    return async () => {
      await parts.browser.close()
      await parts.sidecar.kill('SIGKILL')
    }
  })
  return parts
}
