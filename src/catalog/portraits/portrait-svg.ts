import { mix, shade } from './colour.js';
import { visemeMouthSvg } from './mouth-shapes.js';
import type { HairStyle, PortraitSpec } from './portrait-spec.js';
import type { EyeState, Viseme } from './viseme.js';

export const portraitWidth = 1080;
export const portraitHeight = 1920;

// The head sits a little above the middle: the renderer's camera keeps more of the top, and the
// compositor's circle frames the face from the subject box the cut-out finds.
const originX = portraitWidth / 2;
const originY = 780;
const scale = 1.2;
// The torso runs past the bottom edge, so the frame crops it like a photo would.
const bottom = Math.ceil((portraitHeight - originY) / scale) + 10;

/**
 * Near-white parts (eye whites, teeth): kept off pure white so a light backdrop never keys them
 * out.
 */
export const eyeWhite = '#f2ede6';
const lineColour = '#2b1d18';
const mouthColour = '#7a2630';

/** A rectangle of the 1080×1920 portrait, in pixels. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The same person speaking or blinking: a viseme in place of the smile, eyes half or fully shut,
 * optionally only one layer or a crop of the picture (a sprite), drawn exactly where the full
 * portrait has it.
 */
export interface PortraitVariant {
  readonly mouth?: Viseme;
  /** How far the jaw opens a vowel (0.3–1, default 1). */
  readonly jaw?: number;
  readonly eyes?: EyeState;
  /** Only the picture's box (in pixels of the scaled picture): a sprite. */
  readonly crop?: PixelBox;
  /**
   * Drawn this many times larger than 1080×1920 (the camera pans over a slightly larger picture).
   */
  readonly scale?: number;
  /**
   * `body`: the backdrop and what does not move (torso, neck, hair behind); `head`: the rest, on
   * transparency.
   */
  readonly layer?: 'all' | 'body' | 'head';
}

/** Where a face coordinate lands on the 1080×1920 picture. */
export const faceToPixel = (x: number, y: number): { x: number; y: number } => ({
  x: originX + x * scale,
  y: originY + y * scale,
});

/**
 * A friendly flat illustration of a person, head and shoulders, on a plain backdrop. Drawn in a
 * coordinate system centred on the face (x right, y down, the face ±205 wide, chin at +270).
 * Every colour used is one the palette check (`portraitColours`) knows about. Without a variant
 * it is the catalog's portrait, unchanged.
 */
export function portraitSvg(spec: PortraitSpec, variant: PortraitVariant = {}): string {
  const skinShade = shade(spec.skin, 0.86);
  const skinLine = shade(spec.skin, 0.68);
  const layer = variant.layer ?? 'all';
  // The body stays put while the head moves: long hair behind the shoulders belongs to it.
  const body = [hairBack(spec), torso(spec), neck(spec, skinShade)];
  const head = [
    ears(spec, skinShade),
    face(spec, skinShade),
    ageLines(spec, skinLine),
    cheeks(spec),
    nose(skinLine),
    eyes(spec, variant.eyes ?? 'open', skinShade),
    brows(spec),
    facialHair(spec),
    variant.mouth ? visemeMouthSvg(spec, variant.mouth, variant.jaw) : mouth(spec),
    hairFront(spec),
    spec.glasses ? glasses(spec.glasses) : '',
    spec.earrings && spec.hair.style !== 'long' ? earrings(spec.earrings) : '',
  ];
  const parts = layer === 'body' ? body : layer === 'head' ? head : [...body, ...head];
  const zoom = variant.scale ?? 1;
  const box = variant.crop ?? {
    x: 0,
    y: 0,
    width: Math.round(portraitWidth * zoom),
    height: Math.round(portraitHeight * zoom),
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${box.width}" height="${box.height}" viewBox="${box.x / zoom} ${box.y / zoom} ${box.width / zoom} ${box.height / zoom}">`,
    `<defs><clipPath id="face"><path d="${facePath}"/></clipPath>`,
    `<clipPath id="eyeL"><path d="${eyeShape(-88, spec)}"/></clipPath><clipPath id="eyeR"><path d="${eyeShape(88, spec)}"/></clipPath>`,
    `<clipPath id="mouth"><path d="${openMouthPath}"/></clipPath></defs>`,
    layer === 'head'
      ? ''
      : `<rect x="0" y="0" width="${portraitWidth}" height="${portraitHeight}" fill="${spec.backdrop}"/>`,
    `<g transform="translate(${originX} ${originY}) scale(${scale})" stroke-linecap="round" stroke-linejoin="round">`,
    ...parts.filter(Boolean),
    `</g></svg>`,
  ].join('\n');
}

