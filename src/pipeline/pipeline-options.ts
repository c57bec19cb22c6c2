import { AppError } from '../errors/app-error.js';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { GenerationCommands } from '../commands/generation-commands.js';
import type { UserCommands } from '../commands/user-commands.js';
import type { ConsumerLock } from '../consumers/consumer-lock.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import type { Logger } from '../logging/logger.js';
import type { Compositor } from '../ports/compositor.js';
import type { CaptionBurner } from '../ports/caption-burner.js';
import type { FileStorage } from '../ports/file-storage/file-storage.js';
import type { MediaProbe } from '../ports/media-probe.js';
import type { SpeechSynthesizer } from '../ports/speech-synthesizer.js';
import type { TalkingHeadRenderer } from '../ports/talking-head-renderer.js';
import type { UserNotifier } from '../ports/user-notifier.js';
import type { ReadModelDatabase } from '../database/schema.js';
import type { ThumbnailMaker } from './thumbnail-maker.js';
import type { PipelineObserver } from './stage-context.js';
import {
  resolveStageDeadlines,
  type DeadlineStage,
  type StageDeadlinePolicy,
  type StageDeadlines,
} from './stage-deadline.js';

export interface PipelineProviders {
  readonly speech: SpeechSynthesizer;
  readonly talkingHead: TalkingHeadRenderer;
  readonly compositor: Compositor;
  readonly probe: MediaProbe;
  /** Captions over a finished talking head; local ffmpeg when absent. */
  readonly captions?: CaptionBurner;
}

export interface PipelineConfig {
  /** MAX_AUDIO_DURATION: longer speech is rejected by the domain and refunded. */
  readonly maxAudioDurationSec: number;
  /**
   * Names this instance in `claimed_by` and the logs; unique per process (default host:pid:random).
   */
  readonly workerId?: string;
  /** Generations worked on at once by this instance (default 1: media work wants the cores). */
  readonly concurrency?: number;
  /**
   * How long a claim holds without renewal; renewed every third of it (default 7 s). Short, so a
   * crashed worker's generation is resumed elsewhere (or after its restart) within 10 s: the lease
   * runs out, the next poll claims it. A live worker keeps it through two missed renewals, however
   * long its stage runs. Measured beside a cut-out composite with both cores busy
   * (`lease-keeper.int.test.ts`): timers fired up to 0.22 s late and renewals landed at most 0.3 s
   * after their beat, against 2.3 s between renewals and 7 s of lease.
   */
  readonly leaseMs?: number;
  /**
   * Tries per step, counting crashed workers, before the generation fails and is refunded (default
   * 3).
   */
  readonly maxAttempts?: number;
  /** How often idle workers look for due jobs without a wake-up (default 1 s). */
  readonly pollIntervalMs?: number;
  /** The progress message's tick during long stages (default 5 s). */
  readonly progressIntervalMs?: number;
  /**
   * First retry delay after a transient failure, doubling up to `retryMaxMs` (defaults 2 s, 60 s).
   */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Where per-run scratch directories go (default the OS temp dir). */
  readonly workRoot?: string;
  readonly intakeBatchSize?: number;
  /**
   * The longest a finished video waits for Telegram (flood control, outages), counted from its
   * first
   * upload attempt (default 15 min); past it the delivery is abandoned, the video kept, not
   * refunded.
   */
  readonly deliveryMaxWaitMs?: number;
  /** How long download links handed out in place of an upload work (default 24 h). */
  readonly downloadLinkTtlHours?: number;
  /**
   * Delivery's clock rate, for tests and demos only: waits asked for by Telegram are slept
   * `retry_after × scale`, and the ceiling counts elapsed time divided by it (default 1).
   */
  readonly deliveryTimeScale?: number;
  /**
   * Each stage's deadline, derived from the media it makes (see `stage-deadline.ts`); fields
   * override the defaults.
   */
  readonly stageDeadlines?: Partial<Record<DeadlineStage, Partial<StageDeadlinePolicy>>>;
  /**
   * After a stage's deadline or an interruption, how long it gets to stop its tools before it is
   * left behind (default 5 s).
   */
  readonly stageGraceMs?: number;
}

export type ResolvedPipelineConfig = Required<
  Omit<PipelineConfig, 'workRoot' | 'stageDeadlines'>
> & {
  readonly workRoot: string | undefined;
  readonly stageDeadlines: StageDeadlines;
};

