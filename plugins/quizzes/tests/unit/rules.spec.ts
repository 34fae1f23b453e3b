import { test } from '@japa/runner'
import { answerRefusal, closesAt, grade, normaliseAnswer, normaliseText, responseMs, AnswerShapeError } from '../../rules.js'
import { normaliseQuestion, QuestionError, toInput } from '../../shared/questions.js'
import { neutraliseFormula, toCsv } from '../../export.js'

const single = normaliseQuestion({
  type: 'single',
  prompt: 'Capital of France?',
  options: [{ label: 'Paris', correct: true }, { label: 'Lyon' }, { label: 'Nice' }],
})
const multiple = normaliseQuestion({
  type: 'multiple',
  prompt: 'Prime numbers?',
  options: [{ label: '2', correct: true }, { label: '3', correct: true }, { label: '4' }],
})
const short = normaliseQuestion({ type: 'short', prompt: 'Largest planet?', accepted: ['Jupiter', ' jupiter '] })

test.group('Quiz rules: when answers are accepted', () => {
  const opened = 1_000_000

  test('an open question without a limit accepts answers', ({ assert }) => {
    assert.isNull(answerRefusal({ status: 'open', openedAtMs: opened, closesAtMs: null }, opened + 3_600_000))
  })

  test('a closed question refuses answers', ({ assert }) => {
    assert.match(answerRefusal({ status: 'closed', openedAtMs: opened, closesAtMs: null }, opened + 1)!, /closed/)
  })

  test('a timed question refuses answers from its deadline on, by the server clock', ({ assert }) => {
    const run = { status: 'open' as const, openedAtMs: opened, closesAtMs: closesAt(opened, 30) }
    assert.equal(run.closesAtMs, opened + 30_000)
    assert.isNull(answerRefusal(run, opened + 29_999))
    assert.match(answerRefusal(run, opened + 30_000)!, /Time is up/)
    assert.match(answerRefusal(run, opened + 90_000)!, /Time is up/)
    assert.isNull(closesAt(opened, null))
  })
})

test.group('Quiz rules: response time', () => {
  test('is measured from the launch to the answer received', ({ assert }) => {
    assert.equal(responseMs(10_000, 12_345), 2345)
  })

  test('a late arrival counts from when the question was shown to that student', ({ assert }) => {
    assert.equal(responseMs(10_000, 25_000, 20_000), 5000)
    // A "shown" time before the launch cannot make the response longer.
    assert.equal(responseMs(10_000, 12_000, 5_000), 2000)
    assert.equal(responseMs(10_000, 9_000), 0)
  })
})

test.group('Quiz rules: answer shape', () => {
  test('unknown options, several options for a one-answer question and text for a choice are refused', ({ assert }) => {
    assert.throws(() => normaliseAnswer(single, { optionIds: ['z'] }), /Unknown option "z"/)
    assert.throws(() => normaliseAnswer(single, { optionIds: ['a', 'b'] }), /exactly one/)
    assert.throws(() => normaliseAnswer(single, { optionIds: [] }), /Choose an answer/)
    assert.throws(() => normaliseAnswer(single, { optionIds: ['a'], text: 'Paris' }), AnswerShapeError)
    assert.deepEqual(normaliseAnswer(multiple, { optionIds: ['b', 'a', 'b'] }).optionIds, ['a', 'b'])
  })

  test('short answers are trimmed, limited and keyed for grouping', ({ assert }) => {
    assert.throws(() => normaliseAnswer(short, { text: '   ' }), /Write an answer/)
    assert.throws(() => normaliseAnswer(short, { text: 'x'.repeat(501) }), /500 characters/)
    assert.throws(() => normaliseAnswer(short, { optionIds: ['a'] }), /written answer/)
    const answer = normaliseAnswer(short, { text: '  The   Jupiter! ' })
    assert.equal(answer.text, 'The Jupiter!')
    assert.equal(answer.textKey, 'the jupiter')
    assert.equal(normaliseText('  JUPITER.'), normaliseText('jupiter'))
    assert.equal(normaliseText('"Jupiter"!'), 'jupiter')
    assert.equal(normaliseText('-5'), '-5', 'a sign is part of the answer')
    assert.equal(normaliseText('.75'), '.75', 'so is a leading decimal point')
    assert.equal(normaliseText('0.75.'), '0.75')
  })
})

