import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { RenderError } from '../media/media-errors.js';

/**
 * Runs ffmpeg while `feed` writes one of its inputs (`-i pipe:0`) from this process: the masks a
 * streaming segmenter makes as it goes, encoded as they come, nothing on disk. A failure on
 * either side stops both; the caller's abort kills ffmpeg.
 */
export async function runFfmpegFed(
  ffmpegPath: string,
  step: string,
  args: readonly string[],
  feed: (stdin: Writable, signal: AbortSignal) => Promise<void>,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new Error('ffmpeg timed out')), options.timeoutMs ?? 300_000);
  // No -nostdin: stdin is an input here, and ffmpeg turns its key handling off for pipe inputs.
  const child = spawn(ffmpegPath, ['-hide_banner', '-v', 'error', ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
    signal: controller.signal,
    killSignal: 'SIGKILL',
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  // ffmpeg closes its input early when it fails: the feed's EPIPE is not the error to report.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-6).join('\n')}`))));
  });
  try {
    const fed = feed(child.stdin, controller.signal).catch((error: unknown) => {
      controller.abort(error);
      throw error;
    });
    await Promise.all([exited, fed]);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    throw new RenderError(step, 'ffmpeg failed', { cause: error });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
