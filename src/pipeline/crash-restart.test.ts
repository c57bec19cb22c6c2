import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationCommandType } from '../domain/generation/commands.js';
import type { GenerationPipeline } from './generation-pipeline.js';
import {
  CrashingGenerationCommands,
  CrashingUserCommands,
} from '../testing/pipeline/crash-points.js';
import { PermanentProviderError } from '../testing/pipeline/fake-providers.js';
import {
  PipelineWorld,
  until,
  type PipelineOverrides,
  type Requested,
} from '../testing/pipeline/pipeline-world.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await PipelineWorld.pglite();
});

afterAll(async () => {
  await world?.close();
});

const backgroundEvents = [
  'GenerationStarted',
  'AudioSynthesized',
  'TalkingHeadRequested',
  'TalkingHeadGenerated',
  'OverlayRendered',
  'SubtitlesBurned',
  'GenerationCompleted',
  'VideoSendAttempted',
  'VideoDelivered',
];

/** Starts instance A built by `makeA`, which crashes itself; resolves once it has. */
async function crashingInstance(
  makeA: (crash: () => void) => PipelineOverrides,
): Promise<{ a: GenerationPipeline; crashed: Promise<void> }> {
  let crashed!: () => void;
  const done = new Promise<void>((resolve) => (crashed = resolve));
  const a: GenerationPipeline = world.pipeline(
    makeA(() => {
      a.halt();
      crashed();
    }),
  );
  a.start();
  return { a, crashed: done };
}

/** A fresh instance on the same database, as after a process restart; runs until settled. */
async function restartAndSettle(
  requested: Requested,
  expected: 'delivered' | 'refunded',
): Promise<void> {
  const b = world.pipeline();
  b.start();
  expect(await world.settled(requested.generationId)).toBe(expected);
  await b.stop();
}

async function expectDeliveredOnce(
  requested: Requested,
  calls: { speech?: number; head?: number; compositor?: number; submissions?: number } = {},
) {
  const { generationId, userId, text } = requested;
  expect(await world.generationEventTypes(generationId)).toEqual(backgroundEvents);
  expect(world.providers.speech.count(text)).toBe(calls.speech ?? 1);
  expect(world.providers.talkingHead.count(text)).toBe(calls.head ?? 1);
  expect(world.providers.talkingHead.submissions.filter((tag) => tag === text)).toHaveLength(
    calls.submissions ?? 1,
  );
  expect(world.providers.compositor.count(text)).toBe(calls.compositor ?? 1);
  expect(world.notifier.deliveriesOf(generationId)).toHaveLength(1);
  expect(world.notifier.failuresOf(generationId)).toEqual([]);
  expect(await world.creditEvents(userId, generationId)).toEqual(['CreditsSpent']);
  expect(await world.job(generationId)).toMatchObject({
    status: 'delivered',
    claimed_by: null,
    lease_until: null,
  });
}

describe('crash right after each recorded step, then a new instance', () => {
  const boundaries: GenerationCommandType[] = [
    'StartGeneration',
    'RecordAudio',
    'RecordTalkingHeadRequest',
    'RecordTalkingHead',
    'RecordOverlay',
    'RecordSubtitles',
    'CompleteGeneration',
    'MarkDelivered',
  ];

  it.each(boundaries)(
    'after %s: resumes, every provider called once, delivered once, one credit spent',
    async (boundary) => {
      const { crashed } = await crashingInstance((crash) => ({
        generations: new CrashingGenerationCommands({ store: world.store }, boundary, crash),
      }));
      const requested = await world.request({
        format: 'background',
        text: `crash after ${boundary}`,
      });
      await crashed;
      await restartAndSettle(requested, 'delivered');
      // The talking-head request was paid once; the new instance only waited for it.
      const resumed = boundary === 'RecordTalkingHeadRequest';
      await expectDeliveredOnce(requested, { head: resumed ? 2 : 1, submissions: 1 });
      if (resumed)
        expect(
          world.providers.talkingHead.resumed.some((id) => id.includes('crash_after_RecordTa')),
        ).toBe(true);
    },
  );
});

