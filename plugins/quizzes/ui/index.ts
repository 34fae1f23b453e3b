import { defineUiPlugin } from '~/plugins/registry'
import QuizPanel from './QuizPanel.vue'
import QuizOverlay from './QuizOverlay.vue'
import QuizDashboardCard from './QuizDashboardCard.vue'

export default defineUiPlugin({
  id: 'quizzes',
  slots: {
    'classroom.panel': [{ key: 'quizzes:panel', title: 'Quiz', titleKey: 'quizzes.tab', component: QuizPanel, order: 20, roles: ['teacher'] }],
    'classroom.overlay': [{ key: 'quizzes:overlay', component: QuizOverlay, roles: ['student'] }],
    'dashboard.teacher': [{ key: 'quizzes:dashboard', component: QuizDashboardCard, order: 20 }],
  },
})
