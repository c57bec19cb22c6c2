import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import sharp from 'sharp';
import type { PhotoFace } from '../../../catalog/photo-face.js';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import type {
  TalkingHeadRenderer,
  TalkingHeadRequest,
  VideoResult,
} from '../../../ports/talking-head-renderer.js';
import { videoResultOf } from '../../video-result.js';
import { sharedBinary, sharedExecutable } from '../binaries/media-binaries.js';
import type { ResolvedBinary } from '../binaries/resolved-binary.js';
import { planFaceAnimation } from '../lipsync/face-animation.js';
import { runFfmpegWithPipe } from '../ffmpeg/ffmpeg-piped.js';
import { runFfmpeg, writeAtomically } from '../ffmpeg/ffmpeg-run.js';
import type { FfmpegEncoderOptions } from '../ffmpeg/ffmpeg-encoder-options.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { RenderError } from '../ffmpeg/media-errors.js';
import { localPortraitProvider } from '../talking-head/portrait-renderer.js';
import { h264AacOutputArgs, outputFps } from '../ffmpeg/video-format.js';
import type { PhotoFaceSource } from './catalog-photo-faces.js';
import { frameLoudness, mouthOpenings } from './mouth-motion.js';
import { MouthRig } from './mouth-rig.js';
import { buildPhotoMouthGraph, layPhoto, stageHeight, stageWidth } from './photo-layout.js';

export interface PhotoMouthRendererOptions extends FfmpegEncoderOptions {
  /** Where each imported photo's lips are (found once, at import). */
  readonly faces: PhotoFaceSource;
  /** Renders every picture whose face is not known: drawn characters, and photos without a face. */
  readonly fallback: TalkingHeadRenderer;
  /** eSpeak NG for the words' mouth shapes; without it the letters are read by rule. */
  readonly espeak?: ResolvedBinary;
}

// Speech is read at this rate for its loudness: plenty for a per-frame level.
const loudnessRate = 16_000;

/**
 * The local talking head for an imported photo whose face was found at import: the photo's own
 * mouth opens and closes with the speech (the words' mouth shapes, as the drawn characters speak
 * them, scaled by the voice's loudness; the loudness alone without words), while the camera drifts
 * slowly over it. The lower lip and chin are moved down and the gap under the upper lip is
 * darkened, frame by frame, in a patch around the lips; nothing else of the photo changes, so it
 * is mouth motion, not a generated face. Any other picture goes to `fallback`, which says whether
 * its own mouth moves. Same provider name as the portrait renderer: it is the same local path.
 */
export class PhotoMouthRenderer implements TalkingHeadRenderer {
  readonly provider = localPortraitProvider;
  private readonly logger: Logger;
  private readonly probe: FfprobeMediaProbe;

  constructor(private readonly options: PhotoMouthRendererOptions) {
    this.logger = options.logger ?? createLogger();
    this.probe = options.probe ?? new FfprobeMediaProbe({ logger: this.logger });
  }

