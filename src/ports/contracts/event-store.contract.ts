import { randomUUID } from 'node:crypto';
import { firstValueFrom, filter, scan, take, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../event-store/errors.js';
import type {
  EventData,
  EventStore,
  RecordedEvent,
  SubscriptionItem,
} from '../event-store/event-store.js';
import { START, comparePositions, type Position } from '../event-store/position.js';
import type { ExpectedState } from '../event-store/stream-state.js';

export interface LateTransaction {
  /** Commits the held transaction; its events become visible only now. */
  commit(): Promise<void>;
}

export interface EventStoreUnderTest {
  readonly store: EventStore;
  /**
   * Several connections really run at once. PGlite has one connection, so there the concurrency
   * cases check that appends issued together are serialised with the same outcomes.
   */
  readonly concurrent: boolean;
  /**
   * Whether `AppendResult.idempotent` tells a retry from a new write (EventStoreDB does not say).
   */
  readonly reportsIdempotency?: boolean;
  /**
   * Where an event id must be unique: in the whole store (PostgreSQL, PGlite: the default), or only
   * within its stream (EventStoreDB, whose server checks ids against the stream's own events).
   */
  readonly eventIdsUniqueIn?: 'store' | 'stream';
  /**
   * Opens a transaction that appends (taking its global position) and holds the commit until
   * asked. Only stores that expose their transactions (PostgreSQL) can stage the late commit.
   */
  readonly beginLateAppend?: (
    stream: string,
    events: readonly EventData[],
  ) => Promise<LateTransaction>;
  /**
   * `$all` is ordered at commit by a single writer (EventStoreDB), so no event commits late: each
   * is in `$all`, after every earlier one, once its append returns. Such a store is held to that
   * instead of the late-commit case.
   */
  readonly orderedAtCommit?: boolean;
  cleanup(): Promise<void>;
}

export function event(
  type = 'Happened',
  data: Record<string, string | number | boolean | null> = {},
): EventData {
  return { id: randomUUID(), type, data: { ...data }, metadata: { test: true } };
}

const uniqueStream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;

async function expectWrongVersion(
  promise: Promise<unknown>,
  expected: ExpectedState,
  actual: 'no_stream' | bigint,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WrongExpectedVersionError);
  const wrong = error as WrongExpectedVersionError;
  expect(wrong.expectedState).toBe(expected);
  expect(wrong.actualState).toBe(actual);
}

/**
 * One suite, every implementation: what EventStoreDB promises, the Postgres stores must keep.
 * `name` shows up in the test output, so the run says which stores it covered.
 */
