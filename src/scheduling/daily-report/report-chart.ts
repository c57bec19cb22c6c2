import sharp from 'sharp';
import type { DailyFigures } from './daily-figures.js';
import { reportFormats } from './daily-figures.js';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 800;

const colors = {
  background: '#ffffff',
  text: '#1f2933',
  muted: '#7b8794',
  grid: '#e4e7eb',
  completed: '#2f9e44',
  failed: '#e03131',
  inProgress: '#adb5bd',
  p50: '#1c7ed6',
  p95: '#74c0fc',
  granted: '#2f9e44',
  spent: '#1c7ed6',
  refunded: '#f59f00',
  revoked: '#e03131',
} as const;

const formatLabels: Record<(typeof reportFormats)[number], string> = {
  talking_head: 'Talking head',
  background: 'Character + background',
};

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

const text = (
  x: number,
  y: number,
  content: string,
  options: { size?: number; weight?: string; fill?: string; anchor?: string } = {},
) =>
  `<text x="${x}" y="${y}" font-family="DejaVu Sans, sans-serif" font-size="${options.size ?? 16}" font-weight="${options.weight ?? 'normal'}" fill="${options.fill ?? colors.text}" text-anchor="${options.anchor ?? 'start'}">${escapeXml(content)}</text>`;

const rect = (x: number, y: number, width: number, height: number, fill: string) =>
  `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, width).toFixed(1)}" height="${height.toFixed(1)}" fill="${fill}" rx="3"/>`;

function legend(x: number, y: number, items: readonly [string, string][]): string {
  let offset = x;
  return items
    .map(([label, fill]) => {
      const out =
        rect(offset, y - 12, 14, 14, fill) +
        text(offset + 20, y, label, { size: 14, fill: colors.muted });
      offset += 40 + label.length * 8;
      return out;
    })
    .join('');
}

/**
 * The daily report as an SVG document: headline tiles, generations by outcome, stage timings,
 * credits.
 */
