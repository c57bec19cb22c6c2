import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { estimateBackdrop } from '../../src/adapters/local/segmentation/color-key-segmenter.js';
import {
  isnetSize,
  resizePlane,
  type IsnetModel,
} from '../../src/adapters/local/segmentation/isnet-model.js';
import { maskIou } from '../../src/adapters/local/segmentation/mask-iou.js';
import { completeOnPlainBackdrop } from '../../src/adapters/local/segmentation/plain-backdrop-reference.js';
import { portraitSvg } from '../../src/catalog/portraits/portrait-svg.js';
import { starterCharacters } from '../../src/catalog/starter/starter-characters.js';
import { personOnlySvg } from '../../scripts/render-clips/clip-layers.js';

export interface CastReference {
  readonly characterId: string;
  /** ISNet alone against the drawing's own alpha. */
  readonly isnetIou: number;
  /** The reference the cut-out tracks (ISNet completed by the colour key) against the same. */
  readonly referenceIou: number;
}

async function rasterise(
  svg: string,
  width: number,
  height: number,
  channels: 3 | 4,
): Promise<Uint8Array> {
  const image = sharp(Buffer.from(svg), { density: 72 }).resize(width, height, { fit: 'fill' });
  return new Uint8Array(
    await (channels === 4 ? image.ensureAlpha() : image.removeAlpha()).raw().toBuffer(),
  );
}

/**
 * The reference mask of every starter character's portrait, the way the cut-out makes it, scored
 * against the truth the drawing itself gives (its person layer's alpha). ISNet's masks are cached.
 */
export async function castReferences(options: {
  readonly width: number;
  readonly height: number;
  readonly cacheDir: string;
  readonly fresh: boolean;
  readonly model: () => Promise<IsnetModel>;
}): Promise<CastReference[]> {
  const { width, height } = options;
  await mkdir(options.cacheDir, { recursive: true });
  const rows: CastReference[] = [];
  for (const character of starterCharacters) {
    const full = portraitSvg(character.portrait);
    const rgb = await rasterise(full, width, height, 3);
    const alpha = await rasterise(personOnlySvg(character.portrait), width, height, 4);
    const truth = new Uint8Array(width * height);
    for (let i = 0; i < truth.length; i++) truth[i] = alpha[4 * i + 3]!;
    const cachePath = join(options.cacheDir, `cast-${character.id}-${width}x${height}.f32`);
    const cached = options.fresh ? undefined : await readFile(cachePath).catch(() => undefined);
    let isnet: Float32Array;
    if (cached && cached.length === width * height * 4) {
      isnet = new Float32Array(cached.buffer, cached.byteOffset, width * height).slice();
    } else {
      const square = await rasterise(full, isnetSize, isnetSize, 3);
      isnet = resizePlane(
        await (await options.model()).segment(square),
        isnetSize,
        isnetSize,
        width,
        height,
      );
      await writeFile(
        `${cachePath}.partial`,
        Buffer.from(isnet.buffer, isnet.byteOffset, isnet.byteLength),
      );
      await rename(`${cachePath}.partial`, cachePath);
    }
    const reference = completeOnPlainBackdrop(
      isnet,
      rgb,
      width,
      height,
      estimateBackdrop(rgb, width, height),
    );
    rows.push({
      characterId: character.id,
      isnetIou: maskIou(truth, isnet),
      referenceIou: maskIou(truth, reference),
    });
  }
  return rows;
}
