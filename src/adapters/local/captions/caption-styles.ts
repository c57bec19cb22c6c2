import type { CaptionStyle } from '../../../domain/events/values.js';
import type { AssSubtitleOptions } from './ass-subtitles.js';

/** A style that puts words on screen. */
export type BurnedCaptionStyle = Exclude<CaptionStyle, 'none'>;

export const burnedCaptionStyles: readonly BurnedCaptionStyle[] = ['classic', 'bold', 'boxed'];

/**
 * What each caption style looks like on a 1080×1920 frame, as options of the ASS track. The
 * placement (the baseline's distance from the bottom) is the caller's: the talking head puts the
 * words in the lower third, the background format above its overlay.
 *
 * - classic: what the background format always burned: white words with a black outline, the
 *   word being spoken in yellow, three words at a time.
 * - bold: big capitals two words at a time, the spoken word yellow and larger — the look of
 *   short-form ads.
 * - boxed: smaller white words on a dark box, the spoken word yellow: readable over
 *   any picture.
 */
export function captionStyleOptions(
  style: BurnedCaptionStyle,
): Omit<AssSubtitleOptions, 'width' | 'height' | 'marginBottom'> {
  switch (style) {
    case 'classic':
      return {};
    case 'bold':
      return {
        fontSize: 100,
        uppercase: true,
        highlightColor: '#FFE11A',
        highlightScale: 1.15,
        outlineWidth: 8,
        maxWordsPerCaption: 2,
        maxCharsPerCaption: 16,
      };
    case 'boxed':
      return {
        fontSize: 66,
        highlightColor: '#FFD21F',
        box: { color: '#141414', opacity: 1, padding: 16 },
        maxWordsPerCaption: 4,
        maxCharsPerCaption: 26,
      };
    default:
      return unreachable(style);
  }
}

function unreachable(style: never): never {
  throw new RangeError(`unknown caption style ${String(style)}`);
}

/**
 * The baseline's distance from the bottom of a 1920-high talking-head frame: inside the lower
 * third, under the chin of every starter portrait, clear of the player's controls.
 */
export const talkingHeadCaptionMarginBottom = 330;
