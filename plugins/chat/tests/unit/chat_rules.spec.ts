import { test } from '@japa/runner'
import { chatRefusal, normaliseBody } from '../../rules.js'

test.group('Chat rules', () => {
  test('teachers may always write', ({ assert }) => {
    assert.isNull(chatRefusal({ role: 'teacher', muted: true, studentsMayChat: false }))
  })

  test('students are refused when the school made the chat read-only or when muted', ({ assert }) => {
    assert.isNull(chatRefusal({ role: 'student', muted: false, studentsMayChat: true }))
    assert.match(chatRefusal({ role: 'student', muted: false, studentsMayChat: false })!, /read-only/)
    assert.match(chatRefusal({ role: 'student', muted: true, studentsMayChat: true })!, /muted/)
  })

  test('bodies are trimmed and blank-line runs collapsed, markup is kept as text', ({ assert }) => {
    assert.equal(normaliseBody('  hi\r\n\r\n\r\n\r\nthere  '), 'hi\n\nthere')
    assert.equal(normaliseBody('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>')
  })
})