const facePath =
  'M -205,-40 C -205,-205 -118,-278 0,-278 C 118,-278 205,-205 205,-40 C 205,92 172,186 104,244 C 62,280 -62,280 -104,244 C -172,186 -205,92 -205,-40 Z';

function face(spec: PortraitSpec, skinShade: string): string {
  // A soft shadow down one side gives the flat face some volume.
  return [
    `<path d="${facePath}" fill="${spec.skin}"/>`,
    `<g clip-path="url(#face)"><ellipse cx="250" cy="40" rx="150" ry="330" fill="${skinShade}" opacity="0.45"/></g>`,
  ].join('');
}

function ears(spec: PortraitSpec, skinShade: string): string {
  return [-1, 1]
    .map((side) => {
      const x = side * 203;
      return `<ellipse cx="${x}" cy="20" rx="36" ry="56" fill="${spec.skin}"/><path d="M ${x + side * 4},-8 Q ${x + side * 22},20 ${x + side * 2},48" fill="none" stroke="${skinShade}" stroke-width="9"/>`;
    })
    .join('');
}

function neck(spec: PortraitSpec, skinShade: string): string {
  const open = spec.clothing.style !== 'turtleneck';
  const length = open
    ? spec.clothing.style === 'tshirt'
      ? 'L 80,440 Q 0,520 -80,440'
      : 'L 80,460 L 0,580 L -80,460'
    : 'L 80,420 L -80,420';
  return [
    `<path d="M -82,150 L 82,150 ${length} Z" fill="${spec.skin}"/>`,
    `<path d="M -82,150 L 82,150 L 82,262 Q 0,318 -82,262 Z" fill="${skinShade}"/>`,
  ].join('');
}

// Shoulders slope up into the neck (the trapezius), which keeps the neck from looking long.
const torsoPath = `M -480,${bottom} L -480,650 C -480,530 -400,470 -260,450 C -180,440 -120,420 -80,396 L 80,396 C 120,420 180,440 260,450 C 400,470 480,530 480,650 L 480,${bottom} Z`;

