import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { periodOf, previousPeriod } from '../../periods.js'

const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis()

test.group('Attendance periods in the school time zone', () => {
  test('a Monday 00:30 in Berlin belongs to the new week although it is still Sunday in UTC', ({ assert }) => {
    const atMs = berlin('2026-11-23T00:30')
    assert.equal(new Date(atMs).getUTCDay(), 0, 'Sunday in UTC')
    const week = periodOf(atMs, 'weekly', 'Europe/Berlin', 'monday')
    assert.equal(week.key, 'week-2026-11-23')
    assert.equal(week.fromMs, berlin('2026-11-23T00:00'))
    assert.equal(week.toMs, berlin('2026-11-30T00:00'))
    assert.equal(periodOf(atMs, 'weekly', 'UTC', 'monday').key, 'week-2026-11-16')
  })

  test('weeks starting on Sunday', ({ assert }) => {
    assert.equal(periodOf(berlin('2026-11-22T10:00'), 'weekly', 'Europe/Berlin', 'sunday').key, 'week-2026-11-22')
    assert.equal(periodOf(berlin('2026-11-28T23:59'), 'weekly', 'Europe/Berlin', 'sunday').key, 'week-2026-11-22')
    assert.equal(periodOf(berlin('2026-11-29T00:00'), 'weekly', 'Europe/Berlin', 'sunday').key, 'week-2026-11-29')
  })

  test('months follow the local calendar, across a DST change', ({ assert }) => {
    const atMs = berlin('2026-11-01T00:15')
    assert.equal(periodOf(atMs, 'monthly', 'Europe/Berlin').key, 'month-2026-11')
    assert.equal(periodOf(atMs, 'monthly', 'UTC').key, 'month-2026-10')
    const october = periodOf(berlin('2026-10-10T12:00'), 'monthly', 'Europe/Berlin')
    assert.equal(october.toMs - october.fromMs, (31 * 24 + 1) * 3600_000, 'October has 25 h on the day clocks go back')
    assert.equal(previousPeriod(atMs, 'monthly', 'Europe/Berlin').key, 'month-2026-10')
  })

  test('an unknown zone falls back to UTC', ({ assert }) => {
    assert.equal(periodOf(Date.UTC(2026, 10, 23, 0, 30), 'weekly', 'Mars/Olympus').key, 'week-2026-11-23')
  })
})
