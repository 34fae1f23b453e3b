import { defineUiPlugin } from '~/plugins/registry'
import BreakoutsPanel from './BreakoutsPanel.vue'
import BreakoutBanner from './BreakoutBanner.vue'

export default defineUiPlugin({
  id: 'breakouts',
  slots: {
    'classroom.panel': [{ key: 'breakouts:panel', title: 'Rooms', titleKey: 'breakouts.tab', component: BreakoutsPanel, order: 30 }],
    'classroom.overlay': [{ key: 'breakouts:banner', component: BreakoutBanner }],
  },
})
