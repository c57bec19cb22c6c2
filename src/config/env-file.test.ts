import { mkdtemp, rm, writeFile, mkdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEnvFile, EnvFileError } from './env-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'env-file-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

function failure(run: () => unknown): EnvFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvFileError) return error;
    throw error;
  }
  throw new Error('expected an EnvFileError');
}

describe('applyEnvFile', () => {
  it('reads ./.env into the environment, with the same parsing as Node', async () => {
    await writeFile(
      join(dir, '.env'),
      [
        '# comment',
        '',
        'HTTP_PORT=9090',
        'export LOG_LEVEL=debug',
        'GREETING="multi',
        'line"',
        "QUOTED='a # b'",
        'TRAILING=x # note',
        'EMPTY=',
      ].join('\n'),
    );
    const env: Record<string, string | undefined> = {};
    const result = applyEnvFile(env, dir);
    expect(env).toEqual({
      HTTP_PORT: '9090',
      LOG_LEVEL: 'debug',
      GREETING: 'multi\nline',
      QUOTED: 'a # b',
      TRAILING: 'x',
      EMPTY: '',
    });
    expect(result.file).toBe(join(dir, '.env'));
    expect(result.origins.get('QUOTED')).toBe(`${join(dir, '.env')} line 7`);
  });

  it('lets a variable set in the environment win, even an empty one', async () => {
    await writeFile(join(dir, '.env'), 'HTTP_PORT=9090\nLOG_LEVEL=debug\nDATA_DIR=/from/file\n');
    const env: Record<string, string | undefined> = { HTTP_PORT: '7070', LOG_LEVEL: '' };
    const result = applyEnvFile(env, dir);
    expect(env).toEqual({ HTTP_PORT: '7070', LOG_LEVEL: '', DATA_DIR: '/from/file' });
    expect([...result.shadowed].sort()).toEqual(['HTTP_PORT', 'LOG_LEVEL']);
    expect(result.applied).toEqual(['DATA_DIR']);
  });

  it('has the precedence of process.loadEnvFile', async () => {
    const file = join(dir, 'node.env');
    await writeFile(file, 'UGC_ENV_FILE_PROBE=file\nUGC_ENV_FILE_PROBE_2=file\n');
    process.env.UGC_ENV_FILE_PROBE = 'environment';
    try {
      process.loadEnvFile(file);
      const ours: Record<string, string | undefined> = {
        UGC_ENV_FILE_PROBE: 'environment',
        ENV_FILE: file,
      };
      applyEnvFile(ours, dir);
      expect(ours.UGC_ENV_FILE_PROBE).toBe(process.env.UGC_ENV_FILE_PROBE);
      expect(ours.UGC_ENV_FILE_PROBE_2).toBe(process.env.UGC_ENV_FILE_PROBE_2);
    } finally {
      delete process.env.UGC_ENV_FILE_PROBE;
      delete process.env.UGC_ENV_FILE_PROBE_2;
    }
  });

  it('is silent when there is no .env and it was not named', () => {
    const env: Record<string, string | undefined> = {};
    const result = applyEnvFile(env, dir);
    expect(result.file).toBeUndefined();
    expect(result.applied).toEqual([]);
    expect(env).toEqual({});
  });

  it('reads the file ENV_FILE names, and reports it clearly when it is missing', async () => {
    await mkdir(join(dir, 'conf'));
    await writeFile(join(dir, 'conf', 'prod.env'), 'HTTP_PORT=1234\n');
    const env: Record<string, string | undefined> = { ENV_FILE: 'conf/prod.env' };
    applyEnvFile(env, dir);
    expect(env.HTTP_PORT).toBe('1234');

    const error = failure(() => applyEnvFile({ ENV_FILE: 'conf/missing.env' }, dir));
    expect(error.message).toContain(join(dir, 'conf', 'missing.env'));
    expect(error.message).toContain(
      'ENV_FILE=conf/missing.env names this file, but it does not exist',
    );
  });

  it('reports every malformed line by number, without echoing the line', async () => {
    await writeFile(
      join(dir, '.env'),
      [
        'HTTP_PORT=9090',
        'sk-live-pasted-secret-0123456789',
        'TELEGRAM_BOT_TOKEN 123:abc',
        '1BAD=x',
        'OK=1',
        'NOTE="never closed',
        'LAST=1',
      ].join('\n'),
    );
    const env: Record<string, string | undefined> = {};
    const error = failure(() => applyEnvFile(env, dir));
    expect(error.problems).toEqual([
      'line 2: expected NAME=value',
      'line 3: expected NAME=value (TELEGRAM_BOT_TOKEN has no "=")',
      'line 4: expected NAME=value',
      'line 6: the value of NOTE opens a " quote that is never closed',
    ]);
    expect(error.message).not.toContain('sk-live-pasted-secret');
    expect(error.message).not.toContain('123:abc');
    // Nothing is half-applied from a file that is wrong.
    expect(env).toEqual({});
  });

  it('reports a directory or an unreadable file instead of throwing a raw error', async () => {
    await mkdir(join(dir, '.env'));
    expect(failure(() => applyEnvFile({}, dir)).problems).toEqual(['it is not a regular file']);
    await rm(join(dir, '.env'), { recursive: true });
    await writeFile(join(dir, '.env'), 'A=1\n');
    await chmod(join(dir, '.env'), 0o000);
    if (process.getuid?.() !== 0)
      expect(failure(() => applyEnvFile({}, dir)).problems).toEqual([
        'it cannot be read (permission denied)',
      ]);
  });
});
