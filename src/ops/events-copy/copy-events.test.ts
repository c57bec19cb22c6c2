import { randomUUID } from 'node:crypto';
import { EMPTY } from 'rxjs';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPGliteEventStore } from '../../adapters/event-store/pglite/pglite-event-store.js';
import type {
  EventStore,
  ReadAllOptions,
  RecordedEvent,
} from '../../ports/event-store/event-store.js';
import { START, comparePositions } from '../../ports/event-store/position.js';
import { EventCopyError } from './copy-errors.js';
import { copyEvents } from './copy-events.js';

const log = pino({ level: 'silent' });
// One embedded store for the file (opening one takes seconds), emptied after each test.
let embedded: Awaited<ReturnType<typeof openPGliteEventStore>>;

beforeAll(async () => {
  embedded = await openPGliteEventStore();
});

afterEach(async () => {
  // Every table of the store, whatever its internals: the copy needs an empty target.
  await embedded.sql.query(
    `DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'es\\_%' LOOP EXECUTE format('TRUNCATE %I', t); END LOOP; END $$;`,
  );
});

afterAll(async () => {
  await embedded?.store.close();
});

async function embeddedStore(): Promise<EventStore> {
  return embedded.store;
}

/** A read-only source holding exactly these events, in this order. */
function fixedSource(
  events: readonly Omit<RecordedEvent, 'position' | 'globalPosition' | 'createdAt'>[],
): EventStore {
  const recorded: RecordedEvent[] = events.map((event, index) => ({
    ...event,
    position: { commit: BigInt(index), prepare: BigInt(index) },
    globalPosition: BigInt(index),
    createdAt: new Date(),
  }));
  const unsupported = () => Promise.reject(new Error('read-only source'));
  return {
    kind: 'eventstoredb',
    appended: EMPTY,
    appendToStream: unsupported,
    readStream: unsupported,
    subscribeToAll: () => EMPTY,
    async readAll(options: ReadAllOptions = {}) {
      const after = options.after ?? START;
      const rest = recorded
        .filter((event) => comparePositions(event.position, after) > 0)
        .slice(0, options.maxCount ?? 500);
      return {
        events: rest,
        lastPosition: rest.at(-1)?.position ?? after,
        isEnd: rest.length < (options.maxCount ?? 500),
      };
    },
    async headPosition() {
      return recorded.at(-1)?.position ?? START;
    },
    async close() {},
  };
}

const event = (streamName: string, revision: bigint) => ({
  id: randomUUID(),
  streamName,
  revision,
  type: 'Noted',
  data: { revision: Number(revision) },
  metadata: {},
});

describe('copyEvents', () => {
  it('stops at a stream whose revisions jump (a truncated EventStoreDB stream), having copied what came before', async () => {
    const source = fixedSource([event('a', 0n), event('b', 5n), event('b', 6n)]);
    const target = await embeddedStore();
    const failure = await copyEvents({ source, target, log }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EventCopyError);
    expect(failure).toMatchObject({ code: 'TARGET_REFUSED_APPEND', retryable: false });
    expect((failure as Error).message).toMatch(/"b" from revision 5.*lacks earlier revisions/);
    expect((await target.readAll()).events.map((copied) => copied.streamName)).toEqual(['a']);
  });

  it('stops at a jump inside one run of a stream before appending any of it', async () => {
    const source = fixedSource([event('a', 0n), event('a', 1n), event('a', 3n)]);
    const target = await embeddedStore();
    await expect(copyEvents({ source, target, log })).rejects.toMatchObject({
      code: 'SOURCE_REVISION_GAP',
    });
    expect((await target.readAll()).events).toEqual([]);
  });

  it('refuses a target holding more than the whole source', async () => {
    const first = event('a', 0n);
    const source = fixedSource([first]);
    const target = await embeddedStore();
    await target.appendToStream('a', [
      { id: first.id, type: first.type, data: first.data, metadata: first.metadata },
    ]);
    await target.appendToStream('a', [{ id: randomUUID(), type: 'Noted', data: {} }]);
    await expect(copyEvents({ source, target, log })).rejects.toMatchObject({
      code: 'TARGET_NOT_A_PREFIX',
      message: expect.stringMatching(/more events than the source's 1/),
    });
  });

  it('copies runs of one stream in one append each and reports the totals', async () => {
    const source = fixedSource([event('a', 0n), event('a', 1n), event('b', 0n), event('a', 2n)]);
    const target = await embeddedStore();
    let appends = 0;
    const counting: EventStore = Object.create(target, {
      appendToStream: {
        value: (...args: Parameters<EventStore['appendToStream']>) => (
          (appends += 1),
          target.appendToStream(...args)
        ),
      },
    });
    const report = await copyEvents({ source, target: counting, log });
    expect(report).toMatchObject({ alreadyThere: 0, copied: 4, total: 4 });
    expect(appends).toBe(3);
    expect((await target.readStream('a')).map((copied) => copied.revision)).toEqual([0n, 1n, 2n]);
  });

  it('logs each stage with counts and timings', async () => {
    const source = fixedSource([event('a', 0n), event('b', 0n), event('a', 1n)]);
    const lines: Array<Record<string, unknown>> = [];
    const recording = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const report = await copyEvents({
      source,
      target: await embeddedStore(),
      log: recording,
      progressEveryMs: 0,
    });
    const stages = lines.map((line) => `${String(line.stage)}: ${String(line.msg)}`);
    expect(stages).toContain('copy: copying');
    expect(stages).toContain('verify: reading');
    expect(lines.find((line) => line.msg === 'every source event is in the target')).toMatchObject({
      stage: 'copy',
      copied: 3,
      ms: expect.any(Number),
    });
    expect(lines.at(-1)).toMatchObject({
      stage: 'verify',
      events: 3,
      checksum: report.checksum,
      ms: expect.any(Number),
    });
  });
});
