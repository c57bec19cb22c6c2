import type { GenerationCommands } from '../commands/generation-commands.js';
import type { UserCommands } from '../commands/user-commands.js';
import type { Language } from '../domain/events/values.js';
import type { GenerationCommand } from '../domain/generation/commands.js';
import type { WorkStage } from '../domain/generation/stages.js';
import type { GenerationState } from '../domain/generation/state.js';
import type { Logger } from '../logging/logger.js';
import type { CaptionBurner } from '../ports/caption-burner.js';
import type { FileStorage } from '../ports/file-storage/file-storage.js';
import type { DeliveryTarget, ProgressMessage, UserNotifier } from '../ports/user-notifier.js';
import type { ClaimedJob, JobQueue } from './job-queue.js';
import type { PipelineProviders, ResolvedPipelineConfig } from './pipeline-options.js';
import type { ThumbnailMaker } from './thumbnail-maker.js';
import type { WorkFiles } from './work-files.js';

/** What one generation run works with; shared by every run of a pipeline instance. */
export interface RunDeps {
  readonly generations: GenerationCommands;
  readonly users: UserCommands;
  readonly providers: PipelineProviders;
  /** Burns a talking head's captions (the providers' own, else local ffmpeg). */
  readonly captions: CaptionBurner;
  readonly storage: FileStorage;
  readonly notifier: UserNotifier;
  readonly thumbnails: ThumbnailMaker;
  readonly jobs: JobQueue;
  readonly log: Logger;
  readonly config: ResolvedPipelineConfig;
  readonly now: () => Date;
  /** Metrics hook: a step failed and will be retried, or is recorded as failed. Must not throw. */
  readonly observer?: PipelineObserver;
}

export interface PipelineObserver {
  stepFailed(stage: WorkStage, error: unknown, willRetry: boolean): void;
}

/** What a stage sees of the run it is part of. */
export interface StageContext {
  readonly deps: RunDeps;
  readonly job: ClaimedJob;
  readonly generationId: string;
  readonly userId: number;
  readonly language: Language;
  readonly signal: AbortSignal;
  readonly files: WorkFiles;
  /** Carries generationId and workerId. */
  readonly log: Logger;
  /** The generation's progress message, as its events name it; every notifier call carries it. */
  readonly progressMessage: ProgressMessage;
  /**
   * Sends a command to the generation stream with a deterministic id and returns the new state.
   * A step another worker already took is not an error: the state from the log comes back.
   */
  record(
    command: GenerationCommand,
    from: GenerationState,
    discriminator?: string,
  ): Promise<GenerationState>;
}

/** One step of the pipeline: provider work, then the event that records it. */
export type StageStep = (ctx: StageContext, state: GenerationState) => Promise<GenerationState>;

/** Whom the notifier tells, and which progress message it edits. */
export const deliveryTarget = (ctx: StageContext): DeliveryTarget => ({
  userId: ctx.userId,
  generationId: ctx.generationId,
  language: ctx.language,
  progressMessage: ctx.progressMessage,
});

export function requestOf(state: GenerationState): NonNullable<GenerationState['request']> {
  if (!state.request) throw new Error('the generation has no request: it never started');
  return state.request;
}

export const elapsedSince = (startedAt: number): number =>
  Math.max(0, Math.round(performance.now() - startedAt));
