import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  START,
  formatPosition,
  parsePosition,
  type Position,
} from '../ports/event-store/position.js';
import type { ReadModelDatabase } from '../database/schema.js';

/** Where a consumer has got to in `$all`, with how many events its last write handled. */
export interface CheckpointWrite {
  readonly name: string;
  readonly position: Position;
  /** The human-facing number of the last event handled (or the position's own), for operators. */
  readonly globalPosition: bigint;
  /** Events this write handled, added to the row's running count. */
  readonly events: number;
}

/**
 * The one statement that stores every consumer's checkpoint (projections and the pipeline's
 * intake alike), in `projection_checkpoints`. It never moves a row backwards — a redelivered or
 * late batch, or a stopped instance flushing behind an active one, leaves it where it is — and,
 * being one statement, it can follow a CTE that writes the batch's effects (the intake's jobs).
 * Positions are zero-padded text, so byte order ("C") is position order; `start` is before all.
 */
export function checkpointUpsert(checkpoint: CheckpointWrite): RawBuilder<unknown> {
  return sql`
    INSERT INTO projection_checkpoints (name, position, global_position, events_applied)
    VALUES (${checkpoint.name}, ${formatPosition(checkpoint.position)}, ${checkpoint.globalPosition.toString()}, ${checkpoint.events})
    ON CONFLICT (name) DO UPDATE SET
      position = EXCLUDED.position,
      global_position = EXCLUDED.global_position,
      events_applied = projection_checkpoints.events_applied + EXCLUDED.events_applied,
      updated_at = now()
    WHERE projection_checkpoints.position = 'start'
       OR projection_checkpoints.position COLLATE "C" < EXCLUDED.position COLLATE "C"`;
}

export async function saveCheckpoint(
  db: Kysely<ReadModelDatabase>,
  checkpoint: CheckpointWrite,
): Promise<void> {
  await checkpointUpsert(checkpoint).execute(db);
}

/**
 * The stored checkpoint (`START` when there is none). `forUpdate` locks the row for the rest of the
 * transaction, so two writers of one consumer's batch take turns and the second sees the first's.
 */
export async function loadCheckpoint(
  db: Kysely<ReadModelDatabase>,
  name: string,
  options: { readonly forUpdate?: boolean } = {},
): Promise<Position> {
  const query = db.selectFrom('projection_checkpoints').select('position').where('name', '=', name);
  const row = await (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
  return row ? parsePosition(row.position) : START;
}

/**
 * Forgets a consumer's checkpoint: it starts again from the beginning of the log (rebuilds, tests).
 */
export async function deleteCheckpoint(db: Kysely<ReadModelDatabase>, name: string): Promise<void> {
  await db.deleteFrom('projection_checkpoints').where('name', '=', name).execute();
}
