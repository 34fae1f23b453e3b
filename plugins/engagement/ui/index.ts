import { defineUiPlugin } from '~/plugins/registry'
import './echarts'
import HeatmapPanel from './HeatmapPanel.vue'
import AdminCard from './AdminCard.vue'
import ClassScoresCard from './ClassScoresCard.vue'
import MyScoresCard from './MyScoresCard.vue'

export default defineUiPlugin({
  id: 'engagement',
  slots: {
    'classroom.panel': [{ key: 'engagement:heatmap', title: 'Engagement', titleKey: 'engagement.title', component: HeatmapPanel, order: 60, roles: ['teacher'] }],
    'dashboard.admin': [{ key: 'engagement:admin', component: AdminCard, order: 30 }],
    'dashboard.teacher': [{ key: 'engagement:classes', component: ClassScoresCard, order: 30 }],
    'dashboard.student': [{ key: 'engagement:mine', component: MyScoresCard, order: 30 }],
    'dashboard.parent': [{ key: 'engagement:mine', component: MyScoresCard, order: 30 }],
  },
})
