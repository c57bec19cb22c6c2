import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearSecretValues, createLogger } from '../logging/logger.js';
import { ConfigError } from './config.js';
import { prepareConfig } from './startup-config.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'startup-config-'));
});
afterEach(async () => {
  clearSecretValues();
  await rm(dir, { recursive: true, force: true });
});

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('prepareConfig', () => {
  it('validates values from .env, says where a bad one was written, and lets the environment win', async () => {
    await writeFile(
      join(dir, '.env'),
      'HTTP_PORT=9090\nEVENTSTORE_URL=https://localhost:2113?tls=false\nLOG_LEVEL=loud\n',
    );
    const problems = problemsOf(() => prepareConfig({ env: { LOG_LEVEL: 'warn' }, cwd: dir }));
    expect(problems).toContain(`EVENTSTORE_URL: expected kurrentdb://`);
    expect(problems).toContain(`set in ${join(dir, '.env')} line 2`);
    expect(problems).not.toContain('LOG_LEVEL');

    const config = prepareConfig({
      env: { LOG_LEVEL: 'warn', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' },
      cwd: dir,
    });
    expect(config.HTTP_PORT).toBe(9090);
    expect(config.LOG_LEVEL).toBe('warn');
    expect(config.eventStore).toEqual({
      kind: 'eventstoredb',
      url: 'esdb://localhost:2113?tls=false',
    });
  });

  it('registers every configured secret with the log scrubber, whatever its shape', async () => {
    // Shapeless values: no pattern could catch them, only the registered exact values do.
    const secrets = {
      ELEVEN_API_KEY: 'eleven-4f9a1c7e2b',
      FALAI_API_TOKEN: 'falkey:7d1e90aa-2c44',
      SHOTSTACK_API_KEY: 'ShotStackKey9Q2W',
      R2_SECRET_ACCESS_KEY: 'r2+secret/access=key',
      MODAL_OVERLAY_TOKEN: 'modal-overlay-77',
      WEBHOOK_SECRET_TOKEN: 'hook_secret_5512',
      LINK_SIGNING_SECRET: 'link-signing-0099',
      ANALYST_API_TOKENS: 'analyst-one-111,analyst-two-222',
      ADMIN_API_TOKENS: 'admin-only-333',
    };
    const eventStorePassword = 'esdbpass123';
    await writeFile(
      join(dir, '.env'),
      Object.entries(secrets)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    );
    prepareConfig({
      env: { EVENTSTORE_URL: `esdb://admin:${eventStorePassword}@localhost:2113?tls=false` },
      cwd: dir,
    });

    const values = [
      ...Object.values(secrets).flatMap((value) => value.split(',')),
      eventStorePassword,
    ];
    const lines: string[] = [];
    const log = createLogger(
      { level: 'info' },
      new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }),
    );
    const cause = new Error(`inner ${values.join(' ')}`);
    const error = new Error(`outer ${values.join(' | ')}`, { cause });
    error.stack = `${error.stack}\n    at provider (${values.join('/')})`;
    log.error({ err: error, stage: 'montage' }, `failed with ${values.join(', ')}`);

    const output = lines.join('');
    expect(output).toContain('"stage":"montage"');
    for (const value of values) expect(output).not.toContain(value);
  });
});

/**
 * Runs an entry point as `npm run` does, from the repository; the `.env` it reads is in the test's
 * own folder (named by ENV_FILE), so the repository's own `.env`, if any, is neither read nor
 * touched.
 */
function runEntry(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((done) => {
    const cleanEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !/^(ENV_FILE|EVENTSTORE_URL|DATABASE_URL|HTTP_PORT|LOG_LEVEL)$/.test(name),
      ),
    );
    execFile(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, script), ...args],
      { cwd: root, env: { ...cleanEnv, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('every entry point reads the env file first', () => {
  it.each([
    ['npm start', 'src/main.ts', []],
    ['projections:rebuild', 'src/projections/rebuild-cli.ts', []],
    ['catalog:build', 'scripts/catalog/build-catalog.ts', []],
    ['catalog:import', 'src/catalog/import/import-catalog-cli.ts', ['folder']],
    ['demo', 'src/dev/demo/run-demo.ts', []],
  ] as const)(
    '%s stops on a malformed .env with a plain message',
    async (_name, script, args) => {
      await writeFile(join(dir, '.env'), 'HTTP_PORT=9090\nthis line is wrong\n');
      const result = await runEntry(script, [...args], { ENV_FILE: join(dir, '.env') });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`Cannot use the environment file ${join(dir, '.env')}`);
      expect(result.stderr).toContain('line 2: expected NAME=value');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
    60_000,
  );

  it('npm start names a bad value from .env; the environment overrides another', async () => {
    await writeFile(join(dir, 'prod.env'), 'EVENTSTORE_URL=https://db:2113\nHTTP_PORT=eighty\n');
    const result = await runEntry('src/main.ts', [], {
      ENV_FILE: join(dir, 'prod.env'),
      HTTP_PORT: '8080',
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('EVENTSTORE_URL: expected kurrentdb://');
    expect(result.stderr).toContain(`${join(dir, 'prod.env')} line 1`);
    expect(result.stderr).not.toContain('HTTP_PORT');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('npm start reports a named but missing ENV_FILE', async () => {
    const missing = join(dir, 'nowhere.env');
    const result = await runEntry('src/main.ts', [], { ENV_FILE: missing });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`ENV_FILE=${missing} names this file, but it does not exist`);
  }, 60_000);
});
