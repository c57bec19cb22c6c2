import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedBinary, sharedExecutable } from '../../adapters/local/binaries/media-binaries.js';
import type { ResolvedBinary } from '../../adapters/local/binaries/resolved-binary.js';
import { runBinary } from '../../adapters/local/binaries/run-binary.js';
import { createLogger } from '../../logging/logger.js';

/**
 * Helpers for the media tests, which make their inputs with ffmpeg and espeak-ng rather than
 * checking in binary fixtures. Kept free of vitest so the build can include it.
 */

export const quietLogger = createLogger({ level: 'silent' });

export interface MediaTools {
  readonly ffmpeg: string;
  readonly ffprobe: string;
}

/** Resolves ffmpeg and ffprobe or fails with a message saying how to get them; never skips. */
export async function requireMediaTools(): Promise<MediaTools> {
  try {
    const [ffmpeg, ffprobe] = await Promise.all([
      sharedExecutable('ffmpeg', quietLogger),
      sharedExecutable('ffprobe', quietLogger),
    ]);
    return { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path };
  } catch (error) {
    throw new Error(
      'These tests need ffmpeg and ffprobe: install them (apt-get install ffmpeg), set FFMPEG_PATH/FFPROBE_PATH, ' +
        'or install the optional npm packages @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe.',
      { cause: error },
    );
  }
}

export async function requireEspeak(): Promise<ResolvedBinary> {
  try {
    return await sharedBinary('espeak-ng', quietLogger);
  } catch (error) {
    throw new Error(
      'These tests need espeak-ng: apt-get install espeak-ng, set ESPEAK_NG_PATH, or install the optional npm package espeak-ng.',
      {
        cause: error,
      },
    );
  }
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${prefix}-`));
}

/** A video with a moving test pattern and a tone, small and fast to encode. */
export async function makeClip(
  tools: MediaTools,
  path: string,
  options: {
    seconds: number;
    width?: number;
    height?: number;
    codecArgs?: readonly string[];
    audio?: boolean;
  },
): Promise<string> {
  const size = `${options.width ?? 320}x${options.height ?? 180}`;
  const audio = options.audio ?? true;
  await runBinary(
    tools.ffmpeg,
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=${size}:r=30:d=${options.seconds}`,
      ...(audio
        ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${options.seconds}`]
        : []),
      ...(options.codecArgs ?? [
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        ...(audio ? ['-c:a', 'aac'] : []),
      ]),
      '-shortest',
      path,
    ],
    { timeoutMs: 120_000 },
  );
  return path;
}

/** A flat-colour clip; its colour is easy to recognise in a composite. */
export async function makeColorClip(
  tools: MediaTools,
  path: string,
  options: { seconds: number; color: string; width?: number; height?: number },
): Promise<string> {
  await runBinary(
    tools.ffmpeg,
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=${options.color}:s=${options.width ?? 640}x${options.height ?? 360}:r=30:d=${options.seconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      path,
    ],
    { timeoutMs: 120_000 },
  );
  return path;
}

export const portraitColors = { backdrop: '4A90D9', skin: 'E6B496', shirt: '28A03C' } as const;

/**
 * A stand-in for a catalog portrait: a plain blue backdrop, a round "head" and a green "body"
 * reaching the bottom edge (the catalog's plain-backdrop head-and-shoulders shots).
 */
export async function makePortrait(
  tools: MediaTools,
  path: string,
  size = { width: 768, height: 768 },
): Promise<string> {
  const { width: w, height: h } = size;
  const head = `lt(hypot(X-${w / 2},Y-${h * 0.4}),${Math.round(w * 0.16)})`;
  const body = `gt(Y,${Math.round(h * 0.62)})*lt(abs(X-${w / 2}),${Math.round(w * 0.3)})`;
  const channel = (i: 0 | 1 | 2) => {
    const c = (hex: string) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return `if(${head},${c(portraitColors.skin)},if(${body},${c(portraitColors.shirt)},${c(portraitColors.backdrop)}))`;
  };
  await runBinary(
    tools.ffmpeg,
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=black:s=${w}x${h}`,
      '-vf',
      `format=rgb24,geq=r='${channel(0)}':g='${channel(1)}':b='${channel(2)}'`,
      '-frames:v',
      '1',
      path,
    ],
    { timeoutMs: 60_000 },
  );
  return path;
}

