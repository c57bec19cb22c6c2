import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventLog, type ProposedEvent } from './event-log.js';

const proposed = (id: string = randomUUID(), type = 'Happened'): ProposedEvent => ({
  id,
  type,
  contentType: 'application/json',
  data: Buffer.from('{}'),
  customMetadata: Buffer.alloc(0),
});

describe('EventLog: the server commit check', () => {
  it('a new stream takes ids already stored in another stream', () => {
    const log = new EventLog();
    const shared = proposed();
    log.append('a', 'any', [shared]);
    const outcome = log.append('b', 'no_stream', [shared]);
    expect(outcome).toMatchObject({ kind: 'written', currentRevision: 0n });
    expect(
      log.all.filter((record) => record.id === shared.id).map((record) => record.streamName),
    ).toEqual(['a', 'b']);
  });

  it('any: a batch already written is idempotent at its last position; a first id stored with a later one new is refused', () => {
    const log = new EventLog();
    const batch = [proposed(), proposed()];
    const first = log.append('s', 'any', batch);
    expect(log.append('s', 'any', batch)).toEqual({
      kind: 'idempotent',
      currentRevision: 1n,
      position: first.kind === 'written' ? first.position : -1n,
    });
    expect(log.append('s', 'stream_exists', [batch[0]!, proposed()])).toEqual({
      kind: 'wrong-expected-version',
      current: 1n,
    });
    expect(log.stream('s')).toHaveLength(2);
  });

  it('any: a batch whose first id is new is written whole, even if a later id is stored', () => {
    const log = new EventLog();
    const stored = proposed();
    log.append('s', 'any', [stored]);
    expect(log.append('s', 'any', [proposed(), stored])).toMatchObject({
      kind: 'written',
      currentRevision: 2n,
    });
  });

  it('exact revision behind the end: the ids must sit exactly where the batch would have gone', () => {
    const log = new EventLog();
    const [a, b, c] = [proposed(), proposed(), proposed()];
    log.append('s', 'no_stream', [a, b]);
    log.append('s', 1n, [c]);
    expect(log.append('s', 0n, [b])).toMatchObject({ kind: 'idempotent', currentRevision: 1n });
    expect(log.append('s', 'no_stream', [a, b])).toMatchObject({
      kind: 'idempotent',
      currentRevision: 1n,
    });
    expect(log.append('s', 0n, [c])).toEqual({ kind: 'wrong-expected-version', current: 2n });
    expect(log.append('s', 0n, [b, proposed()])).toEqual({
      kind: 'wrong-expected-version',
      current: 2n,
    });
    expect(log.append('s', 5n, [proposed()])).toEqual({
      kind: 'wrong-expected-version',
      current: 2n,
    });
  });

  it('an empty batch only checks the state and reports no position', () => {
    const log = new EventLog();
    expect(log.append('s', 'stream_exists', [])).toEqual({
      kind: 'wrong-expected-version',
      current: -1n,
    });
    expect(log.append('s', 'any', [])).toEqual({
      kind: 'written',
      currentRevision: -1n,
      position: undefined,
    });
    log.append('s', 'any', [proposed()]);
    expect(log.append('s', 0n, [])).toEqual({
      kind: 'written',
      currentRevision: 0n,
      position: undefined,
    });
    expect(log.append('s', 'no_stream', [])).toEqual({
      kind: 'wrong-expected-version',
      current: 0n,
    });
    expect(log.all).toHaveLength(1);
  });

  it('positions are byte offsets that grow with every record across streams, never at 0', () => {
    const log = new EventLog();
    log.append('a', 'any', [proposed(), proposed()]);
    log.append('b', 'any', [proposed(undefined, 'A much longer event type name')]);
    log.append('a', 'any', [proposed()]);
    const positions = log.all.map((record) => record.position);
    expect(positions[0]).toBeGreaterThan(0n);
    for (let i = 1; i < positions.length; i += 1)
      expect(positions[i]! - positions[i - 1]!).toBeGreaterThan(1n);
    expect(log.indexAtOrAfter(positions[2]!)).toBe(2);
    expect(log.indexAtOrAfter(positions[2]! + 1n)).toBe(3);
  });
});