test.group('Quiz rules: grading', () => {
  test('single, multiple (exact set) and true/false', ({ assert }) => {
    assert.isTrue(grade(single, normaliseAnswer(single, { optionIds: ['a'] })))
    assert.isFalse(grade(single, normaliseAnswer(single, { optionIds: ['b'] })))
    assert.isTrue(grade(multiple, normaliseAnswer(multiple, { optionIds: ['a', 'b'] })))
    assert.isFalse(grade(multiple, normaliseAnswer(multiple, { optionIds: ['a'] })))
    assert.isFalse(grade(multiple, normaliseAnswer(multiple, { optionIds: ['a', 'b', 'c'] })))
    const tf = normaliseQuestion({ type: 'truefalse', prompt: 'The sun is a star', statementIsTrue: true })
    assert.deepEqual(tf.options.map((o) => o.id), ['true', 'false'])
    assert.isTrue(grade(tf, normaliseAnswer(tf, { optionIds: ['true'] })))
    assert.isFalse(grade(tf, normaliseAnswer(tf, { optionIds: ['false'] })))
  })

  test('questions without a correct answer are polls: correctness is null', ({ assert }) => {
    const poll = normaliseQuestion({ type: 'single', prompt: 'Pizza or pasta?', options: [{ label: 'Pizza' }, { label: 'Pasta' }] })
    assert.isNull(grade(poll, normaliseAnswer(poll, { optionIds: ['a'] })))
    const open = normaliseQuestion({ type: 'short', prompt: 'One word for today?' })
    assert.isNull(grade(open, normaliseAnswer(open, { text: 'sunny' })))
  })

  test('short answers match accepted answers case- and space-insensitively', ({ assert }) => {
    assert.deepEqual(short.accepted, ['Jupiter'])
    assert.isTrue(grade(short, normaliseAnswer(short, { text: 'JUPITER ' })))
    assert.isFalse(grade(short, normaliseAnswer(short, { text: 'Saturn' })))
  })
})

test.group('Quiz questions', () => {
  test('options get stable ids, the correct ones are kept, inconsistent questions are refused', ({ assert }) => {
    assert.deepEqual(single.options.map((o) => o.id), ['a', 'b', 'c'])
    assert.deepEqual(single.correct, ['a'])
    assert.deepEqual(multiple.correct, ['a', 'b'])
    assert.throws(
      () => normaliseQuestion({ type: 'single', prompt: 'Q', options: [{ label: 'x', correct: true }, { label: 'y', correct: true }] }),
      QuestionError
    )
    assert.throws(() => normaliseQuestion({ type: 'multiple', prompt: 'Q', options: [{ label: 'only one' }] }), /at least 2/)
  })

  test('a stored question turns back into the builder form', ({ assert }) => {
    assert.deepEqual(normaliseQuestion(toInput(multiple)), multiple)
    assert.deepEqual(normaliseQuestion(toInput(short)), short)
  })
})

test.group('Quiz exports', () => {
  test('CSV cells that a spreadsheet would run as formulas stay text', ({ assert }) => {
    assert.equal(neutraliseFormula('=HYPERLINK("http://evil")'), `'=HYPERLINK("http://evil")`)
    assert.equal(neutraliseFormula('Paris'), 'Paris')
    const csv = toCsv([
      {
        classTitle: 'Maths, 1st',
        classDate: '2026-01-01T10:00:00.000Z',
        runId: 1,
        questionNumber: 1,
        quizTitle: '',
        question: 'Say "hi"',
        type: 'Short answer',
        anonymous: false,
        student: 'Ann',
        answer: '=1+1',
        correct: null,
        responseSeconds: 2.5,
        answeredAt: null,
      },
    ])
    const [, line] = csv.replace('\uFEFF', '').split('\r\n')
    assert.equal(line, `"Maths, 1st",2026-01-01T10:00:00.000Z,1,,"Say ""hi""",Short answer,no,Ann,'=1+1,,2.5,`)
  })
})
