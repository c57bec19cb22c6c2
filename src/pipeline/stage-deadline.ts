import { stageOf, type WorkStage, type WorkStep } from '../domain/generation/stages.js';
import type { GenerationState } from '../domain/generation/state.js';
import { PipelineError } from './pipeline-errors.js';

/** The stages a deadline is set for (each work stage); each may be configured on its own. */
export type DeadlineStage = WorkStage;

/**
 * A stage's deadline: `floorMs + perMediaSecondMs × (seconds of media it makes)`, plus
 * `cloudMs` when a cloud provider serves it (its own polling and deadline, then the local
 * fallback).
 */
export interface StageDeadlinePolicy {
  readonly floorMs: number;
  readonly perMediaSecondMs: number;
  readonly cloudMs: number;
}

export type StageDeadlines = Readonly<Record<DeadlineStage, StageDeadlinePolicy>>;

// Local defaults sized for a loaded two-core machine: the composite of a 15 s clip takes ~15 s
// alone and several times that when other work shares the cores. A hung tool ends at ~2-3 minutes
// for a 15 s video instead of never.
export const defaultStageDeadlines: StageDeadlines = {
  tts: { floorMs: 45_000, perMediaSecondMs: 3_000, cloudMs: 0 },
  video: { floorMs: 60_000, perMediaSecondMs: 8_000, cloudMs: 0 },
  overlay: { floorMs: 60_000, perMediaSecondMs: 8_000, cloudMs: 0 },
  // Recording the overlay pass's captions is instant; burning a talking head's is one re-encode.
  subtitles: { floorMs: 30_000, perMediaSecondMs: 4_000, cloudMs: 0 },
  render: { floorMs: 60_000, perMediaSecondMs: 0, cloudMs: 0 },
  // Uploading to Telegram: grammY's own request timeout is 500 s; a send cut off by our deadline
  // would be sent again, so this one is generous.
  delivery: { floorMs: 600_000, perMediaSecondMs: 0, cloudMs: 0 },
};

// Slow, deliberate speech is ~12 characters a second; fewer makes the estimate generous.
const charactersPerSpeechSecond = 10;

/** Seconds of media the step produces, estimated from its input before it runs. */
export function mediaSecondsOf(step: WorkStep, state: GenerationState): number {
  if (step === 'synthesize')
    return Math.max(1, (state.request?.speechText.length ?? 0) / charactersPerSpeechSecond);
  return state.audio?.durationSec ?? 0;
}

export function stageDeadlineMs(
  step: WorkStep,
  state: GenerationState,
  deadlines: StageDeadlines,
): { readonly stage: DeadlineStage; readonly ms: number } {
  const stage = stageOf(step);
  const policy = deadlines[stage];
  return {
    stage,
    ms: Math.round(
      policy.floorMs + policy.perMediaSecondMs * mediaSecondsOf(step, state) + policy.cloudMs,
    ),
  };
}

/** Merges configured overrides into the defaults, stage by stage and field by field. */
export function resolveStageDeadlines(
  overrides: Partial<Record<DeadlineStage, Partial<StageDeadlinePolicy>>> | undefined,
): StageDeadlines {
  const merged = { ...defaultStageDeadlines } as Record<DeadlineStage, StageDeadlinePolicy>;
  for (const stage of Object.keys(defaultStageDeadlines) as DeadlineStage[]) {
    merged[stage] = { ...defaultStageDeadlines[stage], ...overrides?.[stage] };
  }
  return merged;
}

/** A stage ran past its deadline and was stopped. Transient: it is retried up to maxAttempts. */
export class StageTimeoutError extends PipelineError {
  override readonly name = 'StageTimeoutError';
  readonly code = 'STAGE_TIMED_OUT';
  readonly retryable = true;
  constructor(
    readonly stage: DeadlineStage,
    readonly deadlineMs: number,
    /** False when the stage ignored the stop and was left behind after the grace. */
    readonly unwound: boolean,
    options?: ErrorOptions,
  ) {
    super(
      `the ${stage} stage took longer than ${Math.round(deadlineMs / 1000)} s and was stopped`,
      options,
    );
  }
}

export interface DeadlineTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: DeadlineTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Runs one stage under its deadline. The stage gets a signal that aborts when the run is
 * interrupted or the deadline passes, so its providers stop their tools; whatever the stage does
 * with that, this settles at most `graceMs` later. A stage that ignores the signal is left behind
 * (its late result or error is swallowed and logged by `onAbandoned`) rather than holding the
 * worker, the job and a shutdown forever.
 */
export async function runWithDeadline<T>(
  options: {
    readonly stage: DeadlineStage;
    readonly deadlineMs: number;
    readonly graceMs: number;
    readonly signal: AbortSignal;
    readonly timers?: DeadlineTimers;
    /**
     * False: an interruption stops the stage's tools but waits for it to end (its deadline still
     * holds).
     */
    readonly abandonOnInterrupt?: boolean;
    readonly onAbandoned?: (lateOutcome: unknown) => void;
  },
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timers = options.timers ?? realTimers;
  const controller = new AbortController();
  let timedOut = false;
  let gaveUp = false;
  let graceTimer: unknown;
  let giveUp!: (reason: unknown) => void;
  const abandoned = new Promise<never>((_, reject) => (giveUp = reject));
  // Rejections of the race's loser must not go unheard.
  abandoned.catch(() => undefined);
  const stopWork = (reason: unknown, abandon = true) => {
    if (!controller.signal.aborted) controller.abort(reason);
    if (!abandon || graceTimer !== undefined) return;
    graceTimer = timers.setTimeout(() => {
      gaveUp = true;
      giveUp(controller.signal.reason);
    }, options.graceMs);
  };
  const deadline = timers.setTimeout(() => {
    timedOut = true;
    stopWork(new StageTimeoutError(options.stage, options.deadlineMs, true));
  }, options.deadlineMs);
  const onInterrupt = () => stopWork(options.signal.reason, options.abandonOnInterrupt ?? true);
  if (options.signal.aborted) onInterrupt();
  else options.signal.addEventListener('abort', onInterrupt, { once: true });
  const running = Promise.resolve().then(() => work(controller.signal));
  try {
    return await Promise.race([running, abandoned]);
  } catch (error) {
    if (gaveUp) {
      // The grace ran out: the stage is still going and is left behind.
      running.then(
        (late) => options.onAbandoned?.(late),
        (late: unknown) => options.onAbandoned?.(late),
      );
      if (timedOut) throw new StageTimeoutError(options.stage, options.deadlineMs, false);
      throw error;
    }
    if (timedOut)
      throw new StageTimeoutError(options.stage, options.deadlineMs, true, { cause: error });
    throw error;
  } finally {
    timers.clearTimeout(deadline);
    if (graceTimer !== undefined) timers.clearTimeout(graceTimer);
    options.signal.removeEventListener('abort', onInterrupt);
  }
}
