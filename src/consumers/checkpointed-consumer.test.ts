import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPGliteEventStore } from '../adapters/event-store/pglite/pglite-event-store.js';
import type {
  AppendedHint,
  EventStore,
  ReadAllBatch,
  ReadAllOptions,
} from '../ports/event-store/event-store.js';
import {
  START,
  comparePositions,
  parsePosition,
  type Position,
} from '../ports/event-store/position.js';
import { openReadModels, type ReadModels } from '../database/open-read-models.js';
import { silentLogger } from '../testing/pg-world.js';
import { CheckpointedConsumer, untilSharedTick } from './checkpointed-consumer.js';
import { InProcessLock } from './consumer-lock.js';
import {
  checkpointUpsert,
  deleteCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
} from './checkpoints.js';
import type { ConsumedBatch, ConsumerProcessor } from './consumer-processor.js';

let store: EventStore;
let readModels: ReadModels;

beforeAll(async () => {
  const opened = await openPGliteEventStore({ pollIntervalMs: 50 });
  store = opened.store;
  readModels = await openReadModels({ kind: 'pglite', client: opened.sql });
});

afterAll(async () => {
  await readModels?.close();
  await store?.close();
});

const at = (commit: number, prepare = commit): Position => ({
  commit: BigInt(commit),
  prepare: BigInt(prepare),
});

async function row(name: string) {
  return readModels.db
    .selectFrom('projection_checkpoints')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the checkpoint statement', () => {
  it('inserts, moves forward, counts events, and never moves a row backwards', async () => {
    const name = `cp-${randomUUID()}`;
    expect(await loadCheckpoint(readModels.db, name)).toEqual(START);
    await saveCheckpoint(readModels.db, { name, position: at(5), globalPosition: 5n, events: 2 });
    await saveCheckpoint(readModels.db, {
      name,
      position: at(9, 12),
      globalPosition: 12n,
      events: 3,
    });
    // A late or redelivered write: ignored whole, its events not counted.
    await saveCheckpoint(readModels.db, { name, position: at(7), globalPosition: 7n, events: 4 });
    await saveCheckpoint(readModels.db, {
      name,
      position: at(9, 12),
      globalPosition: 12n,
      events: 4,
    });
    expect(await loadCheckpoint(readModels.db, name)).toEqual(at(9, 12));
    expect(await row(name)).toMatchObject({ global_position: '12', events_applied: '5' });
    // Positions compare by number, not by the length of their digits.
    await saveCheckpoint(readModels.db, {
      name,
      position: at(10, 3),
      globalPosition: 3n,
      events: 0,
    });
    expect(await loadCheckpoint(readModels.db, name)).toEqual(at(10, 3));
    await deleteCheckpoint(readModels.db, name);
    expect(await loadCheckpoint(readModels.db, name)).toEqual(START);
  });

  it('follows a CTE that writes the batch effects, as one statement', async () => {
    const name = `cp-${randomUUID()}`;
    const generationId = `cte-${randomUUID()}`;
    await sql`WITH new_jobs AS (INSERT INTO pipeline_jobs (generation_id, user_id, status) VALUES (${generationId}, 1, 'queued'))
      ${checkpointUpsert({ name, position: at(3), globalPosition: 3n, events: 1 })}`.execute(
      readModels.db,
    );
    expect(await loadCheckpoint(readModels.db, name)).toEqual(at(3));
    expect(
      await readModels.db
        .selectFrom('pipeline_jobs')
        .select('status')
        .where('generation_id', '=', generationId)
        .executeTakeFirst(),
    ).toEqual({ status: 'queued' });
  });
});

/** Records what it is handed and stores the checkpoint; fails on demand. */
class RecordingProcessor implements ConsumerProcessor {
  readonly eventTypes = ['ConsumerProbe'];
  readonly streamPrefixes: readonly string[];
  readonly seen: string[] = [];
  failures = 0;

  constructor(readonly name: string) {
    this.streamPrefixes = [`${name}-`];
  }

  async handle(batch: ConsumedBatch): Promise<Position> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('injected');
    }
    this.seen.push(...batch.events.map((event) => String(event.data.n)));
    await saveCheckpoint(readModels.db, {
      name: this.name,
      position: batch.lastPosition,
      globalPosition: batch.lastPosition.prepare,
      events: batch.events.length,
    });
    return batch.lastPosition;
  }
}

const consumerOf = (processor: ConsumerProcessor) =>
  new CheckpointedConsumer({
    store,
    db: readModels.db,
    lock: readModels.lock,
    log: silentLogger,
    processor,
    batchSize: 2,
    pollIntervalMs: 20,
    standbyRetryMs: 20,
    idleCheckpointMs: 0,
  });

async function append(stream: string, n: number, type = 'ConsumerProbe'): Promise<Position> {
  return (await store.appendToStream(stream, [{ id: randomUUID(), type, data: { n } }])).position;
}

