import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TempDirStorage } from '../testing/pipeline/temp-dir-storage.js';
import { sweepWorkDirs } from './work-dir-sweeper.js';
import { generationIdOfWorkDir, WorkFiles } from './work-files.js';

const minute = 60_000;
let root: string;

beforeEach(() => {
  root = join(tmpdir(), `work-dir-sweeper-${randomUUID()}`);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function dir(name: string, ageMs: number, bytes = 100): Promise<void> {
  const path = join(root, name);
  await mkdir(path, { recursive: true });
  await writeFile(join(path, 'speech.wav'), Buffer.alloc(bytes));
  const at = new Date(Date.now() - ageMs);
  await utimes(path, at, at);
}

describe('sweepWorkDirs', () => {
  it('reads the generation id out of the names WorkFiles makes', async () => {
    const storage = await TempDirStorage.create();
    try {
      const files = new WorkFiles(storage, 'gen-1', root);
      await files.path('x');
      const [name] = await readdir(root);
      expect(generationIdOfWorkDir(name!)).toBe('gen-1');
      expect(generationIdOfWorkDir('not-ours')).toBeUndefined();
      expect(generationIdOfWorkDir('ugc-generation-')).toBeUndefined();
      await files.dispose();
    } finally {
      await storage.dispose();
    }
  });

  it('by age alone: removes old scratch directories, keeps young ones and anything not ours', async () => {
    await dir('ugc-generation-crashed-a1b2c3', 30 * minute, 300);
    await dir('ugc-generation-live-d4e5f6', 1 * minute);
    await dir('not-ours', 30 * minute);
    const swept = await sweepWorkDirs({ root, now: new Date(), maxAgeMs: 10 * minute });
    expect(swept).toEqual({
      deleted: 1,
      bytes: 300,
      paths: [join(root, 'ugc-generation-crashed-a1b2c3')],
    });
    expect((await readdir(root)).sort()).toEqual(['not-ours', 'ugc-generation-live-d4e5f6']);
  });

  it('with job outcomes: a finished generation goes after the grace, an unfinished one only past the age', async () => {
    await dir('ugc-generation-done-a1b2c3', 20 * minute);
    await dir('ugc-generation-just-done-b2c3d4', 1 * minute);
    await dir('ugc-generation-running-d4e5f6', 20 * minute);
    await dir('ugc-generation-lost-g7h8i9', 30 * 60 * minute);
    const asked: string[][] = [];
    const swept = await sweepWorkDirs({
      root,
      now: new Date(),
      maxAgeMs: 24 * 60 * minute,
      finishedGraceMs: 10 * minute,
      finished: async (ids) => {
        asked.push([...ids].sort());
        return new Set(ids.filter((id) => id.includes('done')));
      },
    });
    expect(asked).toEqual([['done', 'just-done', 'lost', 'running']]);
    expect(swept.deleted).toBe(2);
    expect(swept.bytes).toBe(200);
    expect((await readdir(root)).sort()).toEqual([
      'ugc-generation-just-done-b2c3d4',
      'ugc-generation-running-d4e5f6',
    ]);
  });

  it('a root that does not exist yet is nothing to sweep', async () => {
    expect(
      await sweepWorkDirs({
        root: join(root, 'missing'),
        now: new Date(),
        maxAgeMs: 0,
        finished: () => Promise.reject(new Error('not asked')),
      }),
    ).toEqual({
      deleted: 0,
      bytes: 0,
      paths: [],
    });
  });
});
