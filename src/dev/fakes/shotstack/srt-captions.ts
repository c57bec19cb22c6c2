import {
  assColor,
  escapeAssText,
  formatAssTime,
} from '../../../adapters/local/captions/ass-subtitles.js';

export interface SrtCue {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Reads SRT (or WebVTT cues) leniently, as a renderer would; a file with no cue is an error. */
export function parseSrt(text: string): SrtCue[] {
  const cues: SrtCue[] = [];
  const time = /(\d+):(\d{2}):(\d{2})[,.](\d{3})\s*-->\s*(\d+):(\d{2}):(\d{2})[,.](\d{3})/;
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((line) => line.trim() !== '');
    const at = lines.findIndex((line) => time.test(line));
    if (at < 0) continue;
    const m = time.exec(lines[at]!)!.slice(1).map(Number);
    const seconds = (h: number, mi: number, s: number, ms: number) =>
      h * 3600 + mi * 60 + s + ms / 1000;
    cues.push({
      start: seconds(m[0]!, m[1]!, m[2]!, m[3]!),
      end: seconds(m[4]!, m[5]!, m[6]!, m[7]!),
      text: lines.slice(at + 1).join(' '),
    });
  }
  if (cues.length === 0) throw new Error('the captions file has no cues');
  return cues;
}

export interface CaptionLook {
  readonly width: number;
  readonly height: number;
  readonly family?: string;
  readonly size?: number;
  readonly color?: string;
  readonly stroke?: string;
  readonly strokeWidth?: number;
  /** Fractions of the frame, as in the caption asset's `margin`. */
  readonly margin?: { readonly top?: number; readonly left?: number; readonly right?: number };
}

/**
 * The caption asset as the fake draws it: centred text, `margin.top` placing the top of the
 * text that far down the frame (bottom of the frame when absent), cues shifted to the clip's start
 * and cut at its end.
 */
export function captionsToAss(
  cues: readonly SrtCue[],
  look: CaptionLook,
  clip: { start: number; end: number },
): string {
  const top = look.margin?.top;
  const alignment = top !== undefined ? 8 : 2;
  const marginV = Math.round(top !== undefined ? top * look.height : 0.05 * look.height);
  const marginL = Math.round((look.margin?.left ?? 0.05) * look.width);
  const marginR = Math.round((look.margin?.right ?? 0.05) * look.width);
  const color = assColor((look.color ?? '#ffffff').slice(0, 7));
  const stroke = assColor((look.stroke ?? '#000000').slice(0, 7));
  const events = cues
    .map((cue) => ({
      start: cue.start + clip.start,
      end: Math.min(cue.end + clip.start, clip.end),
      text: cue.text,
    }))
    .filter((cue) => cue.end > cue.start)
    .map(
      (cue) =>
        `Dialogue: 0,${formatAssTime(cue.start)},${formatAssTime(cue.end)},Caption,,0,0,0,,${escapeAssText(cue.text)}`,
    );
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${look.width}`,
    `PlayResY: ${look.height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Caption,${(look.family ?? 'DejaVu Sans').replace(/,/g, ' ')},${look.size ?? 48},${color},${color},${stroke},&H80000000,-1,0,0,0,100,100,0,0,1,${look.strokeWidth ?? 2},0,${alignment},${marginL},${marginR},${marginV},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...events,
    '',
  ].join('\n');
}
