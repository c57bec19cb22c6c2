import type { MatteMode } from '../../../ports/overlay-matte-maker.js';
import { runFfmpeg } from '../ffmpeg/ffmpeg-run.js';
import type { Box } from './overlay-placement.js';

/** How far from pure green a pixel must be to count as the person (colorkey's 0..1 distance). */
export const greenKeySimilarity = 0.3;
export const greenKeyBlend = 0.1;

/**
 * The bounding box of what the overlay shows (not green, or white in the matte) in its first
 * frame; undefined when nothing is visible. Circles and rectangles never move, so one frame is
 * enough, and reading it tells us where the overlay maker put the shape instead of assuming it.
 */
export async function measureVisibleBox(
  ffmpegPath: string,
  overlayPath: string,
  mode: MatteMode,
  frame: { width: number; height: number },
  signal?: AbortSignal,
): Promise<Box | undefined> {
  const alpha =
    mode === 'greenscreen'
      ? `colorkey=0x00FF00:${greenKeySimilarity}:0,format=rgba,alphaextract`
      : 'format=gray';
  const pixels = await runFfmpeg(
    ffmpegPath,
    'measure overlay',
    [
      '-i',
      overlayPath,
      '-frames:v',
      '1',
      '-vf',
      `scale=${frame.width}:${frame.height},${alpha},format=gray`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      'pipe:1',
    ],
    { signal, timeoutMs: 60_000 },
  );
  return boundingBox(pixels, frame.width, frame.height);
}

/** The smallest box holding every pixel brighter than half; exported for tests. */
export function boundingBox(
  gray: Uint8Array,
  width: number,
  height: number,
  threshold = 128,
): Box | undefined {
  if (gray.length < width * height) return undefined;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if ((gray[row + x] ?? 0) >= threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        maxY = y;
      }
    }
  }
  if (maxX < 0) return undefined;
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}
