import { test } from '@japa/runner'
import { chooseViewerMode, stageRefusal, triggerParams, type JoinContext } from '../../hls_mode.js'

const base: JoinContext = {
  role: 'student',
  room: 'main',
  onStage: false,
  watchingHls: false,
  lectureMode: false,
  viewerCap: 0,
  webrtcViewers: 10,
  triggerActive: false,
  streamAvailable: true,
}

test.group('Video: which way a new viewer watches (HLS fallback)', () => {
  test('a student joins over HLS while the trigger holds, in lecture mode, or once the viewer cap is reached', ({ assert }) => {
    assert.deepEqual(chooseViewerMode(base), { mode: 'webrtc', reason: 'normal' })
    assert.deepEqual(chooseViewerMode({ ...base, triggerActive: true }), { mode: 'hls', reason: 'cpu' })
    assert.deepEqual(chooseViewerMode({ ...base, lectureMode: true }), { mode: 'hls', reason: 'lecture_mode' })
    assert.deepEqual(chooseViewerMode({ ...base, viewerCap: 10 }), { mode: 'hls', reason: 'viewer_cap' })
    assert.deepEqual(chooseViewerMode({ ...base, viewerCap: 11 }), { mode: 'webrtc', reason: 'normal' })
  })

  test('teachers, breakout rooms and students on stage always use WebRTC; no stream means WebRTC', ({ assert }) => {
    const loaded = { ...base, triggerActive: true, lectureMode: true }
    assert.equal(chooseViewerMode({ ...loaded, role: 'teacher' }).mode, 'webrtc')
    assert.deepEqual(chooseViewerMode({ ...loaded, room: 'r1' }), { mode: 'webrtc', reason: 'breakout' })
    assert.deepEqual(chooseViewerMode({ ...loaded, onStage: true }), { mode: 'webrtc', reason: 'on_stage' })
    assert.deepEqual(chooseViewerMode({ ...loaded, streamAvailable: false }), { mode: 'webrtc', reason: 'no_stream' })
  })

  test('a tab already on HLS that joins again (a media server restart) keeps HLS, even before the stream is back; on stage or in a breakout it uses WebRTC', ({ assert }) => {
    assert.deepEqual(chooseViewerMode({ ...base, watchingHls: true }), { mode: 'hls', reason: 'kept' })
    assert.deepEqual(chooseViewerMode({ ...base, watchingHls: true, streamAvailable: false }), { mode: 'hls', reason: 'kept' })
    assert.deepEqual(chooseViewerMode({ ...base, watchingHls: true, onStage: true }), { mode: 'webrtc', reason: 'on_stage' })
    assert.deepEqual(chooseViewerMode({ ...base, watchingHls: true, room: 'r1' }), { mode: 'webrtc', reason: 'breakout' })
  })

  test('the school’s percent and seconds become the sidecar trigger’s shares and ms; the exit threshold never exceeds the entry one', ({ assert }) => {
    const settings = { hlsCpuPercent: 70, hlsCpuSeconds: 30, hlsLeavePercent: 50, hlsLeaveSeconds: 60, hlsViewerCap: 0 }
    assert.deepEqual(triggerParams(settings), { enterAt: 0.7, enterForMs: 30_000, leaveBelow: 0.5, leaveForMs: 60_000 })
    assert.equal(triggerParams({ ...settings, hlsLeavePercent: 90 }).leaveBelow, 0.7)
  })

  test('a student is brought on stage only while the worker is below the threshold and the viewer cap leaves room', ({ assert }) => {
    const idle = { cpu: 0.3, enterAt: 0.7, viewerCap: 0, webrtcViewers: 40 }
    assert.isNull(stageRefusal(idle))
    assert.equal(stageRefusal({ ...idle, cpu: 0.7 }), 'cpu', 'at the threshold')
    assert.isNull(stageRefusal({ ...idle, cpu: 0.69 }))
    assert.equal(stageRefusal({ ...idle, viewerCap: 40 }), 'viewer_cap', 'the cap is reached')
    assert.isNull(stageRefusal({ ...idle, viewerCap: 41 }))
    assert.equal(stageRefusal({ ...idle, cpu: null }), 'no_media', 'the sidecar did not answer')
  })
})
