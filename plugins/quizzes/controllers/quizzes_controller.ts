import type { HttpContext } from '@adonisjs/core/http'
import Quiz from '../models/quiz.js'
import { courseToManage, manageableCourses, notFound, parseId } from '../access.js'
import { quizValidator } from '../validators.js'
import { normaliseQuestion, QuestionError, type Question } from '../shared/questions.js'

type QuizData = Awaited<ReturnType<typeof quizValidator.validate>>

/** Builds the stored questions, or a 422 body naming the question that is wrong. */
function buildQuestions(data: QuizData): { questions: Question[] } | { errors: { field: string; message: string }[] } {
  const questions: Question[] = []
  for (const [index, input] of data.questions.entries()) {
    try {
      questions.push(normaliseQuestion(input))
    } catch (error) {
      if (!(error instanceof QuestionError)) throw error
      return { errors: [{ field: `questions.${index}`, message: `Question ${index + 1}: ${error.message}` }] }
    }
  }
  return { questions }
}

async function quizToManage(user: { id: number; schoolId: number; role: string }, id: unknown) {
  const quiz = await Quiz.query().where({ id: parseId(id), schoolId: user.schoolId }).first()
  if (!quiz) throw notFound()
  await courseToManage(user, quiz.courseId)
  return quiz
}

/** The quiz builder of the teacher dashboard: prepared quizzes per course. */
export default class QuizzesController {
  async courses({ auth }: HttpContext) {
    const user = auth.getUserOrFail()
    const courses = await manageableCourses(user)
    const counts = courses.length
      ? await Quiz.query().whereIn('course_id', courses.map((c) => c.id)).groupBy('course_id').select('course_id').count('* as total')
      : []
    const countOf = (id: number) => Number(counts.find((c) => c.courseId === id)?.$extras.total ?? 0)
    return { courses: courses.map((c) => ({ id: c.id, name: c.name, quizCount: countOf(c.id) })) }
  }

  async index({ auth, params }: HttpContext) {
    const course = await courseToManage(auth.getUserOrFail(), params.courseId)
    const quizzes = await Quiz.query().where('course_id', course.id).orderBy('title')
    return { quizzes: quizzes.map((q) => q.toSummary()) }
  }

  async store({ auth, params, request, response }: HttpContext) {
    const user = auth.getUserOrFail()
    const course = await courseToManage(user, params.courseId)
    const data = await request.validateUsing(quizValidator)
    const built = buildQuestions(data)
    if ('errors' in built) return response.unprocessableEntity(built)
    const quiz = await Quiz.create({
      schoolId: course.schoolId,
      courseId: course.id,
      title: data.title,
      questions: built.questions,
      createdBy: user.id,
    })
    return response.created({ quiz: quiz.toSummary() })
  }

  async update({ auth, params, request, response }: HttpContext) {
    const quiz = await quizToManage(auth.getUserOrFail(), params.id)
    const data = await request.validateUsing(quizValidator)
    const built = buildQuestions(data)
    if ('errors' in built) return response.unprocessableEntity(built)
    quiz.merge({ title: data.title, questions: built.questions })
    await quiz.save()
    return { quiz: quiz.toSummary() }
  }

  async destroy({ auth, params, response }: HttpContext) {
    const quiz = await quizToManage(auth.getUserOrFail(), params.id)
    await quiz.delete()
    return response.noContent()
  }
}
