import { test } from '@japa/runner'
import { inertiaPageSource } from '#start/view'

test.group('Inertia page sources (the @vite entry of each page)', () => {
  test('core pages are in resources/js/pages, a plugin’s in plugins/<id>/ui/pages', ({ assert }) => {
    assert.equal(inertiaPageSource('classroom/show'), 'resources/js/pages/classroom/show.vue')
    assert.equal(inertiaPageSource('plugins/recording/playback'), 'plugins/recording/ui/pages/playback.vue')
    assert.equal(inertiaPageSource('plugins/attendance/reports/course'), 'plugins/attendance/ui/pages/reports/course.vue')
  })
})
