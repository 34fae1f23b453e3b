import { defineUiPlugin } from '~/plugins/registry'
import WhiteboardStage from './WhiteboardStage.vue'
import WhiteboardDashboardCard from './WhiteboardDashboardCard.vue'
import RoomBoardThumbnail from './RoomBoardThumbnail.vue'

export default defineUiPlugin({
  id: 'whiteboard',
  slots: {
    'classroom.stage': [{ key: 'whiteboard:board', title: 'Whiteboard', titleKey: 'whiteboard.stageTitle', component: WhiteboardStage, order: 20 }],
    'classroom.room_overview': [{ key: 'whiteboard:thumbnail', component: RoomBoardThumbnail, order: 10, roles: ['teacher'] }],
    'dashboard.teacher': [{ key: 'whiteboard:dashboard', component: WhiteboardDashboardCard, order: 30 }],
    'dashboard.student': [{ key: 'whiteboard:dashboard', component: WhiteboardDashboardCard, order: 30 }],
  },
})
