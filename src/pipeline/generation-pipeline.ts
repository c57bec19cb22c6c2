import { tmpdir } from 'node:os';
import { Subject, filter, firstValueFrom, merge, race, timer, type Subscription } from 'rxjs';
import { FfmpegCaptionBurner } from '../adapters/local/captions/ffmpeg-caption-burner.js';
import { describeFailure } from './classify-failure.js';
import { GenerationIntake } from './intake.js';
import { JobQueue, type ClaimedJob } from './job-queue.js';
import { LeaseKeeper } from './lease-keeper.js';
import { GenerationRun } from './generation-run.js';
import { WorkInterruptedError, isInterruption } from './pipeline-errors.js';
import {
  resolvePipelineConfig,
  type GenerationPipelineOptions,
  type ResolvedPipelineConfig,
} from './pipeline-options.js';
import { backoffDelayMs } from '../resilience/backoff.js';
import type { RunDeps } from './stage-context.js';
import { FfmpegThumbnailMaker } from './thumbnail-maker.js';
import { sweepWorkDirs } from './work-dir-sweeper.js';

type Lifecycle = 'idle' | 'running' | 'stopping' | 'halted';

/**
 * The generation pipeline: a durable process manager between the event log and the providers.
 *
 * - Intake follows `GenerationRequested` from its checkpoint, starts each generation stream and
 *   queues a `pipeline_jobs` row (see `intake.ts`); one instance's intake is active at a time.
 * - `concurrency` worker slots claim due jobs (`FOR UPDATE SKIP LOCKED`, with a lease renewed
 *   while working), so instances sharing a database never run one generation twice at a time and a
 *   dead worker's job is taken over when its lease ends.
 * - A run does what `nextStep(state)` says and records each result as an event before the next
 *   step. State comes only from the events and the stored files: a restart anywhere redoes at most
 *   the step that was interrupted (a cloud talking head is resumed by its stored request id).
 * - Transient failures are retried with backoff up to `maxAttempts` per step (the count lives in
 *   the job row and includes workers that died); then FailGeneration → RefundCredits → the user
 *   is told. The refund is re-driven until it lands; the user decider makes it exactly once.
 *
 * Delivery never uploads a video twice. Telegram's sendVideo takes no idempotency key, so each
 * upload is recorded (`VideoSendAttempted`) before it starts; an attempt without a recorded answer
 * — a crash between the send and MarkDelivered, a reset or timeout after a large upload — may be
 * in the chat, so the next try sends a short message with the download link instead of a second
 * copy. Flood waits and server errors are waited out (up to `deliveryMaxWaitMs`); a final refusal
 * abandons the delivery. Neither fails nor refunds a rendered video: it stays in "My videos".
 * Once sent, the run retries only the MarkDelivered append, never the send; the same holds for
 * the failure message after a refund. The job row is finished only after that, so every crash
 * before it is re-driven.
 */
export class GenerationPipeline {
  readonly config: ResolvedPipelineConfig;
  private readonly jobs: JobQueue;
  private readonly deps: RunDeps;
  private readonly intake: GenerationIntake | undefined;
  private readonly wake$ = new Subject<void>();
  private readonly stopping$ = new Subject<void>();
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private loops: Promise<void>[] = [];
  private wakeSubscription: Subscription | undefined;
  private lifecycle: Lifecycle = 'idle';

  constructor(private readonly options: GenerationPipelineOptions) {
    this.config = resolvePipelineConfig(options.config);
    this.jobs = new JobQueue(options.readModels.db);
    const log = options.log.child({
      component: 'generation-pipeline',
      workerId: this.config.workerId,
    });
    this.deps = {
      generations: options.generations,
      users: options.users,
      providers: options.providers,
      storage: options.storage,
      notifier: options.notifier,
      thumbnails: options.thumbnails ?? new FfmpegThumbnailMaker({ logger: log }),
      captions: options.providers.captions ?? new FfmpegCaptionBurner({ logger: log }),
      jobs: this.jobs,
      log,
      config: this.config,
      now: options.now ?? (() => new Date()),
      ...(options.observer ? { observer: options.observer } : {}),
    };
    this.intake =
      options.intake === false
        ? undefined
        : new GenerationIntake({
            store: options.store,
            db: options.readModels.db,
            lock: options.readModels.lock,
            jobs: this.jobs,
            generations: options.generations,
            users: options.users,
            log,
            batchSize: this.config.intakeBatchSize,
            pollIntervalMs: this.config.pollIntervalMs,
          });
  }

