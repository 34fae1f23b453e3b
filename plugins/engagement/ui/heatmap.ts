/* Builds the live heatmap's rows and ECharts option from the watch state (kept out of the component). */
import type { LiveWatch } from '../events.js'
import { SIGNAL_KEYS } from './weights.js'

export type HeatmapState = LiveWatch
type T = (key: string, params?: Record<string, unknown>) => string

export interface OrderedRow {
  userId: number
  name: string
  score: number | null
  drift: number | null
  drifting: boolean
  values: (number | null)[]
}

/** Drop (points) over the drift window that marks a student as drifting. */
export const DRIFT_DROP = 10

/** Drifting students first (largest drop first), then the lowest scores. */
export function orderRows(s: HeatmapState): OrderedRow[] {
  return s.rows
    .map(([userId, score, drift, ...values]) => ({
      userId,
      name: s.names[userId] ?? `#${userId}`,
      score,
      drift,
      drifting: drift !== null && drift <= -DRIFT_DROP,
      values,
    }))
    .sort((a, b) => Number(b.drifting) - Number(a.drifting) || (a.drift ?? 0) * Number(a.drifting) - (b.drift ?? 0) * Number(b.drifting) || (a.score ?? -1) - (b.score ?? -1) || a.name.localeCompare(b.name))
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

export function heatmapOption(s: HeatmapState, rows: OrderedRow[], t: T, colors: string[]) {
  // ECharts draws the first category at the bottom: reverse so the drifting students are on top.
  const ys = [...rows].reverse()
  const data: [number, number, number | '-'][] = []
  ys.forEach((r, y) => (s.history.scores[r.userId] ?? []).forEach((score, x) => data.push([x, y, score ?? '-'])))
  const breakdown = (r: OrderedRow) =>
    SIGNAL_KEYS.map((key, i) => {
      const v = r.values[i]
      const label = t(`engagement.signal.${key}`)
      return v === null ? `${label}: ${t('engagement.notMeasuredShort')}` : `${label}: ${Math.round(v * 100)} % (${t('engagement.weight')} ${s.weights[key]} %)`
    }).join('<br>')
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  return {
    animation: false,
    grid: { left: 110, right: 12, top: 10, bottom: 60 },
    xAxis: { type: 'category', data: s.history.t.map(time), splitArea: { show: true } },
    yAxis: {
      type: 'category',
      data: ys.map((r) => (r.drifting ? `▼ ${r.name}` : r.name)),
      axisLabel: { width: 100, overflow: 'truncate', color: (_: unknown, i: number) => (ys[i]?.drifting ? '#c0392b' : '#1d2433') },
    },
    visualMap: { min: 0, max: 100, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: colors } },
    tooltip: {
      formatter: (p: { data: [number, number, number | '-'] }) => {
        const r = ys[p.data[1]]
        if (!r) return ''
        const drift = r.drift === null ? '' : ` (${r.drift > 0 ? '+' : ''}${r.drift})`
        return `<strong>${escape(r.name)}</strong><br>${s.history.t[p.data[0]] ? time(s.history.t[p.data[0]]) : ''}: ${p.data[2] === '-' ? '–' : p.data[2]}<br>${t('engagement.now')}: ${r.score ?? '–'}${drift}<br>${breakdown(r)}`
      },
    },
    series: [{ type: 'heatmap', data, progressive: 0, emphasis: { itemStyle: { borderColor: '#1d2433', borderWidth: 1 } } }],
  }
}
