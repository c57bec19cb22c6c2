import type { Kysely } from 'kysely';
import { Subject, type Observable } from 'rxjs';
import type { GenerationCommands } from '../commands/generation-commands.js';
import { toDomainEvent } from '../commands/command-handler.js';
import type { UserCommands } from '../commands/user-commands.js';
import { parseStreamName } from '../domain/events/streams.js';
import type { GenerationRequested, UserEvent } from '../domain/events/user-events.js';
import { startGenerationFrom } from '../domain/generation/commands.js';
import { nextStep } from '../domain/generation/next-step.js';
import type { GenerationState } from '../domain/generation/state.js';
import { findSpend } from '../domain/user/state.js';
import { CheckpointedConsumer } from '../consumers/checkpointed-consumer.js';
import type { ConsumerLock } from '../consumers/consumer-lock.js';
import type { ConsumedBatch, ConsumerProcessor } from '../consumers/consumer-processor.js';
import type { EventStore, RecordedEvent } from '../ports/event-store/event-store.js';
import type { Position } from '../ports/event-store/position.js';
import type { Logger } from '../logging/logger.js';
import type { ReadModelDatabase } from '../database/schema.js';
import { pipelineActor, startCommandId } from './command-ids.js';
import type { JobQueue, NewJob } from './job-queue.js';

export const intakeCheckpointName = 'pipeline-intake';

export interface IntakeOptions {
  readonly store: EventStore;
  readonly db: Kysely<ReadModelDatabase>;
  readonly lock: ConsumerLock;
  readonly jobs: JobQueue;
  readonly generations: GenerationCommands;
  readonly users: UserCommands;
  readonly log: Logger;
  readonly batchSize: number;
  /** Look for new requests this often even without a wake-up. */
  readonly pollIntervalMs: number;
}

/**
 * Turns each `GenerationRequested` on a user stream into a started generation stream and a queued
 * job: the reactor of a checkpointed consumer (one active intake across instances, by the lock).
 * Each batch's jobs and the new checkpoint are written by one statement, and StartGeneration
 * carries a command id derived from the request event's id, so a batch delivered again (crash,
 * a second instance taking over) changes nothing.
 */
export class GenerationIntake implements ConsumerProcessor {
  readonly name = intakeCheckpointName;
  readonly eventTypes = ['GenerationRequested'];
  readonly streamPrefixes = ['user-'];
  private readonly consumer: CheckpointedConsumer;
  private readonly enqueued$ = new Subject<number>();

  constructor(private readonly options: IntakeOptions) {
    this.consumer = new CheckpointedConsumer({
      store: options.store,
      db: options.db,
      lock: options.lock,
      log: options.log,
      processor: this,
      batchSize: options.batchSize,
      pollIntervalMs: options.pollIntervalMs,
      // Scanning past other events (wizard clicks) needs no write per batch: re-reading them after
      // a restart is harmless, so the checkpoint only moves every few seconds then.
      idleCheckpointMs: 2000,
      // A request is a user waiting: read it at once rather than gather a burst. Only appends of
      // requests wake the intake (see `concernsReader`), so wizard clicks cost it nothing.
      lagMs: 0,
      coalesceMs: 0,
      retry: { baseMs: 200, maxMs: 30_000 },
    });
  }

  /** Fires after each batch that queued new work, so idle workers look at once. */
  get enqueued(): Observable<number> {
    return this.enqueued$.asObservable();
  }

  get isActive(): boolean {
    return this.consumer.isActive;
  }

  start(): void {
    this.consumer.start();
  }

  /**
   * The lock is let go at once; resolves when the batch in hand is written, so nothing writes
   * after.
   */
  async stop(): Promise<void> {
    await this.consumer.stop();
  }

  async handle(batch: ConsumedBatch): Promise<Position> {
    const jobs: NewJob[] = [];
    for (const recorded of batch.events) {
      const job = await this.startGeneration(recorded);
      if (job) jobs.push(job);
    }
    await this.options.jobs.enqueue(jobs, {
      name: intakeCheckpointName,
      position: batch.lastPosition,
      globalPosition: batch.events.at(-1)?.globalPosition ?? batch.lastPosition.prepare,
      events: jobs.length,
    });
    if (jobs.some((job) => job.status === 'queued')) this.enqueued$.next(jobs.length);
    return batch.lastPosition;
  }

  private async startGeneration(recorded: RecordedEvent): Promise<NewJob | undefined> {
    const { log } = this.options;
    const stream = parseStreamName(recorded.streamName);
    const event = toDomainEvent<UserEvent>(recorded);
    if (stream?.kind !== 'user' || event.type !== 'GenerationRequested') {
      log.warn(
        { eventId: recorded.id, stream: recorded.streamName, type: recorded.type },
        'not a user GenerationRequested; skipped',
      );
      return undefined;
    }
    const requested = (event as GenerationRequested).data;
    const userId = stream.telegramId;
    const requestedAt =
      typeof recorded.metadata.timestamp === 'string'
        ? recorded.metadata.timestamp
        : recorded.createdAt.toISOString();
    const correlationId =
      typeof recorded.metadata.correlationId === 'string'
        ? recorded.metadata.correlationId
        : requested.generationId;
    const outcome = await this.options.generations.execute(
      requested.generationId,
      startGenerationFrom(userId, requested, requestedAt),
      {
        commandId: startCommandId(recorded.id),
        actor: pipelineActor,
        causationId: recorded.id,
        correlationId,
      },
    );
    const base = { generationId: requested.generationId, userId };
    if (outcome.ok && !outcome.duplicate) {
      log.info(
        { stage: 'tts', generationId: requested.generationId, userId, format: requested.format },
        'generation started',
      );
      return { ...base, status: 'queued' };
    }
    if (!outcome.ok && outcome.rejection.code !== 'already_started') {
      // The worker refunds a request that could not start (nextStep says `start`).
      log.error(
        { stage: 'tts', generationId: requested.generationId, rejection: outcome.rejection },
        'generation could not start',
      );
      return { ...base, status: 'queued' };
    }
    return {
      ...base,
      status: await this.settledStatus(userId, requested.generationId, outcome.state),
    };
  }

  /**
   * A request seen again (checkpoint lost, log replayed): a generation already delivered or
   * already refunded is recorded as such, so nobody is sent a second video or a second "sorry".
   * An unfinished one is queued; an existing job row wins over all of this anyway.
   */
  private async settledStatus(
    userId: number,
    generationId: string,
    state: GenerationState,
  ): Promise<NewJob['status']> {
    const step = nextStep(state);
    if (step === 'done') return 'delivered';
    if (step === 'refund') {
      const spend = findSpend(await this.options.users.state(userId), generationId);
      if (spend?.refunded) return 'refunded';
    }
    return 'queued';
  }
}
