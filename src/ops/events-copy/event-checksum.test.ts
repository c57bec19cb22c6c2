import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../ports/event-store/event-store.js';
import { EventLogChecksum, canonicalEventLine, sameEvent } from './event-checksum.js';

const base: RecordedEvent = {
  id: '0b1c9a4e-2f35-4c1e-9a57-6d0f3a1b2c3d',
  streamName: 'user-42',
  revision: 3n,
  type: 'CreditsGranted',
  data: { amount: 5, reason: 'promo', nested: { b: 1, a: [1, { y: 2, x: 1 }] } },
  metadata: { actor: { kind: 'admin', id: '1' }, timestamp: '2026-11-20T08:00:00.000Z' },
  position: { commit: 7n, prepare: 9n },
  globalPosition: 9n,
  createdAt: new Date('2026-12-01T00:00:00Z'),
};

const digestOf = (events: readonly RecordedEvent[]) => {
  const sum = new EventLogChecksum();
  for (const event of events) sum.add(event);
  return { count: sum.count, digest: sum.digest() };
};

describe('event checksum', () => {
  it('is blind to key order (jsonb reorders keys), id case, positions and recording time', () => {
    const reordered: RecordedEvent = {
      ...base,
      id: base.id.toUpperCase(),
      data: { nested: { a: [1, { x: 1, y: 2 }], b: 1 }, reason: 'promo', amount: 5 },
      metadata: { timestamp: '2026-11-20T08:00:00.000Z', actor: { id: '1', kind: 'admin' } },
      position: { commit: 1000n, prepare: 1000n },
      globalPosition: 1000n,
      createdAt: new Date(),
    };
    expect(sameEvent(base, reordered)).toBe(true);
    expect(digestOf([base]).digest).toBe(digestOf([reordered]).digest);
  });

  it.each([
    ['stream', { streamName: 'user-43' }],
    ['revision', { revision: 4n }],
    ['id', { id: '0b1c9a4e-2f35-4c1e-9a57-6d0f3a1b2c3e' }],
    ['type', { type: 'CreditsRevoked' }],
    ['data', { data: { ...base.data, amount: 6 } }],
    ['metadata', { metadata: { ...base.metadata, timestamp: '2026-11-20T08:00:01.000Z' } }],
  ] as const)('tells events apart by %s', (_field, change) => {
    const other = { ...base, ...change } as RecordedEvent;
    expect(sameEvent(base, other)).toBe(false);
    expect(digestOf([base]).digest).not.toBe(digestOf([other]).digest);
  });

  it('depends on the order of events and counts them', () => {
    const second: RecordedEvent = {
      ...base,
      revision: 4n,
      id: '1b1c9a4e-2f35-4c1e-9a57-6d0f3a1b2c3d',
    };
    const forwards = digestOf([base, second]);
    const backwards = digestOf([second, base]);
    expect(forwards.count).toBe(2);
    expect(forwards.digest).not.toBe(backwards.digest);
    expect(forwards.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('cannot be fooled by moving text between fields', () => {
    const a = { ...base, type: 'A","B', data: {} };
    const b = { ...base, type: 'A', data: { B: '' } };
    expect(canonicalEventLine(a)).not.toBe(canonicalEventLine(b));
  });
});
