import { ProviderError } from '../../../ports/provider-error.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PhotoFace, Point } from '../../../catalog/photo-face.js';

/**
 * The packages are optional: without them no face is looked for, and the portrait stays
 * still-mouthed.
 */
export class FaceLandmarksUnavailable extends ProviderError {
  override readonly name: string = 'FaceLandmarksUnavailable';
  constructor(message: string, options?: ErrorOptions) {
    super(message, {
      provider: 'face-landmarks',
      kind: 'unavailable',
      code: 'FACE_LANDMARKS_UNAVAILABLE',
      namedInMessage: true,
      ...options,
    });
  }
}

/** The subset of face-api and tfjs this file uses. */
interface Tensor3D {
  dispose(): void;
}
interface Tfjs {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): Tensor3D;
}
interface WasmBackend {
  setWasmPaths(prefix: string, usePlatformFetch?: boolean): void;
}
interface LandmarkPoint {
  readonly x: number;
  readonly y: number;
}
interface Detection {
  readonly detection: {
    readonly score: number;
    readonly box: {
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
    };
  };
  readonly landmarks: { readonly positions: readonly LandmarkPoint[] };
}
interface FaceApi {
  readonly nets: {
    readonly ssdMobilenetv1: { loadFromDisk(dir: string): Promise<void> };
    readonly tinyFaceDetector: { loadFromDisk(dir: string): Promise<void> };
    readonly faceLandmark68Net: { loadFromDisk(dir: string): Promise<void> };
  };
  SsdMobilenetv1Options: new (options: { minConfidence: number; maxResults: number }) => unknown;
  TinyFaceDetectorOptions: new (options: { inputSize: number; scoreThreshold: number }) => unknown;
  detectAllFaces(input: Tensor3D, options: unknown): { withFaceLandmarks(): Promise<Detection[]> };
}

const detectors = {
  ssd: 'face-api 1.7 SSD MobileNet v1 + 68-point landmarks (tfjs wasm)',
  tiny: 'face-api 1.7 Tiny Face Detector + 68-point landmarks (tfjs wasm)',
} as const;

/** Photos: SSD faces it is less sure of than this are not given a moving mouth. */
const minPhotoScore = 0.5;
/**
 * Drawn faces (illustrated characters) score low with SSD (0.06–0.11 on the starter portraits)
 * and 0.34–0.80 with the tiny detector, which is tried when SSD finds nothing; its face must also
 * pass `plausibleMouth`, so a false face in a picture without one does not get a mouth.
 */
const minDrawnScore = 0.3;

/**
 * Face and lip landmarks of a photo, on the CPU: `@vladmandic/face-api`'s SSD MobileNet v1
 * detector and 68-point landmark net, whose weights ship inside the package, run on tfjs's
 * WebAssembly backend, whose .wasm files ship inside theirs; nothing is downloaded. The pure-JS
 * backend was measured 10–20× slower on the same photos. Runs when a picture is imported, not per
 * video. Load once, then `locate` any number of pictures.
 */
export class FaceLandmarks {
  private constructor(
    private readonly tf: Tfjs,
    private readonly faceapi: FaceApi,
  ) {}

  static async load(): Promise<FaceLandmarks> {
    const require = createRequire(import.meta.url);
    let tf: Tfjs;
    let wasm: WasmBackend;
    let faceapi: FaceApi;
    let models: string;
    let wasmDir: string;
    try {
      tf = require('@tensorflow/tfjs') as Tfjs;
      wasm = require('@tensorflow/tfjs-backend-wasm') as WasmBackend;
      faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
      models = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
      wasmDir = dirname(
        require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
      );
    } catch (error) {
      throw new FaceLandmarksUnavailable(
        '@vladmandic/face-api, @tensorflow/tfjs or @tensorflow/tfjs-backend-wasm is not installed',
        { cause: error },
      );
    }
    // Read from the package folder by path (not fetched): the platform fetch would want a URL.
    wasm.setWasmPaths(`${wasmDir}/`, false);
    if (tf.getBackend() !== 'wasm') {
      if (!(await tf.setBackend('wasm')))
        throw new FaceLandmarksUnavailable('the tfjs WebAssembly backend did not start');
      await tf.ready();
    }
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
    await faceapi.nets.tinyFaceDetector.loadFromDisk(models);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
    return new FaceLandmarks(tf, faceapi);
  }

