import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPGliteEventStore } from '../adapters/event-store/pglite/pglite-event-store.js';
import type { EventStore, ReadAllOptions } from '../ports/event-store/event-store.js';
import { START } from '../ports/event-store/position.js';
import { SharedReads } from './shared-reads.js';

let store: EventStore;

beforeAll(async () => {
  store = (await openPGliteEventStore({ pollIntervalMs: 1000 })).store;
  let n = 0;
  const event = (type: string) => ({ id: crypto.randomUUID(), type, data: { n: n++ } });
  await store.appendToStream('user-1', [event('FormatSelected'), event('CreditsGranted')]);
  await store.appendToStream('generation-a', [event('GenerationStarted')]);
  await store.appendToStream('user-2', [event('UserRegistered'), event('GenerationRequested')]);
  await store.appendToStream('user-1', [event('VoiceSelected')]);
});

afterAll(async () => {
  await store?.close();
});

/** The store, counting the reads that reach it. */
function counted() {
  const calls: ReadAllOptions[] = [];
  return {
    calls,
    readAll: (options: ReadAllOptions = {}) => {
      calls.push(options);
      return store.readAll(options);
    },
  };
}

const filters: ReadAllOptions[] = [
  { eventTypes: ['FormatSelected', 'VoiceSelected', 'UserRegistered'] },
  { eventTypes: ['CreditsGranted'] },
  { eventTypes: ['GenerationRequested'], streamPrefixes: ['user-'] },
  {},
];

describe('SharedReads', () => {
  it('reads once for requests from one position, each getting what a read of its own returns', async () => {
    for (const maxCount of [500, 2]) {
      const source = counted();
      const shared = new SharedReads(source);
      const asked = filters.map((filter) => ({ ...filter, after: START, maxCount }));
      const together = await Promise.all(asked.map((options) => shared.readAll(options)));
      expect(source.calls).toHaveLength(1);
      const alone = await Promise.all(asked.map((options) => store.readAll(options)));
      expect(together).toEqual(alone);
      // Not a vacuous comparison: the filters split the log differently.
      expect(together.map((batch) => batch.events.length)).toEqual(
        maxCount === 2 ? [1, 1, 0, 2] : [3, 1, 1, 6],
      );
    }
  });

  it('reads with the union of the types when every request filters by type only', async () => {
    const source = counted();
    const shared = new SharedReads(source);
    await Promise.all([
      shared.readAll({ after: START, eventTypes: ['FormatSelected'] }),
      shared.readAll({ after: START, eventTypes: ['CreditsGranted', 'FormatSelected'] }),
    ]);
    expect(source.calls).toEqual([
      { after: START, eventTypes: ['FormatSelected', 'CreditsGranted'] },
    ]);
  });

  it('requests for different counts share one unfiltered read, each cut where its own would stop', async () => {
    const source = counted();
    const shared = new SharedReads(source);
    const asked: ReadAllOptions[] = [
      { after: START, maxCount: 2, eventTypes: ['CreditsGranted', 'VoiceSelected'] },
      { after: START, maxCount: 4, eventTypes: ['GenerationRequested'], streamPrefixes: ['user-'] },
      { after: START, maxCount: 500, eventTypes: ['VoiceSelected'] },
    ];
    const together = await Promise.all(asked.map((options) => shared.readAll(options)));
    expect(source.calls).toEqual([{ after: START, maxCount: 500 }]);
    expect(together).toEqual(await Promise.all(asked.map((options) => store.readAll(options))));
    expect(together.map((batch) => [batch.events.length, batch.isEnd])).toEqual([
      [1, false],
      [0, false],
      [1, true],
    ]);
  });

  it('requests from different positions read apart, a lone one as asked', async () => {
    const source = counted();
    const shared = new SharedReads(source);
    const first = await store.readAll({ maxCount: 1 });
    const [fromStart, fromFirst] = await Promise.all([
      shared.readAll({ after: START, eventTypes: ['FormatSelected'] }),
      shared.readAll({ after: first.lastPosition, eventTypes: ['FormatSelected'] }),
    ]);
    expect(source.calls).toHaveLength(2);
    expect(source.calls).toContainEqual({ after: START, eventTypes: ['FormatSelected'] });
    expect(fromStart.events.map((event) => event.type)).toEqual(['FormatSelected']);
    expect(fromFirst.events).toEqual([]);
  });

  it('a failed read fails every request that shared it, and the next ones read again', async () => {
    let fail = true;
    const shared = new SharedReads({
      readAll: (options) =>
        fail ? Promise.reject(new Error('connection lost')) : store.readAll(options),
    });
    const failed = await Promise.allSettled([
      shared.readAll({ after: START, eventTypes: ['FormatSelected'] }),
      shared.readAll({ after: START, eventTypes: ['CreditsGranted'] }),
    ]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    const batch = await shared.readAll({ after: START, eventTypes: ['CreditsGranted'] });
    expect(batch.events.map((event) => event.type)).toEqual(['CreditsGranted']);
  });
});
