import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Bump when a generator's output changes for the same inputs (a new drawing style, other encoder
 * settings): every recipe includes it, so the next build redoes everything once.
 */
export const generatorVersion = 2;

const entrySchema = z.object({
  recipe: z.string(),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  info: z.record(z.string(), z.unknown()).optional(),
});

const stateSchema = z.object({ version: z.literal(1), outputs: z.record(z.string(), entrySchema) });

type Entry = z.infer<typeof entrySchema>;

export const buildStateFileName = '.build-state.json';

/** A stable hash of whatever an output is made from. */
export function recipeHash(inputs: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify({ generatorVersion, inputs }))
    .digest('hex')
    .slice(0, 32);
}

/**
 * What each generated file was made from. A file is fresh when its recipe is unchanged and it
 * still has the size and modification time recorded when it was made, so neither a changed
 * generator nor a file replaced or truncated by hand goes unnoticed, and checking costs one `stat`.
 */
export class BuildState {
  private constructor(
    private readonly dir: string,
    private readonly outputs: Record<string, Entry>,
  ) {}

  static async load(dir: string): Promise<BuildState> {
    try {
      const parsed = stateSchema.safeParse(
        JSON.parse(await readFile(join(dir, buildStateFileName), 'utf8')),
      );
      if (parsed.success) return new BuildState(dir, { ...parsed.data.outputs });
    } catch {
      // Missing or unreadable: everything counts as stale and is rebuilt, which is always safe.
    }
    return new BuildState(dir, {});
  }

  /** The recorded `info` when `file` is fresh for `recipe`, otherwise undefined. */
  async fresh(file: string, recipe: string): Promise<Record<string, unknown> | undefined> {
    const entry = this.outputs[file];
    if (!entry || entry.recipe !== recipe) return undefined;
    try {
      const info = await stat(join(this.dir, file));
      if (info.size !== entry.size || info.mtimeMs !== entry.mtimeMs) return undefined;
    } catch {
      return undefined;
    }
    return entry.info ?? {};
  }

  async record(file: string, recipe: string, info?: Record<string, unknown>): Promise<void> {
    const { size, mtimeMs } = await stat(join(this.dir, file));
    this.outputs[file] = { recipe, size, mtimeMs, ...(info ? { info } : {}) };
  }

  async save(): Promise<void> {
    const path = join(this.dir, buildStateFileName);
    const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify({ version: 1, outputs: this.outputs }, null, 1));
      await rename(temporary, path);
    } finally {
      await rm(temporary, { force: true });
    }
  }
}
