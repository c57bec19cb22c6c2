import { rawFrames } from '../../src/adapters/local/segmentation/raw-frames.js';

/**
 * The given frames of a video, area-scaled to the comparison size: RGB24 for a clip's pictures,
 * gray8 for its truth render (person white on black), where each pixel is the person's coverage.
 */
export async function decodeFrames(options: {
  readonly ffmpeg: string;
  readonly path: string;
  readonly frames: readonly number[];
  readonly width: number;
  readonly height: number;
  readonly pixFmt: 'rgb24' | 'gray';
}): Promise<Map<number, Uint8Array>> {
  const select = `select='${options.frames.map((n) => `eq(n\\,${n})`).join('+')}'`;
  const source = rawFrames({
    ffmpegPath: options.ffmpeg,
    videoPath: options.path,
    width: options.width,
    height: options.height,
    pixFmt: options.pixFmt,
    preFilter: select,
    threads: 1,
  });
  const decoded = new Map<number, Uint8Array>();
  let i = 0;
  for await (const frame of source.frames()) decoded.set(options.frames[i++]!, frame);
  await source.done;
  if (decoded.size !== options.frames.length)
    throw new Error(`${options.path}: ${decoded.size} frames decoded of ${options.frames.length}`);
  return decoded;
}
