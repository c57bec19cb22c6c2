// Text helpers for Telegram's HTML parse mode, shared by the bot's screens and the daily report
// (which is sent to Telegram but is not part of the bot).

/** Escapes text for Telegram's HTML parse mode: user input must render literally. */
export function esc(text: string | number | null | undefined): string {
  return String(text ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** Shortens to at most `max` code points, with an ellipsis. */
export function clip(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}
