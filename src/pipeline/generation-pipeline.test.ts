import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendFailedError } from '../ports/user-notifier.js';
import { PermanentProviderError } from '../testing/pipeline/fake-providers.js';
import { PipelineWorld } from '../testing/pipeline/pipeline-world.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await PipelineWorld.pglite();
});

afterAll(async () => {
  await world?.close();
});

const dataOf = async (generationId: string, type: string) =>
  (await world.generationEvents(generationId)).find((e) => e.type === type)?.data;

describe('GenerationPipeline on PGlite with fake providers', () => {
  it('talking head: every stage recorded in order with its timing, delivered once, one credit spent', async () => {
    const pipeline = world.pipeline();
    pipeline.start();
    const { generationId, userId, text } = await world.request({ format: 'talking_head' });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();

    expect(await world.generationEventTypes(generationId)).toEqual([
      'GenerationStarted',
      'AudioSynthesized',
      'TalkingHeadRequested',
      'TalkingHeadGenerated',
      'GenerationCompleted',
      'VideoSendAttempted',
      'VideoDelivered',
    ]);
    const audio = await dataOf(generationId, 'AudioSynthesized');
    expect(audio).toMatchObject({
      audioKey: `generations/${generationId}/speech.wav`,
      durationSec: 3,
      provider: 'fake-tts',
    });
    expect(typeof audio?.elapsedMs).toBe('number');
    const head = await dataOf(generationId, 'TalkingHeadGenerated');
    expect(head).toMatchObject({
      videoKey: `generations/${generationId}/talking-head.mp4`,
      provider: 'fake-omnihuman',
      lipSync: true,
      costUsd: 0.14,
    });
    const completed = await dataOf(generationId, 'GenerationCompleted');
    expect(completed).toMatchObject({
      videoKey: `generations/${generationId}/talking-head.mp4`,
      width: 1080,
      height: 1920,
      durationSec: 3,
    });
    expect(Object.keys(completed?.timings as object).sort()).toEqual([
      'talking_head',
      'total',
      'tts',
    ]);

    expect(world.providers.speech.count(text)).toBe(1);
    expect(world.providers.talkingHead.count(text)).toBe(1);
    expect(world.providers.compositor.count(text)).toBe(0);
    const deliveries = world.notifier.deliveriesOf(generationId);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      userId,
      language: 'en',
      width: 1080,
      height: 1920,
      durationSec: 3,
      providersNote: 'voice: fake-tts · video: fake-omnihuman',
    });
    expect(deliveries[0]?.thumbnailPath).toMatch(/thumbnail\.jpg$/);
    expect(await dataOf(generationId, 'VideoDelivered')).toEqual({
      chatId: userId,
      messageId: expect.any(Number),
      fileId: `file-${generationId}`,
      via: 'video',
    });

    const stages = world.notifier.progressUpdates
      .filter((p) => p.generationId === generationId)
      .map((p) => p.stage);
    expect([...new Set(stages)]).toEqual(['tts', 'video', 'render', 'delivery']);
    expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
    expect((await world.users.state(userId)).balance).toBe(9);
    expect(world.notifier.failuresOf(generationId)).toEqual([]);
    expect(await world.workDirsLeft()).toEqual([]);
    expect(await world.storage.exists(`generations/${generationId}/talking-head.mp4`)).toBe(true);
  });

  it('background: overlay in the chosen shape with the speech word timings, subtitles recorded from the same pass', async () => {
    const pipeline = world.pipeline();
    pipeline.start();
    const { generationId, userId, text } = await world.request({
      format: 'background',
      shape: 'rounded_rect',
      text: 'Fresh beans every single morning',
    });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();

    expect(await world.generationEventTypes(generationId)).toEqual([
      'GenerationStarted',
      'AudioSynthesized',
      'TalkingHeadRequested',
      'TalkingHeadGenerated',
      'OverlayRendered',
      'SubtitlesBurned',
      'GenerationCompleted',
      'VideoSendAttempted',
      'VideoDelivered',
    ]);
    const request = world.providers.compositor.requests.at(-1);
    expect(request?.shape).toBe('rounded_rect');
    expect(request?.words.map((w) => w.word)).toEqual([
      'Fresh',
      'beans',
      'every',
      'single',
      'morning',
    ]);
    const finalKey = `generations/${generationId}/final.mp4`;
    expect(await dataOf(generationId, 'OverlayRendered')).toMatchObject({
      videoKey: finalKey,
      provider: 'fake-compositor',
    });
    expect(await dataOf(generationId, 'SubtitlesBurned')).toEqual({
      videoKey: finalKey,
      provider: 'fake-compositor',
      elapsedMs: 0,
    });
    const completed = await dataOf(generationId, 'GenerationCompleted');
    expect(completed).toMatchObject({ videoKey: finalKey });
    expect(Object.keys(completed?.timings as object).sort()).toEqual([
      'overlay',
      'subtitles',
      'talking_head',
      'total',
      'tts',
    ]);
    // The final file is the composite of this generation's head and background.
    expect(world.providers.probe.probed.at(-1)).toContain(`audio(${text})`);
    expect(world.providers.probe.probed.at(-1)).toContain('|rounded_rect|5 words');

    for (const provider of [
      world.providers.speech,
      world.providers.talkingHead,
      world.providers.compositor,
    ])
      expect(provider.count(text)).toBe(1);
    expect(world.notifier.deliveriesOf(generationId)).toHaveLength(1);
    expect(world.notifier.deliveriesOf(generationId)[0]?.providersNote).toBe(
      'voice: fake-tts · video: fake-omnihuman · overlay and subtitles: fake-compositor',
    );
    expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
  });

  it('audio over 15 s: AudioRejected, the user told, one refund, no video stage called', async () => {
    const pipeline = world.pipeline();
    const text = 'This script is far too long to be spoken in fifteen seconds';
    world.providers.speech.durationFor = (t) => (t === text ? 16.4 : 3);
    pipeline.start();
    const { generationId, userId } = await world.request({ format: 'background', text });
    expect(await world.settled(generationId)).toBe('refunded');
    await pipeline.stop();
    world.providers.speech.durationFor = () => 3;

    expect(await world.generationEventTypes(generationId)).toEqual([
      'GenerationStarted',
      'AudioRejected',
    ]);
    expect(world.providers.talkingHead.count(text)).toBe(0);
    expect(world.providers.compositor.count(text)).toBe(0);
    expect(world.notifier.deliveriesOf(generationId)).toEqual([]);
    expect(world.notifier.failuresOf(generationId)).toEqual([
      {
        userId,
        generationId,
        language: 'en',
        progressMessage: expect.anything(),
        notice: { kind: 'audio_too_long', durationSec: 16.4, maxDurationSec: 15 },
        refunded: true,
      },
    ]);
    expect(await world.creditEvents(userId, generationId)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
    ]);
    const refund = (await world.store.readStream(`user-${userId}`)).find(
      (e) => e.type === 'CreditsRefunded',
    );
    expect(refund?.data).toMatchObject({
      reason: 'audio too long: 16.4 s > 15 s',
      spendId: generationId,
    });
    expect(refund?.metadata.actor).toEqual({ kind: 'system', id: 'generation-pipeline' });
    expect((await world.users.state(userId)).balance).toBe(10);
  });

  it('a final provider failure: GenerationFailed at its stage, exactly one refund, the user told', async () => {
    const pipeline = world.pipeline();
    world.providers.talkingHead.script = [new PermanentProviderError('422 face not found')];
    pipeline.start();
    const { generationId, userId, text } = await world.request({ format: 'talking_head' });
    expect(await world.settled(generationId)).toBe('refunded');
    await pipeline.stop();

    expect(await world.generationEventTypes(generationId)).toEqual([
      'GenerationStarted',
      'AudioSynthesized',
      'TalkingHeadRequested',
      'GenerationFailed',
    ]);
    expect(await dataOf(generationId, 'GenerationFailed')).toEqual({
      stage: 'video',
      reason: 'PermanentProviderError: 422 face not found',
      retryable: false,
      code: 'PROVIDER_INVALID_REQUEST',
    });
    expect(world.providers.talkingHead.count(text)).toBe(1);
    expect(world.notifier.noticesOf(generationId)).toEqual([
      { kind: 'provider_failed', stage: 'video' },
    ]);
    expect(world.notifier.failuresOf(generationId)[0]?.refunded).toBe(true);
    expect(await world.creditEvents(userId, generationId)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
    ]);
  });

  it('transient failures are retried with backoff up to maxAttempts, then failed and refunded once', async () => {
    const pipeline = world.pipeline({ config: { maxAttempts: 3 } });
    world.providers.speech.script = [
      new Error('503 busy'),
      new Error('503 busy'),
      new Error('503 still busy'),
    ];
    pipeline.start();
    const { generationId, userId, text } = await world.request({ format: 'talking_head' });
    expect(await world.settled(generationId)).toBe('refunded');
    await pipeline.stop();

    expect(world.providers.speech.count(text)).toBe(3);
    expect(await world.generationEventTypes(generationId)).toEqual([
      'GenerationStarted',
      'GenerationFailed',
    ]);
    expect(await dataOf(generationId, 'GenerationFailed')).toEqual({
      stage: 'tts',
      reason: 'Error: 503 still busy',
      retryable: true,
    });
    expect(await world.creditEvents(userId, generationId)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
    ]);
    expect(world.notifier.failuresOf(generationId)).toHaveLength(1);
  });

  it('a transient failure followed by success delivers, and the next step starts with a fresh retry budget', async () => {
    const pipeline = world.pipeline({ config: { maxAttempts: 2 } });
    // One failure at speech and one at the talking head: with a per-generation budget of 2 this
    // would fail; per step it succeeds.
    world.providers.speech.script = [new Error('timeout')];
    world.providers.talkingHead.script = [new Error('502 bad gateway')];
    pipeline.start();
    const { generationId, userId, text } = await world.request({ format: 'talking_head' });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();

    expect(world.providers.speech.count(text)).toBe(2);
    expect(world.providers.talkingHead.count(text)).toBe(2);
    expect(world.notifier.deliveriesOf(generationId)).toHaveLength(1);
    expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
    expect(await world.job(generationId)).toMatchObject({
      status: 'delivered',
      attempts: 0,
      last_error: null,
      claimed_by: null,
    });
  });

  it('a video Telegram refuses for good (bot blocked) is not failed nor refunded: its delivery is abandoned, the video kept', async () => {
    const pipeline = world.pipeline({ config: { maxAttempts: 2 } });
    world.notifier.deliverFailures = [
      new SendFailedError(
        'refused',
        'Telegram answered 403: Forbidden: bot was blocked by the user',
        403,
      ),
    ];
    pipeline.start();
    const { generationId, userId } = await world.request({ format: 'talking_head' });
    expect(await world.settled(generationId)).toBe('abandoned');
    await pipeline.stop();

    expect(await world.generationEventTypes(generationId)).toEqual([
      'GenerationStarted',
      'AudioSynthesized',
      'TalkingHeadRequested',
      'TalkingHeadGenerated',
      'GenerationCompleted',
      'VideoSendAttempted',
      'VideoSendFailed',
      'VideoDeliveryAbandoned',
    ]);
    expect(await dataOf(generationId, 'VideoDeliveryAbandoned')).toMatchObject({
      errorCode: 403,
      attempts: 1,
      reason: expect.stringContaining('blocked'),
    });
    expect(world.notifier.failuresOf(generationId)).toEqual([]);
    expect(world.notifier.abandoned.filter((a) => a.generationId === generationId)).toEqual([
      expect.objectContaining({ url: expect.stringContaining(generationId), ttlHours: 24 }),
    ]);
    expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
    expect(await world.storage.exists(`generations/${generationId}/talking-head.mp4`)).toBe(true);
  });

  it('a replayed intake (checkpoint lost) starts nothing twice and tells nobody twice', async () => {
    const first = world.pipeline();
    first.start();
    const delivered = await world.request({ format: 'talking_head' });
    expect(await world.settled(delivered.generationId)).toBe('delivered');
    world.providers.talkingHead.script = [new PermanentProviderError('nope')];
    const refunded = await world.request({ format: 'talking_head' });
    expect(await world.settled(refunded.generationId)).toBe('refunded');
    await first.stop();

    await world.resetIntakeCheckpoint();
    await world.readModels.db
      .deleteFrom('pipeline_jobs')
      .where('generation_id', '=', refunded.generationId)
      .execute();
    const replay = world.pipeline();
    replay.start();
    // The deleted job comes back from the log as already settled, not as work.
    expect(await world.settled(refunded.generationId)).toBe('refunded');
    await replay.stop();

    for (const { generationId } of [delivered, refunded]) {
      expect(
        (await world.generationEventTypes(generationId)).filter((t) => t === 'GenerationStarted'),
      ).toHaveLength(1);
    }
    expect(world.notifier.deliveriesOf(delivered.generationId)).toHaveLength(1);
    expect(world.notifier.failuresOf(refunded.generationId)).toHaveLength(1);
    expect(await world.creditEvents(refunded.userId, refunded.generationId)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
    ]);
  });

  it('ticks the progress message during a long stage', async () => {
    const pipeline = world.pipeline({ config: { progressIntervalMs: 100 } });
    world.providers.talkingHead.delayMs = 600;
    pipeline.start();
    const { generationId } = await world.request({ format: 'talking_head' });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();
    world.providers.talkingHead.delayMs = 0;

    const video = world.notifier.progressUpdates.filter(
      (p) => p.generationId === generationId && p.stage === 'video',
    );
    expect(video.length).toBeGreaterThanOrEqual(3);
    expect(video.every((p) => Number.isInteger(p.elapsedSec) && p.elapsedSec >= 0)).toBe(true);
  });

  it('a request the domain refuses to start (forged: background without a video) is refunded and the user told', async () => {
    const pipeline = world.pipeline();
    pipeline.start();
    const userId = 990_001;
    const actor = { kind: 'user' as const, id: String(userId) };
    await world.users.execute(
      userId,
      {
        type: 'RegisterUser',
        telegramId: userId,
        username: null,
        firstName: 'F',
        language: 'ru',
        welcomeCredits: 10,
        grantId: 'w-990001',
      },
      { commandId: randomUUID(), actor },
    );
    const generationId = randomUUID();
    const metadata = {
      commandId: randomUUID(),
      causationId: 'x',
      correlationId: 'x',
      actor,
      timestamp: new Date().toISOString(),
      schemaVersion: 1,
    };
    await world.store.appendToStream(`user-${userId}`, [
      {
        id: randomUUID(),
        type: 'GenerationRequested',
        data: {
          generationId,
          format: 'background',
          characterId: 'c',
          characterImageKey: 'c.png',
          characterGender: 'female',
          characterAge: 'young',
          voiceId: 'v',
          voiceProvider: 'espeak-ng',
          script: 'hi',
          speechText: 'hi',
          backgroundVideoKey: null,
          overlayShape: 'circle',
          cost: 1,
        },
        metadata,
      },
      {
        id: randomUUID(),
        type: 'CreditsSpent',
        data: { amount: 1, reason: 'generation', spendId: generationId, generationId },
        metadata,
      },
    ]);
    expect(await world.settled(generationId)).toBe('refunded');
    await pipeline.stop();

    expect(await world.generationEventTypes(generationId)).toEqual([]);
    expect(await world.creditEvents(userId, generationId)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
    ]);
    expect(world.notifier.failuresOf(generationId)).toEqual([
      {
        userId,
        generationId,
        language: 'ru',
        progressMessage: expect.anything(),
        notice: { kind: 'provider_failed', stage: 'queued' },
        refunded: true,
      },
    ]);
  });
});
