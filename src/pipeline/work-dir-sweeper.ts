import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logging/logger.js';
import { generationIdOfWorkDir } from './work-files.js';

export interface WorkDirSweep {
  readonly deleted: number;
  readonly bytes: number;
  readonly paths: readonly string[];
}

export interface SweepWorkDirsOptions {
  /** Where `WorkFiles` makes its directories. */
  readonly root: string;
  readonly now: Date;
  /** Any scratch directory older than this goes, whatever became of its generation. */
  readonly maxAgeMs: number;
  /**
   * Which of these generations are finished (delivered, refunded, abandoned): their directories go
   * once `finishedGraceMs` old. Without it only age counts.
   */
  readonly finished?: (generationIds: readonly string[]) => Promise<ReadonlySet<string>>;
  /** Default 10 min: a run that has just finished may still be removing its own directory. */
  readonly finishedGraceMs?: number;
  readonly log?: Logger;
}

/**
 * Removes the scratch directories runs left behind (a crash, a kill, a disk error during cleanup),
 * judged by their modification time. Only `ugc-generation-…` directories: anything else in the root
 * is not ours. A directory younger than `maxAgeMs` whose generation is not known to be finished is
 * kept: a live run on any instance sharing this disk may still be writing it.
 */
export async function sweepWorkDirs(options: SweepWorkDirsOptions): Promise<WorkDirSweep> {
  const entries = await readdir(options.root, { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  const candidates: { path: string; generationId: string; ageMs: number }[] = [];
  for (const entry of entries) {
    const generationId = entry.isDirectory() ? generationIdOfWorkDir(entry.name) : undefined;
    if (!generationId) continue;
    const path = join(options.root, entry.name);
    const info = await stat(path).catch(() => undefined);
    if (info) candidates.push({ path, generationId, ageMs: options.now.getTime() - info.mtimeMs });
  }
  if (candidates.length === 0) return { deleted: 0, bytes: 0, paths: [] };
  const grace = options.finishedGraceMs ?? 10 * 60_000;
  const finished = options.finished
    ? await options.finished([...new Set(candidates.map((candidate) => candidate.generationId))])
    : new Set<string>();
  const paths: string[] = [];
  let bytes = 0;
  for (const { path, generationId, ageMs } of candidates) {
    if (ageMs < options.maxAgeMs && !(finished.has(generationId) && ageMs >= grace)) continue;
    const size = await sizeOf(path);
    await rm(path, { recursive: true, force: true });
    paths.push(path);
    bytes += size;
    options.log?.debug(
      { stage: 'storage', path, bytes: size, generationId },
      'removed a work directory',
    );
  }
  return { deleted: paths.length, bytes, paths };
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
