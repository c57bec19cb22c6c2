import { randomUUID } from 'node:crypto';
import { defer, firstValueFrom, filter, retry, take, tap, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startEventStoreDbFake,
  type EventStoreDbFake,
} from '../../../dev/fakes/eventstoredb/index.js';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../../../ports/event-store/errors.js';
import type { EventData, SubscriptionItem } from '../../../ports/event-store/event-store.js';
import { comparePositions, START } from '../../../ports/event-store/position.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

const event = (type = 'Happened', data: Record<string, number | string> = {}): EventData => ({
  id: randomUUID(),
  type,
  data,
  metadata: {},
});

describe('EventStoreDB adapter against what the server does', () => {
  let fake: EventStoreDbFake;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    fake = await startEventStoreDbFake();
    // Polling this rarely means anything a test sees within seconds came from a wake-up.
    store = EventStoreDbEventStore.connect(fake.url.replace('esdb://', 'kurrentdb://'), {
      pollIntervalMs: 120_000,
      maxReconnectDelayMs: 200,
    });
  });
  afterAll(async () => {
    await store?.close();
    await fake?.close();
  });

  it('headPosition is the last event of any kind, even behind more than 200 system events', async () => {
    const appended = await store.appendToStream(`head-${randomUUID()}`, [event()]);
    for (let n = 0; n < 250; n += 1)
      fake.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', { n });
    const lastSystemEvent = fake.log.all.at(-1)!;
    const head = await store.headPosition();
    expect(comparePositions(head, appended.position)).toBe(1);
    expect(head).toEqual({ commit: lastSystemEvent.position, prepare: lastSystemEvent.position });
  });

  it('readAll hides system events yet moves its position past them, so the position agrees with headPosition', async () => {
    const before = await store.headPosition();
    fake.writeSystemEvent('$settings', '$settings');
    fake.writeSystemEvent('$$user-1', '$metadata', { $maxCount: 5 });
    const batch = await store.readAll({ after: before });
    expect(batch.events).toEqual([]);
    expect(batch.isEnd).toBe(true);
    expect(batch.lastPosition).toEqual(await store.headPosition());
  });

  it('filters $all on the server: a batch holds maxCount wanted events even behind many unwanted ones', async () => {
    const prefix = `wanted${randomUUID().slice(0, 8)}-`;
    const before = await store.headPosition();
    for (let n = 0; n < 30; n += 1)
      await store.appendToStream(`noise-${randomUUID()}`, [event('Noise')]);
    await store.appendToStream(`${prefix}a`, [
      event('Keep', { n: 0 }),
      event('Keep', { n: 1 }),
      event('Keep', { n: 2 }),
    ]);
    const byStream = await store.readAll({ after: before, maxCount: 2, streamPrefixes: [prefix] });
    expect(byStream.events.map((e) => e.data.n)).toEqual([0, 1]);
    expect(byStream.isEnd).toBe(false);
    const rest = await store.readAll({
      after: byStream.lastPosition,
      maxCount: 2,
      streamPrefixes: [prefix],
    });
    expect(rest.events.map((e) => e.data.n)).toEqual([2]);
    expect(rest.isEnd).toBe(true);
    const byType = await store.readAll({ after: before, maxCount: 1, eventTypes: ['Keep'] });
    expect(byType.events.map((e) => [e.streamName, e.data.n])).toEqual([[`${prefix}a`, 0]]);
  });

  it('an event type that is a prefix of another selects only its own events', async () => {
    const stream = `types-${randomUUID()}`;
    const before = await store.headPosition();
    await store.appendToStream(stream, [event('Keep'), event('KeepMore'), event('Keep.Me')]);
    const batch = await store.readAll({ after: before, eventTypes: ['Keep'] });
    expect(batch.events.map((e) => e.type)).toEqual(['Keep']);
  });

  describe("failures reach the caller as the port's errors", () => {
    it.each(['unavailable', 'access-denied', 'deadline-exceeded', 'not-leader'] as const)(
      'a read failing with %s',
      async (kind) => {
        fake.fail({ on: 'Read', kind });
        const error = await store
          .readStream(`read-${randomUUID()}`)
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(EventStoreUnavailableError);
        expect(fake.faultsLeft).toBe(0);
        fake.fail({ on: 'Read', kind });
        await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
        expect(fake.faultsLeft).toBe(0);
      },
    );

    it('a missing stream reported as a stream-not-found status reads as empty, like the in-band answer', async () => {
      fake.fail({ on: 'Read', kind: 'stream-not-found' });
      expect(await store.readStream(`gone-${randomUUID()}`)).toEqual([]);
      expect(fake.faultsLeft).toBe(0);
    });

    it('a read of $all failing after its look at the head', async () => {
      const head = await store.headPosition();
      fake.fail({ on: 'Read', kind: 'unavailable', afterCalls: 1 });
      const error = await store.readAll({ after: head }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect((error as Error).message).toBe('read of $all failed');
    });

    it.each(['access-denied', 'unavailable', 'stream-deleted'] as const)(
      'an append failing with %s',
      async (kind) => {
        fake.fail({ on: 'BatchAppend', kind });
        const error = await store
          .appendToStream(`append-${randomUUID()}`, [event()])
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(EventStoreUnavailableError);
        expect((error as Error).message).toContain('append to');
      },
    );

    it('a wrong expected version keeps its states', async () => {
      const stream = `wev-${randomUUID()}`;
      await store.appendToStream(stream, [event(), event()]);
      const error = await store
        .appendToStream(stream, [event()], { expectedState: 0n })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ expectedState: 0n, actualState: 1n, streamName: stream });
    });
  });

  it.each([
    [
      'the server drops its live subscriptions',
      (server: EventStoreDbFake) => Promise.resolve(server.dropSubscriptions()),
    ],
    ['the server restarts', (server: EventStoreDbFake) => server.restart()],
  ])(
    'the live wake-up reconnects when %s, so a subscriber gets new events at once, not at the next poll',
    async (_label, disrupt) => {
      const stream = `live-${randomUUID()}`;
      const items: SubscriptionItem[] = [];
      let after = await store.headPosition();
      // A read that meets the server while it is away fails the subscription with the port's error;
      // consumers resume from their last position (the pipeline's intake does), and so does this
      // one.
      const subscription = defer(() => store.subscribeToAll({ after, streamPrefixes: [stream] }))
        .pipe(
          tap((item) => (after = item.lastPosition)),
          retry({ delay: 50 }),
        )
        .subscribe((item) => items.push(item));
      try {
        await waitFor(() => items.some((item) => item.kind === 'caught-up'));
        await store.appendToStream(stream, [event('Before', { n: 0 })]);
        await waitFor(() => delivered(items).length === 1);
        await disrupt(fake);
        // The reconnected subscription wakes the reader even for what lands while it was down.
        await store.appendToStream(stream, [event('After', { n: 1 })]);
        await waitFor(() => delivered(items).length === 2);
        // By now any resumed subscription has read once and sleeps: only a live wake-up brings this
        // one.
        await store.appendToStream(stream, [event('After', { n: 2 })]);
        await waitFor(() => delivered(items).length === 3);
        expect(delivered(items).map((e) => e.data.n)).toEqual([0, 1, 2]);
      } finally {
        subscription.unsubscribe();
      }
    },
  );

  it('subscribes from the start of an otherwise empty store', async () => {
    const empty = await startEventStoreDbFake();
    const other = EventStoreDbEventStore.connect(empty.url, { pollIntervalMs: 120_000 });
    try {
      const caughtUp = await firstValueFrom(
        other.subscribeToAll({ after: START }).pipe(
          filter((item) => item.kind === 'caught-up'),
          take(1),
          timeout(10_000),
        ),
      );
      // Only the server's own settings and stats are there, skipped, with the position past them.
      expect(caughtUp.lastPosition).toEqual(await other.headPosition());
      expect(comparePositions(caughtUp.lastPosition, START)).toBe(1);
    } finally {
      await other.close();
      await empty.close();
    }
  });
});