function torso(spec: PortraitSpec): string {
  const { colour, accent, style } = spec.clothing;
  const dark = shade(colour, 0.82);
  const folds = [-1, 1]
    .map(
      (side) =>
        `<path d="M ${side * 330},520 C ${side * 350},640 ${side * 362},860 ${side * 366},${bottom}" fill="none" stroke="${dark}" stroke-width="10" opacity="0.7"/>`,
    )
    .join('');
  const base = `<path d="${torsoPath}" fill="${colour}"/>${folds}`;
  switch (style) {
    case 'tshirt':
      return `${base}<path d="M -100,436 Q 0,548 100,436" fill="none" stroke="${accent}" stroke-width="18"/>`;
    case 'shirt':
      return [
        base,
        `<path d="M 0,580 L 0,${bottom}" stroke="${dark}" stroke-width="6"/>`,
        [660, 790, 920, 1050]
          .map((y) => `<circle cx="18" cy="${y}" r="9" fill="${accent}"/>`)
          .join(''),
        `<path d="M -88,412 L -170,478 L -92,600 L 0,582 Z" fill="${accent}"/><path d="M 88,412 L 170,478 L 92,600 L 0,582 Z" fill="${accent}"/>`,
      ].join('');
    case 'hoodie':
      return [
        base,
        `<path d="M -230,446 C -200,382 -110,392 0,478 C 110,392 200,382 230,446 C 180,540 80,590 0,590 C -80,590 -180,540 -230,446 Z" fill="${dark}"/>`,
        `<path d="M -150,450 C -90,430 -40,470 0,520 C 40,470 90,430 150,450 C 110,505 60,540 0,545 C -60,540 -110,505 -150,450 Z" fill="${shade(colour, 0.6)}"/>`,
        [-1, 1]
          .map(
            (side) =>
              `<path d="M ${side * 46},560 L ${side * 54},760" stroke="${accent}" stroke-width="10"/><circle cx="${side * 54}" cy="770" r="12" fill="${accent}"/>`,
          )
          .join(''),
        `<path d="M -230,1060 Q 0,1020 230,1060 L 240,${bottom} L -240,${bottom} Z" fill="${dark}" opacity="0.5"/>`,
      ].join('');
    case 'blazer':
      return [
        base,
        `<path d="M -130,436 L 0,900 L 130,436 Z" fill="${accent}"/>`,
        `<path d="M -128,430 L -200,540 L -140,580 L -170,630 L 0,900 L -40,900 L -118,600 Z" fill="${dark}"/>`,
        `<path d="M 128,430 L 200,540 L 140,580 L 170,630 L 0,900 L 40,900 L 118,600 Z" fill="${dark}"/>`,
        `<circle cx="0" cy="980" r="13" fill="${shade(colour, 0.6)}"/><circle cx="0" cy="1090" r="13" fill="${shade(colour, 0.6)}"/>`,
      ].join('');
    case 'cardigan':
      return [
        base,
        `<path d="M -150,446 Q 0,560 150,446 L 70,${bottom} L -70,${bottom} Z" fill="${accent}"/>`,
        `<path d="M -104,446 Q 0,530 104,446" fill="none" stroke="${shade(accent, 0.8)}" stroke-width="12"/>`,
        [-1, 1]
          .map(
            (side) =>
              `<path d="M ${side * 150},446 L ${side * 70},${bottom}" stroke="${dark}" stroke-width="14"/>`,
          )
          .join(''),
        [700, 830, 960, 1090]
          .map((y) => `<circle cx="${-70 - (1120 - y) * 0.12}" cy="${y}" r="11" fill="${dark}"/>`)
          .join(''),
      ].join('');
    case 'turtleneck':
      return [
        base,
        `<path d="M -108,300 L 108,300 L 116,452 Q 0,488 -116,452 Z" fill="${dark}"/>`,
        [330, 365, 400, 435]
          .map(
            (y) =>
              `<path d="M -104,${y} Q 0,${y + 14} 104,${y}" fill="none" stroke="${shade(colour, 0.7)}" stroke-width="5"/>`,
          )
          .join(''),
      ].join('');
  }
}

function eyeShape(cx: number, spec: PortraitSpec): string {
  const height = spec.age === 'young' ? 34 : spec.age === 'adult' ? 29 : 24;
  return `M ${cx - 44},-2 Q ${cx},${-2 - height * 1.25} ${cx + 44},-2 Q ${cx},${height * 0.8} ${cx - 44},-2 Z`;
}

function eyes(spec: PortraitSpec, state: EyeState, skinShade: string): string {
  return [-88, 88]
    .map((cx) => {
      if (state !== 'open') return eyelid(spec, cx, state, skinShade);
      const id = cx < 0 ? 'eyeL' : 'eyeR';
      const height = spec.age === 'young' ? 34 : spec.age === 'adult' ? 29 : 24;
      const top = -2 - height * 1.25;
      const outer = cx < 0 ? cx - 44 : cx + 44;
      const flick =
        spec.gender === 'female'
          ? `<path d="M ${outer},-4 L ${outer + (cx < 0 ? -16 : 16)},-16" stroke="${lineColour}" stroke-width="6"/>`
          : '';
      return [
        `<path d="${eyeShape(cx, spec)}" fill="${eyeWhite}"/>`,
        `<g clip-path="url(#${id})"><circle cx="${cx + 3}" cy="-6" r="21" fill="${spec.eyes}"/><circle cx="${cx + 3}" cy="-6" r="10" fill="#1b120e"/>`,
        `<circle cx="${cx + 10}" cy="-13" r="6" fill="#ffffff"/></g>`,
        `<path d="M ${cx - 46},-1 Q ${cx},${top - 2} ${cx + 46},-1" fill="none" stroke="${lineColour}" stroke-width="${spec.gender === 'female' ? 7 : 5}"/>`,
        flick,
      ].join('');
    })
    .join('');
}

/**
 * A shut or half-shut eye: the lid (skin) comes down over it and its lashes follow the lid's edge.
 */