describe('crash in the middle of a stage', () => {
  it.each(['speech', 'talkingHead', 'compositor'] as const)(
    'inside %s: only that stage runs again',
    async (provider) => {
      world.providers[provider].script = ['block'];
      const a = world.pipeline();
      a.start();
      const requested = await world.request({
        format: 'background',
        text: `crash inside ${provider}`,
      });
      await until(
        () => world.providers[provider].count(requested.text) === 1,
        10_000,
        `${provider} to be called`,
      );
      // The instance dies with the provider call in flight; its lease runs out, B takes over.
      a.halt();
      await restartAndSettle(requested, 'delivered');
      await expectDeliveredOnce(requested, {
        speech: provider === 'speech' ? 2 : 1,
        head: provider === 'talkingHead' ? 2 : 1,
        compositor: provider === 'compositor' ? 2 : 1,
      });
    },
  );

  it('the talking-head request id is stored before waiting, and the restarted run resumes it instead of paying again', async () => {
    world.providers.talkingHead.script = ['block'];
    const a = world.pipeline();
    a.start();
    const requested = await world.request({
      format: 'talking_head',
      text: 'resume the paid request',
    });
    await until(
      () => world.providers.talkingHead.count(requested.text) === 1,
      10_000,
      'the talking head to be submitted',
    );
    // The provider is still working (blocked), yet the log already holds its request id.
    const events = await world.generationEvents(requested.generationId);
    const stored = events.find((e) => e.type === 'TalkingHeadRequested')?.data.requestId;
    expect(stored).toMatch(/^req-/);
    expect(events.map((e) => e.type)).not.toContain('TalkingHeadGenerated');
    a.halt();

    await restartAndSettle(requested, 'delivered');
    expect(world.providers.talkingHead.resumed).toContain(stored);
    expect(
      world.providers.talkingHead.submissions.filter((tag) => tag === requested.text),
    ).toHaveLength(1);
    expect(await world.generationEventTypes(requested.generationId)).toEqual([
      'GenerationStarted',
      'AudioSynthesized',
      'TalkingHeadRequested',
      'TalkingHeadGenerated',
      'GenerationCompleted',
      'VideoSendAttempted',
      'VideoDelivered',
    ]);
    expect(world.notifier.deliveriesOf(requested.generationId)).toHaveLength(1);
  });

  it('a graceful stop releases the job at once; the next instance needs no lease to expire', async () => {
    world.providers.compositor.script = ['block'];
    const a = world.pipeline({ config: { leaseMs: 60_000 } });
    a.start();
    const requested = await world.request({
      format: 'background',
      text: 'graceful stop mid overlay',
    });
    await until(
      () => world.providers.compositor.count(requested.text) === 1,
      10_000,
      'the compositor to be called',
    );
    await a.stop();
    expect(await world.job(requested.generationId)).toMatchObject({
      status: 'queued',
      claimed_by: null,
      lease_until: null,
      attempts: 0,
    });

    const b = world.pipeline({ config: { leaseMs: 60_000 } });
    b.start();
    expect(await world.settled(requested.generationId, 5000)).toBe('delivered');
    await b.stop();
    await expectDeliveredOnce(requested, { compositor: 2 });
  });

  it('a step that kills its worker every time is bounded by maxAttempts, then failed and refunded once', async () => {
    const requested = await world.request({ format: 'talking_head', text: 'poison speech' });
    for (let run = 1; run <= 2; run += 1) {
      world.providers.speech.script = ['block'];
      const doomed = world.pipeline({ config: { maxAttempts: 2 } });
      doomed.start();
      await until(
        () => world.providers.speech.count(requested.text) === run,
        10_000,
        `speech call ${run}`,
      );
      doomed.halt();
    }
    const b = world.pipeline({ config: { maxAttempts: 2 } });
    b.start();
    expect(await world.settled(requested.generationId)).toBe('refunded');
    await b.stop();
    expect(world.providers.speech.count(requested.text)).toBe(2);
    expect(await world.generationEventTypes(requested.generationId)).toEqual([
      'GenerationStarted',
      'GenerationFailed',
    ]);
    const failed = (await world.generationEvents(requested.generationId)).at(-1)?.data;
    expect(failed).toMatchObject({
      stage: 'tts',
      retryable: true,
      reason: 'interrupted 2 times (worker crashed or hung)',
    });
    expect(await world.creditEvents(requested.userId, requested.generationId)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
    ]);
    expect(world.notifier.failuresOf(requested.generationId)).toHaveLength(1);
  });
});

describe('crash on the way to a refund', () => {
  it('after GenerationFailed: the next instance refunds once and tells the user', async () => {
    world.providers.talkingHead.script = [new PermanentProviderError('content policy')];
    const { crashed } = await crashingInstance((crash) => ({
      generations: new CrashingGenerationCommands({ store: world.store }, 'FailGeneration', crash),
    }));
    const requested = await world.request({ format: 'talking_head', text: 'crash after failing' });
    await crashed;
    expect(await world.creditEvents(requested.userId, requested.generationId)).toEqual([
      'CreditsSpent',
    ]);
    await restartAndSettle(requested, 'refunded');
    expect(await world.creditEvents(requested.userId, requested.generationId)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
    ]);
    expect(world.notifier.failuresOf(requested.generationId)).toHaveLength(1);
    expect(world.providers.talkingHead.count(requested.text)).toBe(1);
  });

  it('after RefundCredits, before the message: no second refund, the user is told once', async () => {
    world.providers.talkingHead.script = [new PermanentProviderError('content policy')];
    const { crashed } = await crashingInstance((crash) => ({
      users: new CrashingUserCommands({ store: world.store }, 'RefundCredits', crash),
    }));
    const requested = await world.request({
      format: 'talking_head',
      text: 'crash after refunding',
    });
    await crashed;
    expect(world.notifier.failuresOf(requested.generationId)).toEqual([]);
    await restartAndSettle(requested, 'refunded');
    expect(await world.creditEvents(requested.userId, requested.generationId)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
    ]);
    expect(world.notifier.failuresOf(requested.generationId)).toHaveLength(1);
    expect((await world.users.state(requested.userId)).balance).toBe(10);
  });
});

describe('the documented delivery window', () => {
  it('a crash between a successful send and MarkDelivered never uploads again: the restart sends the link, recorded once, paid once', async () => {
    const { crashed } = await crashingInstance((crash) => {
      world.notifier.afterSend = () => {
        world.notifier.afterSend = undefined;
        crash();
        return new Promise<never>(() => undefined);
      };
      return {};
    });
    const requested = await world.request({ format: 'talking_head', text: 'crash after sending' });
    await crashed;
    await restartAndSettle(requested, 'delivered');
    // The attempt was recorded before the upload and has no answer: it may be in the chat.
    expect(world.notifier.deliveriesOf(requested.generationId)).toHaveLength(1);
    expect(world.notifier.linksOf(requested.generationId)).toHaveLength(1);
    const events = await world.generationEvents(requested.generationId);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['VideoSendAttempted', 'VideoDelivered']);
    expect(events.at(-1)?.data).toMatchObject({ via: 'link' });
    expect(await world.creditEvents(requested.userId, requested.generationId)).toEqual([
      'CreditsSpent',
    ]);
  });
});
