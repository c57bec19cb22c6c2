import type { GenerationCommand } from '../domain/generation/commands.js';
import { nextStep } from '../domain/generation/next-step.js';
import { isWorkStep, stageOf, type WorkStep } from '../domain/generation/stages.js';
import type { GenerationState } from '../domain/generation/state.js';
import { logStageOf } from '../logging/logger.js';
import { classifyFailure, type FailureClass } from './classify-failure.js';
import { pipelineActor, stageCommandId } from './command-ids.js';
import type { ClaimedJob, FinishedStatus } from './job-queue.js';
import { CommandRejectedError } from './pipeline-errors.js';
import { startProgress } from './progress-ticker.js';
import { backoffDelayMs } from '../resilience/backoff.js';
import { RunProgressMessage } from './run-progress-message.js';
import {
  deliveryTarget,
  type RunDeps,
  type StageContext,
  type StageStep,
} from './stage-context.js';
import { completeGeneration } from './stages/complete-generation.js';
import { burnSubtitles } from './stages/burn-captions.js';
import { compositeOverlay } from './stages/composite-overlay.js';
import { DeliveryUnrecordedError, deliverVideo } from './stages/deliver-video.js';
import { renderTalkingHead } from './stages/render-talking-head.js';
import { settleWithoutVideo } from './stages/settle-without-video.js';
import { synthesizeSpeech } from './stages/synthesize-speech.js';
import { runWithDeadline, stageDeadlineMs, StageTimeoutError } from './stage-deadline.js';
import { WorkFiles } from './work-files.js';

export type RunOutcome =
  | { readonly kind: 'finished'; readonly status: FinishedStatus }
  | {
      readonly kind: 'retry';
      readonly attempts: number;
      readonly delayMs: number;
      readonly error: string;
    };

const steps: Readonly<Record<WorkStep, StageStep>> = {
  synthesize: synthesizeSpeech,
  request_talking_head: renderTalkingHead,
  await_talking_head: renderTalkingHead,
  overlay: compositeOverlay,
  // A cloud compositor resumes its stored job ids; the local one simply makes the overlay again.
  await_overlay: compositeOverlay,
  subtitles: burnSubtitles,
  complete: completeGeneration,
  deliver: deliverVideo,
};

/**
 * One claimed generation, driven from its event log: load the state, do what `nextStep` says,
 * record the result, repeat until delivered or settled. Nothing is remembered between runs except
 * the events, the stored files and the job row, so a new run after a crash picks up at the first
 * step the log does not show as done.
 */
export class GenerationRun {
  private attempts: number;

  constructor(
    private readonly deps: RunDeps,
    private readonly job: ClaimedJob,
    private readonly signal: AbortSignal,
  ) {
    this.attempts = job.attempts;
  }