function eyelid(
  spec: PortraitSpec,
  cx: number,
  state: Exclude<EyeState, 'open'>,
  skinShade: string,
): string {
  const id = cx < 0 ? 'eyeL' : 'eyeR';
  const height = spec.age === 'young' ? 34 : spec.age === 'adult' ? 29 : 24;
  const top = -2 - height * 1.25;
  const lower = height * 0.8;
  const outer = cx < 0 ? cx - 44 : cx + 44;
  const stroke = spec.gender === 'female' ? 7 : 5;
  if (state === 'closed') {
    const lash = `M ${cx - 46},-1 Q ${cx},${lower * 0.55} ${cx + 46},-1`;
    const flick =
      spec.gender === 'female'
        ? `<path d="M ${outer},-1 L ${outer + (cx < 0 ? -14 : 14)},4" stroke="${lineColour}" stroke-width="6"/>`
        : '';
    return `<path d="${eyeShape(cx, spec)}" fill="${spec.skin}"/><path d="${lash}" fill="none" stroke="${lineColour}" stroke-width="${stroke}"/>${flick}`;
  }
  // Half shut: the iris shows under a lid that covers its upper half.
  const edge = (top - 2 + lower) / 2;
  return [
    `<path d="${eyeShape(cx, spec)}" fill="${eyeWhite}"/>`,
    `<g clip-path="url(#${id})"><circle cx="${cx + 3}" cy="-4" r="21" fill="${spec.eyes}"/><circle cx="${cx + 3}" cy="-4" r="10" fill="#1b120e"/>`,
    `<path d="M ${cx - 50},${top - 6} L ${cx + 50},${top - 6} L ${cx + 50},-1 L ${cx + 46},-1 Q ${cx},${edge * 2 + 1} ${cx - 46},-1 L ${cx - 50},-1 Z" fill="${spec.skin}"/></g>`,
    `<path d="M ${cx - 46},-1 Q ${cx},${edge * 2 - 4} ${cx + 46},-1" fill="none" stroke="${skinShade}" stroke-width="5"/>`,
    `<path d="M ${cx - 46},-1 Q ${cx},${edge * 2 + 1} ${cx + 46},-1" fill="none" stroke="${lineColour}" stroke-width="${stroke}"/>`,
  ].join('');
}

function brows(spec: PortraitSpec): string {
  const colour =
    spec.hair.style === 'bald' || spec.age === 'senior'
      ? shade(spec.hair.colour, 0.75)
      : shade(spec.hair.colour, 0.85);
  const width = spec.gender === 'male' ? 17 : 11;
  const lift = spec.age === 'young' ? -6 : 0;
  return [-1, 1]
    .map(
      (side) =>
        `<path d="M ${side * 40},${-68 + lift} Q ${side * 88},${-96 + lift} ${side * 136},${-70 + lift}" fill="none" stroke="${colour}" stroke-width="${width}"/>`,
    )
    .join('');
}

function nose(skinLine: string): string {
  return `<path d="M -6,20 Q -26,70 -24,88 Q -2,106 24,88" fill="none" stroke="${skinLine}" stroke-width="7"/>`;
}

const openMouthPath = 'M -66,144 Q 0,154 66,144 Q 52,206 0,208 Q -52,206 -66,144 Z';

function mouth(spec: PortraitSpec): string {
  const lips = spec.lips ?? shade(spec.skin, 0.62);
  if (spec.smile === 'closed') {
    return [
      `<path d="M -66,150 Q 0,196 66,150" fill="none" stroke="${lips}" stroke-width="12"/>`,
      `<path d="M -74,142 Q -66,150 -62,160 M 74,142 Q 66,150 62,160" fill="none" stroke="${shade(spec.skin, 0.7)}" stroke-width="5"/>`,
    ].join('');
  }
  return [
    `<path d="${openMouthPath}" fill="${mouthColour}"/>`,
    `<g clip-path="url(#mouth)"><rect x="-80" y="130" width="160" height="40" fill="${eyeWhite}"/><ellipse cx="0" cy="222" rx="40" ry="26" fill="#c45a64"/></g>`,
    `<path d="${openMouthPath}" fill="none" stroke="${lips}" stroke-width="${spec.lips ? 10 : 6}"/>`,
  ].join('');
}

