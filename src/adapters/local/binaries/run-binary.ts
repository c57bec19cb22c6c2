import { BinaryRunError, BinaryTimeoutError } from './binary-errors.js';
import { spawnSupervised } from './supervised-child.js';

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Kills the program after this long; media tools can hang on odd input. */
  readonly timeoutMs?: number;
  /** Exit codes that are not failures (espeak-ng and ffmpeg use 0 only). */
  readonly okExitCodes?: readonly number[];
}

export interface RunResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly exitCode: number;
}

// ffmpeg can print megabytes of progress to stderr; only the end says why it failed.
const stderrLimit = 16_384;

/**
 * Runs a program without a shell (arguments are never re-parsed), collecting its output. An abort
 * or the deadline stops the program and its process group (see `spawnSupervised`); the promise
 * settles only once the program is gone, so no caller moves on with a child still running.
 */
export async function runBinary(
  program: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const okExitCodes = options.okExitCodes ?? [0];
  if (options.signal?.aborted)
    throw new BinaryRunError(program, args, null, null, '', {
      cause: options.signal.reason,
      kind: 'cancelled',
    });
  const { child, exited } = spawnSupervised(
    program,
    args,
    { stdio: ['ignore', 'pipe', 'pipe'] },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    },
  );
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
    if (stderr.length > stderrLimit * 2) stderr = stderr.slice(-stderrLimit);
  });
  const exit = await exited;
  const tail = stderr.slice(-stderrLimit).trim();
  if (exit.stoppedBy === 'timeout')
    throw new BinaryTimeoutError(program, args, options.timeoutMs ?? 0, lastLines(tail, 6));
  if (exit.stoppedBy === 'abort')
    throw new BinaryRunError(program, args, exit.code, exit.signal, lastLines(tail, 6), {
      cause: options.signal?.reason,
      kind: 'cancelled',
    });
  if (exit.code !== null && okExitCodes.includes(exit.code) && exit.spawnError === undefined) {
    return { stdout: Buffer.concat(stdout), stderr: tail, exitCode: exit.code };
  }
  throw new BinaryRunError(program, args, exit.code, exit.signal, lastLines(tail, 6), {
    cause: exit.spawnError,
  });
}

function lastLines(text: string, count: number): string {
  return text.split('\n').slice(-count).join('\n');
}