describe('CheckpointedConsumer', () => {
  it('one active instance per name; the other takes over from the checkpoint, and nothing is handled twice', async () => {
    const name = `consumer-${randomUUID().slice(0, 8)}`;
    const first = new RecordingProcessor(name);
    const second = new RecordingProcessor(name);
    const a = consumerOf(first);
    const b = consumerOf(second);
    a.start();
    await until(() => a.isActive, 'the first to be active');
    b.start();
    for (let n = 1; n <= 5; n += 1) await append(`${name}-1`, n);
    await append(`${name}-1`, 99, 'SomethingElse');
    await until(() => first.seen.length === 5, 'the first to handle five events');
    expect(b.isActive).toBe(false);
    await a.stop();
    await until(() => b.isActive, 'the second to take over');
    const last = await append(`${name}-1`, 6);
    await until(() => second.seen.length === 1, 'the second to handle the next event');
    expect(first.seen).toEqual(['1', '2', '3', '4', '5']);
    expect(second.seen).toEqual(['6']);
    await until(
      async () =>
        comparePositions(parsePosition((await row(name))?.position ?? 'start'), last) >= 0,
      'the checkpoint to reach the last event',
    );
    await b.stop();
  });

  it('a failed batch is retried from the stored checkpoint, then the consumer goes on', async () => {
    const name = `consumer-${randomUUID().slice(0, 8)}`;
    const processor = new RecordingProcessor(name);
    processor.failures = 2;
    const consumer = consumerOf(processor);
    consumer.start();
    await append(`${name}-1`, 1);
    await until(() => processor.seen.length === 1, 'the event after two failures');
    await append(`${name}-1`, 2);
    await until(() => processor.seen.length === 2, 'the next event');
    expect(processor.seen).toEqual(['1', '2']);
    await consumer.stop();
  });

  it('scanning past other events moves the stored checkpoint too, and catchUpOnce stops at the head', async () => {
    const name = `consumer-${randomUUID().slice(0, 8)}`;
    const processor = new RecordingProcessor(name);
    await append(`${name}-1`, 1);
    const head = await append(`${name}-1`, 2, 'SomethingElse');
    await consumerOf(processor).catchUpOnce();
    expect(processor.seen).toEqual(['1']);
    expect(
      comparePositions(await loadCheckpoint(readModels.db, name), head),
    ).toBeGreaterThanOrEqual(0);
  });
});

describe('the pause before a read', () => {
  it('ends on a tick of the shared clock, at least half a period away', () => {
    // Consumers that start pausing at different moments wake on the same tick.
    expect(1000 + untilSharedTick(20, 1000)).toBe(1020);
    expect(1003 + untilSharedTick(20, 1003)).toBe(1020);
    expect(1011 + untilSharedTick(20, 1011)).toBe(1040);
    expect(1003 + untilSharedTick(200, 1003)).toBe(1200);
    expect(1101 + untilSharedTick(200, 1101)).toBe(1400);
    expect(untilSharedTick(0, 1003)).toBe(0);
  });
});

/** A store whose append hints the test sends, counting the reads they cause (nothing is new). */
function hintedStore() {
  const appended = new Subject<AppendedHint>();
  let reads = 0;
  const fake = {
    appended,
    readAll: async (options: ReadAllOptions = {}): Promise<ReadAllBatch> => {
      reads += 1;
      return { events: [], lastPosition: options.after ?? START, isEnd: true };
    },
  };
  return { store: fake as unknown as EventStore, appended, reads: () => reads };
}

class WakeableConsumer extends CheckpointedConsumer {
  wakeNow(): void {
    this.wake();
  }
}

describe('what wakes a consumer', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 80));
  const consumerOn = (store: EventStore, lagMs: number) =>
    new WakeableConsumer({
      store,
      db: readModels.db,
      lock: new InProcessLock(),
      log: silentLogger,
      processor: new RecordingProcessor(`wake-${randomUUID().slice(0, 8)}`),
      pollIntervalMs: 60_000,
      lagMs,
      coalesceMs: 0,
    });

  it('sleeps through appends of types it does not read, and looks after its own or unnamed ones', async () => {
    const { store: fake, appended, reads } = hintedStore();
    const consumer = consumerOn(fake, 0);
    consumer.start();
    await until(() => reads() === 1, 'the first read');
    appended.next({ eventTypes: ['SomethingElse'] });
    await settle();
    expect(reads()).toBe(1);
    appended.next({ eventTypes: ['SomethingElse', 'ConsumerProbe'] });
    await until(() => reads() === 2, 'a read after an append of its type');
    // A hint that names no types (another process, an older instance) may be anything.
    appended.next({});
    await until(() => reads() === 3, 'a read after an unnamed append');
    await consumer.stop();
  });

  it('gathers appends for its lag while nobody waits, and a wait cuts the pause short', async () => {
    const { store: fake, appended, reads } = hintedStore();
    const consumer = consumerOn(fake, 60_000);
    consumer.start();
    await until(() => reads() === 1, 'the first read');
    appended.next({ eventTypes: ['ConsumerProbe'] });
    appended.next({ eventTypes: ['ConsumerProbe'] });
    await settle();
    expect(reads()).toBe(1);
    consumer.wakeNow();
    await until(() => reads() === 2, 'one read for both appends once someone waits');
    await settle();
    expect(reads()).toBe(2);
    await consumer.stop();
  });
});
