import { createHash, type Hash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';
import type { RecordedEvent } from '../../ports/event-store/event-store.js';

// Sorted keys, and a failure instead of a silent placeholder: PostgreSQL's jsonb reorders keys
// while EventStoreDB keeps the writer's text, so only a canonical form compares across stores.
const canonicalJson = configure({ deterministic: true, circularValue: TypeError, bigint: true });

/**
 * What of an event a copy must keep, as one canonical line: stream, revision, id, type, data and
 * metadata. Positions and the store's own recording time are left out: each store assigns its own.
 */
export function canonicalEventLine(event: RecordedEvent): string {
  return `${canonicalJson([event.streamName, event.revision.toString(), event.id.toLowerCase(), event.type, event.data, event.metadata])}\n`;
}

/** True when two recorded events are the same event as far as a copy is concerned. */
export function sameEvent(a: RecordedEvent, b: RecordedEvent): boolean {
  return canonicalEventLine(a) === canonicalEventLine(b);
}

/**
 * A running SHA-256 over the canonical lines of events in the global order, with their count:
 * equal on two stores only if both hold the same events in the same order.
 */
export class EventLogChecksum {
  private readonly hash: Hash = createHash('sha256');
  private events = 0;

  add(event: RecordedEvent): void {
    this.hash.update(canonicalEventLine(event));
    this.events += 1;
  }

  get count(): number {
    return this.events;
  }

  /** The hex digest; the checksum cannot be added to afterwards. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
