import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { starterExample } from '../../../catalog/starter/example-videos.js';
import { renderDriftingGradient } from '../../../catalog/starter/drifting-gradient.js';
import { buildStarterCatalog } from '../../../catalog/starter/build-starter-catalog.js';
import { starterCharacters } from '../../../catalog/starter/starter-characters.js';
import { FfmpegThumbnailMaker } from '../../../pipeline/thumbnail-maker.js';
import type { MatteMode } from '../../../ports/overlay-matte-maker.js';
import type { OverlayShape } from '../../../ports/compositor.js';
import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import {
  startShotstackHarness,
  type ShotstackHarness,
} from '../../../testing/shotstack/shotstack-test-harness.js';
import { LocalMatteMaker } from '../matte/local-matte-maker.js';
import { renderCaptionPreview } from '../captions/caption-preview.js';
import { burnedCaptionStyles } from '../captions/caption-styles.js';
import { EspeakSpeechSynthesizer } from '../speech/espeak-speech.js';
import { espeakVoices } from '../speech/espeak-voices.js';
import { FfmpegCaptionBurner } from '../captions/ffmpeg-caption-burner.js';
import { FfmpegCompositor } from '../compositor/ffmpeg-compositor.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { LocalPortraitRenderer } from '../talking-head/portrait-renderer.js';
import {
  ffprobeJson,
  makePortrait,
  quietLogger,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';
import { FfmpegMontageRenderer } from '../montage/ffmpeg-montage-renderer.js';
import { ffmpegCapabilities, forgetFfmpegCapabilities } from './ffmpeg-capabilities.js';
import { forgetSharedBinaries, sharedBinary, sharedExecutable } from './media-binaries.js';
import { installedNpmFallbacks } from './npm-fallbacks.js';

/**
 * A machine with Node.js and nothing else runs every media step on the npm-shipped builds: ffmpeg
 * 4.1 (2018), a recent static ffprobe and the WebAssembly espeak-ng. Each product path that runs
 * ffmpeg runs here once, on small inputs, with PATH emptied and no `*_PATH` override, so the
 * shared resolution picks the npm builds exactly as it would there. A filter, source, option or
 * encoder that build lacks fails its path here, not on a user's first `npm run demo`.
 */
const npmFfmpeg = installedNpmFallbacks.ffmpeg();
const npmFfprobe = installedNpmFallbacks.ffprobe();
const npmEspeak = installedNpmFallbacks.espeakNgModule();

let dir: string;
let tools: MediaTools;
let probe: FfprobeMediaProbe;
let speech: { path: string; durationSec: number; words: readonly WordTiming[] };
let head: string;

async function expectDeliverable(path: string, speechSec: number): Promise<void> {
  const probed = await ffprobeJson(tools, path);
  const video = probed.streams.find((s) => s.codec_type === 'video');
  expect(video).toMatchObject({
    codec_name: 'h264',
    width: 1080,
    height: 1920,
    pix_fmt: 'yuv420p',
  });
  const audio = probed.streams.find((s) => s.codec_type === 'audio');
  expect(audio?.codec_name).toBe('aac');
  // One frame at 30 fps plus one AAC frame: the steps in which a stream can end.
  expect(Math.abs(Number(audio?.duration) - speechSec)).toBeLessThanOrEqual(1 / 30 + 1024 / 44_100);
  expect(Math.abs(Number(video?.duration) - speechSec)).toBeLessThanOrEqual(1 / 30 + 1024 / 44_100);
}

describe.skipIf(!npmFfmpeg || !npmFfprobe || !npmEspeak)(
  'every local media path on the npm-shipped builds (no system ffmpeg, ffprobe or espeak-ng on PATH)',
  () => {
    beforeAll(async () => {
      vi.stubEnv('PATH', '');
      for (const name of ['FFMPEG_PATH', 'FFPROBE_PATH', 'ESPEAK_NG_PATH'])
        vi.stubEnv(name, undefined);
      forgetSharedBinaries();
      forgetFfmpegCapabilities();
      const [ffmpeg, ffprobe, espeak] = await Promise.all([
        sharedExecutable('ffmpeg', quietLogger),
        sharedExecutable('ffprobe', quietLogger),
        sharedBinary('espeak-ng', quietLogger),
      ]);
      expect([ffmpeg.source, ffprobe.source, espeak.source]).toEqual(['npm', 'npm', 'npm']);
      expect(espeak.kind).toBe('wasm');
      tools = { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path };
      dir = await tempDir('npm-media-paths');
      // Every provider below is built without a path, so each resolves its binaries as in
      // production.
      probe = new FfprobeMediaProbe({ logger: quietLogger });
      const tts = new EspeakSpeechSynthesizer({ logger: quietLogger });
      speech = await tts.synthesize({
        text: 'Hello there, buy now!',
        voiceId: 'espeak-en-m2',
        outputPath: join(dir, 'speech.wav'),
      });
      const portrait = await makePortrait(tools, join(dir, 'portrait.png'), {
        width: 360,
        height: 360,
      });
      head = (
        await new LocalPortraitRenderer({ probe, logger: quietLogger }).render({
          imagePath: portrait,
          audioPath: speech.path,
          outputPath: join(dir, 'head.mp4'),
        })
      ).path;
      await expectDeliverable(head, speech.durationSec);
    }, 180_000);

    afterAll(async () => {
      vi.unstubAllEnvs();
      forgetSharedBinaries();
      forgetFfmpegCapabilities();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('probes what the build can do: the filters the graphs use are there, the newer ones are known to be missing', async () => {
      const capabilities = await ffmpegCapabilities(tools.ffmpeg, quietLogger);
      for (const filter of [
        'alphamerge',
        'alphaextract',
        'ass',
        'zoompan',
        'showvolume',
        'colorkey',
        'overlay',
        'loop',
        'vstack',
        'apad',
        'adelay',
        'amix',
      ]) {
        expect(capabilities.hasFilter(filter), filter).toBe(true);
      }
      for (const encoder of ['libx264', 'aac', 'libopus', 'libmp3lame', 'mjpeg'])
        expect(capabilities.hasEncoder(encoder), encoder).toBe(true);
      // What the 4.1 build lacks, and the graphs therefore avoid or detect.
      expect(capabilities.hasFilter('gradients')).toBe(false);
      expect(await capabilities.filterHasOption('alphamerge', 'shortest')).toBe(false);
      expect(await capabilities.filterHasOption('adelay', 'all')).toBe(false);
      expect(await capabilities.filterHasOption('amix', 'normalize')).toBe(false);
      expect(await capabilities.filterHasOption('overlay', 'eof_action')).toBe(true);
      expect(await capabilities.filterHasOption('overlay', 'enable')).toBe(true);
      expect(await ffmpegCapabilities(tools.ffmpeg)).toBe(capabilities);
    });

    it('composites the head as a circle and as a rounded rectangle with burned-in captions, and takes a thumbnail', async () => {
      const background = await renderDriftingGradient(tools.ffmpeg, join(dir, 'background.mp4'), {
        width: 360,
        height: 640,
        seconds: 1,
        colors: ['0x203060', '0xf0a040'],
      });
      const compositor = new FfmpegCompositor({
        probe,
        logger: quietLogger,
        maskDir: join(dir, 'masks'),
        preset: 'ultrafast',
      });
      for (const shape of ['circle', 'rounded_rect'] as const) {
        const result = await compositor.composite({
          backgroundPath: background,
          talkingHeadPath: head,
          shape,
          words: speech.words,
          outputPath: join(dir, `${shape}.mp4`),
        });
        await expectDeliverable(result.path, speech.durationSec);
      }
      const thumbnail = await new FfmpegThumbnailMaker({ logger: quietLogger }).extract(
        join(dir, 'circle.mp4'),
        join(dir, 'thumb.jpg'),
        speech.durationSec,
      );
      expect([...(await readFile(thumbnail)).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    }, 180_000);

    it('burns every caption style over the talking head, and draws the style preview', async () => {
      const burner = new FfmpegCaptionBurner({ probe, logger: quietLogger, preset: 'ultrafast' });
      for (const style of burnedCaptionStyles) {
        const result = await burner.burn({
          videoPath: head,
          words: speech.words,
          style,
          outputPath: join(dir, `captions-${style}.mp4`),
        });
        await expectDeliverable(result.path, speech.durationSec);
      }
      const preview = join(dir, 'caption-preview.jpg');
      const portrait = await makePortrait(tools, join(dir, 'preview-portrait.png'), {
        width: 360,
        height: 640,
      });
      await renderCaptionPreview({
        ffmpegPath: tools.ffmpeg,
        framePath: portrait,
        sampleWords: ['Fresh', 'coffee', 'every', 'morning'],
        labels: { classic: 'Classic', bold: 'Bold', boxed: 'Boxed' },
        outputPath: preview,
      });
      expect((await ffprobeJson(tools, preview)).streams[0]).toMatchObject({
        width: 1332,
        height: 780,
      });
    }, 180_000);

    describe('the overlay chain: matte maker, then the ffmpeg montage and the Shotstack fake', () => {
      let shotstack: ShotstackHarness;
      const overlays = new Map<string, string>();
      const chains: ReadonlyArray<{ shape: OverlayShape; mode: MatteMode }> = [
        { shape: 'circle', mode: 'greenscreen' },
        { shape: 'cutout', mode: 'matte' },
      ];
      beforeAll(async () => {
        shotstack = await startShotstackHarness();
      });
      afterAll(async () => {
        await shotstack?.cleanup();
      });

      it.each(chains)(
        'matte maker: $shape $mode as long as the head',
        async ({ shape, mode }) => {
          const result = await new LocalMatteMaker({
            probe,
            logger: quietLogger,
            maskDir: join(dir, 'masks'),
            preset: 'ultrafast',
          }).makeMatte({
            talkingHeadPath: head,
            shape,
            mode,
            outputPath: join(dir, `${shape}-${mode}.mp4`),
          });
          const probed = await ffprobeJson(tools, result.path);
          expect(probed.streams.find((s) => s.codec_type === 'video')).toMatchObject({
            codec_name: 'h264',
            width: 1080,
            height: 1920,
          });
          expect(Math.abs(Number(probed.format.duration) - speech.durationSec)).toBeLessThanOrEqual(
            0.1,
          );
          overlays.set(`${shape}-${mode}`, result.path);
        },
        120_000,
      );

      it.each(chains)(
        'montage: $shape $mode by ffmpeg and by the Shotstack fake',
        async ({ shape, mode }) => {
          const overlayPath = overlays.get(`${shape}-${mode}`);
          if (!overlayPath) throw new Error('the matte maker test made no overlay');
          const backgroundPath = await renderDriftingGradient(
            tools.ffmpeg,
            join(dir, 'montage-bg.mp4'),
            { width: 360, height: 640, seconds: 1, colors: ['0x103050', '0xe0c080'] },
          );
          const request = {
            backgroundPath,
            talkingHeadPath: head,
            overlayPath,
            overlayMode: mode,
            shape,
            words: speech.words,
          };
          const local = await new FfmpegMontageRenderer({ probe, logger: quietLogger }).render({
            ...request,
            outputPath: join(dir, `montage-${shape}.mp4`),
          });
          await expectDeliverable(local.path, speech.durationSec);
          const cloud = await shotstack
            .renderer()
            .render({ ...request, outputPath: join(dir, `shotstack-${shape}.mp4`) });
          const probed = await ffprobeJson(tools, cloud.path);
          expect(probed.streams.find((s) => s.codec_type === 'video')).toMatchObject({
            codec_name: 'h264',
            width: 1080,
            height: 1920,
          });
          expect(probed.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
        },
        180_000,
      );
    });

    it('builds the starter catalog from scratch: a portrait, a voice preview and both example videos', async () => {
      const character = starterCharacters.find((c) => c.id === starterExample.characterId)!;
      const voice = espeakVoices.find((v) => v.id === starterExample.voiceId)!;
      const catalogDir = join(dir, 'catalog');
      const report = await buildStarterCatalog({
        catalogDir,
        logger: quietLogger,
        characters: [character],
        voices: [voice],
        example: { ...starterExample, text: 'Привет! Это пример.' },
        preset: 'ultrafast',
      });
      expect(report.manifest.examples.map((e) => e.format).sort()).toEqual([
        'background',
        'talking_head',
      ]);
      for (const file of [
        ...report.manifest.examples.map((e) => e.videoFile),
        ...report.manifest.voices.flatMap((v) => (v.previewFile ? [v.previewFile] : [])),
      ]) {
        expect((await stat(join(catalogDir, file))).size, file).toBeGreaterThan(1000);
      }
      for (const example of report.manifest.examples) {
        const probed = await ffprobeJson(tools, join(catalogDir, example.videoFile));
        expect(probed.streams.find((s) => s.codec_type === 'video')).toMatchObject({
          codec_name: 'h264',
          width: 1080,
          height: 1920,
        });
      }
    }, 240_000);
  },
);
