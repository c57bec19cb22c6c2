import { clip, esc } from '../../text/html.js';
import { reportFormats, type DailyFigures } from './daily-figures.js';

/** Telegram's limit for a photo caption. */
export const CAPTION_LIMIT = 1024;

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * The report's caption in Telegram HTML: the figures in text, so they are searchable and quotable.
 */
export function renderReportCaption(figures: DailyFigures): string {
  const lines: string[] = [];
  lines.push(`<b>📊 Daily report · ${esc(figures.day)}</b> (${esc(figures.timeZone)})`);
  lines.push(`👤 New users: <b>${figures.newUsers}</b> · active: <b>${figures.activeUsers}</b>`);
  for (const format of reportFormats) {
    const g = figures.generations[format];
    const label = format === 'talking_head' ? 'Talking head' : 'Character + background';
    lines.push(
      `🎬 ${label}: ${g.requested} ordered · ✅ ${g.completed} · ❌ ${g.failed}${g.inProgress > 0 ? ` · ⏳ ${g.inProgress}` : ''}`,
    );
  }
  const c = figures.credits;
  lines.push(
    `💳 Credits: +${c.granted} granted · −${c.spent} spent · +${c.refunded} refunded · −${c.revoked} revoked`,
  );
  const s = figures.stars;
  if (s.payments > 0 || s.refunds > 0) {
    lines.push(
      `⭐ Stars: ${s.payments} payments · ${s.revenue} ⭐ · ${s.creditsSold} credits sold${s.refunds > 0 ? ` · ↩️ ${s.refunds} refunded, ${s.refunded} ⭐` : ''}`,
    );
  }
  const stages = Object.entries(figures.stageTimings);
  if (stages.length > 0) {
    lines.push(
      `⏱ p50/p95 s: ${stages.map(([stage, t]) => `${esc(stage)} ${seconds(t.p50)}/${seconds(t.p95)}`).join(' · ')}`,
    );
  }
  for (const failure of figures.topFailures.slice(0, 3)) {
    lines.push(`⚠️ ${failure.count} × ${esc(failure.stage)}: ${esc(clip(failure.reason, 80))}`);
  }
  let caption = lines.join('\n');
  // Drop failure lines first if a long reason pushed the caption over Telegram's limit.
  while (caption.length > CAPTION_LIMIT && lines.length > 1) {
    lines.pop();
    caption = lines.join('\n');
  }
  return caption;
}
