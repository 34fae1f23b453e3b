import { defineUiPlugin } from '~/plugins/registry'
import AttendanceNotice from './AttendanceNotice.vue'
import LivePanel from './LivePanel.vue'
import DashboardCard from './DashboardCard.vue'
import AdminCard from './AdminCard.vue'
import ChildCard from './ChildCard.vue'

export default defineUiPlugin({
  id: 'attendance',
  slots: {
    'classroom.overlay': [{ key: 'attendance:notice', component: AttendanceNotice, roles: ['student'], order: 5 }],
    'classroom.panel': [{ key: 'attendance:live', title: 'Attendance', titleKey: 'attendance.title', component: LivePanel, order: 60, roles: ['teacher'] }],
    'dashboard.teacher': [{ key: 'attendance:dashboard', component: DashboardCard, order: 30 }],
    'dashboard.student': [{ key: 'attendance:dashboard', component: DashboardCard, order: 30 }],
    'dashboard.admin': [{ key: 'attendance:dashboard', component: AdminCard, order: 30 }],
    'dashboard.parent': [{ key: 'attendance:child', component: ChildCard, order: 30 }],
  },
})