function cheeks(spec: PortraitSpec): string {
  if (spec.age === 'senior' && spec.gender === 'male') return '';
  const opacity = spec.age === 'young' ? 0.3 : 0.18;
  return [-1, 1]
    .map(
      (side) =>
        `<ellipse cx="${side * 128}" cy="98" rx="44" ry="26" fill="#e8707a" opacity="${opacity}"/>`,
    )
    .join('');
}

function ageLines(spec: PortraitSpec, skinLine: string): string {
  if (spec.age === 'young') return '';
  const folds = [-1, 1]
    .map(
      (side) =>
        `<path d="M ${side * 46},96 Q ${side * 84},128 ${side * 82},178" fill="none" stroke="${skinLine}" stroke-width="5" opacity="${spec.age === 'senior' ? 0.8 : 0.45}"/>`,
    )
    .join('');
  if (spec.age === 'adult') return folds;
  const lines = [
    `<path d="M -92,-176 Q 0,-194 92,-176" fill="none" stroke="${skinLine}" stroke-width="5" opacity="0.7"/>`,
    `<path d="M -70,-148 Q 0,-162 70,-148" fill="none" stroke="${skinLine}" stroke-width="5" opacity="0.7"/>`,
    ...[-1, 1].map((side) => {
      const x = side * 140;
      const crow = [-14, 0, 14]
        .map((dy) => `M ${x},${-4 + dy * 0.4} L ${x + side * 26},${-4 + dy}`)
        .join(' ');
      return `<path d="${crow}" fill="none" stroke="${skinLine}" stroke-width="4"/><path d="M ${side * 120},28 Q ${side * 88},46 ${side * 56},30" fill="none" stroke="${skinLine}" stroke-width="4" opacity="0.8"/>`;
    }),
    `<path d="M -40,236 Q 0,250 40,236" fill="none" stroke="${skinLine}" stroke-width="4" opacity="0.6"/>`,
  ];
  return folds + lines.join('');
}

function facialHair(spec: PortraitSpec): string {
  if (!spec.facialHair) return '';
  const colour = spec.hair.colour;
  const moustache = `<path d="M -8,118 C -40,104 -86,116 -98,150 C -70,136 -36,138 0,132 C 36,138 70,136 98,150 C 86,116 40,104 8,118 Z" fill="${shade(colour, 0.9)}"/>`;
  if (spec.facialHair === 'moustache') return moustache;
  const beard = `<path d="M -206,0 C -204,160 -130,310 0,318 C 130,310 204,160 206,0 L 184,20 C 176,120 140,176 84,186 C 50,168 -50,168 -84,186 C -140,176 -176,120 -184,20 Z" fill="${colour}"/>`;
  // Stubble is the full beard, faintly: one group, so the overlaps do not darken.
  if (spec.facialHair === 'stubble') return `<g opacity="0.25">${beard}${moustache}</g>`;
  return beard + moustache;
}

function glasses(frame: NonNullable<PortraitSpec['glasses']>): string {
  const radius = frame.shape === 'round' ? 46 : 22;
  const lenses = [-88, 88]
    .map(
      (cx) =>
        `<rect x="${cx - 62}" y="-52" width="124" height="96" rx="${radius}" fill="#ffffff" fill-opacity="0.12" stroke="${frame.frame}" stroke-width="9"/>`,
    )
    .join('');
  return [
    lenses,
    `<path d="M -26,-12 Q 0,-26 26,-12" fill="none" stroke="${frame.frame}" stroke-width="8"/>`,
    `<path d="M -150,-14 L -200,-4 M 150,-14 L 200,-4" stroke="${frame.frame}" stroke-width="8"/>`,
  ].join('');
}

function earrings(colour: string): string {
  return [-1, 1]
    .map((side) => `<circle cx="${side * 206}" cy="82" r="12" fill="${colour}"/>`)
    .join('');
}

// ---- hair ------------------------------------------------------------------------------------

