import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  starterCharacters,
  type StarterCharacter,
} from '../../../catalog/starter/starter-characters.js';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import type {
  TalkingHeadRenderer,
  TalkingHeadRequest,
  VideoResult,
} from '../../../ports/talking-head-renderer.js';
import { sharedBinary, sharedExecutable } from '../binaries/media-binaries.js';
import type { ResolvedBinary } from '../binaries/resolved-binary.js';
import { planFaceAnimation, type FaceAnimation } from '../lipsync/face-animation.js';
import { writeFaceFrames } from '../lipsync/face-frames.js';
import {
  drawSpeakerLayers,
  faceBox,
  headBox,
  stageHeight,
  stageWidth,
  type SpeakerLayers,
} from '../lipsync/speaker-layers.js';
import { speechLoudness } from '../lipsync/speech-loudness.js';
import { findStarterFace } from '../lipsync/starter-face.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { runFfmpegWithPipe } from '../ffmpeg/ffmpeg-piped.js';
import { runFfmpeg, writeAtomically, type X264Preset } from '../ffmpeg/ffmpeg-run.js';
import { RenderError } from '../ffmpeg/media-errors.js';
import { buildLipSyncGraph, buildPortraitGraph } from './portrait-graph.js';
import { h264AacOutputArgs, outputFps } from '../ffmpeg/video-format.js';
import { videoResultOf } from '../../video-result.js';

export interface PortraitRendererOptions {
  /** Defaults to the shared resolution (FFMPEG_PATH → PATH → npm). */
  readonly ffmpegPath?: string;
  /**
   * Reads the portrait's size and the speech's length; defaults to one using FFPROBE_PATH → PATH →
   * npm.
   */
  readonly probe?: FfprobeMediaProbe;
  readonly logger?: Logger;
  /** x264 speed/size trade-off; veryfast renders 10 s in about 5 s on two cores. */
  readonly preset?: X264Preset;
  /**
   * The preset of a drawn character that speaks (default ultrafast). Its frames are flat drawn
   * layers that compress well without x264's slower tools: measured on two idle cores, 10 s of
   * speech renders in about 4.3 s instead of 6.2–7.7 s with veryfast, into 0.75 MB instead of 0.5
   * MB.
   */
  readonly speakingPreset?: X264Preset;
  readonly crf?: number;
  /** Draw the speech-level glow bar (default true). */
  readonly levelBar?: boolean;
  readonly timeoutMs?: number;
  /**
   * The drawn characters whose mouths it can move (default: the starter cast); an empty list turns
   * lip-sync off. A picture that is not one of them exactly gets the portrait without lip-sync.
   */
  readonly lipSyncCast?: readonly StarterCharacter[];
  /** eSpeak NG for the phonemes of the words; defaults to the shared resolution. */
  readonly espeak?: ResolvedBinary;
}

export const localPortraitProvider = 'local-portrait';

const spriteCacheSize = 2;

/**
 * The offline talking head. A starter character drawn by our own portrait code speaks: its mouth
 * takes the shape of each sound of the words (eSpeak NG's phonemes placed within the word
 * timings), its eyes blink, and the camera moves slowly (`lipSync: true`). Any other picture (a
 * photo, an edited portrait) gets a slow camera move, a breathing scale and a glow that follows
 * the voice; its mouth does not move, and the result says so (`lipSync: false`).
 * There is no remote job, so `resumeRequestId` is ignored and `onSubmitted` is never called:
 * re-rendering after a restart costs seconds and nothing else.
 */
export class LocalPortraitRenderer implements TalkingHeadRenderer {
  readonly provider = localPortraitProvider;
  private readonly logger: Logger;
  private readonly probe: FfprobeMediaProbe;
  private readonly sprites = new Map<string, Promise<SpeakerLayers>>();

  constructor(private readonly options: PortraitRendererOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.probe = options.probe ?? new FfprobeMediaProbe({ logger: this.logger });
  }

