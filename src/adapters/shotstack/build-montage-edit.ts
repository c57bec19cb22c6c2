import type { MatteMode } from '../../ports/overlay-matte-maker.js';
import { frameOnOutput, type OverlayPlacement } from '../local/montage/overlay-placement.js';
import { outputFps, outputHeight, outputWidth } from '../local/ffmpeg/video-format.js';
import type { ShotstackClip, ShotstackEdit, ShotstackTrack } from './edit-types.js';

export interface CaptionStyle {
  readonly fontFamily: string;
  readonly fontSize: number;
  readonly color: string;
  readonly stroke: string;
  readonly strokeWidth: number;
  /** The box behind the words; opacity 0 for none. */
  readonly background: {
    readonly color: string;
    readonly opacity: number;
    readonly padding: number;
  };
}

export interface MontageEditInput {
  /** Signed URLs Shotstack fetches the inputs from. */
  readonly urls: {
    readonly background: string;
    /** The green-screen video, or the grayscale matte. */
    readonly overlay: string;
    /** The talking head's picture: the fill the matte cuts (matte mode only). */
    readonly fill?: string;
    /** The speech alone (an MP3 extracted from the talking head). */
    readonly speech: string;
    /** The SRT; absent when there are no words. */
    readonly captions?: string;
  };
  readonly mode: MatteMode;
  readonly placement: OverlayPlacement;
  readonly speechSec: number;
  readonly backgroundSec: number;
  readonly chromaKey?: { readonly threshold: number; readonly halo: number };
  readonly caption?: Partial<CaptionStyle>;
}

/**
 * Distances from pure green (0..250 of Shotstack's scale) removed, then faded: keeps skin and hair.
 */
export const defaultChromaKey = { threshold: 120, halo: 60 } as const;

export const defaultCaptionStyle: CaptionStyle = {
  fontFamily: 'Open Sans',
  fontSize: 76,
  color: '#ffffff',
  stroke: '#000000',
  strokeWidth: 3,
  background: { color: '#000000', opacity: 0, padding: 0 },
};

/**
 * The user's caption style in Shotstack's terms, as close to the local look as its caption asset
 * allows.
 */
export function shotstackCaptionStyle(style: 'classic' | 'bold' | 'boxed'): Partial<CaptionStyle> {
  switch (style) {
    case 'bold':
      return { fontSize: 100, strokeWidth: 5 };
    case 'boxed':
      return {
        fontSize: 66,
        strokeWidth: 0,
        background: { color: '#141414', opacity: 1, padding: 16 },
      };
    default:
      return {};
  }
}

/**
 * The Shotstack Edit of the background format. Tracks, top first:
 *   1. captions from our SRT (deterministic, no Shotstack transcription to pay for) as a `caption`
 *      asset: the vendored OpenAPI definition marks the retired asset types `deprecated` and does
 *      not mark `caption`, and `rich-caption` adds word animations we do not use (a test fails
 *      once a refreshed definition deprecates `caption`);
 *   2. the overlay: the green-screen video with `chromaKey`, or the fill video plus a `luma` clip
 *      (the matte, with the polarity Shotstack reads: luma-polarity.ts) in the same track, which
 *      Shotstack applies to that clip;
 *   3. the speech as an audio clip;
 *   4. the user's clip, repeated back to back until the speech ends (Shotstack does not loop a
 *      clip by itself), `fit: crop` — Shotstack's `cover` stretches without keeping the aspect
 *      ratio, `crop` is what CSS calls cover. Its own sound is muted (`volume: 0`): a clip's music
 * or chatter under the voice makes the ad harder to follow, and the local renderer drops it too,
 *      so both providers sound alike.
 * Every clip lasts exactly the speech, so the render is no longer than the speech.
 *
 * Placement of the overlay (`fit: contain`, `position: center`): Shotstack first fits the frame
 * (w×h) inside the 1080×1920 viewport, a factor k = min(1080/w, 1920/h), then multiplies by
 * `scale`, so `scale = s / k` gives s output pixels per overlay pixel. The clip is centred and then
 * moved by `offset`, a fraction of the viewport: x to the right, y UP (Shotstack's y grows
 * upwards).
 * With the frame's rectangle on the output (left, top, W, H) from the placement:
 *   offset.x = (left + W/2 − 1080/2) / 1080,   offset.y = (1920/2 − (top + H/2)) / 1920.
 * The whole frame is placed rather than cropped to the shape: outside the shape it is keyed or
 * matted away, so no `crop` (whose reference size the docs leave unclear) is needed.
 */