  async execute(): Promise<RunOutcome> {
    const { deps, job } = this;
    const log = deps.log.child({ generationId: job.generationId, workerId: job.claimedBy });
    let state = await deps.generations.state(job.generationId);
    const user = await deps.users.state(job.userId);
    const files = new WorkFiles(deps.storage, job.generationId, deps.config.workRoot);
    const ctx: StageContext = {
      deps,
      job,
      generationId: job.generationId,
      userId: job.userId,
      language: user.language,
      signal: this.signal,
      files,
      log,
      progressMessage: new RunProgressMessage(deps.generations, job.generationId, state),
      record: (command, from, discriminator) => this.record(ctx, command, from, discriminator),
    };
    if (job.reclaimed)
      log.warn(
        { attempts: job.attempts, status: state.status },
        'took over a job whose worker stopped renewing its lease',
      );
    else if (job.resumed)
      log.info({ attempts: job.attempts, status: state.status }, 'resuming a job released mid-run');
    try {
      for (;;) {
        this.throwIfInterrupted();
        const step = nextStep(state);
        if (step === 'done')
          return {
            kind: 'finished',
            status: state.status === 'delivery_abandoned' ? 'abandoned' : 'delivered',
          };
        // `start`: StartGeneration was refused at intake, so the paid request gets its credit back
        // too.
        if (!isWorkStep(step))
          return { kind: 'finished', status: await settleWithoutVideo(ctx, state) };
        if (this.attempts >= deps.config.maxAttempts) {
          // Only reachable through reclaims: workers kept dying on this step.
          state = await this.fail(ctx, state, step, {
            retryable: true,
            reason: `interrupted ${this.attempts} times (worker crashed or hung)`,
          });
          continue;
        }
        const stage = stageOf(step);
        const stopProgress = startProgress(
          {
            notifier: deps.notifier,
            target: deliveryTarget(ctx),
            requestedAt: new Date(state.request?.requestedAt ?? deps.now()),
            intervalMs: deps.config.progressIntervalMs,
            now: deps.now,
            log,
            resumed: job.resumed,
          },
          stage,
        );
        const deadline = stageDeadlineMs(step, state, deps.config.stageDeadlines);
        try {
          const from = state;
          state = await runWithDeadline(
            {
              stage: deadline.stage,
              deadlineMs: deadline.ms,
              graceMs: deps.config.stageGraceMs,
              signal: this.signal,
              // Once the video is sent, only its record is left: a stop waits for that rather
              // than turning a delivered video into one that is sent again.
              abandonOnInterrupt: step !== 'deliver',
              onAbandoned: (late) =>
                log.error(
                  { stage: logStageOf(stage), step, late: describeLate(late) },
                  'a stage ignored its stop and was left behind',
                ),
            },
            (signal) => steps[step]({ ...ctx, signal }, from),
          );
        } catch (error) {
          this.throwIfInterrupted();
          if (error instanceof DeliveryUnrecordedError) throw error;
          const failure = classifyFailure(error);
          this.attempts += 1;
          log.warn(
            {
              stage: logStageOf(stage),
              step,
              err: error,
              attempt: this.attempts,
              retryable: failure.retryable,
              deadlineMs: deadline.ms,
            },
            error instanceof StageTimeoutError
              ? 'step ran past its deadline and was stopped'
              : 'step failed',
          );
          const willRetry = failure.retryable && this.attempts < deps.config.maxAttempts;
          deps.observer?.stepFailed(stage, error, willRetry);
          if (willRetry) {
            const delayMs = backoffDelayMs(this.attempts, {
              baseMs: deps.config.retryBaseMs,
              maxMs: deps.config.retryMaxMs,
            });
            return { kind: 'retry', attempts: this.attempts, delayMs, error: failure.reason };
          }
          state = await this.fail(ctx, state, step, failure);
          continue;
        } finally {
          stopProgress();
        }
        if (this.attempts > 0) {
          this.attempts = 0;
          await deps.jobs.progressed(job);
        }
      }
    } finally {
      await files
        .dispose()
        .catch((error: unknown) => log.warn({ err: error }, 'could not remove the work directory'));
    }
  }

  private async fail(
    ctx: StageContext,
    state: GenerationState,
    step: WorkStep,
    failure: FailureClass,
  ): Promise<GenerationState> {
    const stage = stageOf(step);
    ctx.log.error(
      {
        stage: logStageOf(stage),
        step,
        reason: failure.reason,
        retryable: failure.retryable,
        attempts: this.attempts,
      },
      'generation failed',
    );
    // A rendered video is never failed (and refunded) over its delivery: it is kept, in "My
    // videos".
    if (step === 'deliver')
      return ctx.record(
        { type: 'AbandonDelivery', reason: failure.reason, errorCode: null },
        state,
      );
    return ctx.record(
      {
        type: 'FailGeneration',
        stage,
        reason: failure.reason,
        retryable: failure.retryable,
        ...(failure.code === undefined ? {} : { code: failure.code }),
      },
      state,
    );
  }

  private async record(
    ctx: StageContext,
    command: GenerationCommand,
    from: GenerationState,
    discriminator?: string,
  ): Promise<GenerationState> {
    const outcome = await this.deps.generations.execute(ctx.generationId, command, {
      commandId: stageCommandId(ctx.generationId, command.type, discriminator),
      actor: pipelineActor,
      correlationId: ctx.generationId,
    });
    if (outcome.ok) return outcome.state;
    // Another worker (a lease that ran out under a live run) got there first: follow the log.
    if (outcome.rejection.code === 'invalid_transition' && outcome.state.status !== from.status) {
      ctx.log.warn(
        { command: command.type, status: outcome.state.status },
        'the generation moved on elsewhere; continuing from the log',
      );
      return outcome.state;
    }
    throw new CommandRejectedError(command.type, outcome.rejection);
  }

  private throwIfInterrupted(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }
}

function describeLate(outcome: unknown): string {
  return outcome instanceof Error
    ? `${outcome.name}: ${outcome.message}`
    : 'finished after it was given up';
}
