import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  IsnetModel,
  isnetSize,
  resizePlane,
  type IsnetVariant,
} from '../../src/adapters/local/segmentation/isnet-model.js';
import { rawFrames } from '../../src/adapters/local/segmentation/raw-frames.js';

export interface BaselineFrame {
  readonly frame: number;
  /** Coverage 0..1 at the comparison size. */
  readonly mask: Float32Array;
  /** Model time for this frame (decode excluded); from the cache when it was computed earlier. */
  readonly inferenceMs: number;
  readonly cached: boolean;
}

/**
 * ISNet on the given frames of a clip, the way the per-frame baseline would run it: every frame
 * squashed to 1024², inference, mask resized to `width`×`height`. Masks and their timings are
 * cached under `cacheDir` (ISNet costs seconds per frame); `fresh` recomputes them.
 */
export async function isnetBaseline(options: {
  readonly ffmpeg: string;
  readonly clipPath: string;
  readonly clipName: string;
  readonly frames: readonly number[];
  readonly width: number;
  readonly height: number;
  readonly cacheDir: string;
  readonly variant: IsnetVariant;
  readonly fresh: boolean;
  readonly model: () => Promise<IsnetModel>;
}): Promise<BaselineFrame[]> {
  const { width, height } = options;
  await mkdir(options.cacheDir, { recursive: true });
  const cachePath = (frame: number) =>
    join(options.cacheDir, `${options.clipName}-${options.variant}-${width}x${height}-${frame}`);
  const results = new Map<number, BaselineFrame>();
  const missing: number[] = [];
  for (const frame of options.frames) {
    const hit = options.fresh ? undefined : await readCached(cachePath(frame), width * height);
    if (hit)
      results.set(frame, { frame, mask: hit.mask, inferenceMs: hit.inferenceMs, cached: true });
    else missing.push(frame);
  }
  if (missing.length > 0) {
    const model = await options.model();
    const select = `select='${missing.map((n) => `eq(n\\,${n})`).join('+')}'`;
    const source = rawFrames({
      ffmpegPath: options.ffmpeg,
      videoPath: options.clipPath,
      width: isnetSize,
      height: isnetSize,
      pixFmt: 'rgb24',
      preFilter: select,
      threads: 1,
    });
    let i = 0;
    for await (const square of source.frames()) {
      const frame = missing[i++]!;
      const startedAt = performance.now();
      const raw = await model.segment(square);
      const inferenceMs = performance.now() - startedAt;
      const mask = resizePlane(raw, isnetSize, isnetSize, width, height);
      const path = cachePath(frame);
      await writeFile(
        `${path}.f32.partial`,
        Buffer.from(mask.buffer, mask.byteOffset, mask.byteLength),
      );
      await rename(`${path}.f32.partial`, `${path}.f32`);
      await writeFile(`${path}.json`, JSON.stringify({ inferenceMs }));
      results.set(frame, { frame, mask, inferenceMs, cached: false });
      console.log(
        `  ISNet ${options.clipName} frame ${frame}: ${(inferenceMs / 1000).toFixed(2)} s`,
      );
    }
    await source.done;
  }
  return options.frames.map((frame) => {
    const result = results.get(frame);
    if (!result) throw new Error(`ISNet produced no mask for ${options.clipName} frame ${frame}`);
    return result;
  });
}

async function readCached(
  path: string,
  pixels: number,
): Promise<{ mask: Float32Array; inferenceMs: number } | undefined> {
  const [bytes, meta] = await Promise.all([
    readFile(`${path}.f32`).catch(() => undefined),
    readFile(`${path}.json`, 'utf8').catch(() => undefined),
  ]);
  if (!bytes || !meta || bytes.length !== pixels * 4) return undefined;
  const inferenceMs = Number((JSON.parse(meta) as { inferenceMs?: unknown }).inferenceMs);
  if (!Number.isFinite(inferenceMs)) return undefined;
  return { mask: new Float32Array(bytes.buffer, bytes.byteOffset, pixels).slice(), inferenceMs };
}