function hairBack(spec: PortraitSpec): string {
  const c = spec.hair.colour;
  const dark = shade(c, 0.8);
  const back: Partial<Record<HairStyle, string>> = {
    long: `<path d="M -250,-110 C -268,-300 -130,-345 0,-342 C 130,-345 268,-300 250,-110 C 262,120 290,380 262,560 C 180,600 -180,600 -262,560 C -290,380 -262,120 -250,-110 Z" fill="${dark}"/>`,
    bob: `<path d="M -250,-90 C -262,-290 -130,-338 0,-336 C 130,-338 262,-290 250,-90 C 256,40 262,150 246,210 C 200,236 -200,236 -246,210 C -262,150 -256,40 -250,-90 Z" fill="${dark}"/>`,
    ponytail: `<path d="M 150,-250 C 290,-250 330,-60 300,120 C 288,230 320,330 290,420 C 250,330 230,240 236,120 C 240,0 210,-160 150,-200 Z" fill="${dark}"/>`,
    afro: `<ellipse cx="0" cy="-130" rx="335" ry="300" fill="${c}"/>${bumps(0, -130, 335, 300, 22, 38, c)}`,
    bun: `<circle cx="0" cy="-320" r="92" fill="${c}"/><path d="M -60,-360 Q 0,-300 60,-360" fill="none" stroke="${dark}" stroke-width="8"/>`,
    // What is left of the hair sits behind the ears, from the temples round the back.
    bald: [-1, 1]
      .map(
        (side) =>
          `<path d="M ${side * 196},-110 C ${side * 240},-80 ${side * 250},40 ${side * 222},110 L ${side * 190},90 Z" fill="${c}"/>`,
      )
      .join(''),
    curly: `<ellipse cx="0" cy="-150" rx="248" ry="190" fill="${dark}"/>`,
  };
  return back[spec.hair.style] ?? '';
}

function hairFront(spec: PortraitSpec): string {
  const c = spec.hair.colour;
  const dark = shade(c, 0.8);
  // Grey hair has no shine; a near-white highlight on it would also come close to the backdrop.
  const light = spec.age === 'senior' ? dark : mix(c, '#ffffff', 0.28);
  switch (spec.hair.style) {
    case 'short':
      return `<path d="M -216,-10 C -238,-196 -140,-306 10,-302 C 160,-300 242,-200 216,-10 C 204,-86 194,-128 166,-162 C 96,-150 10,-186 -54,-198 C -110,-170 -160,-140 -186,-104 C -200,-76 -210,-44 -216,-10 Z" fill="${c}"/><path d="M -60,-270 Q 40,-250 120,-210" fill="none" stroke="${light}" stroke-width="9" opacity="0.6"/>`;
    case 'side-part':
      return `<path d="M -214,-20 C -240,-206 -136,-312 6,-310 C 160,-308 246,-206 216,-20 C 206,-100 196,-150 176,-176 C 120,-200 40,-228 -40,-240 C -20,-200 -100,-150 -170,-130 C -196,-96 -206,-56 -214,-20 Z" fill="${c}"/><path d="M -40,-240 C -30,-270 -50,-296 -64,-300" fill="none" stroke="${dark}" stroke-width="7"/><path d="M 20,-282 Q 110,-262 170,-214" fill="none" stroke="${light}" stroke-width="9" opacity="0.6"/>`;
    case 'quiff':
      return `<path d="M -214,-20 C -236,-176 -170,-262 -80,-290 C -60,-350 60,-372 150,-330 C 230,-290 244,-180 216,-20 C 206,-96 194,-140 170,-168 C 110,-196 20,-214 -50,-206 C -120,-176 -170,-140 -190,-100 C -202,-70 -208,-46 -214,-20 Z" fill="${c}"/><path d="M -40,-314 Q 60,-340 150,-300" fill="none" stroke="${light}" stroke-width="10" opacity="0.6"/>`;
    case 'buzz':
      return `<path d="M -210,-40 C -222,-200 -124,-288 0,-288 C 124,-288 222,-200 210,-40 C 200,-100 186,-150 160,-184 C 80,-200 -80,-200 -160,-184 C -186,-150 -200,-100 -210,-40 Z" fill="${c}" opacity="0.85"/>`;
    case 'bald':
      return `<ellipse cx="-70" cy="-214" rx="60" ry="26" fill="#ffffff" opacity="0.18" transform="rotate(-20 -70 -214)"/>`;
    case 'curly':
      return `<path d="M -210,-40 C -224,-210 -120,-300 0,-300 C 120,-300 224,-210 210,-40 C 190,-120 150,-170 80,-186 C 20,-168 -60,-176 -120,-172 C -170,-140 -196,-96 -210,-40 Z" fill="${c}"/>${bumps(0, -150, 232, 172, 18, 34, c, -0.05, 1.05)}`;
    case 'afro':
      return `<path d="M -200,-60 C -200,-180 -120,-230 0,-226 C 120,-230 200,-180 200,-60 C 180,-140 100,-190 0,-184 C -100,-190 -180,-140 -200,-60 Z" fill="${c}"/>`;
    case 'long':
    case 'bob':
      return [
        `<path d="M -226,40 C -252,-210 -130,-318 6,-314 C 150,-312 254,-206 226,40 C 214,-60 200,-140 160,-190 C 90,-170 -10,-196 -80,-228 C -90,-170 -150,-120 -196,-90 C -212,-40 -222,0 -226,40 Z" fill="${c}"/>`,
        `<path d="M -80,-228 C -60,-260 -40,-290 -30,-306" fill="none" stroke="${dark}" stroke-width="7"/>`,
        `<path d="M 30,-290 Q 140,-270 196,-180" fill="none" stroke="${light}" stroke-width="11" opacity="0.55"/>`,
        spec.hair.style === 'long'
          ? `<path d="M -226,40 C -240,200 -230,340 -250,470 L -210,470 C -200,340 -196,200 -200,60 Z M 226,40 C 240,200 230,340 250,470 L 210,470 C 200,340 196,200 200,60 Z" fill="${c}"/>`
          : `<path d="M -226,40 C -232,120 -236,170 -240,206 L -196,206 C -198,150 -198,90 -200,60 Z M 226,40 C 232,120 236,170 240,206 L 196,206 C 198,150 198,90 200,60 Z" fill="${c}"/>`,
      ].join('');
    case 'bun':
    case 'ponytail':
      return `<path d="M -212,-10 C -232,-210 -130,-306 0,-304 C 130,-306 232,-210 212,-10 C 200,-110 170,-180 100,-224 C 40,-234 -40,-234 -100,-224 C -170,-180 -200,-110 -212,-10 Z" fill="${c}"/><path d="M -90,-274 Q 0,-300 90,-274 M -130,-230 Q -60,-282 0,-290" fill="none" stroke="${light}" stroke-width="8" opacity="0.5"/>`;
    case 'short-waves':
      return `<path d="M -220,10 C -246,-200 -130,-318 0,-316 C 130,-318 246,-200 220,10 C 206,-80 186,-140 150,-176 C 90,-160 -90,-160 -150,-176 C -186,-140 -206,-80 -220,10 Z" fill="${c}"/>${bumps(0, -150, 236, 170, 16, 36, c, -0.02, 1.04)}${bumps(0, -160, 180, 130, 12, 24, light, 0.1, 0.9, 0.45)}`;
  }
}

