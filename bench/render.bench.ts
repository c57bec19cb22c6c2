import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sharedExecutable } from '../src/adapters/local/binaries/media-binaries.js';
import { runBinary } from '../src/adapters/local/binaries/run-binary.js';
import { trackedMaskSize } from '../src/adapters/local/segmentation/tracked-segmenter.js';
import { IsnetModel, resizePlane } from '../src/adapters/local/segmentation/isnet-model.js';
import { completeOnPlainBackdrop } from '../src/adapters/local/segmentation/plain-backdrop-reference.js';
import { estimateBackdrop } from '../src/adapters/local/segmentation/color-key-segmenter.js';
import { maskIou } from '../src/adapters/local/segmentation/mask-iou.js';
import { createLogger } from '../src/logging/logger.js';
import type { WordTiming } from '../src/ports/speech-synthesizer.js';
import { clipSeconds, renderClipSpecs } from '../scripts/render-clips/clip-specs.js';
import { makeRenderClip } from '../scripts/render-clips/make-render-clip.js';
import { castReferences } from './render/cast-references.js';
import { isnetBaseline } from './render/isnet-baseline.js';
import {
  runCompositeChild,
  type CompositeChildArgs,
  type CompositeChildResult,
} from './render/composite-run.js';
import { sampledFrames } from './render/sampled-frames.js';
import { decodeFrames } from './render/decode-frames.js';

/**
 * `npm run bench:render [-- --fresh] [-- --track WxH]`: the cut-out composite of a 15 s 1080×1920
 * talking head against the per-frame ISNet baseline, on the test clips from scripts/render-clips
 * (catalog characters with camera motion, head motion, hands entering, plain and textured
 * backdrops). ISNet runs on 12 sampled frames per clip (cached in bench/render/.cache unless
 * --fresh) and its per-frame cost is extrapolated to every frame. The baseline masks are ISNet's,
 * completed by the colour key where the backdrop is plain, as the product completes its own
 * reference: ISNet alone drops the drawn clothes of the catalog's characters. Every clip also
 * has true masks (rendered from the same layers), and both paths are scored against them.
 *
 * The product path runs in a child process of its own (`render/composite-child.ts`), so its
 * memory (that child plus its ffmpeg decoder, encoder and probes) is measured apart from this
 * process, which holds ISNet for the per-frame baseline. Its peak is reported twice: for a
 * composite of a character whose reference mask is cached (every composite but the first), and
 * for a new character's first composite, which runs ISNet once in the same process.
 */
const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    samples: { type: 'string', default: '12' },
    dir: { type: 'string', default: 'bench/render/.clips' },
    cache: { type: 'string', default: 'bench/render/.cache' },
    // The tracker's working size; its masks are scaled to the comparison size for the IoU.
    track: { type: 'string', default: `${trackedMaskSize.width}x${trackedMaskSize.height}` },
  },
});
const fps = 30;
const totalFrames = clipSeconds * fps;
const maskWidth = 270;
const maskHeight = 480;
const [trackWidth, trackHeight] = values.track.split('x').map(Number) as [number, number];
/** A tracker mask (gray8, tracker size) as coverage at the comparison size. */
const comparable = (mask: Uint8Array): Float32Array | Uint8Array =>
  trackWidth === maskWidth && trackHeight === maskHeight
    ? mask
    : resizePlane(
        Float32Array.from(mask, (v) => v / 255),
        trackWidth,
        trackHeight,
        maskWidth,
        maskHeight,
      );
const variant = 'medium' as const;
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });

const loadavg = async () =>
  (await import('node:fs/promises'))
    .readFile('/proc/loadavg', 'utf8')
    .then((s) => s.trim())
    .catch(() => 'n/a');
console.log(
  `render bench: ${renderClipSpecs.length} clips, ${values.samples} ISNet samples each, masks compared at ${maskWidth}x${maskHeight}, tracked at ${trackWidth}x${trackHeight}; load ${await loadavg()}`,
);

const ffmpeg = (await sharedExecutable('ffmpeg', logger)).path;
await mkdir(values.dir, { recursive: true });
const clips = [];
for (const spec of renderClipSpecs) {
  const clip = await makeRenderClip(ffmpeg, spec, values.dir);
  clips.push({ spec, path: clip.video, truthPath: clip.truth });
}
const backgroundPath = join(values.dir, 'background.mp4');
if (!(await stat(backgroundPath).catch(() => undefined))?.size) {
  await runBinary(ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=1280x720:d=6:rate=30',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    backgroundPath,
  ]);
}
const words: WordTiming[] = Array.from({ length: Math.floor(clipSeconds / 0.4) - 1 }, (_, i) => ({
  word: ['Fresh', 'sneakers', 'just', 'landed', 'come', 'try', 'them', 'on', 'today'][i % 9]!,
  start: i * 0.4,
  end: i * 0.4 + 0.35,
}));

