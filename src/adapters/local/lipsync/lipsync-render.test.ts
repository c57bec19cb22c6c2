import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderPortraitPng } from '../../../catalog/portraits/render-portrait.js';
import { starterCharacters } from '../../../catalog/starter/starter-characters.js';
import type { SynthesisResult } from '../../../ports/speech-synthesizer.js';
import { ffmpegCapabilities, forgetFfmpegCapabilities } from '../binaries/ffmpeg-capabilities.js';
import {
  forgetSharedBinaries,
  sharedBinary,
  sharedExecutable,
} from '../binaries/media-binaries.js';
import { installedNpmFallbacks } from '../binaries/npm-fallbacks.js';
import type { ResolvedBinary } from '../binaries/resolved-binary.js';
import { EspeakSpeechSynthesizer } from '../speech/espeak-speech.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { LocalPortraitRenderer } from '../talking-head/portrait-renderer.js';
import {
  ffprobeJson,
  makePortrait,
  quietLogger,
  requireEspeak,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';
import { outputFps } from '../ffmpeg/video-format.js';
import { rawFrames } from '../segmentation/raw-frames.js';
import { planFaceAnimation } from './face-animation.js';
import { mouthOpening, mouthWindow } from './mouth-opening.js';
import { speechLoudness } from './speech-loudness.js';

const character = starterCharacters.find((c) => c.id === 'f-young-sofia')!;
const voiceId = 'espeak-en-f1';
// Bilabials between open vowels: "ma", "pa", "ba" make the lips meet and part again.
const text = 'Mama, papa, baba, map!';

/** The mouth's opening in every frame, read back from the video. */
async function openingPerFrame(ffmpeg: string, video: string): Promise<number[]> {
  const w = mouthWindow;
  const source = rawFrames({
    ffmpegPath: ffmpeg,
    videoPath: video,
    width: w.width,
    height: w.height,
    pixFmt: 'rgb24',
    preFilter: `crop=${w.width}:${w.height}:${w.x}:${w.y}`,
  });
  const opening: number[] = [];
  for await (const frame of source.frames()) opening.push(mouthOpening(frame));
  await source.done;
  return opening;
}

/** Frames at the middle of each p/b/m and of each open vowel, as the product places them. */
async function soundFrames(
  ffmpeg: string,
  espeak: ResolvedBinary,
  speech: SynthesisResult,
  frameCount: number,
) {
  const loudness = await speechLoudness(ffmpeg, speech.path, outputFps, frameCount);
  const plan = await planFaceAnimation({
    words: speech.words,
    voiceId,
    frameCount,
    fps: outputFps,
    espeak,
    loudness,
  });
  const middle = (c: { start: number; end: number }) =>
    Math.min(frameCount - 1, Math.round(((c.start + c.end) / 2) * outputFps - 0.5));
  return {
    bilabials: plan.cues.filter((c) => c.bilabial).map(middle),
    vowels: plan.cues.filter((c) => c.viseme === 'aa' && c.end - c.start >= 0.06).map(middle),
  };
}

describe('lip-sync render of a drawn starter character', () => {
  let tools: MediaTools;
  let espeak: ResolvedBinary;
  let dir: string;
  let portrait: string;
  let speech: SynthesisResult;
  let renderer: LocalPortraitRenderer;

  beforeAll(async () => {
    [tools, espeak] = await Promise.all([requireMediaTools(), requireEspeak()]);
    dir = await tempDir('lipsync-render');
    portrait = (await renderPortraitPng(character.portrait, join(dir, 'sofia.png'))).path;
    speech = await new EspeakSpeechSynthesizer({ binary: espeak, logger: quietLogger }).synthesize({
      text,
      voiceId,
      outputPath: join(dir, 'speech.wav'),
    });
    const probe = new FfprobeMediaProbe({
      ffprobePath: tools.ffprobe,
      ffmpegPath: tools.ffmpeg,
      logger: quietLogger,
    });
    renderer = new LocalPortraitRenderer({
      ffmpegPath: tools.ffmpeg,
      probe,
      logger: quietLogger,
      preset: 'ultrafast',
      espeak,
    });
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('given its portrait and the words, when rendered, then the lips are shut on every p/b/m and open on the vowels, read back from the video', async () => {
    const output = join(dir, 'sofia.mp4');
    const result = await renderer.render({
      imagePath: portrait,
      audioPath: speech.path,
      outputPath: output,
      speech: { words: speech.words, voiceId },
    });
    expect(result).toMatchObject({
      width: 1080,
      height: 1920,
      provider: 'local-portrait',
      lipSync: true,
    });
    expect(Math.abs(result.durationSec - speech.durationSec)).toBeLessThanOrEqual(0.15);

    const opening = await openingPerFrame(tools.ffmpeg, output);
    const { bilabials, vowels } = await soundFrames(tools.ffmpeg, espeak, speech, opening.length);
    // "Mama, papa, baba, map": seven bilabials, and open vowels between them.
    expect(bilabials.length).toBeGreaterThanOrEqual(7);
    expect(vowels.length).toBeGreaterThanOrEqual(3);
    const widest = Math.max(...opening);
    expect(widest, 'the mouth opens wide somewhere').toBeGreaterThan(1500);
    for (const frame of bilabials)
      expect(opening[frame], `frame ${frame}: lips shut on a bilabial`).toBeLessThanOrEqual(
        0.03 * widest,
      );
    for (const frame of vowels)
      expect(opening[frame], `frame ${frame}: mouth open on a vowel`).toBeGreaterThan(0.2 * widest);
    // Before the speech starts, the mouth rests closed.
    expect(opening[0]).toBe(0);
  }, 180_000);

  it('given a picture that is not a drawn starter portrait (a photo, an edit), when rendered, then no lip-sync is claimed', async () => {
    const photo = await makePortrait(tools, join(dir, 'photo.png'), { width: 540, height: 960 });
    const edited = join(dir, 'edited.png');
    // The same portrait with other clothes: the face matches, the picture does not.
    await sharp(portrait)
      .composite([
        {
          input: { create: { width: 1080, height: 500, channels: 3, background: '#3060c0' } },
          left: 0,
          top: 1420,
        },
      ])
      .png()
      .toFile(edited);
    for (const imagePath of [photo, edited]) {
      const result = await renderer.render({
        imagePath,
        audioPath: speech.path,
        outputPath: join(dir, 'other.mp4'),
        speech: { words: speech.words, voiceId },
      });
      expect(result.lipSync, imagePath).toBe(false);
    }
  }, 180_000);
});

const npmFfmpeg = installedNpmFallbacks.ffmpeg();
const npmFfprobe = installedNpmFallbacks.ffprobe();
const npmEspeak = installedNpmFallbacks.espeakNgModule();

describe.skipIf(!npmFfmpeg || !npmFfprobe || !npmEspeak)(
  'lip-sync on the npm-shipped builds (ffmpeg 4.1, WebAssembly eSpeak NG, nothing on PATH)',
  () => {
    let dir: string;

    beforeAll(async () => {
      vi.stubEnv('PATH', '');
      for (const name of ['FFMPEG_PATH', 'FFPROBE_PATH', 'ESPEAK_NG_PATH'])
        vi.stubEnv(name, undefined);
      forgetSharedBinaries();
      forgetFfmpegCapabilities();
      dir = await tempDir('lipsync-npm');
    });

    afterAll(async () => {
      vi.unstubAllEnvs();
      forgetSharedBinaries();
      forgetFfmpegCapabilities();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('has every filter the speaking graph uses, and renders a speaking starter character', async () => {
      const [ffmpeg, ffprobe, espeak] = await Promise.all([
        sharedExecutable('ffmpeg', quietLogger),
        sharedExecutable('ffprobe', quietLogger),
        sharedBinary('espeak-ng', quietLogger),
      ]);
      expect([ffmpeg.source, ffprobe.source, espeak.source]).toEqual(['npm', 'npm', 'npm']);
      const capabilities = await ffmpegCapabilities(ffmpeg.path, quietLogger);
      for (const filter of ['loop', 'overlay', 'crop', 'format', 'setsar'])
        expect(capabilities.hasFilter(filter), filter).toBe(true);
      expect(await capabilities.filterHasOption('overlay', 'eval')).toBe(true);

      const portrait = (await renderPortraitPng(character.portrait, join(dir, 'sofia.png'))).path;
      const spoken = await new EspeakSpeechSynthesizer({ logger: quietLogger }).synthesize({
        text: 'Buy me!',
        voiceId,
        outputPath: join(dir, 'speech.wav'),
      });
      // Built without paths: it resolves the npm builds as a bare machine would.
      const result = await new LocalPortraitRenderer({ logger: quietLogger }).render({
        imagePath: portrait,
        audioPath: spoken.path,
        outputPath: join(dir, 'sofia.mp4'),
        speech: { words: spoken.words, voiceId },
      });
      expect(result).toMatchObject({ width: 1080, height: 1920, lipSync: true });
      const probed = await ffprobeJson({ ffmpeg: ffmpeg.path, ffprobe: ffprobe.path }, result.path);
      expect(probed.streams.find((s) => s.codec_type === 'video')).toMatchObject({
        codec_name: 'h264',
        width: 1080,
        height: 1920,
        pix_fmt: 'yuv420p',
      });
      expect(probed.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
      const opening = await openingPerFrame(ffmpeg.path, result.path);
      expect(Math.max(...opening), 'the mouth opens').toBeGreaterThan(500);
    }, 240_000);
  },
);
