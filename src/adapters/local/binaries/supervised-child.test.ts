import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryRunError, BinaryTimeoutError } from './binary-errors.js';
import { runBinary } from './run-binary.js';
import { liveChildCount, spawnSupervised } from './supervised-child.js';

let dir: string;
let hang: string;

// A program that starts a grandchild (not exec'd: a second process in the group), records both
// pids and then waits forever, ignoring SIGTERM: the worst case a stop has to clean up.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'supervised-child-'));
  hang = join(dir, 'hang.sh');
  await writeFile(hang, `#!/bin/sh\ntrap '' TERM\nsleep 1000 &\necho "$$ $!" > "$1"\nwait\n`);
  await chmod(hang, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pidsOf(file: string): Promise<number[]> {
  for (let i = 0; i < 200; i += 1) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.trim().split(' ').length === 2) return text.trim().split(' ').map(Number);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the script never wrote its pids');
}

async function gone(pids: number[]): Promise<boolean> {
  for (let i = 0; i < 200; i += 1) {
    if (pids.every((pid) => !alive(pid))) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

describe('supervised child processes', () => {
  it('an abort kills the program and its grandchildren (SIGKILL after the grace), with no uncaught AbortError', async () => {
    const uncaught: unknown[] = [];
    const onError = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      const pidFile = join(dir, 'abort.pids');
      const controller = new AbortController();
      const run = runBinary(hang, [pidFile], { signal: controller.signal });
      const pids = await pidsOf(pidFile);
      controller.abort(new Error('stopping'));
      const error = await run.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BinaryRunError);
      expect((error as Error).cause).toEqual(new Error('stopping'));
      expect(await gone(pids)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
  });

  it('a deadline kills the whole group and says it timed out (retryable)', async () => {
    const pidFile = join(dir, 'timeout.pids');
    const run = runBinary(hang, [pidFile], { timeoutMs: 300 });
    const pids = await pidsOf(pidFile);
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinaryTimeoutError);
    expect(error).toMatchObject({
      code: 'PROVIDER_TIMEOUT',
      kind: 'timeout',
      retryable: true,
      timeoutMs: 300,
    });
    expect(await gone(pids)).toBe(true);
  });

  it('a program that cannot start settles once, with the spawn error', async () => {
    const { exited } = spawnSupervised(join(dir, 'missing'), [], { stdio: 'ignore' });
    const exit = await exited;
    expect(exit.spawnError).toMatchObject({ code: 'ENOENT' });
    expect(liveChildCount()).toBe(0);
  });

  it('an already aborted signal never leaves the program running', async () => {
    const pidFile = join(dir, 'pre-aborted.pids');
    const { exited } = spawnSupervised(
      hang,
      [pidFile],
      { stdio: 'ignore' },
      { signal: AbortSignal.abort(), graceMs: 100 },
    );
    const exit = await exited;
    expect(exit.stoppedBy).toBe('abort');
    expect(liveChildCount()).toBe(0);
  });
});
