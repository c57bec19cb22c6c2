import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import { captionTokens, captionWidth, joinCaption, type CaptionToken } from './caption-tokens.js';

export interface AssSubtitleOptions {
  readonly width?: number;
  readonly height?: number;
  readonly fontName?: string;
  readonly fontSize?: number;
  /** `#RRGGBB`. */
  readonly textColor?: string;
  /** `#RRGGBB` of the word being spoken. */
  readonly highlightColor?: string;
  readonly outlineColor?: string;
  readonly outlineWidth?: number;
  /** Distance of the caption's baseline from the bottom of the frame. */
  readonly marginBottom?: number;
  readonly marginSides?: number;
  readonly maxWordsPerCaption?: number;
  readonly maxCharsPerCaption?: number;
  /** A caption stays up through pauses shorter than this, instead of blinking off. */
  readonly holdGapSec?: number;
  /** Words in capitals (the locale-independent mapping; scripts without case are unchanged). */
  readonly uppercase?: boolean;
  /** The word being spoken grows by this factor (1: same size as the others). */
  readonly highlightScale?: number;
  /**
   * A dark box behind each line instead of an outline: `#RRGGBB`, its opacity 0..1, and how far it
   * reaches past the letters (libass's opaque-box border style, where the outline is the box).
   */
  readonly box?: {
    readonly color: string;
    readonly opacity: number;
    readonly padding: number;
  } | null;
}

const defaults = {
  width: 1080,
  height: 1920,
  fontName: 'DejaVu Sans',
  fontSize: 76,
  textColor: '#FFFFFF',
  highlightColor: '#FFD21F',
  outlineColor: '#000000',
  outlineWidth: 6,
  marginBottom: 760,
  marginSides: 70,
  maxWordsPerCaption: 3,
  maxCharsPerCaption: 24,
  holdGapSec: 0.7,
  uppercase: false,
  highlightScale: 1,
  box: null,
} satisfies Required<AssSubtitleOptions>;

/**
 * A word-by-word karaoke caption track: words are grouped into short captions, and while a
 * caption is on screen the word being spoken is coloured. Pure: the same words give the same file.
 */
export function buildAssSubtitles(
  words: readonly WordTiming[],
  options: AssSubtitleOptions = {},
): string {
  const o = { ...defaults, ...options };
  const header = [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${o.width}`,
    `PlayResY: ${o.height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: TV.709',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    captionStyleLine(o),
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  const grow =
    o.highlightScale === 1
      ? ''
      : `\\fscx${Math.round(o.highlightScale * 100)}\\fscy${Math.round(o.highlightScale * 100)}`;
  const highlight = `{\\c${assColor(o.highlightColor)}${grow}}`;
  const shown = (word: string) => escapeAssText(o.uppercase ? word.toUpperCase() : word);
  const events: string[] = [];
  const captions = groupCaptions(words, o);
  captions.forEach((caption, captionIndex) => {
    const nextStart = captions[captionIndex + 1]?.[0]?.start;
    const last = caption.at(-1)!;
    // Hold the caption through a short pause; after a long one, clear the screen.
    const captionEnd =
      nextStart !== undefined && nextStart - last.end < o.holdGapSec
        ? nextStart
        : Math.max(last.end, last.start + 0.05);
    caption.forEach((word, i) => {
      const end = caption[i + 1]?.start ?? captionEnd;
      const text = joinCaption(caption, (other, j) =>
        j === i ? `${highlight}${shown(other.word)}{\\r}` : shown(other.word),
      );
      // Rounded to centiseconds, a very short word can vanish; libass would skip it anyway.
      if (Math.round(end * 100) > Math.round(word.start * 100)) {
        events.push(
          `Dialogue: 0,${formatAssTime(word.start)},${formatAssTime(end)},Caption,,0,0,0,,${text}`,
        );
      }
    });
  });
  return `${[...header, ...events].join('\n')}\n`;
}

/** The `Caption` style: outlined text with a soft shadow, or text on a box (border style 3). */
function captionStyleLine(o: Required<AssSubtitleOptions>): string {
  const font = o.fontName.replace(/,/g, ' ');
  const text = assColor(o.textColor);
  const [borderStyle, outlineColour, outline, shadow] = o.box
    ? [3, assColor(o.box.color, o.box.opacity), o.box.padding, 0]
    : [1, assColor(o.outlineColor), o.outlineWidth, 2];
  return `Style: Caption,${font},${o.fontSize},${text},${text},${outlineColour},&H80000000,-1,0,0,0,100,100,0,0,${borderStyle},${outline},${shadow},2,${o.marginSides},${o.marginSides},${o.marginBottom},1`;
}

/**
 * Splits words into captions: a few words each, no wider than the line, and a new caption after a
 * sentence ends. Chinese and Japanese words are split into their characters first
 * (`captionTokens`), which the word limit does not count: their line is limited by its width.
 */
export function groupCaptions(
  words: readonly WordTiming[],
  limits: { readonly maxWordsPerCaption: number; readonly maxCharsPerCaption: number },
): CaptionToken[][] {
  const captions: CaptionToken[][] = [];
  let current: CaptionToken[] = [];
  let wordCount = 0;
  let width = 0;
  const close = () => {
    if (current.length > 0) captions.push(current);
    current = [];
    wordCount = 0;
    width = 0;
  };
  for (const token of captionTokens(words)) {
    const length = captionWidth(token.word);
    const space = current.length > 0 && !token.glued ? 1 : 0;
    const tooManyWords = !token.glued && wordCount >= limits.maxWordsPerCaption;
    if (current.length > 0 && (tooManyWords || width + space + length > limits.maxCharsPerCaption))
      close();
    width += (current.length > 0 && !token.glued ? 1 : 0) + length;
    if (current.length === 0 || !token.glued) wordCount += 1;
    current.push(token);
    if (/[.!?…。！？]["»”'）)」』]*$/u.test(token.word)) close();
  }
  close();
  return captions;
}

/**
 * Makes user text literal in an ASS event. `{` opens an override block and `\N`, `\n`, `\h`
 * are line-break codes, so braces are escaped (`\{`, which libass prints as `{`), and a backslash
 * gets an invisible word joiner after it so it can never combine with the next letter.
 * Line breaks become spaces: the caption layout is ours.
 */
export function escapeAssText(text: string): string {
  return text
    .replace(/\\/g, '\\\u2060')
    .replace(/[{}]/g, (brace) => `\\${brace}`)
    .replace(/\r\n|\r|\n/g, ' ');
}

/** `H:MM:SS.cc`, the only time format ASS knows (centiseconds). */
export function formatAssTime(seconds: number): string {
  const total = Math.max(0, Math.round(seconds * 100));
  const cs = total % 100;
  const s = Math.floor(total / 100) % 60;
  const m = Math.floor(total / 6000) % 60;
  const h = Math.floor(total / 360000);
  return `${h}:${pad(m)}:${pad(s)}.${pad(cs)}`;
}

/** `#RRGGBB` → `&HAABBGGRR` (ASS colours are little-endian, alpha first, 00 = opaque). */
export function assColor(hex: string, opacity = 1): string {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new RangeError(`not a #RRGGBB colour: ${hex}`);
  if (!(opacity >= 0 && opacity <= 1))
    throw new RangeError(`opacity ${opacity} is not within 0..1`);
  const [, r, g, b] = match;
  const alpha = Math.round((1 - opacity) * 255)
    .toString(16)
    .padStart(2, '0');
  return `&H${alpha}${b}${g}${r}`.toUpperCase();
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
