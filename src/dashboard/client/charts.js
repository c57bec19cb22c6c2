// @ts-check
import uPlot from 'uplot';
import { el } from './dom.js';

const PALETTE = [
  '#2563eb',
  '#16a34a',
  '#dc2626',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#ca8a04',
  '#db2777',
];

/**
 * @typedef {{ label: string, values: (number | null)[], dash?: boolean, color?: number }} Series
 * `color` picks a palette entry (default: the series' index), so related series can share one.
 */

/** UTC midnight of `YYYY-MM-DD`, in seconds (uPlot's time unit). @param {string} day */
const daySeconds = (day) => Date.parse(`${day}T00:00:00Z`) / 1000;

/**
 * A titled line chart of daily values; the caller puts it in the page, then it sizes to its box.
 * @param {{ title: string, testId: string, days: string[], series: Series[], unit?: string }} spec
 * @returns {HTMLElement}
 */
export function dailyChart(spec) {
  const box = el('div', { class: 'chart', 'data-testid': spec.testId });
  const figure = el('figure', { class: 'card' }, el('figcaption', {}, spec.title), box);
  /** @type {uPlot.AlignedData} */
  const data = [spec.days.map(daySeconds), ...spec.series.map((series) => series.values)];
  const options = {
    width: 600,
    height: 220,
    tzDate: (/** @type {number} */ ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true } },
    // Labels only: hover values would show '--' in screenshots and add nothing the axes lack.
    legend: { live: false },
    axes: [{}, { label: spec.unit ?? '' }],
    series: [
      {},
      ...spec.series.map((series, index) => ({
        label: series.label,
        stroke: PALETTE[(series.color ?? index) % PALETTE.length],
        width: 2,
        spanGaps: false,
        ...(series.dash ? { dash: [6, 4] } : {}),
        points: { show: true, size: 5 },
      })),
    ],
  };
  // uPlot measures nothing itself: size it after layout, and again when the window resizes.
  requestAnimationFrame(() => {
    const plot = new uPlot({ ...options, width: Math.max(280, box.clientWidth) }, data, box);
    window.addEventListener('resize', () =>
      plot.setSize({ width: Math.max(280, box.clientWidth), height: options.height }),
    );
  });
  return figure;
}