  get running(): boolean {
    return this.lifecycle === 'running';
  }

  /** Generations this instance is working on right now. */
  get activeGenerations(): readonly string[] {
    return [...this.active.keys()];
  }

  start(): void {
    if (this.lifecycle !== 'idle') return;
    this.lifecycle = 'running';
    this.intake?.start();
    // Our own intake says when there is work. While another instance's intake is the active one,
    // its jobs reach us through the store's append hints or, at worst, the poll; while ours is,
    // a hint names no job ours has not announced, and a claim per wizard click would be wasted.
    const intake = this.intake;
    this.wakeSubscription = merge(
      intake?.enqueued ?? [],
      this.options.store.appended.pipe(filter(() => !intake?.isActive)),
    ).subscribe(() => this.wake$.next());
    this.loops = Array.from({ length: this.config.concurrency }, (_, index) =>
      this.workerLoop(
        this.config.concurrency === 1
          ? this.config.workerId
          : `${this.config.workerId}#${index + 1}`,
      ),
    );
    this.deps.log.info(
      {
        concurrency: this.config.concurrency,
        leaseMs: this.config.leaseMs,
        database: this.options.readModels.kind,
      },
      'generation pipeline started',
    );
    // Only old ones at start-up: a younger directory may belong to a live run of another instance.
    void sweepWorkDirs({
      root: this.config.workRoot ?? tmpdir(),
      now: new Date(),
      maxAgeMs: 6 * 3600_000,
    }).then(
      (swept) =>
        swept.deleted > 0 &&
        this.deps.log.info(
          { removed: swept.deleted, bytes: swept.bytes },
          'removed scratch directories of crashed runs',
        ),
      (error: unknown) =>
        this.deps.log.warn({ err: error }, 'could not sweep old scratch directories'),
    );
  }

  /**
   * Graceful: no new claims; the jobs in hand get `drainMs` to finish, then their work is aborted
   * and the jobs released (due at once, for this or another instance). Resolves when all is quiet.
   */
  async stop(options: { readonly drainMs?: number } = {}): Promise<void> {
    if (this.lifecycle !== 'running') return;
    this.lifecycle = 'stopping';
    this.stopping$.next();
    this.wakeSubscription?.unsubscribe();
    await this.intake?.stop();
    const inHand = [...this.active.values()];
    if (inHand.length > 0 && options.drainMs && options.drainMs > 0) {
      await Promise.race([
        Promise.all(inHand.map((work) => work.done)),
        new Promise((resolve) => setTimeout(resolve, options.drainMs)),
      ]);
    }
    for (const work of this.active.values())
      work.controller.abort(new WorkInterruptedError('stopping'));
    await Promise.all(this.loops);
    this.loops = [];
    this.lifecycle = 'idle';
    this.deps.log.info('generation pipeline stopped');
  }