export function buildMontageEdit(input: MontageEditInput): ShotstackEdit {
  const length = round(input.speechSec, 3);
  const tracks: ShotstackTrack[] = [];
  const style = { ...defaultCaptionStyle, ...input.caption };
  if (input.urls.captions) {
    // The caption box's top sits one line above the baseline the local layout uses.
    const top =
      (outputHeight - input.placement.captionMarginBottom - style.fontSize * 1.3) / outputHeight;
    tracks.push({
      clips: [
        {
          asset: {
            type: 'caption',
            src: input.urls.captions,
            font: {
              family: style.fontFamily,
              size: style.fontSize,
              color: style.color,
              stroke: style.stroke,
              strokeWidth: style.strokeWidth,
              lineHeight: 1.2,
            },
            background: { ...style.background },
            margin: { top: round(Math.max(0, top), 4), left: 0.06, right: 0.06 },
          },
          start: 0,
          length,
        },
      ],
    });
  }

  const geometry = overlayGeometry(input.placement);
  const key = input.chromaKey ?? defaultChromaKey;
  if (input.mode === 'greenscreen') {
    tracks.push({
      clips: [
        {
          asset: {
            type: 'video',
            src: input.urls.overlay,
            volume: 0,
            chromaKey: { color: '#00ff00', threshold: key.threshold, halo: key.halo },
          },
          start: 0,
          length,
          ...geometry,
        },
      ],
    });
  } else {
    if (!input.urls.fill) throw new RangeError('matte mode needs the fill video URL');
    tracks.push({
      clips: [
        {
          asset: { type: 'video', src: input.urls.fill, volume: 0 },
          start: 0,
          length,
          ...geometry,
        },
        // Same geometry as the fill, so the matte lines up whether Shotstack places a luma clip
        // by its own properties or by the clip it masks.
        { asset: { type: 'luma', src: input.urls.overlay }, start: 0, length, ...geometry },
      ],
    });
  }

  tracks.push({
    clips: [{ asset: { type: 'audio', src: input.urls.speech, volume: 1 }, start: 0, length }],
  });
  tracks.push({
    clips: loopedBackground(input.urls.background, input.backgroundSec, input.speechSec),
  });

  return {
    timeline: { background: '#000000', tracks },
    output: { format: 'mp4', size: { width: outputWidth, height: outputHeight }, fps: outputFps },
  };
}

/** `fit`, `scale`, `position` and `offset` that put the overlay frame where the placement says. */
export function overlayGeometry(
  placement: OverlayPlacement,
): Pick<ShotstackClip, 'fit' | 'scale' | 'position' | 'offset'> {
  const { frame } = placement;
  const contain = Math.min(outputWidth / frame.width, outputHeight / frame.height);
  const box = frameOnOutput(placement);
  return {
    fit: 'contain',
    scale: round(placement.scale / contain, 6),
    position: 'center',
    offset: {
      x: round((box.x + box.width / 2 - outputWidth / 2) / outputWidth, 6),
      y: round((outputHeight / 2 - (box.y + box.height / 2)) / outputHeight, 6),
    },
  };
}

function loopedBackground(src: string, backgroundSec: number, speechSec: number): ShotstackClip[] {
  // A clip shorter than a frame would not show; such a "video" is a still, held for the whole
  // speech.
  const period = backgroundSec >= 0.1 ? backgroundSec : speechSec;
  const clips: ShotstackClip[] = [];
  for (let start = 0; start < speechSec - 0.001; start += period) {
    clips.push({
      asset: { type: 'video', src, volume: 0 },
      start: round(start, 3),
      length: round(Math.min(period, speechSec - start), 3),
      fit: 'crop',
    });
  }
  return clips;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
