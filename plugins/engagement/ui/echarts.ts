/* The ECharts pieces the engagement charts use, registered once (tree-shaken). */
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { HeatmapChart, LineChart } from 'echarts/charts'
import { GridComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'

use([CanvasRenderer, HeatmapChart, LineChart, GridComponent, TooltipComponent, VisualMapComponent, MarkLineComponent])

/** Low scores red, middling amber, high green. */
export const SCORE_COLORS = ['#c0392b', '#e67e22', '#f1c40f', '#7dbb5a', '#1e8449']