  /**
   * Stops at once without releasing anything, as a killed process would: claimed jobs keep their
   * lease until it runs out and another instance takes over. For fault-injection tests, and for a
   * shutdown that must not touch the database.
   */
  halt(): void {
    if (this.lifecycle === 'halted') return;
    this.lifecycle = 'halted';
    this.stopping$.next();
    this.wakeSubscription?.unsubscribe();
    // Nothing awaits a halt: a failure here must not become an unhandled rejection. The intake lets
    // its lock go at once, as a dead process's connection would, so a successor takes over.
    this.intake
      ?.stop()
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'intake did not stop cleanly'));
    for (const work of this.active.values())
      work.controller.abort(new WorkInterruptedError('halted'));
  }

  private async workerLoop(workerId: string): Promise<void> {
    let failures = 0;
    while (this.lifecycle === 'running') {
      let job: ClaimedJob | undefined;
      try {
        job = await this.jobs.claim(workerId, this.config.leaseMs);
        failures = 0;
      } catch (error) {
        failures += 1;
        this.deps.log.error({ err: error, workerId, failures }, 'claiming a job failed');
        await this.idle(backoffDelayMs(failures, { baseMs: 200, maxMs: 30_000 }));
        continue;
      }
      if (this.lifecycle !== 'running') {
        if (job && this.lifecycle === 'stopping')
          await this.jobs.release(job).catch(() => undefined);
        return;
      }
      if (!job) {
        await this.idle(this.config.pollIntervalMs);
        continue;
      }
      await this.work(job);
    }
  }

  private async work(job: ClaimedJob): Promise<void> {
    const controller = new AbortController();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.active.set(job.generationId, { controller, done });
    const lease = new LeaseKeeper(
      this.jobs,
      job,
      this.config.leaseMs,
      () => controller.abort(new WorkInterruptedError('lease_lost')),
      this.deps.log,
    ).start();
    // An interrupted run may take a while to unwind (or, halted, never): its lease must not outlive
    // it. A graceful stop is the exception: the step in hand may still finish (an upload has a
    // grace
    // to land), and a lease let go now could hand the job to another instance while it does; the
    // run ends within its stage's grace, and the lease with it.
    controller.signal.addEventListener(
      'abort',
      () => {
        const reason: unknown = controller.signal.reason;
        if (!(isInterruption(reason) && reason.why === 'stopping')) lease.stop();
      },
      { once: true },
    );
    const log = this.deps.log.child({ generationId: job.generationId, workerId: job.claimedBy });
    try {
      const outcome = await new GenerationRun(this.deps, job, controller.signal).execute();
      lease.stop();
      // How close the lease came to running out under a live run: the margin an operator tunes
      // leaseMs by.
      log.debug({ leaseMs: this.config.leaseMs, ...lease.measured }, 'lease kept');
      if (this.lifecycle === 'halted') return;
      if (outcome.kind === 'finished') {
        await this.jobs.finish(job, outcome.status);
        log.info({ status: outcome.status }, 'generation settled');
      } else {
        await this.jobs.reschedule(job, outcome);
        log.info(
          { attempts: outcome.attempts, delayMs: outcome.delayMs, error: outcome.error },
          'generation will be retried',
        );
      }
    } catch (error) {
      lease.stop();
      if (this.lifecycle === 'halted') return;
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
      if (isInterruption(reason)) {
        // Lease lost: the job is someone else's now; touching the row would disturb their run.
        if (reason.why === 'stopping')
          await this.jobs
            .release(job)
            .catch((e: unknown) => log.error({ err: e }, 'could not release the job'));
        log.info({ why: reason.why }, 'generation run interrupted');
        return;
      }
      // Not a provider failure (the run counts those): the event store or the database failed
      // outside a step. Try again later without spending the step's retry budget.
      const delayMs = backoffDelayMs(job.attempts + 1, {
        baseMs: this.config.retryBaseMs,
        maxMs: this.config.retryMaxMs,
      });
      log.error({ err: error, delayMs }, 'generation run failed outside a step; will retry');
      await this.jobs
        .reschedule(job, { attempts: job.attempts, delayMs, error: describeFailure(error) })
        .catch((e: unknown) =>
          log.error({ err: e }, 'could not reschedule; the lease will expire instead'),
        );
    } finally {
      lease.stop();
      this.active.delete(job.generationId);
      finished();
    }
  }

  private async idle(ms: number): Promise<void> {
    if (this.lifecycle !== 'running') return;
    await firstValueFrom(race(this.wake$, timer(ms), this.stopping$), { defaultValue: undefined });
  }
}
