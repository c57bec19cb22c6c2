import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { GenerationCommands } from '../commands/generation-commands.js';
import { UserCommands } from '../commands/user-commands.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import { openReadModels, type ReadModels } from '../database/open-read-models.js';
import { openPgWorld, type PgWorld } from '../testing/pg-world.js';
import { skipWithoutPostgres } from '../testing/postgres.js';
import { JobQueue, type ClaimedJob } from './job-queue.js';
import {
  PipelineWorld,
  until,
  type PipelineOverrides,
} from '../testing/pipeline/pipeline-world.js';
import { RecordingNotifier } from '../testing/pipeline/recording-notifier.js';

const skip = await skipWithoutPostgres('generation pipeline, two instances (PostgreSQL)');

describe.skipIf(skip)('two pipeline instances on one PostgreSQL database', () => {
  let pg: PgWorld;
  let world: PipelineWorld;
  // The second "process": its own event-store pool (with its own LISTEN) and read-model pool.
  let otherStore: EventStore;
  let otherReadModels: ReadModels;

  beforeAll(async () => {
    pg = await openPgWorld();
    world = await PipelineWorld.on(pg.store, pg.readModels, async () => undefined);
    otherStore = await openPostgresEventStore({
      connectionString: pg.database.url,
      maxConnections: 10,
      pollIntervalMs: 100,
    });
    otherReadModels = await openReadModels({ kind: 'postgres', url: pg.database.url });
  });

  afterAll(async () => {
    await world?.close();
    await otherReadModels?.close();
    await otherStore?.close();
    await pg?.close();
  });

  const secondInstance = (overrides: PipelineOverrides = {}) =>
    world.pipeline({
      store: otherStore,
      readModels: otherReadModels,
      users: new UserCommands({ store: otherStore }),
      generations: new GenerationCommands({ store: otherStore }),
      ...overrides,
    });

  it('claims with SKIP LOCKED hand every due job to exactly one of many concurrent claimers', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `skip-locked-${i}`);
    await new JobQueue(pg.readModels.db).enqueue(
      ids.map((generationId, i) => ({ generationId, userId: 1 + i, status: 'queued' as const })),
      {
        name: 'skip-locked-test',
        position: { commit: 1n, prepare: 1n },
        globalPosition: 1n,
        events: 0,
      },
    );
    const queues = [new JobQueue(pg.readModels.db), new JobQueue(otherReadModels.db)];
    const claimed: ClaimedJob[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        const queue = queues[worker % 2]!;
        for (;;) {
          const job = await queue.claim(`claimer-${worker}`, 60_000);
          if (!job) return;
          if (job.generationId.startsWith('skip-locked-')) claimed.push(job);
        }
      }),
    );
    expect(claimed.map((job) => job.generationId).sort()).toEqual([...ids].sort());
    expect(new Set(claimed.map((job) => job.claimedBy)).size).toBeGreaterThan(1);
    await pg.readModels.db
      .deleteFrom('pipeline_jobs')
      .where('generation_id', 'like', 'skip-locked-%')
      .execute();
  });

  it('10 generations, both instances running intake and workers: each generation runs exactly once', async () => {
    const notifierA = new RecordingNotifier();
    const notifierB = new RecordingNotifier();
    world.providers.talkingHead.delayMs = 20;
    world.providers.compositor.delayMs = 20;
    const a = world.pipeline({ notifier: notifierA, config: { concurrency: 2, leaseMs: 5000 } });
    const b = secondInstance({ notifier: notifierB, config: { concurrency: 2, leaseMs: 5000 } });
    a.start();
    b.start();
    const requested = [];
    for (let i = 0; i < 10; i += 1) {
      requested.push(
        await world.request({
          format: i % 2 === 0 ? 'talking_head' : 'background',
          text: `two instances ${i}`,
        }),
      );
    }
    for (const { generationId } of requested)
      expect(await world.settled(generationId, 60_000)).toBe('delivered');
    await Promise.all([a.stop(), b.stop()]);
    world.providers.talkingHead.delayMs = 0;
    world.providers.compositor.delayMs = 0;

    for (const [i, { generationId, userId, text }] of requested.entries()) {
      const types = await world.generationEventTypes(generationId);
      expect(types.filter((t) => t === 'GenerationStarted')).toHaveLength(1);
      expect(types.filter((t) => t === 'VideoDelivered')).toHaveLength(1);
      // One upload attempt, recorded before it started, then the delivery.
      expect(types.filter((t) => t === 'VideoSendAttempted')).toHaveLength(1);
      expect(types).toHaveLength(i % 2 === 0 ? 7 : 9);
      expect(world.providers.speech.count(text)).toBe(1);
      expect(world.providers.talkingHead.submissions.filter((tag) => tag === text)).toHaveLength(1);
      expect(world.providers.compositor.count(text)).toBe(i % 2 === 0 ? 0 : 1);
      expect(
        notifierA.deliveriesOf(generationId).length + notifierB.deliveriesOf(generationId).length,
      ).toBe(1);
      expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
    }
    const byA = notifierA.deliveries.length;
    console.info(`two instances: A delivered ${byA}, B delivered ${notifierB.deliveries.length}`);
  });

  it('a worker that dies mid-stage on one instance is taken over by the other when its lease ends', async () => {
    world.providers.talkingHead.script = ['block'];
    const a = world.pipeline({ config: { leaseMs: 400 } });
    a.start();
    const requested = await world.request({
      format: 'background',
      text: 'takeover across instances',
    });
    await until(
      () => world.providers.talkingHead.count(requested.text) === 1,
      10_000,
      'the talking head to be submitted',
    );
    a.halt();
    const b = secondInstance({ config: { leaseMs: 400 } });
    b.start();
    expect(await world.settled(requested.generationId)).toBe('delivered');
    await b.stop();
    expect(
      world.providers.talkingHead.submissions.filter((tag) => tag === requested.text),
    ).toHaveLength(1);
    expect(world.providers.talkingHead.count(requested.text)).toBe(2);
    expect(world.providers.speech.count(requested.text)).toBe(1);
    expect(world.providers.compositor.count(requested.text)).toBe(1);
    expect(world.notifier.deliveriesOf(requested.generationId)).toHaveLength(1);
    expect(await world.creditEvents(requested.userId, requested.generationId)).toEqual([
      'CreditsSpent',
    ]);
  });
});
