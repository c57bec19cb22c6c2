import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { RenderError } from './media-errors.js';

export interface PipedFfmpegOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/**
 * Runs ffmpeg with an extra input pipe on fd 3 (`-i pipe:3`) that `feed` writes while ffmpeg
 * encodes, so a producer in this process (the mask tracker) and the encoder run side by side.
 * A failure on either side stops both and becomes a `RenderError`.
 */
export async function runFfmpegWithPipe(
  ffmpegPath: string,
  step: string,
  args: readonly string[],
  feed: (pipe: Writable, signal: AbortSignal) => Promise<void>,
  options: PipedFfmpegOptions = {},
): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = options.timeoutMs ? setTimeout(() => controller.abort(new Error('ffmpeg timed out')), options.timeoutMs) : undefined;
  const child = spawn(ffmpegPath, ['-nostdin', '-hide_banner', '-v', 'error', ...args], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    signal: controller.signal,
    killSignal: 'SIGKILL',
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const pipe = child.stdio[3] as Writable;
  // ffmpeg may close the pipe early (it failed, or `-t` was reached): not the producer's error.
  pipe.on('error', () => undefined);
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-6).join('\n')}`)),
    );
  });
  try {
    const fed = feed(pipe, controller.signal).catch((error: unknown) => {
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
