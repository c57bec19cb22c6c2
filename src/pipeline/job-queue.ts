import { sql, type Kysely } from 'kysely';
import { checkpointUpsert, type CheckpointWrite } from '../consumers/checkpoints.js';
import type { PipelineJobStatus, ReadModelDatabase } from '../database/schema.js';

export interface NewJob {
  readonly generationId: string;
  readonly userId: number;
  /** `queued` for work; a terminal status when intake finds the generation already settled. */
  readonly status: Extract<PipelineJobStatus, 'queued' | 'delivered' | 'refunded'>;
}

export interface ClaimedJob {
  readonly generationId: string;
  readonly userId: number;
  /** Failed tries of the current step, this claim included when the previous holder vanished. */
  readonly attempts: number;
  /** True when the previous holder's lease ran out: it crashed or hung. */
  readonly reclaimed: boolean;
  /**
   * True when a previous run of this job was cut off mid-attempt: its worker crashed, hung or was
   * stopped (released). Not after a scheduled retry, which ended its attempt on purpose.
   */
  readonly resumed: boolean;
  readonly claimedBy: string;
}

export type FinishedStatus = Extract<PipelineJobStatus, 'delivered' | 'refunded' | 'abandoned'>;

const finishedStatuses: readonly FinishedStatus[] = ['delivered', 'refunded', 'abandoned'];

// A released job's `last_error` starts with this, so the next claim knows the run was cut off.
const releasedMark = 'released:';

const leaseInterval = (ms: number) =>
  sql<Date>`now() + ${Math.max(1, Math.round(ms))}::double precision * interval '1 millisecond'`;

/**
 * `pipeline_jobs` as a work queue. Every statement is a single SQL statement, atomic on its own,
 * so the queue works the same on PostgreSQL and on PGlite's single connection, and no transaction
 * spans an event-store call. Updates by a worker name it (`claimed_by`): a worker that lost its
 * lease changes nothing.
 */
export class JobQueue {
  constructor(private readonly db: Kysely<ReadModelDatabase>) {}

  /**
   * Records intake's new jobs and its checkpoint in one statement: either both happen or neither,
   * so a redelivered batch finds the checkpoint where it was and re-inserts jobs as no-ops.
   */
  async enqueue(jobs: readonly NewJob[], checkpoint: CheckpointWrite): Promise<void> {
    const insertJobs =
      jobs.length === 0
        ? sql``
        : sql`WITH new_jobs AS (
            INSERT INTO pipeline_jobs (generation_id, user_id, status)
            VALUES ${sql.join(jobs.map((job) => sql`(${job.generationId}, ${job.userId}, ${job.status})`))}
            ON CONFLICT (generation_id) DO NOTHING
          )`;
    await sql`${insertJobs} ${checkpointUpsert(checkpoint)}`.execute(this.db);
  }

  /**
   * Takes one due job: queued and due, or running with an expired lease (its worker is gone; that
   * counts as a failed attempt, so a job that kills its worker every time is bounded too).
   * `SKIP LOCKED` lets concurrent claimers pass each other instead of queueing on one row.
   */
  async claim(workerId: string, leaseMs: number): Promise<ClaimedJob | undefined> {
    const { rows } = await sql<{
      generation_id: string;
      user_id: string | number;
      attempts: number;
      previous_status: string;
      was_released: boolean;
    }>`
      UPDATE pipeline_jobs AS job SET
        status = 'running',
        claimed_by = ${workerId},
        lease_until = ${leaseInterval(leaseMs)},
        attempts = job.attempts + CASE WHEN due.status = 'running' THEN 1 ELSE 0 END,
        updated_at = now()
      FROM (
        SELECT generation_id, status, coalesce(last_error LIKE ${`${releasedMark}%`}, false) AS was_released FROM pipeline_jobs
        WHERE (status = 'queued' AND next_attempt_at <= now())
           OR (status = 'running' AND lease_until < now())
        ORDER BY next_attempt_at, generation_id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      ) AS due
      WHERE job.generation_id = due.generation_id
      RETURNING job.generation_id, job.user_id, job.attempts, due.status AS previous_status, due.was_released`.execute(
      this.db,
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      generationId: row.generation_id,
      userId: Number(row.user_id),
      attempts: Number(row.attempts),
      reclaimed: row.previous_status === 'running',
      resumed: row.previous_status === 'running' || row.was_released === true,
      claimedBy: workerId,
    };
  }

  /** Extends the lease; false when another worker has taken the job (ours expired). */
  async renew(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('pipeline_jobs')
      .set({ lease_until: leaseInterval(leaseMs), updated_at: sql`now()` })
      .where('generation_id', '=', job.generationId)
      .where('claimed_by', '=', job.claimedBy)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** A step finished: the next one starts with a fresh retry budget. */
  async progressed(job: ClaimedJob): Promise<void> {
    await this.db
      .updateTable('pipeline_jobs')
      .set({ attempts: 0, last_error: null, updated_at: sql`now()` })
      .where('generation_id', '=', job.generationId)
      .where('claimed_by', '=', job.claimedBy)
      .execute();
  }

  /** Gives the job back to run again after `delayMs`. */
  async reschedule(
    job: ClaimedJob,
    retry: { readonly attempts: number; readonly delayMs: number; readonly error: string },
  ): Promise<void> {
    await this.db
      .updateTable('pipeline_jobs')
      .set({
        status: 'queued',
        claimed_by: null,
        lease_until: null,
        attempts: retry.attempts,
        next_attempt_at: leaseInterval(retry.delayMs),
        last_error: retry.error,
        updated_at: sql`now()`,
      })
      .where('generation_id', '=', job.generationId)
      .where('claimed_by', '=', job.claimedBy)
      .execute();
  }

  /**
   * Graceful stop: the job is due again at once, for this or another instance, which resumes it.
   */
  async release(job: ClaimedJob): Promise<void> {
    await this.db
      .updateTable('pipeline_jobs')
      .set({
        status: 'queued',
        claimed_by: null,
        lease_until: null,
        next_attempt_at: sql`now()`,
        last_error: `${releasedMark} ${job.claimedBy} stopped during the run`,
        updated_at: sql`now()`,
      })
      .where('generation_id', '=', job.generationId)
      .where('claimed_by', '=', job.claimedBy)
      .execute();
  }

  /** Which of these generations' jobs are over (delivered, refunded or abandoned). */
  async finishedAmong(generationIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (generationIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('pipeline_jobs')
      .select('generation_id')
      .where('generation_id', 'in', generationIds)
      .where('status', 'in', finishedStatuses)
      .execute();
    return new Set(rows.map((row) => row.generation_id));
  }

  /** The user has their video or their credit back and has been told: nothing is left to do. */
  async finish(job: ClaimedJob, status: FinishedStatus): Promise<void> {
    await this.db
      .updateTable('pipeline_jobs')
      .set({
        status,
        claimed_by: null,
        lease_until: null,
        last_error: null,
        updated_at: sql`now()`,
      })
      .where('generation_id', '=', job.generationId)
      .where('claimed_by', '=', job.claimedBy)
      .execute();
  }
}
