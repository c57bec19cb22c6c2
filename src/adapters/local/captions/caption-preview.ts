import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import { assColor, buildAssSubtitles, escapeAssText } from './ass-subtitles.js';
import {
  burnedCaptionStyles,
  captionStyleOptions,
  talkingHeadCaptionMarginBottom,
  type BurnedCaptionStyle,
} from './caption-styles.js';
import { filterValue, runFfmpeg, writeAtomically } from '../ffmpeg/ffmpeg-run.js';
import { outputHeight, outputWidth } from '../ffmpeg/video-format.js';

export interface CaptionPreviewRequest {
  readonly ffmpegPath: string;
  /** A still of the kind of picture the captions go over (a portrait); cropped to 9:16. */
  readonly framePath: string;
  /**
   * The sample line, a few words: each style shows it as it would while the second word is spoken.
   */
  readonly sampleWords: readonly string[];
  /** The name printed over each style's panel, as its button says it. */
  readonly labels: Readonly<Record<BurnedCaptionStyle, string>>;
  /** A JPEG. */
  readonly outputPath: string;
  readonly signal?: AbortSignal;
}

/**
 * Each panel is the 1080×1920 frame at 40 %: the captions keep their real size relative to the
 * picture.
 */
export const previewPanel = { width: 432, height: 768, gap: 12 } as const;
const wordSec = 0.5;
// A moment in the second word: the frame shows which word a style highlights, and how.
const shownAtSec = 0.75;

/**
 * One image of every caption style side by side, each burned by the same ASS renderer (libass)
 * that burns the videos, over the same still, with the style's name on top. What the user picks
 * from is what the video will show, not a description of it.
 */
export async function renderCaptionPreview(request: CaptionPreviewRequest): Promise<void> {
  const words: WordTiming[] = request.sampleWords.map((word, i) => ({
    word,
    start: i * wordSec,
    end: (i + 1) * wordSec,
  }));
  const workDir = await mkdtemp(join(tmpdir(), 'caption-preview-'));
  try {
    const tracks = await Promise.all(
      burnedCaptionStyles.map(async (style) => {
        const path = join(workDir, `${style}.ass`);
        await writeFile(
          path,
          labelled(
            buildAssSubtitles(words, {
              ...captionStyleOptions(style),
              marginBottom: talkingHeadCaptionMarginBottom,
            }),
            request.labels[style],
          ),
        );
        return path;
      }),
    );
    const { width, height, gap } = previewPanel;
    const count = burnedCaptionStyles.length;
    const graph = [
      `[0:v]scale=${outputWidth}:${outputHeight}:force_original_aspect_ratio=increase,crop=${outputWidth}:${outputHeight},setsar=1,format=yuv420p,split=${count}${tracks.map((_, i) => `[f${i}]`).join('')}`,
      ...tracks.map(
        (track, i) =>
          `[f${i}]ass=filename=${filterValue(track)},scale=${width}:${height},pad=${width + gap}:${height + gap}:${gap / 2}:${gap / 2}:color=0x1E1E1E[p${i}]`,
      ),
      `${tracks.map((_, i) => `[p${i}]`).join('')}hstack=inputs=${count}[v]`,
    ];
    await writeAtomically(request.outputPath, (partial) =>
      runFfmpeg(
        request.ffmpegPath,
        'caption-preview',
        [
          '-loop',
          '1',
          '-framerate',
          '4',
          '-t',
          String(shownAtSec + 0.5),
          '-i',
          request.framePath,
          '-filter_complex',
          graph.join(';'),
          '-map',
          '[v]',
          '-ss',
          String(shownAtSec),
          '-frames:v',
          '1',
          '-q:v',
          '3',
          '-f',
          'image2',
          '-y',
          partial,
        ],
        { signal: request.signal, timeoutMs: 60_000 },
      ),
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Adds the style's name at the top of the frame, white on a dark box, for the whole preview. */
function labelled(ass: string, label: string): string {
  const style = `Style: Label,DejaVu Sans,120,${assColor('#FFFFFF')},${assColor('#FFFFFF')},${assColor('#1E1E1E', 0.85)},&H00000000,-1,0,0,0,100,100,0,0,3,24,0,8,40,40,90,1`;
  return (
    ass.replace('\n\n[Events]\n', `\n${style}\n\n[Events]\n`) +
    `Dialogue: 1,0:00:00.00,9:59:59.00,Label,,0,0,0,,${escapeAssText(label)}\n`
  );
}
