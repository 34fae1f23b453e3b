import { test } from '@japa/runner'
import { ffmetadata, placeChapters, webVttChapters } from '../../assemble.js'
import { parseRange } from '../../controllers/recordings_controller.js'

test.group('Recording chapters and ranges', () => {
  test('wall-clock marks land on the joined timeline: a part starts where the previous ended, lost seconds are skipped', ({ assert }) => {
    const parts = [
      { partId: 'a', startedAt: 10_000, offsetMs: 0, durationMs: 60_000 },
      // 3 s lost between the parts (encoder restart)
      { partId: 'b', startedAt: 73_000, offsetMs: 60_000, durationMs: 30_000 },
    ]
    const chapters = placeChapters(
      [
        { at: 10_000, title: 'Page 1' },
        { at: 40_000, title: 'Slide 2' },
        { at: 71_500, title: 'Lost in the gap' },
        { at: 80_000, title: 'Page 3' },
        { at: 80_400, title: 'Page 3 (switched back quickly)' },
      ],
      parts,
      90_000
    )
    assert.deepEqual(chapters, [
      { startMs: 0, endMs: 30_000, title: 'Page 1' },
      { startMs: 30_000, endMs: 60_000, title: 'Slide 2' },
      { startMs: 60_000, endMs: 67_000, title: 'Lost in the gap' },
      { startMs: 67_000, endMs: 90_000, title: 'Page 3 (switched back quickly)' },
    ])
  })

  test('the first chapter starts at 0 and marks after the end are dropped', ({ assert }) => {
    const parts = [{ partId: 'a', startedAt: 1000, offsetMs: 0, durationMs: 5000 }]
    assert.deepEqual(placeChapters([{ at: 3000, title: 'Late' }, { at: 9000, title: 'After' }], parts, 5000), [{ startMs: 0, endMs: 5000, title: 'Late' }])
  })

  test('ffmetadata and WebVTT escape titles', ({ assert }) => {
    const chapters = [{ startMs: 0, endMs: 61_500, title: 'A=b; #1\nx' }, { startMs: 61_500, endMs: 3_723_004, title: 'Next --> one' }]
    assert.include(ffmetadata(chapters, 'Class'), 'title=A\\=b\\; \\#1 x')
    assert.include(ffmetadata(chapters, 'Class'), 'START=61500\nEND=3723004')
    const vtt = webVttChapters(chapters)
    assert.isTrue(vtt.startsWith('WEBVTT\n\n1\n00:00:00.000 --> 00:01:01.500\n'))
    assert.include(vtt, '00:01:01.500 --> 01:02:03.004\nNext → one')
  })

  test('HTTP byte ranges', ({ assert }) => {
    assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 })
    assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 })
    assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 })
    assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999 })
    for (const bad of ['bytes=1000-', 'bytes=5-2', 'bytes=-', 'items=0-1', 'bytes=0-1,5-6']) assert.isNull(parseRange(bad, 1000), bad)
  })
})
