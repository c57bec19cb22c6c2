// Escaping and clipping live in src/text, where the daily report shares them without depending
// on the bot; the bot's modules keep importing them from here.
export { clip, esc } from '../text/html.js';

/** YYYY-MM-DD HH:MM in UTC. */
export function formatDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)}`;
}

export const formatDate = (date: Date): string => date.toISOString().slice(0, 10);