let model: Promise<IsnetModel> | undefined;
const loadModel = () => (model ??= IsnetModel.load(variant));
const frames = sampledFrames(totalFrames, Number(values.samples));
const ious: number[] = [];
const mean = (values: readonly number[]) =>
  values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
// Against the clips' true masks (rendered from the same layers), for both paths: tells whether
// agreeing with ISNet means being right.
const fastTruthIous: number[] = [];
const isnetTruthIous: number[] = [];
// Against ISNet's own masks, before the plain-backdrop completion.
const rawIsnetIous: number[] = [];
const inferenceMs: number[] = [];
const renderSeconds: number[] = [];
const cpuSeconds: number[] = [];
let peakBytes = 0;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
// What held the memory at the peak sample: the node process, the decoder, the encoder, probes.
const where = (run: CompositeChildResult) =>
  [...run.atPeak]
    .sort((a, b) => b.peakBytes - a.peakBytes)
    .map((p) => `${p.name} ${mb(p.peakBytes)}`)
    .join(' + ');

for (const { spec, path, truthPath } of clips) {
  const baseline = await isnetBaseline({
    ffmpeg,
    clipPath: path,
    clipName: spec.name,
    frames,
    width: maskWidth,
    height: maskHeight,
    cacheDir: values.cache,
    variant,
    fresh: values.fresh,
    model: loadModel,
  });
  inferenceMs.push(...baseline.map((b) => b.inferenceMs));
  const truths = await decodeFrames({
    ffmpeg,
    path: truthPath,
    frames,
    width: maskWidth,
    height: maskHeight,
    pixFmt: 'gray',
  });
  const pictures = await decodeFrames({
    ffmpeg,
    path,
    frames,
    width: maskWidth,
    height: maskHeight,
    pixFmt: 'rgb24',
  });
  // The per-frame path as the product would run it: ISNet on the frame, completed by the colour
  // key where the backdrop is plain (a no-op on the textured clips).
  const wanted = new Map(
    baseline.map((b) => {
      const rgb = pictures.get(b.frame)!;
      return [
        b.frame,
        completeOnPlainBackdrop(
          b.mask,
          rgb,
          maskWidth,
          maskHeight,
          estimateBackdrop(rgb, maskWidth, maskHeight),
        ),
      ];
    }),
  );
  const clipRawIsnet: number[] = [];
  const clipIsnetTruth = baseline.map((b) => maskIou(truths.get(b.frame)!, wanted.get(b.frame)!));
  const rawIsnet = new Map(baseline.map((b) => [b.frame, b.mask]));
  const clipFastTruth: number[] = [];
  const clipIous: number[] = [];
  const referenceDir = join(values.cache, 'reference');
  if (values.fresh) await rm(referenceDir, { recursive: true, force: true });
  const masksPath = join(values.dir, `${spec.name}.masks`);
  const child: CompositeChildArgs = {
    ffmpeg,
    clipPath: path,
    backgroundPath,
    outputPath: join(values.dir, `${spec.name}.composite.mp4`),
    workDir: values.dir,
    referenceDir,
    track: { width: trackWidth, height: trackHeight },
    model: variant,
    words,
    keepFrames: frames,
    masksPath,
    phase: 'reference',
  };
  // The reference mask is per character and cached; the first composite of a character pays
  // for one ISNet run, which is reported separately.
  const reference = await runCompositeChild(child);
  const run = await runCompositeChild({ ...child, phase: 'composite' });
  const seconds = run.report.seconds;
  const cpu = run.report.cpuSeconds ?? 0;
  const masks = await readFile(masksPath);
  const maskBytes = trackWidth * trackHeight;
  frames.forEach((frame, k) => {
    const fast = comparable(
      new Uint8Array(masks.buffer, masks.byteOffset + k * maskBytes, maskBytes),
    );
    clipIous.push(maskIou(fast, wanted.get(frame)!));
    clipRawIsnet.push(maskIou(fast, rawIsnet.get(frame)!));
    clipFastTruth.push(maskIou(fast, truths.get(frame)!));
  });
  cpuSeconds.push(cpu);
  peakBytes = Math.max(peakBytes, run.peakBytes);
  renderSeconds.push(seconds);
  ious.push(...clipIous);
  fastTruthIous.push(...clipFastTruth);
  isnetTruthIous.push(...clipIsnetTruth);
  console.log(
    `  ${spec.name}: composite ${seconds.toFixed(2)} s wall, ${cpu.toFixed(2)} CPU-s (reference mask ${reference.report.seconds.toFixed(2)} s, cached after), ` +
      `IoU ${mean(clipIous).toFixed(3)} over ${clipIous.length} frames [${clipIous.map((v) => v.toFixed(2)).join(' ')}], peak ${mb(run.peakBytes)} MB (${where(run)}); load ${await loadavg()}`,
  );
  rawIsnetIous.push(...clipRawIsnet);
  console.log(
    `    against the true masks: fast ${mean(clipFastTruth).toFixed(3)}, per-frame ISNet (completed) ${mean(clipIsnetTruth).toFixed(3)}; ` +
      `fast against raw per-frame ISNet ${mean(clipRawIsnet).toFixed(3)}`,
  );
}

