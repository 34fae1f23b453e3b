import { defineUiPlugin } from '~/plugins/registry'
import VideoStage from './VideoStage.vue'
import VideoToolbar from './VideoToolbar.vue'
import RoomSpeaker from './RoomSpeaker.vue'
import ViewersBadge from './ViewersBadge.vue'
import DeviceCheck from './DeviceCheck.vue'

export default defineUiPlugin({
  id: 'video',
  slots: {
    'classroom.stage': [{ key: 'video:stage', title: 'Video', titleKey: 'video.stageTitle', component: VideoStage, order: 10 }],
    'classroom.toolbar': [{ key: 'video:toolbar', component: VideoToolbar, order: 10, splits: true }],
    'classroom.status': [{ key: 'video:viewers', component: ViewersBadge, order: 20, roles: ['teacher'] }],
    'classroom.room_overview': [{ key: 'video:room_speaker', component: RoomSpeaker, order: 20, roles: ['teacher'] }],
    'dashboard.teacher': [{ key: 'video:device_check', component: DeviceCheck, order: 5 }],
    'dashboard.student': [{ key: 'video:device_check', component: DeviceCheck, order: 5 }],
  },
})
