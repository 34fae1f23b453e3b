import { defineUiPlugin } from '~/plugins/registry'
import RecordingIndicator from './RecordingIndicator.vue'
import RecordingsCard from './RecordingsCard.vue'
import AdminRecordingsCard from './AdminRecordingsCard.vue'

export default defineUiPlugin({
  id: 'recording',
  slots: {
    'classroom.status': [{ key: 'recording:indicator', component: RecordingIndicator, order: 1 }],
    'dashboard.teacher': [{ key: 'recording:dashboard', component: RecordingsCard, order: 40 }],
    'dashboard.student': [{ key: 'recording:dashboard', component: RecordingsCard, order: 40 }],
    'dashboard.parent': [{ key: 'recording:dashboard', component: RecordingsCard, order: 40 }],
    'dashboard.admin': [{ key: 'recording:dashboard', component: AdminRecordingsCard, order: 40 }],
  },
})
