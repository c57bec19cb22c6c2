import { spawn } from 'node:child_process';
import { BinaryRunError } from './binary-errors.js';

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

/** Runs a program without a shell (arguments are never re-parsed), collecting its output. */
export function runBinary(program: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const okExitCodes = options.okExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new BinaryRunError(program, args, null, null, '', { cause: options.signal.reason }));
      return;
    }
    const child = spawn(program, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > stderrLimit * 2) stderr = stderr.slice(-stderrLimit);
    });
    let spawnError: unknown;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      const tail = stderr.slice(-stderrLimit).trim();
      if (code !== null && okExitCodes.includes(code) && spawnError === undefined) {
        resolve({ stdout: Buffer.concat(stdout), stderr: tail, exitCode: code });
        return;
      }
      reject(new BinaryRunError(program, args, code, signal, lastLines(tail, 6), { cause: spawnError }));
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.split('\n').slice(-count).join('\n');
}
