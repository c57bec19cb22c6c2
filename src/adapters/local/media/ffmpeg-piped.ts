import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
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
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = options.timeoutMs ? setTimeout(() => controller.abort(new Error('ffmpeg timed out')), options.timeoutMs) : undefined;
  const child = spawn(ffmpegPath, ['-nostdin', '-hide_banner', '-v', 'error', ...args], {
    stdio: ['ignore', 'ignore', 'pipe', ...Array.from({ length: pipeCount }, () => 'pipe' as const)],
    signal: controller.signal,
    killSignal: 'SIGKILL',
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const pipes = Array.from({ length: pipeCount }, (_, i) => child.stdio[3 + i] as Writable);
  // ffmpeg may close a pipe early (it failed, or `-t` was reached): not the producer's error.
  for (const pipe of pipes) pipe.on('error', () => undefined);
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-6).join('\n')}`)),
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
    throw new RenderError(step, 'ffmpeg failed', { cause: error });
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