// A new character's first composite: the reference mask is made (ISNet, once) in the same process
// that then composites, as the service does it.
const coldDir = await mkdtemp(join(tmpdir(), 'render-bench-reference-'));
const first = clips[0]!;
const cold = await runCompositeChild({
  ffmpeg,
  clipPath: first.path,
  backgroundPath,
  outputPath: join(values.dir, `${first.spec.name}.cold.mp4`),
  workDir: values.dir,
  referenceDir: coldDir,
  track: { width: trackWidth, height: trackHeight },
  model: variant,
  words,
  keepFrames: [],
  masksPath: join(values.dir, 'cold.masks'),
  phase: 'composite',
});
await rm(coldDir, { recursive: true, force: true });
console.log(
  `  ${first.spec.name}, new character (ISNet reference in the same process): ${cold.report.seconds.toFixed(2)} s wall, peak ${mb(cold.peakBytes)} MB (${where(cold)})`,
);

const cachedInference = inferenceMs.reduce((a, b) => a + b, 0) / inferenceMs.length / 1000;
// The sampled masks may come from the cache, timed under another load: time ISNet again now, on
// this run's machine state, so both sides of the ratio are measured alike.
const isnet = await loadModel();
const square = await runBinary(ffmpeg, [
  '-nostdin',
  '-v',
  'error',
  '-i',
  clips[0]!.path,
  '-frames:v',
  '1',
  '-vf',
  'scale=1024:1024',
  '-f',
  'rawvideo',
  '-pix_fmt',
  'rgb24',
  'pipe:1',
]);
await isnet.segment(new Uint8Array(square.stdout));
const timedAt = performance.now();
await isnet.segment(new Uint8Array(square.stdout));
const meanInference = (performance.now() - timedAt) / 1000;
// This process has run ISNet the way the per-frame baseline does, frame after frame; its own
// high-water mark is that baseline's memory (plus the bench's masks and frames, a few MB).
const perFramePeakBytes = process.resourceUsage().maxRSS * 1024;
console.log(
  `ISNet-${variant} now: ${meanInference.toFixed(2)} s/frame (sampled masks: ${cachedInference.toFixed(2)} s/frame when they were made); load ${await loadavg()}`,
);
const worst = Math.max(...renderSeconds);
const meanIou = mean(ious);
console.log(
  `against the true masks, ${fastTruthIous.length} frames: fast ${mean(fastTruthIous).toFixed(3)}, per-frame ISNet (completed) ${mean(isnetTruthIous).toFixed(3)}; ` +
    `fast against raw per-frame ISNet ${mean(rawIsnetIous).toFixed(3)}`,
);
const cast = await castReferences({
  width: maskWidth,
  height: maskHeight,
  cacheDir: values.cache,
  fresh: values.fresh,
  model: loadModel,
});
console.log(
  `starter cast reference masks against each drawing's alpha: ISNet alone ${mean(cast.map((c) => c.isnetIou)).toFixed(3)} ` +
    `(worst ${Math.min(...cast.map((c) => c.isnetIou)).toFixed(2)}), completed by the colour key ${mean(cast.map((c) => c.referenceIou)).toFixed(3)} ` +
    `(worst ${Math.min(...cast.map((c) => c.referenceIou)).toFixed(2)})`,
);
console.log(
  `  ${cast.map((c) => `${c.characterId} ${c.isnetIou.toFixed(2)}→${c.referenceIou.toFixed(2)}`).join(', ')}`,
);
// The per-frame path: ISNet on every frame, then the same composite with a mask video.
const perFrameSeconds = meanInference * totalFrames + worst;
console.log(
  `per-frame ISNet-${variant}: ${meanInference.toFixed(2)} s/frame → ${perFrameSeconds.toFixed(0)} s for ${totalFrames} frames plus the composite (extrapolated; IoU over ${inferenceMs.length} sampled frames, against its masks completed on plain backdrops)`,
);
console.log(
  `fast path CPU: ${cpuSeconds.map((s) => s.toFixed(2)).join(' / ')} CPU-s per clip (decoder + tracker + encoder); ` +
    `on two idle cores that is at least ${(Math.max(...cpuSeconds) / 2).toFixed(1)} s wall; load now ${await loadavg()}`,
);
console.log(
  `fast path: ${renderSeconds.map((s) => s.toFixed(2)).join(' / ')} s per clip; the line below reports the slowest`,
);
console.log(
  `render: ${worst.toFixed(2)} s for ${clipSeconds} s 1080x1920 (${(totalFrames / worst).toFixed(1)} fps), ` +
    `${(perFrameSeconds / worst).toFixed(0)}x faster than per-frame, IoU ${meanIou.toFixed(3)}, peak ${mb(peakBytes)} MB ` +
    `(a new character's first ${mb(cold.peakBytes)} MB; per-frame ISNet ${mb(perFramePeakBytes)} MB)`,
);
