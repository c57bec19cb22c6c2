import type { OverlayShape } from '../../../ports/compositor.js';
import type { SubjectBox } from '../segmentation/segmenter.js';
import { outputHeight, outputWidth } from '../ffmpeg/video-format.js';

/** Where and how big the talking head sits on the 1080×1920 frame, and where captions go. */
export interface OverlayPlan {
  /** Pixel crop of the talking-head frame, before scaling; absent for the cut-out. */
  readonly crop?: {
    readonly width: number;
    readonly height: number;
    readonly x: number;
    readonly y: number;
  };
  /** Size on the frame. */
  readonly width: number;
  readonly height: number;
  /** Top-left corner on the frame. */
  readonly x: number;
  readonly y: number;
  /** Corner radius for rounded_rect, in output pixels. */
  readonly radius?: number;
  /** A thin light ring around circle/rounded_rect, in pixels (0 for none). */
  readonly ringWidth: number;
  /** Caption baseline distance from the bottom of the frame: just above the head. */
  readonly captionMarginBottom: number;
}

const circleSize = 620;
const rect = { width: 560, height: 746, radius: 56 };
const cutoutHeight = 1240;
const bottomGap = { circle: 150, rounded_rect: 140 };
const captionGap = 50;

/**
 * The head sits in the lower part of the frame, leaving the upper part to the user's clip, with
 * captions between them. For the circle and rectangle the crop follows the person when the
 * segmenter found them; otherwise it assumes a portrait with the face in the upper half, which is
 * what OmniHuman usually returns.
 */
export function planOverlay(
  shape: OverlayShape,
  head: { width: number; height: number },
  subject?: SubjectBox,
): OverlayPlan {
  if (shape === 'cutout') {
    const height = cutoutHeight;
    const width = even((head.width * height) / head.height);
    const y = outputHeight - height;
    const headTop = y + (subject ? subject.y * height : 0.15 * height);
    return {
      width,
      height,
      x: Math.round((outputWidth - width) / 2),
      y,
      ringWidth: 0,
      captionMarginBottom: Math.round(
        Math.min(outputHeight - 200, outputHeight - headTop + captionGap),
      ),
    };
  }
  const size = shape === 'circle' ? { width: circleSize, height: circleSize } : rect;
  const y = outputHeight - size.height - bottomGap[shape];
  return {
    crop: frameCrop(head, size.width / size.height, subject),
    width: size.width,
    height: size.height,
    x: Math.round((outputWidth - size.width) / 2),
    y,
    ...(shape === 'rounded_rect' ? { radius: rect.radius } : {}),
    ringWidth: 6,
    captionMarginBottom: outputHeight - y + captionGap,
  };
}

/** A crop of the given aspect: around the person's head and shoulders, or the upper middle. */
function frameCrop(head: { width: number; height: number }, aspect: number, subject?: SubjectBox) {
  const maxWidth = Math.min(head.width, head.height * aspect);
  let width = maxWidth;
  let x = (head.width - width) / 2;
  let y = (head.height - width / aspect) * 0.22;
  if (subject) {
    // Slightly wider than the shoulders, never tighter than about half the frame.
    width = clamp(
      subject.width * head.width * 1.15,
      Math.min(maxWidth, head.width * 0.45),
      maxWidth,
    );
    const height = width / aspect;
    const centre = (subject.x + subject.width / 2) * head.width;
    x = clamp(centre - width / 2, 0, head.width - width);
    y = clamp(subject.y * head.height - 0.1 * height, 0, head.height - height);
  }
  const cropWidth = even(width);
  const cropHeight = Math.min(head.height, even(cropWidth / aspect));
  return {
    width: cropWidth,
    height: cropHeight,
    x: Math.round(clamp(x, 0, head.width - cropWidth)),
    y: Math.round(clamp(y, 0, head.height - cropHeight)),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function even(value: number): number {
  return Math.max(2, 2 * Math.floor(value / 2));
}
