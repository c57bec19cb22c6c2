import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerationCommands } from '../commands/generation-commands.js';
import { SendFailedError } from '../ports/user-notifier.js';
import { pipelineActor, stageCommandId } from './command-ids.js';
import { PipelineWorld, until } from '../testing/pipeline/pipeline-world.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await PipelineWorld.pglite();
});

afterAll(async () => {
  await world?.close();
});

const flood = (retryAfterSec: number) =>
  new SendFailedError(
    'rate_limited',
    `Telegram answered 429: Too Many Requests: retry after ${retryAfterSec}`,
    429,
    retryAfterSec,
  );
const eventsOf = async (generationId: string) => world.generationEvents(generationId);
// Telegram's waits are slept at this rate here, so a 70 s flood wait takes 70 ms; the logic sees 70
// s.
const scale = 0.001;

describe('delivering a finished video through Telegram trouble', () => {
  it('honours retry_after 70 three times in a row: one video, completed, not refunded, the user told it waits', async () => {
    const pipeline = world.pipeline({ config: { deliveryTimeScale: scale, maxAttempts: 3 } });
    world.notifier.deliverFailures = [flood(70), flood(70), flood(70)];
    pipeline.start();
    const { generationId, userId } = await world.request({
      format: 'talking_head',
      text: 'flood three times',
    });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();

    const types = (await eventsOf(generationId)).map((e) => e.type);
    expect(types.slice(-8)).toEqual([
      'VideoSendAttempted',
      'VideoSendFailed',
      'VideoSendAttempted',
      'VideoSendFailed',
      'VideoSendAttempted',
      'VideoSendFailed',
      'VideoSendAttempted',
      'VideoDelivered',
    ]);
    const failed = (await eventsOf(generationId))
      .filter((e) => e.type === 'VideoSendFailed')
      .map((e) => e.data);
    expect(failed).toEqual(
      [1, 2, 3].map((attempt) => ({
        attempt,
        errorCode: 429,
        reason: expect.stringContaining('429'),
        retryAfterSec: 70,
      })),
    );
    // Each new upload came at least retry_after (scaled) after the one Telegram refused.
    const uploads = world.notifier.uploadAttempts
      .filter((u) => u.generationId === generationId)
      .map((u) => u.at);
    expect(uploads).toHaveLength(4);
    for (let i = 1; i < uploads.length; i += 1)
      expect(uploads[i]! - uploads[i - 1]!).toBeGreaterThanOrEqual(70_000 * scale - 2);
    expect(
      world.notifier.waits.filter((w) => w.generationId === generationId).map((w) => w.waitSec),
    ).toEqual([70, 70, 70]);
    expect(world.notifier.deliveriesOf(generationId)).toHaveLength(1);
    expect(world.notifier.failuresOf(generationId)).toEqual([]);
    expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
  });

  it('a retry_after beyond the ceiling gives the delivery up at once: kept, not refunded, the user gets the link', async () => {
    const pipeline = world.pipeline({
      config: { deliveryTimeScale: scale, deliveryMaxWaitMs: 900_000 },
    });
    world.notifier.deliverFailures = [flood(1000)];
    pipeline.start();
    const { generationId, userId } = await world.request({
      format: 'talking_head',
      text: 'flood past the ceiling',
    });
    expect(await world.settled(generationId)).toBe('abandoned');
    await pipeline.stop();

    const events = await eventsOf(generationId);
    expect(events.map((e) => e.type).slice(-3)).toEqual([
      'VideoSendAttempted',
      'VideoSendFailed',
      'VideoDeliveryAbandoned',
    ]);
    expect(events.at(-1)?.data).toMatchObject({
      errorCode: 429,
      reason: expect.stringContaining('900 s delivery ceiling'),
    });
    expect(world.notifier.abandoned.filter((a) => a.generationId === generationId)).toHaveLength(1);
    expect(world.notifier.waits.filter((w) => w.generationId === generationId)).toEqual([]);
    expect(world.notifier.failuresOf(generationId)).toEqual([]);
    expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
  });

  it('the ceiling counts from the first attempt: waits that add up past it end in an abandoned delivery', async () => {
    // A coarser scale than elsewhere: each real millisecond of overhead counts as 100 ms here.
    const pipeline = world.pipeline({
      config: { deliveryTimeScale: 0.01, deliveryMaxWaitMs: 180_000 },
    });
    world.notifier.deliverFailures = [flood(70), flood(70), flood(70)];
    pipeline.start();
    const { generationId } = await world.request({
      format: 'talking_head',
      text: 'floods adding up',
    });
    expect(await world.settled(generationId)).toBe('abandoned');
    await pipeline.stop();
    // 70 s + 70 s fit in 180 s; a third 70 s wait would not.
    expect(world.notifier.waits.filter((w) => w.generationId === generationId)).toHaveLength(2);
    expect(world.notifier.deliveriesOf(generationId)).toHaveLength(0);
    world.notifier.deliverFailures = [];
  });

  it('server errors are retried within the delivery, never refunded', async () => {
    const pipeline = world.pipeline({ config: { deliveryTimeScale: scale, maxAttempts: 2 } });
    world.notifier.deliverFailures = [502, 500, 503].map(
      (code) => new SendFailedError('unavailable', `Telegram answered ${code}`, code),
    );
    pipeline.start();
    const { generationId, userId } = await world.request({
      format: 'talking_head',
      text: 'server errors',
    });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();
    expect(world.notifier.deliveriesOf(generationId)).toHaveLength(1);
    expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
  });

  it('an upload whose answer was lost is not repeated: the user gets the download link, recorded as delivered', async () => {
    const pipeline = world.pipeline();
    world.notifier.lostAnswers = 1;
    pipeline.start();
    const { generationId, userId } = await world.request({
      format: 'talking_head',
      text: 'answer lost',
    });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();

    expect(world.notifier.deliveriesOf(generationId)).toHaveLength(1);
    expect(
      world.notifier.uploadAttempts.filter((u) => u.generationId === generationId),
    ).toHaveLength(1);
    expect(world.notifier.linksOf(generationId)).toEqual([
      expect.objectContaining({ url: expect.stringContaining(generationId), ttlHours: 24 }),
    ]);
    const events = await eventsOf(generationId);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['VideoSendAttempted', 'VideoDelivered']);
    expect(events.at(-1)?.data).toMatchObject({ via: 'link' });
    expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
  });

  it('a graceful stop ends a long flood wait at once; the job is released, resumed later and delivered, never refunded', async () => {
    // Real seconds here: the wait is 70 s, and the stop must not sit it out.
    const a = world.pipeline({ config: { leaseMs: 600 } });
    world.notifier.deliverFailures = [flood(70)];
    a.start();
    const requested = await world.request({ format: 'talking_head', text: 'stop while waiting' });
    await until(
      () => world.notifier.waits.some((w) => w.generationId === requested.generationId),
      20_000,
      'the flood wait to begin',
    );
    // Well past the lease: it is renewed while the delivery waits, nobody else takes the job.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await world.job(requested.generationId)).toMatchObject({
      status: 'running',
      claimed_by: expect.stringMatching(/^test-/),
    });
    const stopping = Date.now();
    await a.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(await world.job(requested.generationId)).toMatchObject({
      status: 'queued',
      claimed_by: null,
    });
    expect(world.notifier.failuresOf(requested.generationId)).toEqual([]);

    const b = world.pipeline();
    b.start();
    expect(await world.settled(requested.generationId)).toBe('delivered');
    await b.stop();
    expect(world.notifier.deliveriesOf(requested.generationId)).toHaveLength(1);
    expect(await world.creditEvents(requested.userId, requested.generationId)).toEqual([
      'CreditsSpent',
    ]);
  });

  it('a run that wakes from a flood wait to find the upload of another run open sends the link, never a second upload', async () => {
    const pipeline = world.pipeline({ config: { deliveryTimeScale: scale, maxAttempts: 3 } });
    // A long wait: while this run sleeps, "another worker" (a lease taken over under a live run)
    // records the next attempt and its upload is left without an answer.
    world.notifier.deliverFailures = [flood(800)];
    pipeline.start();
    const { generationId } = await world.request({
      format: 'talking_head',
      text: 'two runs, one attempt',
    });
    await until(async () => world.notifier.waits.some((w) => w.generationId === generationId));
    const other = await new GenerationCommands({ store: world.store }).execute(
      generationId,
      { type: 'RecordSendAttempt', at: new Date().toISOString() },
      // The id the attempt had before runs named themselves in it: the same for both runs.
      {
        commandId: stageCommandId(generationId, 'RecordSendAttempt', 'attempt-2'),
        actor: pipelineActor,
        correlationId: generationId,
      },
    );
    expect(other.ok).toBe(true);
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();

    // One upload only (the refused one); the waking run met the open attempt and sent the link.
    expect(
      world.notifier.uploadAttempts.filter((u) => u.generationId === generationId),
    ).toHaveLength(1);
    expect(world.notifier.linksOf(generationId)).toHaveLength(1);
  });

  it('a graceful stop mid-upload keeps the lease while the upload lands: a standby does not take the job and send the link beside the video', async () => {
    const stopping = world.pipeline({ config: { deliveryTimeScale: scale } });
    const standby = world.pipeline({ config: { deliveryTimeScale: scale }, intake: false });
    let stopped: Promise<void> | undefined;
    world.notifier.afterSend = async () => {
      world.notifier.afterSend = undefined;
      // The stop comes while the upload is still going, which then takes three leases (500 ms each)
      // to land.
      stopped = stopping.stop();
      await new Promise((resolve) => setTimeout(resolve, 1500));
    };
    stopping.start();
    const { generationId } = await world.request({
      format: 'talking_head',
      text: 'stopped mid-upload',
    });
    await until(() => world.notifier.uploadAttempts.some((u) => u.generationId === generationId));
    standby.start();
    expect(await world.settled(generationId)).toBe('delivered');
    await stopped;
    await standby.stop();
    expect(
      world.notifier.uploadAttempts.filter((u) => u.generationId === generationId),
    ).toHaveLength(1);
    expect(world.notifier.linksOf(generationId)).toEqual([]);
  });
});