  /**
   * The largest face the detector is sure of in an RGB24 picture, with its lips; undefined when
   * there is none. `imageSha256` names the picture's bytes the coordinates belong to.
   */
  async locate(
    rgb: Uint8Array,
    width: number,
    height: number,
    imageSha256: string,
  ): Promise<PhotoFace | undefined> {
    if (rgb.length !== width * height * 3)
      throw new RangeError(`expected ${width}×${height} RGB24, got ${rgb.length} bytes`);
    const input = this.tf.tensor3d(rgb, [height, width, 3], 'int32');
    let found: { face: Detection; detector: keyof typeof detectors } | undefined;
    try {
      const photo = largestPlausible(
        await this.faceapi
          .detectAllFaces(
            input,
            new this.faceapi.SsdMobilenetv1Options({
              minConfidence: minPhotoScore,
              maxResults: 10,
            }),
          )
          .withFaceLandmarks(),
        minPhotoScore,
      );
      if (photo) found = { face: photo, detector: 'ssd' };
      else {
        const drawn = largestPlausible(
          await this.faceapi
            .detectAllFaces(
              input,
              new this.faceapi.TinyFaceDetectorOptions({
                inputSize: 416,
                scoreThreshold: minDrawnScore,
              }),
            )
            .withFaceLandmarks(),
          minDrawnScore,
        );
        if (drawn) found = { face: drawn, detector: 'tiny' };
      }
    } finally {
      input.dispose();
    }
    if (!found) return undefined;
    const largest = found.face;
    const point = (p: LandmarkPoint): Point => [round(p.x), round(p.y)];
    const positions = largest.landmarks.positions;
    const { box, score } = largest.detection;
    return {
      imageSha256,
      width,
      height,
      score: Math.min(1, Math.max(0, round(score, 3))),
      box: { x: round(box.x), y: round(box.y), width: round(box.width), height: round(box.height) },
      outerLips: positions.slice(48, 60).map(point) as [number, number][],
      innerLips: positions.slice(60, 68).map(point) as [number, number][],
      detector: detectors[found.detector],
    };
  }
}

/** The largest face at least `minScore` sure whose mouth is where a mouth can be. */
function largestPlausible(faces: readonly Detection[], minScore: number): Detection | undefined {
  return faces
    .filter(
      (f) =>
        f.detection.score >= minScore && f.landmarks.positions.length === 68 && plausibleMouth(f),
    )
    .sort(
      (a, b) =>
        b.detection.box.width * b.detection.box.height -
        a.detection.box.width * a.detection.box.height,
    )[0];
}

/**
 * A mouth a quarter to three quarters of the face box wide, in its lower half and between its
 * sides: the landmark net places 68 points on any box it is given, so a box that holds no face
 * gets points that fail this.
 */
function plausibleMouth(face: Detection): boolean {
  const { box } = face.detection;
  const p = face.landmarks.positions;
  const left = p[48]!;
  const right = p[54]!;
  const width = Math.hypot(right.x - left.x, right.y - left.y);
  const centreX = (left.x + right.x) / 2;
  const centreY = (p[51]!.y + p[57]!.y) / 2;
  return (
    width >= box.width * 0.25 &&
    width <= box.width * 0.75 &&
    centreX > box.x &&
    centreX < box.x + box.width &&
    centreY > box.y + box.height * 0.5 &&
    centreY < box.y + box.height * 1.1
  );
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