export function renderReportSvg(figures: DailyFigures): string {
  const parts: string[] = [rect(0, 0, CHART_WIDTH, CHART_HEIGHT, colors.background)];
  parts.push(text(40, 56, `Daily report · ${figures.day}`, { size: 32, weight: 'bold' }));
  parts.push(
    text(CHART_WIDTH - 40, 56, figures.timeZone, { size: 18, fill: colors.muted, anchor: 'end' }),
  );

  const totals = reportFormats.reduce(
    (sum, format) => ({
      requested: sum.requested + figures.generations[format].requested,
      completed: sum.completed + figures.generations[format].completed,
      failed: sum.failed + figures.generations[format].failed,
    }),
    { requested: 0, completed: 0, failed: 0 },
  );
  const tiles: [string, number][] = [
    ['New users', figures.newUsers],
    ['Active users', figures.activeUsers],
    ['Ordered', totals.requested],
    ['Completed', totals.completed],
    ['Failed', totals.failed],
    ['Credits spent', figures.credits.spent],
  ];
  const tileWidth = (CHART_WIDTH - 80 - 5 * 16) / tiles.length;
  tiles.forEach(([label, value], index) => {
    const x = 40 + index * (tileWidth + 16);
    parts.push(rect(x, 84, tileWidth, 96, '#f1f3f5'));
    parts.push(
      text(x + tileWidth / 2, 140, String(value), { size: 40, weight: 'bold', anchor: 'middle' }),
    );
    parts.push(
      text(x + tileWidth / 2, 168, label, { size: 15, fill: colors.muted, anchor: 'middle' }),
    );
  });

  // Generations by format: one stacked bar per format, scaled to the busiest format.
  parts.push(text(40, 232, 'Generations ordered, by outcome', { size: 20, weight: 'bold' }));
  const maxRequested = Math.max(
    1,
    ...reportFormats.map((format) => figures.generations[format].requested),
  );
  const barLeft = 250;
  const barWidth = 300;
  reportFormats.forEach((format, index) => {
    const g = figures.generations[format];
    const y = 262 + index * 56;
    parts.push(text(40, y + 24, formatLabels[format], { size: 16 }));
    let x = barLeft;
    for (const [value, fill] of [
      [g.completed, colors.completed],
      [g.failed, colors.failed],
      [g.inProgress, colors.inProgress],
    ] as const) {
      const width = (value / maxRequested) * barWidth;
      parts.push(rect(x, y, width, 34, fill));
      x += width;
    }
    parts.push(text(x + 8, y + 24, `${g.requested}`, { size: 16, weight: 'bold' }));
  });
  parts.push(
    legend(40, 400, [
      ['completed', colors.completed],
      ['failed', colors.failed],
      ['in progress', colors.inProgress],
    ]),
  );

  // Stage timings: p50 and p95 per stage, in seconds.
  parts.push(
    text(640, 232, 'Stage timings (s), completed generations', { size: 20, weight: 'bold' }),
  );
  const stages = Object.entries(figures.stageTimings);
  if (stages.length === 0) {
    parts.push(
      text(640, 290, 'No generation completed this day', { size: 16, fill: colors.muted }),
    );
  } else {
    const maxMs = Math.max(1, ...stages.map(([, timing]) => timing.p95));
    const rowHeight = Math.min(44, 150 / stages.length);
    stages.forEach(([stage, timing], index) => {
      const y = 252 + index * rowHeight;
      parts.push(text(640, y + rowHeight / 2 + 2, stage, { size: 15 }));
      const scale = 340 / maxMs;
      parts.push(rect(740, y + 2, timing.p95 * scale, rowHeight / 2 - 3, colors.p95));
      parts.push(rect(740, y + rowHeight / 2, timing.p50 * scale, rowHeight / 2 - 3, colors.p50));
      parts.push(
        text(
          740 + timing.p95 * scale + 8,
          y + rowHeight / 2 + 2,
          `${(timing.p50 / 1000).toFixed(1)} / ${(timing.p95 / 1000).toFixed(1)}`,
          { size: 13, fill: colors.muted },
        ),
      );
    });
  }
  parts.push(
    legend(640, 420, [
      ['p50', colors.p50],
      ['p95', colors.p95],
    ]),
  );

  // Credits flow.
  parts.push(rect(40, 450, CHART_WIDTH - 80, 1, colors.grid));
  parts.push(text(40, 494, 'Credits', { size: 20, weight: 'bold' }));
  const flows: [string, number, string][] = [
    ['granted', figures.credits.granted, colors.granted],
    ['spent', figures.credits.spent, colors.spent],
    ['refunded', figures.credits.refunded, colors.refunded],
    ['revoked', figures.credits.revoked, colors.revoked],
  ];
  const maxFlow = Math.max(1, ...flows.map(([, value]) => value));
  flows.forEach(([label, value, fill], index) => {
    const y = 516 + index * 44;
    parts.push(text(40, y + 22, label, { size: 16 }));
    parts.push(rect(160, y, (value / maxFlow) * 700, 30, fill));
    parts.push(
      text(160 + (value / maxFlow) * 700 + 8, y + 22, String(value), { size: 16, weight: 'bold' }),
    );
  });

  const failures = figures.topFailures.slice(0, 3);
  parts.push(
    text(40, 720, failures.length === 0 ? 'No failures.' : 'Top failures:', {
      size: 15,
      fill: colors.muted,
    }),
  );
  failures.forEach((failure, index) => {
    const reason = failure.reason.length > 90 ? `${failure.reason.slice(0, 87)}…` : failure.reason;
    parts.push(
      text(160, 720 + index * 22, `${failure.count} × ${failure.stage}: ${reason}`, { size: 15 }),
    );
  });

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}">${parts.join('')}</svg>`;
}

/** The report chart as a PNG, rendered on the server (librsvg through sharp). */
export async function renderReportPng(figures: DailyFigures): Promise<Buffer> {
  return sharp(Buffer.from(renderReportSvg(figures)))
    .png({ compressionLevel: 9 })
    .toBuffer();
}
