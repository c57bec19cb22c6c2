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

export const codePointLength = (text: string): number => [...text].length;

/** YYYY-MM-DD HH:MM in UTC. */
export function formatDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)}`;
}

export const formatDate = (date: Date): string => date.toISOString().slice(0, 10);
