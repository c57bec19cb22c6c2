import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BinaryTimeoutError } from '../binaries/binary-errors.js';
import { runBinary } from '../binaries/run-binary.js';
import { RenderError } from './media-errors.js';

export type X264Preset = 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium';

export interface FfmpegRunOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/**
 * Runs ffmpeg quietly; a failure becomes a `RenderError` naming the step and ffmpeg's last words.
 */
export async function runFfmpeg(
  ffmpegPath: string,
  step: string,
  args: readonly string[],
  options: FfmpegRunOptions = {},
): Promise<Buffer> {
  try {
    const { stdout } = await runBinary(
      ffmpegPath,
      ['-nostdin', '-hide_banner', '-v', 'error', ...args],
      {
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? 300_000,
      },
    );
    return stdout;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const timedOut = error instanceof BinaryTimeoutError;
    throw new RenderError(
      step,
      timedOut
        ? `ffmpeg did not finish within ${Math.round(error.timeoutMs / 1000)} s`
        : 'ffmpeg failed',
      { cause: error },
    );
  }
}

/**
 * Writes through a temporary name next to the target, so a crash or an abort never leaves a
 * half-written MP4 where a later step (or a resumed generation) would take it for a result.
 */
export async function writeAtomically<T>(
  outputPath: string,
  write: (partialPath: string) => Promise<T>,
): Promise<T> {
  await mkdir(dirname(outputPath), { recursive: true });
  const partial = `${outputPath}.partial-${process.pid}-${Date.now()}`;
  try {
    const result = await write(partial);
    await rename(partial, outputPath);
    return result;
  } finally {
    await rm(partial, { force: true });
  }
}

/**
 * Escapes a value (a file path) for an option inside an ffmpeg filter graph: once for the
 * option parser (backslash, quote, colon) and once more for the graph parser (those plus [ ] , ;).
 */
export function filterValue(value: string): string {
  const option = value.replace(/[\\':]/g, '\\$&');
  return option.replace(/[\\'[\],;]/g, '\\$&');
}
