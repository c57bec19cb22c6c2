import { z } from 'zod';
import type { AppendedHint } from '../../../ports/event-store/event-store.js';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7900;

const notice = z.object({ from: z.string(), types: z.array(z.string()).optional() });

/**
 * The NOTIFY payload after an append: which store instance appended (its own notices come back
 * to it too) and the event types appended, so another instance's readers of other types sleep on.
 */
export function encodeAppendNotice(from: string, eventTypes: readonly string[]): string {
  const full = JSON.stringify({ from, types: eventTypes });
  // Too many types to name: the notice says only that something was appended.
  return Buffer.byteLength(full) < MAX_PAYLOAD_BYTES ? full : JSON.stringify({ from });
}

/**
 * The sender and the hint of a notice. An instance of an earlier version sends its bare id, and
 * anything unreadable is taken as an append of unknown types from someone else: a reader looks
 * once too often rather than sleeping through an append.
 */
export function decodeAppendNotice(payload: string): { from: string; hint: AppendedHint } {
  if (!payload.startsWith('{')) return { from: payload, hint: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { from: '', hint: {} };
  }
  const result = notice.safeParse(parsed);
  if (!result.success) return { from: '', hint: {} };
  const { from, types } = result.data;
  return { from, hint: types ? { eventTypes: types } : {} };
}
