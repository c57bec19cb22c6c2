import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from '../../logging/logger.js';
import type { ReadModelDatabase } from '../../database/schema.js';
import { generationsWithJobStatus } from '../../queries/pipeline-job-queries.js';

// The generation pipeline names each run's scratch directory `ugc-generation-<id>-<6 random>`
// (src/pipeline/work-files.ts) under DATA_DIR/work.
const prefix = 'ugc-generation-';
const finishedStatuses = ['delivered', 'refunded', 'abandoned'] as const;

export interface WorkDirCleanupResult {
  readonly deleted: number;
  readonly bytes: number;
  readonly paths: readonly string[];
}

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  const entries = await readdir(path).catch(() => [] as string[]);
  let total = 0;
  for (const entry of entries) total += await sizeOf(join(path, entry));
  return total;
}

/** The generation id a scratch directory belongs to, or undefined for foreign names. */
export function generationIdOfWorkDir(name: string): string | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  const cut = rest.lastIndexOf('-');
  return cut > 0 ? rest.slice(0, cut) : undefined;
}

/**
 * Removes scratch directories a run left behind: those of finished generations (delivered, refunded
 * or abandoned in `pipeline_jobs`) once they are `finishedGraceMs` old, and any directory older
 * than `maxAgeMs` whatever its job says. A running job's directory is kept: a live run on any
 * instance sharing this disk may still be writing it.
 */
export async function cleanupWorkDirectories(input: {
  readonly root: string;
  readonly db: Kysely<ReadModelDatabase>;
  readonly now: Date;
  readonly maxAgeMs: number;
  readonly finishedGraceMs?: number;
  readonly log: Logger;
}): Promise<WorkDirCleanupResult> {
  const grace = input.finishedGraceMs ?? 10 * 60_000;
  const entries = await readdir(input.root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const candidates = new Map<string, { path: string; ageMs: number }>();
  for (const entry of entries) {
    const generationId = entry.isDirectory() ? generationIdOfWorkDir(entry.name) : undefined;
    if (!generationId) continue;
    const path = join(input.root, entry.name);
    const info = await stat(path).catch(() => undefined);
    if (info) candidates.set(path, { path, ageMs: input.now.getTime() - info.mtimeMs });
  }
  if (candidates.size === 0) return { deleted: 0, bytes: 0, paths: [] };
  const ids = [...new Set([...candidates.keys()].map((path) => generationIdOfWorkDir(path.slice(input.root.length + 1))!))];
  const finished = await generationsWithJobStatus(input.db, ids, finishedStatuses);
  const removed: string[] = [];
  let bytes = 0;
  for (const { path, ageMs } of candidates.values()) {
    const generationId = generationIdOfWorkDir(path.slice(input.root.length + 1))!;
    const expired = ageMs >= input.maxAgeMs || (finished.has(generationId) && ageMs >= grace);
    if (!expired) continue;
    const size = await sizeOf(path);
    await rm(path, { recursive: true, force: true });
    removed.push(path);
    bytes += size;
    input.log.debug({ stage: 'storage', path, bytes: size, generationId }, 'removed a work directory');
  }
  return { deleted: removed.length, bytes, paths: removed };
}