export interface ProbedStream {
  readonly codec_type: string;
  readonly codec_name: string;
  readonly width?: number;
  readonly height?: number;
  readonly pix_fmt?: string;
  readonly avg_frame_rate?: string;
  readonly duration?: string;
}

export async function ffprobeJson(
  tools: MediaTools,
  path: string,
): Promise<{ streams: ProbedStream[]; format: { duration: string; format_name: string } }> {
  const { stdout } = await runBinary(tools.ffprobe, [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    path,
  ]);
  return JSON.parse(stdout.toString('utf8')) as {
    streams: ProbedStream[];
    format: { duration: string; format_name: string };
  };
}

/** The RGB colour of one pixel of the frame shown at `timeSec`. */
export async function pixelAt(
  tools: MediaTools,
  path: string,
  timeSec: number,
  x: number,
  y: number,
): Promise<[number, number, number]> {
  const { stdout } = await runBinary(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-ss',
    String(timeSec),
    '-i',
    path,
    '-frames:v',
    '1',
    '-vf',
    `crop=3:3:${x - 1}:${y - 1},scale=1:1:flags=area`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]);
  return [stdout[0] ?? 0, stdout[1] ?? 0, stdout[2] ?? 0];
}

export function colorDistance(a: readonly number[], hex: string): number {
  const b = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return Math.hypot(
    (a[0] ?? 0) - (b[0] ?? 0),
    (a[1] ?? 0) - (b[1] ?? 0),
    (a[2] ?? 0) - (b[2] ?? 0),
  );
}

/** Top-level MP4 box names in file order; `+faststart` puts moov before mdat. */
export function topLevelBoxes(mp4: Uint8Array): string[] {
  const view = new DataView(mp4.buffer, mp4.byteOffset, mp4.byteLength);
  const names: string[] = [];
  let offset = 0;
  while (offset + 8 <= mp4.length) {
    let size = view.getUint32(offset);
    names.push(String.fromCharCode(...mp4.subarray(offset + 4, offset + 8)));
    if (size === 1) size = Number(view.getBigUint64(offset + 8));
    if (size < 8) break;
    offset += size;
  }
  return names;
}

/** A small grayscale thumbnail of the frame at `timeSec`, for comparing frames. */
export async function thumbnailAt(
  tools: MediaTools,
  path: string,
  timeSec: number,
): Promise<Uint8Array> {
  const { stdout } = await runBinary(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-ss',
    String(timeSec),
    '-i',
    path,
    '-frames:v',
    '1',
    '-vf',
    'scale=54:96:flags=area',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    'pipe:1',
  ]);
  return stdout;
}

export function meanAbsDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / Math.max(1, a.length);
}

/** An RGB strip of the frame at `timeSec` (for finding burned-in captions). */
export async function bandAt(
  tools: MediaTools,
  path: string,
  timeSec: number,
  y: number,
  height: number,
): Promise<Uint8Array> {
  const { stdout } = await runBinary(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-ss',
    String(timeSec),
    '-i',
    path,
    '-frames:v',
    '1',
    '-vf',
    `crop=iw:${height}:0:${y}`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]);
  return stdout;
}

/**
 * A talking-head stand-in made straight with ffmpeg (no renderer): the test portrait at
 * 1080×1920 with a tone as its "speech". The video may be longer than the audio on purpose.
 */
export async function makeHeadClip(
  tools: MediaTools,
  dir: string,
  options: { videoSec: number; audioSec: number; name?: string },
): Promise<string> {
  const portrait = await makePortrait(tools, join(dir, `${options.name ?? 'head'}-portrait.png`), {
    width: 540,
    height: 960,
  });
  const path = join(dir, `${options.name ?? 'head'}.mp4`);
  await runBinary(
    tools.ffmpeg,
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-loop',
      '1',
      '-framerate',
      '30',
      '-t',
      String(options.videoSec),
      '-i',
      portrait,
      '-f',
      'lavfi',
      '-t',
      String(options.audioSec),
      '-i',
      'sine=frequency=220:sample_rate=44100',
      '-vf',
      'scale=1080:1920,format=yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'stillimage',
      '-c:a',
      'aac',
      path,
    ],
    { timeoutMs: 120_000 },
  );
  return path;
}