/**
 * Round tufts along the upper part of an ellipse: curls and afros. `from`/`to` are fractions of a
 * half turn, 0 = left, 1 = right, across the top.
 */
function bumps(
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  count: number,
  radius: number,
  colour: string,
  from = 0,
  to = 1,
  opacity = 1,
): string {
  const circles: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = from + ((to - from) * i) / (count - 1);
    const angle = Math.PI + t * Math.PI;
    const x = cx + rx * Math.cos(angle);
    const y = cy + ry * Math.sin(angle);
    const r = radius * (0.85 + (0.3 * ((i * 7) % 5)) / 4);
    circles.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}"/>`);
  }
  return `<g fill="${colour}" opacity="${opacity}">${circles.join('')}</g>`;
}

/** Every colour a portrait paints its person with, for the backdrop contrast check. */
export function portraitColours(spec: PortraitSpec): string[] {
  const colours = [
    spec.skin,
    shade(spec.skin, 0.86),
    shade(spec.skin, 0.68),
    spec.hair.colour,
    shade(spec.hair.colour, 0.8),
    spec.eyes,
    spec.clothing.colour,
    shade(spec.clothing.colour, 0.82),
    spec.clothing.accent,
    eyeWhite,
    mouthColour,
  ];
  if (spec.age !== 'senior') colours.push(mix(spec.hair.colour, '#ffffff', 0.28));
  if (spec.glasses) colours.push(spec.glasses.frame);
  if (spec.earrings) colours.push(spec.earrings);
  if (spec.lips) colours.push(spec.lips);
  return colours;
}