export function describeEventStoreContract(
  name: string,
  open: () => Promise<EventStoreUnderTest>,
  skip = false,
): void {
  describe.skipIf(skip)(`event store contract: ${name}`, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    describe('stream-state matrix', () => {
      const cases: Array<{
        expected: (rev: bigint) => ExpectedState;
        exists: boolean;
        ok: boolean;
        label: string;
      }> = [
        { label: 'any on a missing stream', expected: () => 'any', exists: false, ok: true },
        { label: 'any on an existing stream', expected: () => 'any', exists: true, ok: true },
        {
          label: 'no_stream on a missing stream',
          expected: () => 'no_stream',
          exists: false,
          ok: true,
        },
        {
          label: 'no_stream on an existing stream',
          expected: () => 'no_stream',
          exists: true,
          ok: false,
        },
        {
          label: 'stream_exists on a missing stream',
          expected: () => 'stream_exists',
          exists: false,
          ok: false,
        },
        {
          label: 'stream_exists on an existing stream',
          expected: () => 'stream_exists',
          exists: true,
          ok: true,
        },
        { label: 'exact revision that matches', expected: (rev) => rev, exists: true, ok: true },
        {
          label: 'exact revision on a missing stream',
          expected: () => 0n,
          exists: false,
          ok: false,
        },
        {
          label: 'exact revision that is stale',
          expected: (rev) => rev - 1n,
          exists: true,
          ok: false,
        },
        {
          label: 'exact revision from the future',
          expected: (rev) => rev + 5n,
          exists: true,
          ok: false,
        },
      ];
      for (const testCase of cases) {
        it(`${testCase.label} ${testCase.ok ? 'succeeds' : 'fails with WrongExpectedVersion'}`, async () => {
          const stream = uniqueStream();
          let current: bigint | undefined;
          if (testCase.exists) {
            current = (await store.appendToStream(stream, [event(), event()])).nextExpectedRevision;
            expect(current).toBe(1n);
          }
          const expected = testCase.expected(current ?? 0n);
          const attempt = store.appendToStream(stream, [event()], { expectedState: expected });
          if (testCase.ok) {
            const result = await attempt;
            expect(result.nextExpectedRevision).toBe(testCase.exists ? 2n : 0n);
            expect(result.idempotent).toBe(false);
          } else {
            await expectWrongVersion(attempt, expected, testCase.exists ? current! : 'no_stream');
            expect(await store.readStream(stream)).toHaveLength(testCase.exists ? 2 : 0);
          }
        });
      }

      it('an empty append only checks the state', async () => {
        const stream = uniqueStream();
        await expectWrongVersion(
          store.appendToStream(stream, [], { expectedState: 'stream_exists' }),
          'stream_exists',
          'no_stream',
        );
        await store.appendToStream(stream, [event()]);
        const result = await store.appendToStream(stream, [], { expectedState: 0n });
        expect(result.nextExpectedRevision).toBe(0n);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('reading streams', () => {
      it('numbers revisions from 0 and keeps types, data and metadata', async () => {
        const stream = uniqueStream();
        const batch = [
          event('A', { n: 1 }),
          event('B', { n: 2, text: 'ёжик 🦔' }),
          event('C', { n: 3, none: null }),
        ];
        const result = await store.appendToStream(stream, batch, { expectedState: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2n);
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.revision, e.type, e.id, e.data])).toEqual(
          batch.map((e, i) => [BigInt(i), e.type, e.id, e.data]),
        );
        expect(read.every((e) => e.streamName === stream && e.metadata.test === true)).toBe(true);
        expect(read.at(-1)!.position).toEqual(result.position);
        expect(read[0]!.createdAt).toBeInstanceOf(Date);
      });

      it('reads from a revision, backwards and with a limit; a missing stream is empty', async () => {
        const stream = uniqueStream();
        await store.appendToStream(
          stream,
          Array.from({ length: 6 }, (_, n) => event('N', { n })),
        );
        expect((await store.readStream(stream, { fromRevision: 4n })).map((e) => e.data.n)).toEqual(
          [4, 5],
        );
        expect(
          (await store.readStream(stream, { direction: 'backwards', maxCount: 2 })).map(
            (e) => e.data.n,
          ),
        ).toEqual([5, 4]);
        expect(
          (await store.readStream(stream, { direction: 'backwards', fromRevision: 1n })).map(
            (e) => e.data.n,
          ),
        ).toEqual([1, 0]);
        expect((await store.readStream(stream, { maxCount: 3 })).map((e) => e.data.n)).toEqual([
          0, 1, 2,
        ]);
        expect(await store.readStream(uniqueStream('missing'))).toEqual([]);
      });

      it('reads of several streams at once each get their own stream, from their own revision', async () => {
        const streams = [uniqueStream('many'), uniqueStream('many'), uniqueStream('many')];
        for (const [index, stream] of streams.entries())
          await store.appendToStream(
            stream,
            Array.from({ length: 3 }, (_, n) => event('M', { n: index * 10 + n })),
          );
        const reads = await Promise.all([
          store.readStream(streams[0]!),
          store.readStream(streams[1]!, { fromRevision: 2n }),
          store.readStream(uniqueStream('missing')),
          store.readStream(streams[2]!, { fromRevision: 1n }),
          store.readStream(streams[0]!, { fromRevision: 3n }),
          store.readStream(streams[2]!, { maxCount: 1 }),
        ]);
        expect(reads.map((events) => events.map((e) => e.data.n))).toEqual([
          [0, 1, 2],
          [12],
          [],
          [21, 22],
          [],
          [20],
        ]);
        expect(reads[3]!.map((e) => [e.streamName, e.revision])).toEqual([
          [streams[2], 1n],
          [streams[2], 2n],
        ]);
      });
    });

    describe('idempotent retries', () => {
      it('re-appending the same ids with the same expected state is a no-op success', async () => {
        const stream = uniqueStream();
        const batch = [event(), event()];
        const first = await store.appendToStream(stream, batch, { expectedState: 'no_stream' });
        const retry = await store.appendToStream(stream, batch, { expectedState: 'no_stream' });
        if (subject.reportsIdempotency !== false) expect(retry.idempotent).toBe(true);
        expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(retry.position).toEqual(first.position);
        const nextBatch = [event()];
        const next = await store.appendToStream(stream, nextBatch, {
          expectedState: first.nextExpectedRevision,
        });
        const retryOfNext = await store.appendToStream(stream, nextBatch, {
          expectedState: first.nextExpectedRevision,
        });
        expect(retryOfNext).toMatchObject({ nextExpectedRevision: 2n, position: next.position });
        if (subject.reportsIdempotency !== false) expect(retryOfNext.idempotent).toBe(true);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('a retry with expected state any is idempotent too', async () => {
        const stream = uniqueStream();
        const batch = [event()];
        await store.appendToStream(stream, [event()]);
        const first = await store.appendToStream(stream, batch);
        const retry = await store.appendToStream(stream, batch);
        expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
        if (subject.reportsIdempotency !== false) expect(retry.idempotent).toBe(true);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('an id already stored elsewhere is refused where ids are unique in the store, written again where unique per stream; a partial overlap is refused', async () => {
        const stream = uniqueStream();
        const stored = event();
        await store.appendToStream(stream, [stored, event()]);
        const other = uniqueStream();
        if ((subject.eventIdsUniqueIn ?? 'store') === 'store') {
          await expect(store.appendToStream(other, [stored])).rejects.toBeInstanceOf(
            DuplicateEventIdError,
          );
          await expect(store.appendToStream(stream, [stored, event()])).rejects.toBeInstanceOf(
            DuplicateEventIdError,
          );
        } else {
          // EventStoreDB: a new stream takes any ids; within a stream, a batch whose first id is
          // stored and a later one is not is "corrupted idempotency", answered as a wrong expected
          // version.
          await store.appendToStream(other, [stored]);
          expect((await store.readStream(other)).map((e) => e.id)).toEqual([stored.id]);
          await expect(store.appendToStream(stream, [stored, event()])).rejects.toBeInstanceOf(
            WrongExpectedVersionError,
          );
        }
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('a retry whose expected state no longer matches is a wrong expected version', async () => {
        const stream = uniqueStream();
        const batch = [event()];
        await store.appendToStream(stream, batch, { expectedState: 'no_stream' });
        await expectWrongVersion(
          store.appendToStream(stream, batch, { expectedState: 3n }),
          3n,
          0n,
        );
      });
    });

    describe('$all', () => {
      it('is a total order consistent with every stream, read from an exclusive position', async () => {
        const head = await store.headPosition();
        const streams = [uniqueStream('all'), uniqueStream('all'), uniqueStream('all')];
        for (let round = 0; round < 4; round += 1) {
          for (const stream of streams)
            await store.appendToStream(stream, [event('R', { round }), event('R', { round })]);
        }
        const seen = await readAllUntil(
          store,
          head,
          5,
          (events) => events.filter((e) => streams.includes(e.streamName)).length >= 24,
        );
        const ours = seen.filter((e) => streams.includes(e.streamName));
        expect(ours).toHaveLength(24);
        for (let i = 1; i < seen.length; i += 1)
          expect(comparePositions(seen[i - 1]!.position, seen[i]!.position)).toBe(-1);
        for (const stream of streams) {
          expect(ours.filter((e) => e.streamName === stream).map((e) => e.revision)).toEqual(
            Array.from({ length: 8 }, (_, i) => BigInt(i)),
          );
        }
        const fromMiddle = await store.readAll({ after: ours[9]!.position, maxCount: 1000 });
        expect(
          fromMiddle.events.filter((e) => streams.includes(e.streamName)).map((e) => e.id),
        ).toEqual(ours.slice(10).map((e) => e.id));
      });

      it('filters by event type and stream prefix while the position moves past what it skips', async () => {
        const prefix = `flt${randomUUID().slice(0, 8)}`;
        const head = await store.headPosition();
        await store.appendToStream(`${prefix}-a`, [event('Keep'), event('Drop'), event('Keep')]);
        await store.appendToStream(`other${prefix}-b`, [event('Keep')]);
        const last = await store.appendToStream(`${prefix}-c`, [event('Drop')]);
        await waitForHead(store, last.position);
        const batch = await store.readAll({
          after: head,
          maxCount: 1000,
          eventTypes: ['Keep'],
          streamPrefixes: [`${prefix}-`],
        });
        expect(batch.events.map((e) => [e.streamName, e.type])).toEqual([
          [`${prefix}-a`, 'Keep'],
          [`${prefix}-a`, 'Keep'],
        ]);
        expect(comparePositions(batch.lastPosition, last.position)).toBeGreaterThanOrEqual(0);
        const nothing = await store.readAll({
          after: batch.lastPosition,
          eventTypes: ['Keep'],
          streamPrefixes: [`${prefix}-`],
        });
        expect(nothing.events).toEqual([]);
      });

      it('headPosition is the position of the last visible event', async () => {
        const result = await store.appendToStream(uniqueStream(), [event()]);
        await waitForHead(store, result.position);
        expect(
          comparePositions(await store.headPosition(), result.position),
        ).toBeGreaterThanOrEqual(0);
        expect(comparePositions(await store.headPosition(), START)).toBe(1);
      });
    });

    describe('catch-up subscriptions', () => {
      it('replays history, reports caught-up, then tails live appends', async () => {
        const stream = uniqueStream('sub');
        const head = await store.headPosition();
        await store.appendToStream(stream, [event('H', { n: 0 }), event('H', { n: 1 })]);
        const items: SubscriptionItem[] = [];
        let markCaughtUp!: () => void;
        const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
        const received = new Promise<void>((resolve, reject) => {
          const subscription = store
            .subscribeToAll({ after: head, streamPrefixes: [stream], batchSize: 1 })
            .subscribe({
              next: (item) => {
                items.push(item);
                if (item.kind === 'caught-up') markCaughtUp();
                const count = items.flatMap((i) => (i.kind === 'events' ? i.events : [])).length;
                if (count === 4) {
                  subscription.unsubscribe();
                  resolve();
                }
              },
              error: reject,
            });
        });
        // Live events are appended only once this very subscriber has caught up.
        await caughtUp;
        await store.appendToStream(stream, [event('L', { n: 2 })]);
        await store.appendToStream(stream, [event('L', { n: 3 })]);
        await received;
        const events = items.flatMap((i) => (i.kind === 'events' ? i.events : []));
        expect(events.map((e) => e.data.n)).toEqual([0, 1, 2, 3]);
        expect(items.filter((i) => i.kind === 'caught-up')).toHaveLength(1);
        expect(items.findIndex((i) => i.kind === 'caught-up')).toBeLessThan(
          items.findIndex((i) => i.kind === 'events' && i.events[0]?.type === 'L'),
        );
      });

      it('hints at an append, naming the types appended', async () => {
        const type = `Hint${randomUUID().slice(0, 8)}`;
        const named = firstValueFrom(
          store.appended.pipe(
            filter((hint) => hint.eventTypes?.includes(type) === true),
            take(1),
            timeout(10_000),
          ),
        );
        let hinted = false;
        void named.then(
          () => (hinted = true),
          () => (hinted = true),
        );
        // Where hints come from a live subscription (EventStoreDB), an append made before the
        // server confirmed it is not hinted: append again until one is.
        while (!hinted) {
          await store.appendToStream(uniqueStream('hint'), [event(type)]);
          await Promise.race([named, new Promise((resolve) => setTimeout(resolve, 200))]);
        }
        expect((await named).eventTypes).toContain(type);
      });

      it('resumes from a checkpoint without losing or repeating an event', async () => {
        const stream = uniqueStream('resume');
        const head = await store.headPosition();
        await store.appendToStream(
          stream,
          Array.from({ length: 5 }, (_, n) => event('E', { n })),
        );
        const first = await firstValueFrom(
          store.subscribeToAll({ after: head, streamPrefixes: [stream], batchSize: 2 }).pipe(
            filter((i) => i.kind === 'events' && i.events.length > 0),
            take(1),
          ),
        );
        if (first.kind !== 'events') throw new Error('expected events');
        expect(first.events.map((e) => e.data.n)).toEqual([0, 1]);
        await store.appendToStream(stream, [event('E', { n: 5 })]);
        // Events become visible once every older transaction has ended, so collect until all four.
        const rest = await firstValueFrom(
          store
            .subscribeToAll({ after: first.lastPosition, streamPrefixes: [stream], batchSize: 100 })
            .pipe(
              filter(
                (i): i is Extract<SubscriptionItem, { kind: 'events' }> => i.kind === 'events',
              ),
              scan((seen: RecordedEvent[], item) => [...seen, ...item.events], []),
              filter((seen) => seen.length >= 4),
              take(1),
              timeout(10_000),
            ),
        );
        expect(rest.map((e) => e.data.n)).toEqual([2, 3, 4, 5]);
      });
    });

    describe('concurrency', () => {
      it('N concurrent appenders on one stream: exactly one wins each revision, the rest get the typed error', async () => {
        const stream = uniqueStream('race');
        await store.appendToStream(stream, [event()], { expectedState: 'no_stream' });
        const writers = 16;
        for (let revision = 0n; revision < 8n; revision += 1n) {
          const outcomes = await Promise.allSettled(
            Array.from({ length: writers }, () =>
              store.appendToStream(stream, [event()], { expectedState: revision }),
            ),
          );
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(writers - 1);
          for (const loss of lost) {
            expect(loss.reason).toBeInstanceOf(WrongExpectedVersionError);
            expect((loss.reason as WrongExpectedVersionError).actualState).toBe(revision + 1n);
          }
        }
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual(
          Array.from({ length: 9 }, (_, i) => BigInt(i)),
        );
      });

      it('appends to several streams at once each meet their own outcome', async () => {
        const [fresh, moved, retried, taken, other] = Array.from({ length: 5 }, () =>
          uniqueStream('mixed'),
        );
        await store.appendToStream(moved!, [event('M'), event('M')]);
        const retry = [event('R'), event('R')];
        await store.appendToStream(retried!, retry);
        const stolen = event('S');
        await store.appendToStream(taken!, [stolen]);
        const outcomes = await Promise.allSettled([
          store.appendToStream(fresh!, [event('F')], { expectedState: 'no_stream' }),
          store.appendToStream(moved!, [event('M')], { expectedState: 0n }),
          store.appendToStream(retried!, retry, { expectedState: 'no_stream' }),
          store.appendToStream(other!, [stolen]),
          store.appendToStream(moved!, [event('M')], { expectedState: 1n }),
        ]);
        const [first, second, third, fourth, fifth] = outcomes;
        expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0n } });
        expect(second.status).toBe('rejected');
        expect((second as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(third).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1n } });
        if ((subject.eventIdsUniqueIn ?? 'store') === 'store') {
          expect(fourth.status).toBe('rejected');
          expect((fourth as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
          expect(await store.readStream(other!)).toEqual([]);
        } else {
          expect(fourth.status).toBe('fulfilled');
        }
        expect(fifth).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2n } });
        expect((await store.readStream(fresh!)).map((e) => e.type)).toEqual(['F']);
        expect((await store.readStream(moved!)).map((e) => e.type)).toEqual(['M', 'M', 'M']);
        expect((await store.readStream(retried!)).map((e) => e.id)).toEqual(retry.map((e) => e.id));
      });

      it('concurrent "any" appends keep $all consistent with each stream and lose nothing', async () => {
        const head = await store.headPosition();
        const streams = Array.from({ length: 4 }, () => uniqueStream('any'));
        await Promise.all(
          Array.from({ length: 64 }, (_, i) =>
            store.appendToStream(streams[i % streams.length]!, [
              event('X', { i }),
              event('X', { i }),
            ]),
          ),
        );
        // Visibility waits for older transactions (the store's own notifications among them), so
        // read until every appended event has shown up, bounded in time.
        const seen: RecordedEvent[] = [];
        let after = head;
        const deadline = Date.now() + 10_000;
        while (
          seen.filter((e) => streams.includes(e.streamName)).length < 128 &&
          Date.now() < deadline
        ) {
          const batch = await store.readAll({ after, maxCount: 1000 });
          seen.push(...batch.events);
          after = batch.lastPosition;
          if (batch.isEnd) await sleep(20);
        }
        for (const stream of streams) {
          const revisions = seen.filter((e) => e.streamName === stream).map((e) => e.revision);
          expect(revisions).toEqual(Array.from({ length: 32 }, (_, i) => BigInt(i)));
        }
      });

      it('late commit: an event that took its position first but commits last is delivered, in order, never skipped (where $all is ordered at commit: each append is in $all once it returns)', async () => {
        if (!subject.beginLateAppend) {
          // A store must let the contract hold a commit open or say it orders $all at commit; one
          // that does neither would pass without its ordering being checked at all.
          if (!subject.orderedAtCommit)
            throw new Error(`${name}: give beginLateAppend, or declare orderedAtCommit`);
          const stream = uniqueStream('late');
          let after = await store.headPosition();
          for (let n = 0; n < 5; n += 1) {
            const now = event('Now', { n });
            const appended = await store.appendToStream(`${stream}-${n % 2}`, [now]);
            const batch = await store.readAll({ after, maxCount: 1000, streamPrefixes: [stream] });
            expect(batch.events.map((e) => [e.id, e.data.n])).toEqual([[now.id, n]]);
            expect(batch.events[0]!.position).toEqual(appended.position);
            expect(comparePositions(appended.position, after)).toBe(1);
            after = batch.lastPosition;
          }
          return;
        }
        const stream = uniqueStream('late');
        const head = await store.headPosition();
        const delivered: RecordedEvent[] = [];
        const subscription = store
          .subscribeToAll({ after: head, streamPrefixes: ['late-'] })
          .subscribe((item) => {
            if (item.kind === 'events')
              delivered.push(
                ...item.events.filter(
                  (e) => e.streamName.startsWith(stream) || e.streamName.startsWith(`${stream}-`),
                ),
              );
          });
        try {
          const slow = await subject.beginLateAppend(`${stream}-slow`, [event('Slow')]);
          await store.appendToStream(`${stream}-fast`, [event('Fast', { n: 1 })]);
          await store.appendToStream(`${stream}-fast`, [event('Fast', { n: 2 })]);
          // The fast events are committed, yet must wait behind the open transaction.
          await sleep(1500);
          expect(delivered.map((e) => e.type)).toEqual([]);
          await slow.commit();
          await waitUntil(() => delivered.length >= 3, 10_000);
          expect(delivered.map((e) => e.type)).toEqual(['Slow', 'Fast', 'Fast']);
          for (let i = 1; i < delivered.length; i += 1) {
            expect(comparePositions(delivered[i - 1]!.position, delivered[i]!.position)).toBe(-1);
          }
        } finally {
          subscription.unsubscribe();
        }
      });
    });
  });
}

/**
 * An appended event becomes visible in `$all` once every older transaction has ended (that is how
 * late commits are never skipped), so a reader right after an append may briefly not see it yet.
 */
async function waitForHead(
  store: EventStore,
  position: Position,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (comparePositions(await store.headPosition(), position) < 0) {
    if (Date.now() > deadline) throw new Error('the appended event never became visible');
    await sleep(10);
  }
}

async function readAllUntil(
  store: EventStore,
  after: Position,
  maxCount: number,
  done: (seen: RecordedEvent[]) => boolean,
): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  const deadline = Date.now() + 10_000;
  while (!done(seen) && Date.now() < deadline) {
    const batch = await store.readAll({ after, maxCount });
    seen.push(...batch.events);
    after = batch.lastPosition;
    if (batch.isEnd && !done(seen)) await sleep(10);
  }
  return seen;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(25);
  }
}
