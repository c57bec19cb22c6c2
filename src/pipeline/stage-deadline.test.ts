import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GenerationState } from '../domain/generation/state.js';
import { WorkInterruptedError } from './pipeline-errors.js';
import {
  defaultStageDeadlines,
  resolveStageDeadlines,
  runWithDeadline,
  stageDeadlineMs,
  StageTimeoutError,
} from './stage-deadline.js';

const withSpeech = (durationSec: number, text = 'x'.repeat(150)) =>
  ({ request: { speechText: text }, audio: { durationSec } }) as unknown as GenerationState;

describe('stage deadlines from the input', () => {
  it('grow with the media a stage makes: the speech estimate from the script, the rest from the speech', () => {
    const short = stageDeadlineMs('overlay', withSpeech(3), defaultStageDeadlines).ms;
    const long = stageDeadlineMs('overlay', withSpeech(15), defaultStageDeadlines).ms;
    expect(long - short).toBe(12 * defaultStageDeadlines.overlay.perMediaSecondMs);
    expect(
      stageDeadlineMs('synthesize', withSpeech(0, 'x'.repeat(300)), defaultStageDeadlines),
    ).toEqual({
      stage: 'tts',
      ms: defaultStageDeadlines.tts.floorMs + 30 * defaultStageDeadlines.tts.perMediaSecondMs,
    });
    expect(stageDeadlineMs('await_talking_head', withSpeech(10), defaultStageDeadlines).stage).toBe(
      'video',
    );
  });

  it('a cloud allowance and overrides merge field by field', () => {
    const deadlines = resolveStageDeadlines({ video: { cloudMs: 20 * 60_000 } });
    expect(deadlines.video).toEqual({ ...defaultStageDeadlines.video, cloudMs: 20 * 60_000 });
    expect(stageDeadlineMs('request_talking_head', withSpeech(10), deadlines).ms).toBe(
      defaultStageDeadlines.video.floorMs +
        10 * defaultStageDeadlines.video.perMediaSecondMs +
        20 * 60_000,
    );
    expect(deadlines.overlay).toEqual(defaultStageDeadlines.overlay);
  });
});

describe('runWithDeadline (fake clock)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const base = { stage: 'overlay' as const, deadlineMs: 10_000, graceMs: 2000 };

  it('a stage that stops when told ends with a retryable StageTimeoutError at its deadline', async () => {
    let seen: AbortSignal | undefined;
    const outcome = runWithDeadline({ ...base, signal: new AbortController().signal }, (signal) => {
      seen = signal;
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(new Error('killed ffmpeg'))),
      );
    }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(StageTimeoutError);
    expect(error).toMatchObject({
      code: 'STAGE_TIMED_OUT',
      retryable: true,
      unwound: true,
      stage: 'overlay',
      deadlineMs: 10_000,
    });
    expect((error as Error).message).toBe(
      'the overlay stage took longer than 10 s and was stopped',
    );
  });

  it('a stage that ignores the stop is left behind after the grace, and its late outcome is reported, not thrown', async () => {
    let finish!: (value: string) => void;
    const late: unknown[] = [];
    const outcome = runWithDeadline(
      { ...base, signal: new AbortController().signal, onAbandoned: (value) => late.push(value) },
      () => new Promise<string>((resolve) => (finish = resolve)),
    ).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10_000 + 1_999);
    let settled = false;
    void outcome.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ code: 'STAGE_TIMED_OUT', unwound: false });
    finish('too late');
    await vi.advanceTimersByTimeAsync(0);
    expect(late).toEqual(['too late']);
  });

  it('an interruption (stop) is passed to the stage and rethrown; a stage that ignores it is left after the grace', async () => {
    const run = new AbortController();
    const outcome = runWithDeadline(
      { ...base, signal: run.signal },
      () => new Promise(() => undefined),
    ).catch((error: unknown) => error);
    run.abort(new WorkInterruptedError('stopping'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(await outcome).toEqual(new WorkInterruptedError('stopping'));
  });

  it('without abandonOnInterrupt a stop waits for the stage (delivery), yet its deadline still holds', async () => {
    const run = new AbortController();
    const outcome = runWithDeadline(
      { ...base, signal: run.signal, abandonOnInterrupt: false },
      () => new Promise(() => undefined),
    ).catch((error: unknown) => error);
    run.abort(new WorkInterruptedError('stopping'));
    let settled = false;
    void outcome.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    expect(await outcome).toMatchObject({ code: 'STAGE_TIMED_OUT' });
  });

  it('a stage that finishes in time is untouched and leaves no timer behind', async () => {
    const result = await runWithDeadline(
      { ...base, signal: new AbortController().signal },
      async (signal) => (signal.aborted ? 'aborted' : 'done'),
    );
    expect(result).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });
});