  async render(request: TalkingHeadRequest): Promise<VideoResult> {
    const startedAt = performance.now();
    const [image, audio] = await Promise.all([
      this.probe.probe(request.imagePath, request.signal),
      this.probe.probe(request.audioPath, request.signal),
    ]);
    if (!image.video || image.video.width <= 0 || image.video.height <= 0) {
      throw new RenderError('portrait', `${request.imagePath} is not an image`, {
        kind: 'invalid_request',
      });
    }
    if (!audio.audio || !(audio.durationSec > 0))
      throw new RenderError('portrait', `${request.audioPath} has no audio`, {
        kind: 'invalid_request',
      });
    const durationSec = audio.durationSec;
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;
    // An intermediate clip is decoded once by the compositor and encoded again: ultrafast at a low
    // CRF costs about half the CPU of veryfast and loses nothing the second encode would keep.
    const intermediate = request.purpose === 'intermediate';
    const preset = intermediate ? 'ultrafast' : (this.options.preset ?? 'veryfast');
    const crf = intermediate ? 16 : (this.options.crf ?? 23);
    const character = await this.speakingCharacter(request);
    const outputWith = (x264Preset: X264Preset) => [
      '-map',
      '[v]',
      '-map',
      '1:a:0',
      ...h264AacOutputArgs({ preset: x264Preset, crf }),
      '-t',
      durationSec.toFixed(3),
      '-shortest',
    ];
    const output = outputWith(preset);
    let usedPreset = preset;
    // One decoded frame at 30 fps; the graph loops it, so the image is decoded once.
    // `-pattern_type none`: a "%" in the file name is not a frame-number pattern.
    const stillAndSpeech = [
      '-f',
      'image2',
      '-pattern_type',
      'none',
      '-framerate',
      '30',
      '-i',
      request.imagePath,
      '-i',
      request.audioPath,
    ];
    let animation: FaceAnimation | undefined;
    if (character && request.speech) {
      const frameCount = Math.max(1, Math.ceil(durationSec * outputFps));
      const { words, voiceId } = request.speech;
      const [layers, planned] = await Promise.all([
        this.spritesOf(character),
        Promise.all([
          speechLoudness(ffmpeg, request.audioPath, outputFps, frameCount, request.signal),
          this.espeak(),
        ]).then(([loudness, espeak]) =>
          planFaceAnimation({
            words,
            voiceId,
            frameCount,
            fps: outputFps,
            loudness,
            espeak,
            signal: request.signal,
          }),
        ),
      ]);
      animation = planned;
      usedPreset = intermediate ? preset : (this.options.speakingPreset ?? 'ultrafast');
      const graph = buildLipSyncGraph({
        durationSec,
        stage: { width: stageWidth, height: stageHeight },
        head: headBox,
        face: faceBox,
      });
      const sprites = layers.face;
      const dir = await mkdtemp(join(tmpdir(), 'speaker-'));
      try {
        const body = join(dir, 'body.png');
        const head = join(dir, 'head.png');
        await Promise.all([writeFile(body, layers.body), writeFile(head, layers.head)]);
        await writeAtomically(request.outputPath, (partial) =>
          runFfmpegWithPipe(
            ffmpeg,
            'portrait',
            [
              '-f',
              'image2',
              '-pattern_type',
              'none',
              '-framerate',
              '30',
              '-i',
              body,
              '-i',
              request.audioPath,
              '-f',
              'image2',
              '-pattern_type',
              'none',
              '-framerate',
              '30',
              '-i',
              head,
              '-f',
              'rawvideo',
              '-pix_fmt',
              'rgba',
              '-s',
              `${sprites.width}x${sprites.height}`,
              '-framerate',
              String(outputFps),
              '-i',
              'pipe:3',
              '-filter_complex',
              graph,
              ...outputWith(usedPreset),
              // Slices instead of frame threads and a short lookahead: x264 holds a third fewer
              // 1080×1920 frames (about 220 MB instead of 320 MB) for the same speed and size.
              '-x264-params',
              'sliced-threads=1:rc-lookahead=5',
              '-y',
              partial,
            ],
            ([pipe], signal) =>
              writeFaceFrames(pipe!, sprites, planned.mouths, planned.eyes, signal),
            { signal: request.signal, timeoutMs: this.options.timeoutMs ?? 300_000 },
          ),
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } else {
      const graph = buildPortraitGraph({
        imageWidth: image.video.width,
        imageHeight: image.video.height,
        durationSec,
        levelBar: this.options.levelBar ?? true,
      });
      await writeAtomically(request.outputPath, (partial) =>
        runFfmpeg(
          ffmpeg,
          'portrait',
          [...stillAndSpeech, '-filter_complex', graph, ...output, '-y', partial],
          {
            signal: request.signal,
            timeoutMs: this.options.timeoutMs,
          },
        ),
      );
    }
    const rendered = await this.probe.probe(request.outputPath, request.signal);
    const { size } = await stat(request.outputPath);
    const result: VideoResult = videoResultOf(request.outputPath, rendered, size, this.provider, {
      lipSync: animation !== undefined,
    });
    this.logger.info(
      {
        stage: 'video',
        provider: this.provider,
        preset: usedPreset,
        audioDurationSec: durationSec,
        durationSec: result.durationSec,
        sizeBytes: size,
        renderMs: Math.round(performance.now() - startedAt),
        lipSync: result.lipSync,
        ...(character ? { character: character.id } : {}),
        ...(animation ? { phonemes: animation.phonemes, visemeCues: animation.cues.length } : {}),
      },
      result.lipSync
        ? 'talking head rendered locally with lip-sync'
        : 'talking head rendered locally (no lip-sync)',
    );
    return result;
  }

  /** The starter character the picture shows as drawn, when lip-sync is possible at all. */
  private async speakingCharacter(
    request: TalkingHeadRequest,
  ): Promise<StarterCharacter | undefined> {
    const cast = this.options.lipSyncCast ?? starterCharacters;
    if (!request.speech || request.speech.words.length === 0 || cast.length === 0) return undefined;
    return findStarterFace(request.imagePath, cast);
  }

  private spritesOf(character: StarterCharacter): Promise<SpeakerLayers> {
    const key = character.id + JSON.stringify(character.portrait);
    let sprites = this.sprites.get(key);
    if (sprites) {
      // Most recently used last: the oldest is the one let go.
      this.sprites.delete(key);
    } else {
      sprites = drawSpeakerLayers(character.portrait);
      sprites.catch(() => this.sprites.delete(key));
    }
    this.sprites.set(key, sprites);
    // About 17 MB of sprites a character: keep the ones in use, not the whole cast.
    for (const old of this.sprites.keys()) {
      if (this.sprites.size <= spriteCacheSize) break;
      this.sprites.delete(old);
    }
    return sprites;
  }

  /** eSpeak NG when it can be found; without it the mouth follows the letters. */
  private async espeak(): Promise<ResolvedBinary | undefined> {
    if (this.options.espeak) return this.options.espeak;
    return sharedBinary('espeak-ng', this.logger).catch(() => undefined);
  }
}
