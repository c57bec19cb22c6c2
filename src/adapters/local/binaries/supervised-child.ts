import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface SupervisionOptions {
  /** Aborting stops the program (and everything it started); the reason is kept for the caller. */
  readonly signal?: AbortSignal;
  /** Stops the program after this long: media tools can hang on odd input or a stuck pipe. */
  readonly timeoutMs?: number;
  /** Between the polite SIGTERM and the SIGKILL of the whole process group (default 1 s). */
  readonly graceMs?: number;
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The program could not be started (ENOENT, EACCES, …). */
  readonly spawnError?: Error;
  /** Why this side stopped it, when it did. */
  readonly stoppedBy?: 'abort' | 'timeout';
}

export interface SupervisedChild {
  readonly child: ChildProcess;
  /** Resolves (never rejects) once the program is gone and its stdio is closed. */
  readonly exited: Promise<ChildExit>;
  /** Stops the program: SIGTERM to its process group, SIGKILL after the grace. Idempotent. */
  stop(reason: 'abort' | 'timeout'): void;
}

// Programs still running in this process, so a process that exits (even on an uncaught error)
// takes its media tools with it instead of leaving them to run to the end on their own.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
}

/**
 * Spawns a program in its own process group and owns its whole lifetime: an 'error' listener on
 * the child and on every stdio stream (an aborted child emits an AbortError, a closed pipe EPIPE;
 * unheard, either is an uncaught exception), a deadline, and a stop that reaches grandchildren too
 * (a wrapper script's `sleep`, a shell's pipeline). Node's own `signal`/`timeout` spawn options
 * kill only the direct child and raise that AbortError, which is why they are not used here.
 */
export function spawnSupervised(
  program: string,
  args: readonly string[],
  spawnOptions: SpawnOptions,
  options: SupervisionOptions = {},
): SupervisedChild {
  installExitHook();
  const graceMs = options.graceMs ?? 1000;
  // A new process group, so one kill(-pid) reaches everything the program starts.
  const child = spawn(program, args, { ...spawnOptions, detached: true });
  live.add(child);
  let stoppedBy: 'abort' | 'timeout' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let spawnError: Error | undefined;
  let settled = false;

  for (const stream of child.stdio) stream?.on('error', () => undefined);

  const stop = (reason: 'abort' | 'timeout') => {
    if (stoppedBy || settled) return;
    stoppedBy = reason;
    killGroup(child, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    killTimer.unref();
  };

  const onAbort = () => stop('abort');
  const timeout =
    options.timeoutMs !== undefined && options.timeoutMs > 0
      ? setTimeout(() => stop('timeout'), options.timeoutMs)
      : undefined;
  timeout?.unref();

  const exited = new Promise<ChildExit>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      live.delete(child);
      if (timeout) clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // The leader is gone; anything it left in its group goes with it.
      if (stoppedBy) killGroup(child, 'SIGKILL');
      resolve({
        code,
        signal,
        ...(spawnError ? { spawnError } : {}),
        ...(stoppedBy ? { stoppedBy } : {}),
      });
    };
    child.on('error', (error) => {
      spawnError ??= error;
      // A program that never started emits no 'exit'; it may still emit 'close'.
      if (child.pid === undefined) setImmediate(() => finish(null, null));
    });
    child.on('close', finish);
  });

  if (options.signal?.aborted) stop('abort');
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return { child, exited, stop };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already empty. Fall back to the leader in case it left the group.
    try {
      child.kill(signal);
    } catch {
      // gone
    }
  }
}

/** How many supervised programs this process is running right now (tests check for leaks). */
export function liveChildCount(): number {
  return live.size;
}
