import { rawFrames } from '../../src/adapters/local/segmentation/raw-frames.js';

/**
 * The true masks of the given frames, read from a clip's truth render (person white on black)
 * and area-scaled to the comparison size, so each pixel holds the person's coverage as gray8.
 */
export async function truthMasks(options: {
  readonly ffmpeg: string;
  readonly truthPath: string;
  readonly frames: readonly number[];
  readonly width: number;
  readonly height: number;
}): Promise<Map<number, Uint8Array>> {
  const select = `select='${options.frames.map((n) => `eq(n\\,${n})`).join('+')}'`;
  const source = rawFrames({ ffmpegPath: options.ffmpeg, videoPath: options.truthPath, width: options.width, height: options.height, pixFmt: 'gray', preFilter: select, threads: 1 });
  const masks = new Map<number, Uint8Array>();
  let i = 0;
  for await (const frame of source.frames()) masks.set(options.frames[i++]!, frame);
  await source.done;
  if (masks.size !== options.frames.length) throw new Error(`${options.truthPath}: ${masks.size} true masks for ${options.frames.length} frames`);
  return masks;
}
