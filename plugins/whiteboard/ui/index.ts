import { defineUiPlugin } from '~/plugins/registry'
import WhiteboardStage from './WhiteboardStage.vue'
import WhiteboardDashboardCard from './WhiteboardDashboardCard.vue'

export default defineUiPlugin({
  id: 'whiteboard',
  slots: {
    'classroom.stage': [{ key: 'whiteboard:board', title: 'Whiteboard', component: WhiteboardStage, order: 20 }],
    'dashboard.teacher': [{ key: 'whiteboard:dashboard', component: WhiteboardDashboardCard, order: 30 }],
    'dashboard.student': [{ key: 'whiteboard:dashboard', component: WhiteboardDashboardCard, order: 30 }],
  },
})
