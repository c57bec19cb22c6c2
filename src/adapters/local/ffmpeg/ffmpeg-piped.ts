import type { Writable } from 'node:stream';
import { spawnSupervised } from '../binaries/supervised-child.js';
import { RenderError } from './media-errors.js';

export interface PipedFfmpegOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** How many input pipes to open, on fd 3, 4, …: `feed` gets them in that order. */
  readonly pipes?: number;
}

/**
 * Runs ffmpeg with extra input pipes on fd 3 and up (`-i pipe:3`) that `feed` writes while
 * ffmpeg encodes, so a producer in this process (the mask tracker) and the encoder run side by
 * side. A failure on either side stops both and becomes a `RenderError`.
 */
export async function runFfmpegWithPipe(
  ffmpegPath: string,
  step: string,
  args: readonly string[],
  feed: (pipes: readonly Writable[], signal: AbortSignal) => Promise<void>,
  options: PipedFfmpegOptions = {},
): Promise<void> {
  const pipeCount = options.pipes ?? 1;
  // Stops the encoder and the producer together: the caller's abort, the deadline or a failure of
  // either.
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const { child, exited: gone } = spawnSupervised(
    ffmpegPath,
    ['-nostdin', '-hide_banner', '-v', 'error', ...args],
    {
      stdio: [
        'ignore',
        'ignore',
        'pipe',
        ...Array.from({ length: pipeCount }, () => 'pipe' as const),
      ],
    },
    { signal: controller.signal },
  );
  let timedOut = false;
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        controller.abort(
          new Error(`ffmpeg did not finish within ${Math.round(options.timeoutMs! / 1000)} s`),
        );
      }, options.timeoutMs)
    : undefined;
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  // ffmpeg may close a pipe early (it failed, or `-t` was reached): not the producer's error, and
  // `spawnSupervised` has already given every pipe an 'error' listener.
  const pipes = Array.from({ length: pipeCount }, (_, i) => child.stdio[3 + i] as Writable);
  const exited = gone.then((exit) => {
    if (exit.code === 0 && !exit.stoppedBy) return;
    if (exit.stoppedBy === 'abort') throw controller.signal.reason ?? new Error('ffmpeg stopped');
    throw new Error(
      `ffmpeg exited with ${exit.spawnError?.message ?? exit.code ?? exit.signal}: ${stderr.trim().split('\n').slice(-6).join('\n')}`,
    );
  });
  try {
    const fed = feed(pipes, controller.signal).catch((error: unknown) => {
      controller.abort(error);
      throw error;
    });
    await Promise.all([exited, fed]);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    throw new RenderError(
      step,
      timedOut
        ? `ffmpeg did not finish within ${Math.round(options.timeoutMs! / 1000)} s`
        : 'ffmpeg failed',
      {
        cause: error,
        ...(timedOut ? { kind: 'timeout' as const } : {}),
      },
    );
  } finally {
    if (timer) clearTimeout(timer);
    // The encoder is always reaped before this returns: a failed producer must not leave it
    // running.
    controller.abort(new Error('ffmpeg run ended'));
    await gone;
    options.signal?.removeEventListener('abort', onAbort);
  }
}