export interface GenerationPipelineOptions {
  readonly store: EventStore;
  /**
   * The read-model database: the job queue, and the intake's checkpoint and lock (one active intake
   * across instances).
   */
  readonly readModels: {
    readonly db: Kysely<ReadModelDatabase>;
    readonly kind: 'postgres' | 'pglite';
    readonly lock: ConsumerLock;
  };
  readonly users: UserCommands;
  readonly generations: GenerationCommands;
  readonly providers: PipelineProviders;
  readonly storage: FileStorage;
  readonly notifier: UserNotifier;
  readonly log: Logger;
  readonly config: PipelineConfig;
  /** Defaults to ffmpeg. */
  readonly thumbnails?: ThumbnailMaker;
  /**
   * Run the intake in this instance (default true; active here or standing by); workers run
   * regardless.
   */
  readonly intake?: boolean;
  readonly now?: () => Date;
  /** Metrics hook for failed steps (retries, provider errors). */
  readonly observer?: PipelineObserver;
}

export class PipelineConfigError extends AppError {
  override readonly name = 'PipelineConfigError';
  readonly code = 'PIPELINE_CONFIG_INVALID';
  readonly retryable = false;
}

export function resolvePipelineConfig(config: PipelineConfig): ResolvedPipelineConfig {
  const resolved: ResolvedPipelineConfig = {
    maxAudioDurationSec: config.maxAudioDurationSec,
    workerId: config.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    concurrency: config.concurrency ?? 1,
    leaseMs: config.leaseMs ?? 7000,
    maxAttempts: config.maxAttempts ?? 3,
    pollIntervalMs: config.pollIntervalMs ?? 1000,
    progressIntervalMs: config.progressIntervalMs ?? 5000,
    retryBaseMs: config.retryBaseMs ?? 2000,
    retryMaxMs: config.retryMaxMs ?? 60_000,
    workRoot: config.workRoot,
    intakeBatchSize: config.intakeBatchSize ?? 200,
    deliveryMaxWaitMs: config.deliveryMaxWaitMs ?? 15 * 60_000,
    downloadLinkTtlHours: config.downloadLinkTtlHours ?? 24,
    deliveryTimeScale: config.deliveryTimeScale ?? 1,
    // Delivery may wait for Telegram up to deliveryMaxWaitMs; its deadline must not cut that wait
    // short.
    stageDeadlines: resolveStageDeadlines({
      delivery: { floorMs: (config.deliveryMaxWaitMs ?? 15 * 60_000) + 600_000 },
      ...config.stageDeadlines,
    }),
    stageGraceMs: config.stageGraceMs ?? 5000,
  };
  const positive: (keyof ResolvedPipelineConfig)[] = [
    'maxAudioDurationSec',
    'concurrency',
    'leaseMs',
    'maxAttempts',
    'pollIntervalMs',
    'progressIntervalMs',
    'retryMaxMs',
    'intakeBatchSize',
    'stageGraceMs',
  ];
  for (const key of positive) {
    const value = resolved[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      // Prints whatever was configured, numbers included.
      throw new PipelineConfigError(
        // eslint-disable-next-line @typescript-eslint/no-base-to-string
        `pipeline config ${key} must be a positive number, got ${String(value)}`,
      );
    }
  }
  if (!Number.isInteger(resolved.concurrency) || !Number.isInteger(resolved.maxAttempts)) {
    throw new PipelineConfigError('pipeline config concurrency and maxAttempts must be integers');
  }
  if (!(resolved.retryBaseMs >= 0))
    throw new PipelineConfigError('pipeline config retryBaseMs must not be negative');
  for (const key of ['deliveryMaxWaitMs', 'downloadLinkTtlHours', 'deliveryTimeScale'] as const) {
    if (!(Number.isFinite(resolved[key]) && resolved[key] > 0))
      throw new PipelineConfigError(
        `pipeline config ${key} must be a positive number, got ${String(resolved[key])}`,
      );
  }
  for (const [stage, policy] of Object.entries(resolved.stageDeadlines)) {
    if (!(policy.floorMs > 0) || !(policy.perMediaSecondMs >= 0) || !(policy.cloudMs >= 0)) {
      throw new PipelineConfigError(
        `pipeline config stageDeadlines.${stage} needs a positive floorMs and non-negative perMediaSecondMs and cloudMs`,
      );
    }
  }
  if (resolved.workerId.length === 0)
    throw new PipelineConfigError('pipeline config workerId must not be empty');
  return resolved;
}
