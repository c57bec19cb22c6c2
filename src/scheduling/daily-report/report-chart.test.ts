import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DailyFigures } from './daily-figures.js';
import { CAPTION_LIMIT, renderReportCaption } from './report-caption.js';
import { CHART_HEIGHT, CHART_WIDTH, renderReportPng, renderReportSvg } from './report-chart.js';

const figures: DailyFigures = {
  day: '2026-11-24',
  timeZone: 'Europe/Moscow',
  from: new Date('2026-11-23T21:00:00Z'),
  to: new Date('2026-11-24T21:00:00Z'),
  newUsers: 12,
  activeUsers: 40,
  generations: {
    talking_head: { requested: 30, completed: 25, failed: 3, inProgress: 2 },
    background: { requested: 10, completed: 8, failed: 2, inProgress: 0 },
  },
  credits: { granted: 130, spent: 40, refunded: 5, revoked: 1 },
  stars: { payments: 3, revenue: 250, creditsSold: 70, refunds: 1, refunded: 50 },
  stageTimings: {
    tts: { p50: 120, p95: 300, count: 33 },
    video: { p50: 4200, p95: 9100, count: 33 },
  },
  topFailures: [{ stage: 'video', reason: 'renderer <crashed> & "gone"', count: 3 }],
};

describe('report chart', () => {
  it('renders a PNG of the declared size with real content', async () => {
    const png = await renderReportPng(figures);
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: CHART_WIDTH, height: CHART_HEIGHT });
    // Well under Telegram's 10 MB photo limit, and far from an empty canvas.
    expect(png.length).toBeGreaterThan(15_000);
    expect(png.length).toBeLessThan(1_000_000);
    const stats = await sharp(png).stats();
    // Text and bars make the image far from uniform white.
    expect(stats.channels[0]!.stdev).toBeGreaterThan(20);
  });

  it('escapes text from the data so the SVG stays well-formed', () => {
    const svg = renderReportSvg(figures);
    expect(svg).toContain('renderer &lt;crashed&gt; &amp; &quot;gone&quot;');
    expect(svg).not.toContain('<crashed>');
  });

  it('draws bars in proportion to the figures', async () => {
    const empty: DailyFigures = {
      ...figures,
      generations: {
        talking_head: { requested: 0, completed: 0, failed: 0, inProgress: 0 },
        background: { requested: 0, completed: 0, failed: 0, inProgress: 0 },
      },
      stageTimings: {},
      topFailures: [],
    };
    const svg = renderReportSvg(empty);
    expect(svg).toContain('No generation completed this day');
    expect(svg).toContain('No failures.');
    const full = renderReportSvg(figures);
    // 25 of the busiest format's 30 fill 250 of the 300 px track.
    expect(full).toContain('width="250.0" height="34.0" fill="#2f9e44"');
  });
});

describe('report caption', () => {
  it('states every headline figure in escaped HTML within the caption limit', () => {
    const caption = renderReportCaption(figures);
    expect(caption).toContain('Daily report · 2026-11-24');
    expect(caption).toContain('New users: <b>12</b> · active: <b>40</b>');
    expect(caption).toContain('Talking head: 30 ordered · ✅ 25 · ❌ 3 · ⏳ 2');
    expect(caption).toContain('+130 granted · −40 spent · +5 refunded · −1 revoked');
    expect(caption).toContain(
      'Stars: 3 payments · 250 ⭐ · 70 credits sold · ↩️ 1 refunded, 50 ⭐',
    );
    expect(caption).toContain('video 4.2/9.1');
    expect(caption).toContain('renderer &lt;crashed&gt; &amp; &quot;gone&quot;');
    expect(caption.length).toBeLessThanOrEqual(CAPTION_LIMIT);
  });

  it('drops lines rather than exceed the limit', () => {
    const many = {
      ...figures,
      stageTimings: Object.fromEntries(
        Array.from({ length: 80 }, (_, i) => [`stage-${i}`, { p50: 1, p95: 2, count: 1 }]),
      ),
    };
    expect(renderReportCaption(many).length).toBeLessThanOrEqual(CAPTION_LIMIT);
  });
});