  async render(request: TalkingHeadRequest): Promise<VideoResult> {
    const picture = await readFile(request.imagePath);
    const face = await this.faceOf(picture);
    if (!face) return this.options.fallback.render(request);
    const startedAt = performance.now();
    const audio = await this.probe.probe(request.audioPath, request.signal);
    if (!audio.audio || !(audio.durationSec > 0))
      throw new RenderError('portrait', `${request.audioPath} has no audio`, {
        kind: 'invalid_request',
      });
    const durationSec = audio.durationSec;
    const frameCount = Math.max(1, Math.ceil(durationSec * outputFps));
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;

    const layout = layPhoto(face);
    const stage = new Uint8Array(
      await sharp(picture)
        .resize(layout.scaledWidth, layout.scaledHeight, { fit: 'fill' })
        .extract({ left: layout.cropX, top: layout.cropY, width: stageWidth, height: stageHeight })
        .removeAlpha()
        .raw()
        .toBuffer(),
    );
    const rig = new MouthRig(stage, stageWidth, stageHeight, layout.lips);
    const [samples, shapes] = await Promise.all([
      runFfmpeg(
        ffmpeg,
        'portrait',
        [
          '-i',
          request.audioPath,
          '-vn',
          '-ac',
          '1',
          '-ar',
          String(loudnessRate),
          '-f',
          's16le',
          'pipe:1',
        ],
        { signal: request.signal },
      ),
      request.speech && request.speech.words.length > 0
        ? planFaceAnimation({
            words: request.speech.words,
            voiceId: request.speech.voiceId,
            frameCount,
            fps: outputFps,
            espeak: await this.espeak(),
            signal: request.signal,
          })
        : undefined,
    ]);
    const pcm = new Int16Array(
      samples.buffer,
      samples.byteOffset,
      Math.floor(samples.byteLength / 2),
    );
    const openings = mouthOpenings(
      frameLoudness(pcm, loudnessRate, outputFps, frameCount),
      shapes?.mouths,
    );

    const intermediate = request.purpose === 'intermediate';
    const preset = intermediate ? 'ultrafast' : (this.options.preset ?? 'veryfast');
    const crf = intermediate ? 16 : (this.options.crf ?? 23);
    const dir = await mkdtemp(join(tmpdir(), 'photo-mouth-'));
    try {
      const stagePath = join(dir, 'stage.rgb');
      await writeFile(stagePath, stage);
      const { box } = rig;
      await writeAtomically(request.outputPath, (partial) =>
        runFfmpegWithPipe(
          ffmpeg,
          'portrait',
          [
            '-f',
            'rawvideo',
            '-pix_fmt',
            'rgb24',
            '-s',
            `${stageWidth}x${stageHeight}`,
            '-framerate',
            String(outputFps),
            '-i',
            stagePath,
            '-i',
            request.audioPath,
            '-f',
            'rawvideo',
            '-pix_fmt',
            'rgba',
            '-s',
            `${box.width}x${box.height}`,
            '-framerate',
            String(outputFps),
            '-i',
            'pipe:3',
            '-filter_complex',
            buildPhotoMouthGraph(box),
            '-map',
            '[v]',
            '-map',
            '1:a:0',
            ...h264AacOutputArgs({ preset, crf }),
            '-t',
            durationSec.toFixed(3),
            '-shortest',
            '-y',
            partial,
          ],
          ([pipe], signal) => writeMouthFrames(pipe!, rig, openings, signal),
          { signal: request.signal, timeoutMs: this.options.timeoutMs ?? 300_000 },
        ),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const rendered = await this.probe.probe(request.outputPath, request.signal);
    const { size } = await stat(request.outputPath);
    const result = videoResultOf(request.outputPath, rendered, size, this.provider, {
      lipSync: true,
    });
    this.logger.info(
      {
        stage: 'video',
        provider: this.provider,
        preset,
        audioDurationSec: durationSec,
        durationSec: result.durationSec,
        sizeBytes: size,
        renderMs: Math.round(performance.now() - startedAt),
        lipSync: true,
        mouth: { ...rig.box, widthPx: Math.round(rig.mouthWidth) },
        driver: shapes ? `words (${shapes.phonemes}) and loudness` : 'loudness',
      },
      'talking head rendered locally from a photo with mouth motion',
    );
    return result;
  }

  /** The face recorded for these exact bytes, when it fits the picture as it is. */
  private async faceOf(picture: Buffer): Promise<PhotoFace | undefined> {
    const sha = createHash('sha256').update(picture).digest('hex');
    const face = await this.options.faces.find(sha).catch((error: unknown) => {
      this.logger.warn(
        { stage: 'video', err: error },
        'the catalog could not be read for photo faces; the portrait renders without mouth motion',
      );
      return undefined;
    });
    if (!face) return undefined;
    const meta = await sharp(picture).metadata();
    if (meta.width !== face.width || meta.height !== face.height) return undefined;
    return face;
  }

  private async espeak(): Promise<ResolvedBinary | undefined> {
    if (this.options.espeak) return this.options.espeak;
    return sharedBinary('espeak-ng', this.logger).catch(() => undefined);
  }
}

/** Every frame's mouth patch, raw RGBA, into the encoder's pipe, waiting when it is full. */
async function writeMouthFrames(
  pipe: Writable,
  rig: MouthRig,
  openings: Float32Array,
  signal: AbortSignal,
): Promise<void> {
  let previous: { share: number; frame: Uint8Array } | undefined;
  for (const share of openings) {
    signal.throwIfAborted();
    // A closed or held mouth repeats the frame before it: no pixel work.
    const frame =
      previous && Math.abs(previous.share - share) < 0.005 ? previous.frame : rig.frame(share);
    previous = { share, frame };
    if (!pipe.write(frame)) await once(pipe, 'drain', { signal });
  }
  pipe.end();
}
