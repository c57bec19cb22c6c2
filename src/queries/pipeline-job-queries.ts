import type { PipelineJobStatus } from '../database/schema.js';
import type { ReadModelsDb } from './read-models-db.js';

/** Which of `generationIds` have a `pipeline_jobs` row in one of `statuses`. */
export async function generationsWithJobStatus(db: ReadModelsDb, generationIds: readonly string[], statuses: readonly PipelineJobStatus[]): Promise<Set<string>> {
  if (generationIds.length === 0 || statuses.length === 0) return new Set();
  const rows = await db
    .selectFrom('pipeline_jobs')
    .select('generation_id')
    .where('generation_id', 'in', [...generationIds])
    .where('status', 'in', [...statuses])
    .execute();
  return new Set(rows.map((row) => row.generation_id));
}
