// @ts-check
import { apiGet } from './api-client.js';
import { dailyChart } from './charts.js';
import { el, formatNumber, replaceChildren } from './dom.js';

/**
 * @typedef {{ requested: number, completed: number, failed: number }} Outcomes
 * @typedef {{
 *   day: string, newUsers: number, activeUsers: number,
 *   generations: Outcomes & { byFormat: { talking_head: Outcomes, background: Outcomes } },
 *   credits: { granted: number, spent: number, refunded: number, revoked: number },
 * stars: { payments: number, revenue: number, creditsSold: number, refunds: number, refunded:
 * number },
 *   stageTimings: Record<string, { p50: number, p95: number, count: number }>
 * }} StatsDay
 */

const DEFAULT_DAYS = 14;
// Pipeline order, so the legend reads like the pipeline runs; unknown stages go last.
const STAGE_ORDER = [
  'tts',
  'talking_head',
  'video',
  'overlay',
  'modal',
  'subtitles',
  'render',
  'montage',
  'assemble',
];

/** @param {Date} date */
const dayOf = (date) => date.toISOString().slice(0, 10);

/**
 * The range in the address bar, else the last two weeks. @returns {{ from: string, to: string }}
 */
function rangeFromAddress() {
  const params = new URLSearchParams(location.search);
  const to = params.get('to') ?? dayOf(new Date());
  const from =
    params.get('from') ??
    dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000));
  return { from, to };
}

/** @param {string} label @param {number} value @param {string} testId */
const stat = (label, value, testId) =>
  el(
    'div',
    { class: 'stat' },
    el('span', { class: 'stat-value', 'data-testid': testId }, formatNumber(value)),
    el('span', { class: 'stat-label' }, label),
  );

/** @param {StatsDay[]} days @param {(day: StatsDay) => number} pick */
const sum = (days, pick) => days.reduce((total, day) => total + pick(day), 0);

/**
 * The overview: totals for the range and four charts from `/stats/daily`.
 * @param {HTMLElement} root
 */
export async function renderOverview(root) {
  const range = rangeFromAddress();
  const from = el('input', { type: 'date', name: 'from', value: range.from, required: '' });
  const to = el('input', { type: 'date', name: 'to', value: range.to, required: '' });
  const form = el(
    'form',
    { class: 'range' },
    el('label', {}, 'From ', from),
    el('label', {}, 'To ', to),
    el('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams({ from: from.value, to: to.value });
    history.replaceState(null, '', `?${params}`);
    void renderOverview(root);
  });
  const body = el('div', { class: 'overview' }, el('p', { class: 'muted' }, 'Loading…'));
  replaceChildren(root, el('h1', {}, 'Overview'), form, body);

  /** @type {{ days: StatsDay[] }} */
  const stats = await apiGet(
    `/stats/daily?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`,
  );
  const days = stats.days;
  const labels = days.map((day) => day.day);
  const stages = [...new Set(days.flatMap((day) => Object.keys(day.stageTimings)))].sort(
    (a, b) =>
      (STAGE_ORDER.indexOf(a) + 1 || 99) - (STAGE_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );

  const totals = el(
    'section',
    { class: 'stats', 'data-testid': 'totals' },
    stat(
      'New users',
      sum(days, (d) => d.newUsers),
      'total-new-users',
    ),
    stat(
      'Generations requested',
      sum(days, (d) => d.generations.requested),
      'total-generations-requested',
    ),
    stat(
      'Completed',
      sum(days, (d) => d.generations.completed),
      'total-generations-completed',
    ),
    stat(
      'Failed',
      sum(days, (d) => d.generations.failed),
      'total-generations-failed',
    ),
    stat(
      'Credits granted',
      sum(days, (d) => d.credits.granted),
      'total-credits-granted',
    ),
    stat(
      'Credits spent',
      sum(days, (d) => d.credits.spent),
      'total-credits-spent',
    ),
    stat(
      'Credits refunded',
      sum(days, (d) => d.credits.refunded),
      'total-credits-refunded',
    ),
    stat(
      'Stars revenue',
      sum(days, (d) => d.stars.revenue),
      'total-stars-revenue',
    ),
    stat(
      'Credits sold',
      sum(days, (d) => d.stars.creditsSold),
      'total-credits-sold',
    ),
  );
  const charts = el(
    'section',
    { class: 'charts' },
    dailyChart({
      title: 'Users per day',
      testId: 'chart-users',
      days: labels,
      series: [
        { label: 'New', values: days.map((d) => d.newUsers) },
        { label: 'Active', values: days.map((d) => d.activeUsers) },
      ],
    }),
    dailyChart({
      title: 'Generations by format and outcome',
      testId: 'chart-generations',
      days: labels,
      series: [
        {
          label: 'Talking head completed',
          values: days.map((d) => d.generations.byFormat.talking_head.completed),
        },
        {
          label: 'Talking head failed',
          values: days.map((d) => d.generations.byFormat.talking_head.failed),
          dash: true,
        },
        {
          label: 'Background completed',
          values: days.map((d) => d.generations.byFormat.background.completed),
        },
        {
          label: 'Background failed',
          values: days.map((d) => d.generations.byFormat.background.failed),
          dash: true,
        },
      ],
    }),
    dailyChart({
      title: 'Credits per day',
      testId: 'chart-credits',
      days: labels,
      series: [
        { label: 'Granted', values: days.map((d) => d.credits.granted) },
        { label: 'Spent', values: days.map((d) => d.credits.spent) },
        { label: 'Refunded', values: days.map((d) => d.credits.refunded) },
      ],
    }),
    dailyChart({
      title: 'Telegram Stars per day',
      testId: 'chart-stars',
      days: labels,
      series: [
        { label: 'Revenue (⭐)', values: days.map((d) => d.stars.revenue) },
        { label: 'Refunded (⭐)', values: days.map((d) => d.stars.refunded), dash: true },
        { label: 'Credits sold', values: days.map((d) => d.stars.creditsSold) },
      ],
    }),
    dailyChart({
      title: 'Stage timings (ms)',
      testId: 'chart-stage-timings',
      days: labels,
      unit: 'ms',
      // One colour per stage: p50 solid, p95 dashed.
      series: stages.flatMap((stage, index) => [
        {
          label: `${stage} p50`,
          values: days.map((d) => d.stageTimings[stage]?.p50 ?? null),
          color: index,
        },
        {
          label: `${stage} p95`,
          values: days.map((d) => d.stageTimings[stage]?.p95 ?? null),
          dash: true,
          color: index,
        },
      ]),
    }),
  );
  replaceChildren(body, totals, charts);
  root.dataset.ready = 'overview';
}
