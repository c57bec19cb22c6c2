import { Subject, concatMap, defer, EMPTY, retry, switchMap, timer, type Observable, type Subscription } from 'rxjs';
import type { GenerationCommands } from '../commands/generation-commands.js';
import { toDomainEvent } from '../commands/command-handler.js';
import type { UserCommands } from '../commands/user-commands.js';
import { parseStreamName } from '../domain/events/streams.js';
import type { GenerationRequested, UserEvent } from '../domain/events/user-events.js';
import { startGenerationFrom } from '../domain/generation/commands.js';
import { nextStep } from '../domain/generation/next-step.js';
import type { GenerationState } from '../domain/generation/state.js';
import { findSpend } from '../domain/user/state.js';
import type { EventStore, RecordedEvent } from '../event-store/event-store.js';
import type { Position } from '../event-store/position.js';
import type { Logger } from '../logging/logger.js';
import { pipelineActor, startCommandId } from './command-ids.js';
import type { JobQueue, NewJob } from './job-queue.js';
import { backoffDelayMs } from '../resilience/backoff.js';

export const intakeCheckpointName = 'pipeline-intake';

export interface IntakeOptions {
  readonly store: EventStore;
  readonly jobs: JobQueue;
  readonly generations: GenerationCommands;
  readonly users: UserCommands;
  readonly log: Logger;
  readonly batchSize: number;
}

/** How long the intake checkpoint may lag while only other events go by. */
const idleCheckpointMs = 2000;

/**
 * Turns each `GenerationRequested` on a user stream into a started generation stream and a queued
 * job. A catch-up subscription from its own checkpoint: each batch's jobs and the new checkpoint
 * are written by one statement, and StartGeneration carries a command id derived from the request
 * event's id, so a batch delivered again (crash, second instance) changes nothing.
 */
export class GenerationIntake {
  private subscription: Subscription | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly enqueued$ = new Subject<number>();

  private checkpointSavedAt = 0;
  private pending: Position | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: IntakeOptions) {}

  /** Fires after each batch that queued new work, so idle workers look at once. */
  get enqueued(): Observable<number> {
    return this.enqueued$.asObservable();
  }

  start(): void {
    if (this.subscription) return;
    const { store, jobs, log, batchSize } = this.options;
    this.subscription = defer(() => jobs.loadCheckpoint(intakeCheckpointName))
      .pipe(
        switchMap((after) => store.subscribeToAll({ after, eventTypes: ['GenerationRequested'], streamPrefixes: ['user-'], batchSize })),
        concatMap((item) => (item.kind === 'events' ? defer(() => this.track(this.handleBatch(item.events, item.lastPosition))) : EMPTY)),
        // Start over from the stored checkpoint: whatever was half done is redone idempotently.
        retry({
          resetOnSuccess: true,
          delay: (error: unknown, attempt) => {
            log.error({ err: error, attempt }, 'pipeline intake failed; resuming from its checkpoint');
            return timer(backoffDelayMs(attempt, { baseMs: 200, maxMs: 30_000 }));
          },
        }),
      )
      .subscribe({ error: (error: unknown) => log.error({ err: error }, 'pipeline intake stopped') });
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    // A batch already being written finishes, so nothing writes after stop resolves.
    await this.inFlight.catch(() => undefined);
    await this.flushPending().catch(() => undefined);
  }

  /** Writes a checkpoint held back while only unrelated events went by (never moves it backwards). */
  private async flushPending(): Promise<void> {
    const position = this.pending;
    if (!position) return;
    this.pending = undefined;
    await this.options.jobs.enqueue([], { name: intakeCheckpointName, position, globalPosition: position.prepare, events: 0 });
    this.checkpointSavedAt = performance.now();
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight = work;
    return work;
  }

  private async handleBatch(events: readonly RecordedEvent[], lastPosition: Position): Promise<void> {
    // Scanning past other events (wizard clicks) needs no write per batch: re-reading them after a
    // restart is harmless, so the checkpoint only moves every few seconds then.
    if (events.length === 0 && performance.now() - this.checkpointSavedAt < idleCheckpointMs) {
      this.pending = lastPosition;
      // Written later even if nothing else arrives, so the checkpoint does not sit behind the head.
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        void this.flushPending().catch((error: unknown) => this.options.log.warn({ err: error }, 'intake checkpoint not written'));
      }, idleCheckpointMs);
      this.flushTimer.unref?.();
      return;
    }
    this.pending = undefined;
    const jobs: NewJob[] = [];
    for (const recorded of events) {
      const job = await this.startGeneration(recorded);
      if (job) jobs.push(job);
    }
    await this.options.jobs.enqueue(jobs, {
      name: intakeCheckpointName,
      position: lastPosition,
      globalPosition: events.at(-1)?.globalPosition ?? lastPosition.prepare,
      events: jobs.length,
    });
    this.checkpointSavedAt = performance.now();
    if (jobs.some((job) => job.status === 'queued')) this.enqueued$.next(jobs.length);
  }

  private async startGeneration(recorded: RecordedEvent): Promise<NewJob | undefined> {
    const { log } = this.options;
    const stream = parseStreamName(recorded.streamName);
    const event = toDomainEvent<UserEvent>(recorded);
    if (stream?.kind !== 'user' || event.type !== 'GenerationRequested') {
      log.warn({ eventId: recorded.id, stream: recorded.streamName, type: recorded.type }, 'not a user GenerationRequested; skipped');
      return undefined;
    }
    const requested = (event as GenerationRequested).data;
    const userId = stream.telegramId;
    const requestedAt = typeof recorded.metadata.timestamp === 'string' ? recorded.metadata.timestamp : recorded.createdAt.toISOString();
    const correlationId = typeof recorded.metadata.correlationId === 'string' ? recorded.metadata.correlationId : requested.generationId;
    const outcome = await this.options.generations.execute(requested.generationId, startGenerationFrom(userId, requested, requestedAt), {
      commandId: startCommandId(recorded.id),
      actor: pipelineActor,
      causationId: recorded.id,
      correlationId,
    });
    const base = { generationId: requested.generationId, userId };
    if (outcome.ok && !outcome.duplicate) {
      log.info({ stage: 'tts', generationId: requested.generationId, userId, format: requested.format }, 'generation started');
      return { ...base, status: 'queued' };
    }
    if (!outcome.ok && outcome.rejection.code !== 'already_started') {
      // The worker refunds a request that could not start (nextStep says `start`).
      log.error({ stage: 'tts', generationId: requested.generationId, rejection: outcome.rejection }, 'generation could not start');
      return { ...base, status: 'queued' };
    }
    return { ...base, status: await this.settledStatus(userId, requested.generationId, outcome.state) };
  }

  /**
   * A request seen again (checkpoint lost, log replayed): a generation already delivered or
   * already refunded is recorded as such, so nobody is sent a second video or a second "sorry".
   * An unfinished one is queued; an existing job row wins over all of this anyway.
   */
  private async settledStatus(userId: number, generationId: string, state: GenerationState): Promise<NewJob['status']> {
    const step = nextStep(state);
    if (step === 'done') return 'delivered';
    if (step === 'refund') {
      const spend = findSpend(await this.options.users.state(userId), generationId);
      if (spend?.refunded) return 'refunded';
    }
    return 'queued';
  }
}
