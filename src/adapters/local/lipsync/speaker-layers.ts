import sharp from 'sharp';
import {
  portraitHeight,
  portraitSvg,
  portraitWidth,
  type PixelBox,
  type PortraitVariant,
} from '../../../catalog/portraits/portrait-svg.js';
import type { PortraitSpec } from '../../../catalog/portraits/portrait-spec.js';
import { jawOpen } from '../../../catalog/portraits/mouth-shapes.js';
import { visemes, type EyeState, type Viseme } from '../../../catalog/portraits/viseme.js';
import { jawLevels } from './viseme-timeline.js';

/**
 * The speaking portrait is drawn 5% larger than the frame, so the camera can drift across it by
 * cropping (no per-frame scaling, which costs more than encoding).
 */
export const stageScale = 1.05;
export const stageWidth = Math.round(portraitWidth * stageScale);
export const stageHeight = Math.round(portraitHeight * stageScale);

const even = (value: number) => 2 * Math.round(value / 2);
const onStage = (box: PixelBox): PixelBox => ({
  x: even(box.x * stageScale),
  y: even(box.y * stageScale),
  width: even(box.width * stageScale),
  height: even(box.height * stageScale),
});

/**
 * The part of a 1080×1920 starter portrait that changes while the character speaks: from the brows
 * to below the widest mouth shape, between the outer corners of the eyes.
 */
export const portraitFaceBox: PixelBox = { x: 372, y: 712, width: 336, height: 352 };
/** Everything that moves with the head (hair, ears, beard, glasses), on the stage. */
export const headBox = onStage({ x: 230, y: 360, width: 620, height: 990 });
/** `portraitFaceBox` on the stage: where the mouth and eye sprites go (before the head moves). */
export const faceBox = onStage(portraitFaceBox);
/** The rows of `faceBox` the eyes and lids occupy (the rest of a blink sprite never changes). */
export const eyeRows = even(108 * stageScale);

/** Which sprite shows a shape at a jaw level: vowels have one per level, the rest one in all. */
export const spriteKey = (viseme: Viseme, jaw: number): string =>
  jawOpen.has(viseme) && jaw < jawLevels.length - 1 ? `${viseme}@${jaw}` : viseme;

/**
 * Raw RGBA pictures of `faceBox`: one per mouth shape and jaw level (eyes open), and the lids of a
 * blink.
 */
export interface FaceSprites {
  readonly width: number;
  readonly height: number;
  /** By `spriteKey`. */
  readonly mouths: ReadonlyMap<string, Buffer>;
  /** Only the first `eyeRows` rows. */
  readonly eyes: ReadonlyMap<Exclude<EyeState, 'open'>, Buffer>;
}

/** A starter character ready to speak: a still body, a head that moves, and its face sprites. */
export interface SpeakerLayers {
  /** PNG of the whole stage without the head. */
  readonly body: Buffer;
  /** PNG with transparency of `headBox`. */
  readonly head: Buffer;
  readonly face: FaceSprites;
}

/**
 * Every distinct mouth picture: each shape fully open, and each vowel at the smaller jaw levels.
 */
function mouthPoses(): { viseme: Viseme; jaw: number }[] {
  const full = jawLevels.length - 1;
  return visemes.flatMap((viseme) =>
    jawOpen.has(viseme) ? jawLevels.map((_, jaw) => ({ viseme, jaw })) : [{ viseme, jaw: full }],
  );
}

function svg(spec: PortraitSpec, variant: PortraitVariant): sharp.Sharp {
  return sharp(Buffer.from(portraitSvg(spec, { scale: stageScale, ...variant }), 'utf8'), {
    density: 72,
  });
}

const raw = (spec: PortraitSpec, variant: PortraitVariant) =>
  svg(spec, variant).ensureAlpha().raw().toBuffer();

/**
 * Draws one character in layers with the portrait's own code, so lips, skin, beard and glasses
 * match the picture exactly: the body, the head, every mouth shape, jaw level and lid state
 * (36 pictures, about 15 ms each).
 */
export async function drawSpeakerLayers(spec: PortraitSpec): Promise<SpeakerLayers> {
  const eyeBox = { ...faceBox, height: eyeRows };
  const [body, head, mouths, eyes] = await Promise.all([
    svg(spec, { layer: 'body' }).removeAlpha().png({ compressionLevel: 1 }).toBuffer(),
    svg(spec, { layer: 'head', crop: headBox })
      .ensureAlpha()
      .png({ compressionLevel: 1 })
      .toBuffer(),
    Promise.all(
      mouthPoses().map(
        async ({ viseme, jaw }) =>
          [
            spriteKey(viseme, jaw),
            await raw(spec, { layer: 'head', mouth: viseme, jaw: jawLevels[jaw], crop: faceBox }),
          ] as const,
      ),
    ),
    Promise.all(
      (['half', 'closed'] as const).map(
        async (state) =>
          [
            state,
            await raw(spec, { layer: 'head', mouth: 'rest', eyes: state, crop: eyeBox }),
          ] as const,
      ),
    ),
  ]);
  return {
    body,
    head,
    face: {
      width: faceBox.width,
      height: faceBox.height,
      mouths: new Map(mouths),
      eyes: new Map(eyes),
    },
  };
}
