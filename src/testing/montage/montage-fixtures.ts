import { join } from 'node:path';
import type { OverlayShape } from '../../ports/compositor.js';
import type { MatteMode } from '../../ports/overlay-matte-maker.js';
import type { WordTiming } from '../../ports/speech-synthesizer.js';
import { runBinary } from '../../adapters/local/binaries/run-binary.js';
import { shapeBox } from '../../adapters/local/matte/overlay-shape-geometry.js';
import type { MediaTools } from '../media/media-fixtures.js';

/**
 * Inputs for montage tests, made with ffmpeg in a temp dir: a talking-head stand-in (a flat
 * colour that no key removes, with a tone as its speech), the overlays an OverlayMatteMaker would
 * return for each shape and mode, and a background shorter than the speech so it must loop.
 * Kept free of vitest so the build can include it.
 */

export const montageColors = { head: 'D9704A', background: '2040A0', green: '00FF00' } as const;

export interface MontageFixtures {
  readonly dir: string;
  readonly speechSec: number;
  readonly head: string;
  readonly background: string;
  readonly overlays: Record<MatteMode, Record<OverlayShape, string>>;
  readonly words: readonly WordTiming[];
}

export const headFrame = { width: 540, height: 960 } as const;

export async function makeMontageFixtures(
  tools: MediaTools,
  dir: string,
  options: { speechSec?: number } = {},
): Promise<MontageFixtures> {
  const speechSec = options.speechSec ?? 2;
  const { width: w, height: h } = headFrame;
  const head = join(dir, 'head.mp4');
  const background = join(dir, 'background.mp4');
  await Promise.all([
    ffmpeg(tools, [
      '-f',
      'lavfi',
      '-i',
      `color=c=0x${montageColors.head}:s=${w}x${h}:r=30:d=${speechSec}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=220:sample_rate=44100:duration=${speechSec}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      head,
    ]),
    // Landscape, with its own sound, and shorter than the speech.
    ffmpeg(tools, [
      '-f',
      'lavfi',
      '-i',
      `color=c=0x${montageColors.background}:s=640x360:r=25:d=1.2`,
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=1000:sample_rate=44100:duration=1.2',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      background,
    ]),
  ]);
  const overlays = { greenscreen: {}, matte: {} } as Record<
    MatteMode,
    Record<OverlayShape, string>
  >;
  for (const shape of ['circle', 'rounded_rect', 'cutout'] as const) {
    const inside = insideExpression(shape);
    for (const mode of ['greenscreen', 'matte'] as const) {
      const png = join(dir, `${shape}-${mode}.png`);
      const mp4 = join(dir, `${shape}-${mode}.mp4`);
      const c = (hex: string, i: number) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
      const channel = (i: number) =>
        mode === 'matte'
          ? `if(${inside},255,0)`
          : `if(${inside},${c(montageColors.head, i)},${c(montageColors.green, i)})`;
      await ffmpeg(tools, [
        '-f',
        'lavfi',
        '-i',
        `color=c=black:s=${w}x${h}`,
        '-vf',
        `format=rgb24,geq=r='${channel(0)}':g='${channel(1)}':b='${channel(2)}'`,
        '-frames:v',
        '1',
        png,
      ]);
      await ffmpeg(tools, [
        '-loop',
        '1',
        '-framerate',
        '30',
        '-t',
        String(speechSec),
        '-i',
        png,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'stillimage',
        '-pix_fmt',
        'yuv420p',
        mp4,
      ]);
      overlays[mode][shape] = mp4;
    }
  }
  // Four words spread over the speech, whatever its length.
  const at = (seconds: number) => Math.round(((seconds * speechSec) / 2) * 1000) / 1000;
  const words: WordTiming[] = [
    { word: 'Hello', start: at(0.1), end: at(0.5) },
    { word: 'world.', start: at(0.55), end: at(0.95) },
    { word: 'Buy', start: at(1.1), end: at(1.4) },
    { word: 'now!', start: at(1.45), end: at(1.9) },
  ];
  return { dir, speechSec, head, background, overlays, words };
}

/** Where each shape is in the overlay frame: where the matte makers draw it (`shapeBox`). */
function insideExpression(shape: OverlayShape): string {
  const { width: w, height: h } = headFrame;
  if (shape === 'cutout') {
    // A head and a body reaching the bottom edge, like a cut-out person.
    return `lte(hypot(X-${w / 2},Y-${Math.round(h * 0.34)}),${Math.round(w * 0.2)})+gt(Y,${Math.round(h * 0.5)})*lt(abs(X-${w / 2}),${Math.round(w * 0.32)})`;
  }
  const crop = shapeBox(shape, w, h);
  const cx = crop.x + crop.width / 2;
  const cy = crop.y + crop.height / 2;
  if (shape === 'circle')
    return `lte(hypot(X+0.5-${cx},Y+0.5-${cy}),${Math.min(crop.width, crop.height) / 2})`;
  const r = crop.radius;
  return `lte(hypot(max(abs(X+0.5-${cx})-${crop.width / 2 - r},0),max(abs(Y+0.5-${cy})-${crop.height / 2 - r},0)),${r})`;
}

async function ffmpeg(tools: MediaTools, args: readonly string[]): Promise<void> {
  await runBinary(tools.ffmpeg, ['-nostdin', '-v', 'error', '-y', ...args], { timeoutMs: 120_000 });
}
