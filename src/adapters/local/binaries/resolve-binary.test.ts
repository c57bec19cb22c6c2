import { chmod, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryNotFoundError, InvalidBinaryOverrideError } from './binary-errors.js';
import type { NpmFallbacks } from './npm-fallbacks.js';
import { resolveBinary } from './resolve-binary.js';

let dir: string;
let envDir: string;
let pathDir: string;
let npmDir: string;

async function fakeProgram(path: string, banner: string, mode = 0o755): Promise<string> {
  await writeFile(path, `#!/bin/sh\necho "${banner}"\n`);
  await chmod(path, mode);
  return path;
}

const npmFakes = (): NpmFallbacks => ({
  ffmpeg: () => join(npmDir, 'ffmpeg'),
  ffprobe: () => join(npmDir, 'ffprobe'),
  espeakNgModule: () => join(npmDir, 'espeak-ng.js'),
});

const noNpm: NpmFallbacks = {
  ffmpeg: () => undefined,
  ffprobe: () => undefined,
  espeakNgModule: () => undefined,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resolve-binary-'));
  envDir = join(dir, 'env');
  pathDir = join(dir, 'bin');
  npmDir = join(dir, 'npm');
  await Promise.all([mkdir(envDir), mkdir(pathDir), mkdir(npmDir)]);
  for (const tool of ['ffmpeg', 'ffprobe', 'espeak-ng']) {
    await fakeProgram(join(envDir, tool), `${tool} from env`);
    await fakeProgram(join(pathDir, tool), `${tool} from path`);
  }
  await fakeProgram(join(npmDir, 'ffmpeg'), 'ffmpeg from npm');
  // The ffprobe package's postinstall is what sets its executable bit; simulate a skipped script.
  await fakeProgram(join(npmDir, 'ffprobe'), 'ffprobe from npm', 0o644);
  await writeFile(join(npmDir, 'espeak-ng.js'), 'export default null;\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveBinary', () => {
  it.each([
    ['ffmpeg', 'FFMPEG_PATH'],
    ['ffprobe', 'FFPROBE_PATH'],
    ['espeak-ng', 'ESPEAK_NG_PATH'],
  ] as const)('prefers the %s env override over PATH and npm', async (tool, envVar) => {
    const binary = await resolveBinary(tool, {
      env: { [envVar]: join(envDir, tool), PATH: pathDir },
      npm: npmFakes(),
    });
    expect(binary).toMatchObject({
      kind: 'executable',
      source: 'env',
      path: join(envDir, tool),
      version: `${tool} from env`,
    });
  });

  it.each(['ffmpeg', 'ffprobe', 'espeak-ng'] as const)(
    'uses %s on PATH when there is no override',
    async (tool) => {
      const binary = await resolveBinary(tool, {
        env: { PATH: `/nonexistent:${pathDir}` },
        npm: npmFakes(),
      });
      expect(binary).toMatchObject({
        kind: 'executable',
        source: 'system',
        path: join(pathDir, tool),
        version: `${tool} from path`,
      });
    },
  );

  it('falls back to the npm ffmpeg and ffprobe, restoring a missing executable bit', async () => {
    const env = { PATH: '/nonexistent' };
    await expect(resolveBinary('ffmpeg', { env, npm: npmFakes() })).resolves.toMatchObject({
      source: 'npm',
      path: join(npmDir, 'ffmpeg'),
      version: 'ffmpeg from npm',
    });
    await expect(resolveBinary('ffprobe', { env, npm: npmFakes() })).resolves.toMatchObject({
      source: 'npm',
      path: join(npmDir, 'ffprobe'),
      version: 'ffprobe from npm',
    });
  });

  it('falls back to the WebAssembly espeak-ng module', async () => {
    const binary = await resolveBinary('espeak-ng', { env: { PATH: '' }, npm: npmFakes() });
    expect(binary).toMatchObject({
      kind: 'wasm',
      source: 'npm',
      modulePath: join(npmDir, 'espeak-ng.js'),
    });
  });

  it('skips a PATH binary that does not run', async () => {
    const brokenDir = join(dir, 'broken');
    await mkdir(brokenDir, { recursive: true });
    await writeFile(join(brokenDir, 'ffmpeg'), '#!/bin/sh\nexit 3\n');
    await chmod(join(brokenDir, 'ffmpeg'), 0o755);
    const binary = await resolveBinary('ffmpeg', { env: { PATH: brokenDir }, npm: npmFakes() });
    expect(binary.source).toBe('npm');
  });

  it('rejects an override that is not an executable file instead of silently falling back', async () => {
    await expect(
      resolveBinary('ffmpeg', {
        env: { FFMPEG_PATH: join(dir, 'missing'), PATH: pathDir },
        npm: npmFakes(),
      }),
    ).rejects.toBeInstanceOf(InvalidBinaryOverrideError);
  });

  it('names every place it looked when nothing is found', async () => {
    const error = await resolveBinary('ffprobe', {
      env: { PATH: '/nonexistent' },
      npm: noNpm,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinaryNotFoundError);
    expect((error as BinaryNotFoundError).message).toMatch(
      /FFPROBE_PATH.*PATH.*@ffprobe-installer\/ffprobe/s,
    );
  });
});
