/* Chart.js pieces the quiz charts use, registered once (tree-shaken build). */
import { BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js'

Chart.register(BarElement, CategoryScale, LinearScale, Tooltip)

export const COLORS = {
  bar: '#2f5bea',
  correct: '#16865a',
  muted: '#9aa3b2',
}