describe('EventStoreDB adapter against a server that gives fewer positions (before 22.6)', () => {
  let fake: EventStoreDbFake;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    fake = await startEventStoreDbFake({ serverVersion: '21.10.0' });
    store = EventStoreDbEventStore.connect(fake.url);
  });
  afterAll(async () => {
    await store?.close();
    await fake?.close();
  });

  it('a retry answered without a position gets the position of the event it matched, not the head of $all', async () => {
    const stream = `retry-${randomUUID()}`;
    const batch = [event('A'), event('B')];
    const first = await store.appendToStream(stream, batch, { expectedState: 'no_stream' });
    const later = await store.appendToStream(`later-${randomUUID()}`, [event()]);
    const retry = await store.appendToStream(stream, batch, { expectedState: 'no_stream' });
    expect(retry).toEqual({
      nextExpectedRevision: 1n,
      position: first.position,
      idempotent: false,
    });
    expect(comparePositions(later.position, retry.position)).toBe(1);
  });

  it('events read from a stream carry the positions $all gives them', async () => {
    const stream = `positions-${randomUUID()}`;
    const first = await store.appendToStream(stream, [event('A')]);
    await store.appendToStream(`between-${randomUUID()}`, [event()]);
    const second = await store.appendToStream(stream, [event('B')]);
    expect((await store.readStream(stream)).map((e) => e.position)).toEqual([
      first.position,
      second.position,
    ]);
    expect(
      (await store.readStream(stream, { direction: 'backwards', maxCount: 1 })).map(
        (e) => e.position,
      ),
    ).toEqual([second.position]);
  });
});

function delivered(items: readonly SubscriptionItem[]) {
  return items.flatMap((item) => (item.kind === 'events' ? item.events : []));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
