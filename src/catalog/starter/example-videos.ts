import { join } from 'node:path';
import type { EspeakSpeechSynthesizer } from '../../adapters/local/speech/espeak-speech.js';
import type { FfmpegCompositor } from '../../adapters/local/compositor/ffmpeg-compositor.js';
import { defaultOverlayShape } from '../../domain/events/values.js';
import type { LocalPortraitRenderer } from '../../adapters/local/talking-head/portrait-renderer.js';
import type { Logger } from '../../logging/logger.js';
import type { OverlayShape } from '../../ports/compositor.js';
import type { WordTiming } from '../../ports/speech-synthesizer.js';
import type { VideoResult } from '../../ports/talking-head-renderer.js';
import { CatalogBuildError } from '../catalog-errors.js';
import type { CatalogExampleEntry } from '../catalog-manifest.js';
import { renderDriftingGradient } from './drifting-gradient.js';

/**
 * The examples the format screen shows. Both are made from one talking head, the background
 * one by compositing it, which halves the work on first start and shows the same person and
 * words in both formats, so the difference between them is the only thing that changes.
 */
export interface ExampleSpec {
  readonly characterId: string;
  readonly voiceId: string;
  readonly text: string;
  readonly shape: OverlayShape;
}

export const starterExample: ExampleSpec = {
  characterId: 'f-adult-elena',
  voiceId: 'espeak-ru-f1',
  text: 'Привет! Напишите текст, выберите героя и голос, и ваша видеореклама готова.',
  // The shape a user gets by default, so the example shows what they will get.
  shape: defaultOverlayShape,
};

export const exampleFileNames: Readonly<Record<CatalogExampleEntry['format'], string>> = {
  talking_head: 'examples/talking-head.mp4',
  background: 'examples/background.mp4',
};

export interface ExampleTools {
  readonly ffmpegPath: string;
  readonly speech: EspeakSpeechSynthesizer;
  readonly renderer: LocalPortraitRenderer;
  readonly compositor: FfmpegCompositor;
  readonly logger: Logger;
}

/** The talking-head example, through the same local providers a user's generation uses. */
export async function renderTalkingHeadExample(
  tools: ExampleTools,
  spec: ExampleSpec,
  portraitPath: string,
  outputPath: string,
  workDir: string,
): Promise<VideoResult & { readonly words: readonly WordTiming[] }> {
  try {
    const speech = await tools.speech.synthesize({
      text: spec.text,
      voiceId: spec.voiceId,
      outputPath: join(workDir, 'example-speech.wav'),
    });
    // With the words the drawn example character speaks with lip-sync, as a user's would.
    const video = await tools.renderer.render({
      imagePath: portraitPath,
      audioPath: speech.path,
      outputPath,
      speech: { words: speech.words, voiceId: spec.voiceId },
    });
    return { ...video, words: speech.words };
  } catch (error) {
    throw new CatalogBuildError('example talking_head', 'could not render the example video', {
      cause: error,
    });
  }
}

/** The background example: the talking-head example over a generated clip, with subtitles. */
export async function renderBackgroundExample(
  tools: ExampleTools,
  spec: ExampleSpec,
  talkingHead: {
    readonly path: string;
    readonly durationSec: number;
    readonly words: readonly WordTiming[];
  },
  outputPath: string,
  workDir: string,
): Promise<VideoResult> {
  try {
    const background = await renderBackgroundClip(
      tools.ffmpegPath,
      join(workDir, 'background.mp4'),
      Math.ceil(talkingHead.durationSec) + 1,
    );
    return await tools.compositor.composite({
      backgroundPath: background,
      talkingHeadPath: talkingHead.path,
      shape: spec.shape,
      words: talkingHead.words,
      outputPath,
    });
  } catch (error) {
    throw new CatalogBuildError('example background', 'could not render the example video', {
      cause: error,
    });
  }
}

/**
 * A stand-in for a user's background clip. Rendered small, because the compositor scales every
 * background to 1080×1920 anyway.
 */
export function renderBackgroundClip(
  ffmpegPath: string,
  outputPath: string,
  seconds: number,
): Promise<string> {
  return renderDriftingGradient(ffmpegPath, outputPath, {
    width: 540,
    height: 960,
    seconds,
    colors: ['0xff7e5f', '0xfeb47b', '0x6a82fb'],
  });
}
