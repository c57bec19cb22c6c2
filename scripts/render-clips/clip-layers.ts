import sharp from 'sharp';
import type { PortraitSpec } from '../../src/catalog/portraits/portrait-spec.js';
import {
  portraitHeight,
  portraitSvg,
  portraitWidth,
} from '../../src/catalog/portraits/portrait-svg.js';

/** The renderer's canvas: 12.5% larger than the frame, so the camera can zoom and drift. */
export const canvasWidth = 1216;
export const canvasHeight = 2160;
const scale = canvasWidth / portraitWidth;

export type Backdrop =
  { readonly kind: 'plain' } | { readonly kind: 'textured'; readonly seed: number };

/** Where the head is on the canvas: the portrait draws the face around (540, 780) at 1.2×. */
export const head = {
  cx: Math.round(540 * scale),
  cy: Math.round(760 * scale),
  rx: Math.round(300 * scale),
  ry: Math.round(385 * scale),
};

export interface ClipLayers {
  readonly backdrop: Buffer;
  /** The person without the head, RGBA. */
  readonly body: Buffer;
  /** The head alone, RGBA, cropped to `headBox`. */
  readonly head: Buffer;
  readonly headBox: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
  };
  /** A hand and forearm, RGBA, fingers up. */
  readonly hand: Buffer;
}

/**
 * The layers a test clip is animated from: the catalog portrait split into backdrop, body and
 * head (so the head can turn on its own), plus a hand that can enter the frame. The backdrop is
 * the portrait's own plain colour or a busy texture that no colour key can separate.
 */
export async function buildClipLayers(spec: PortraitSpec, backdrop: Backdrop): Promise<ClipLayers> {
  const person = await rasterise(personOnlySvg(spec));
  const ellipse = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${canvasWidth}" height="${canvasHeight}"><ellipse cx="${head.cx}" cy="${head.cy}" rx="${head.rx}" ry="${head.ry}" fill="#fff"/></svg>`,
  );
  const body = await sharp(person)
    .composite([{ input: ellipse, blend: 'dest-out' }])
    .png()
    .toBuffer();
  const headBox = {
    x: head.cx - head.rx,
    y: head.cy - head.ry,
    width: 2 * head.rx,
    height: 2 * head.ry,
  };
  // sharp extracts before it composites, so the masking is its own pass.
  const headMasked = await sharp(person)
    .composite([{ input: ellipse, blend: 'dest-in' }])
    .png()
    .toBuffer();
  const headLayer = await sharp(headMasked)
    .extract({ left: headBox.x, top: headBox.y, width: headBox.width, height: headBox.height })
    .png()
    .toBuffer();
  const backdropPng = await rasterise(
    backdrop.kind === 'plain' ? plainSvg(spec.backdrop) : texturedSvg(backdrop.seed),
    false,
  );
  const hand = await sharp(Buffer.from(handSvg(spec.skin, spec.clothing.colour)))
    .png()
    .toBuffer();
  return { backdrop: backdropPng, body, head: headLayer, headBox, hand };
}

/**
 * The portrait without its backdrop: the person alone on transparency, whose alpha is the true
 * mask.
 */
export function personOnlySvg(spec: PortraitSpec): string {
  const full = portraitSvg(spec);
  // The backdrop is the one rect filled with the backdrop colour, whatever its size attributes.
  const rect = new RegExp(`<rect [^>]*fill="${spec.backdrop}"/>`);
  if (!rect.test(full))
    throw new Error('the portrait SVG no longer draws its backdrop as one rect');
  return full.replace(rect, '');
}

async function rasterise(svg: string, alpha = true): Promise<Buffer> {
  const image = sharp(Buffer.from(svg), { density: 72 }).resize(canvasWidth, canvasHeight);
  return (alpha ? image : image.removeAlpha()).png().toBuffer();
}

function plainSvg(colour: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${portraitWidth}" height="${portraitHeight}"><rect width="100%" height="100%" fill="${colour}"/></svg>`;
}

/** A deterministic pseudo-random sequence, so the same seed always draws the same texture. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/**
 * A room-like backdrop: a wall gradient, shelves and picture frames, a plant, and fine noise
 * over everything, so neither a colour key nor a flat-backdrop assumption can separate it.
 */
function texturedSvg(seed: number): string {
  const next = random(seed);
  const palette = [
    '#c9b79c',
    '#8c7b6b',
    '#4f6d7a',
    '#d4a373',
    '#6b705c',
    '#a5a58d',
    '#cb997e',
    '#3d405b',
    '#e07a5f',
    '#81b29a',
  ];
  const pick = () => palette[Math.floor(next() * palette.length)]!;
  const shapes: string[] = [];
  for (let i = 0; i < 14; i++) {
    const x = Math.round(next() * portraitWidth);
    const y = Math.round(next() * portraitHeight * 0.8);
    const w = 80 + Math.round(next() * 260);
    const h = 60 + Math.round(next() * 320);
    shapes.push(
      `<rect x="${x - w / 2}" y="${y}" width="${w}" height="${h}" fill="${pick()}" stroke="${pick()}" stroke-width="${6 + Math.round(next() * 14)}"/>`,
    );
  }
  for (let i = 0; i < 10; i++) {
    const x = Math.round(next() * portraitWidth);
    const y = Math.round(next() * portraitHeight);
    shapes.push(
      `<circle cx="${x}" cy="${y}" r="${20 + Math.round(next() * 90)}" fill="${pick()}" opacity="0.8"/>`,
    );
  }
  for (let y = 300; y < portraitHeight; y += 420) {
    shapes.push(`<rect x="0" y="${y}" width="${portraitWidth}" height="26" fill="#5a4632"/>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${portraitWidth}" height="${portraitHeight}">`,
    `<defs><linearGradient id="wall" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#e8dcc4"/><stop offset="1" stop-color="#9fb4c7"/></linearGradient>`,
    `<filter id="grain"><feTurbulence type="fractalNoise" baseFrequency="0.035" numOctaves="3" seed="${seed}"/><feColorMatrix type="saturate" values="0.4"/><feComponentTransfer><feFuncA type="linear" slope="0.55"/></feComponentTransfer><feBlend in="SourceGraphic" mode="multiply"/></filter></defs>`,
    `<g filter="url(#grain)"><rect width="100%" height="100%" fill="url(#wall)"/>`,
    ...shapes,
    `</g></svg>`,
  ].join('\n');
}

/** An open hand with a sleeve, 320×620, fingers pointing up. */
function handSvg(skin: string, sleeve: string): string {
  const fingers = [
    { x: 92, h: 190 },
    { x: 142, h: 215 },
    { x: 192, h: 205 },
    { x: 240, h: 170 },
  ]
    .map(
      (f) =>
        `<rect x="${f.x - 22}" y="${250 - f.h}" width="44" height="${f.h + 40}" rx="22" fill="${skin}"/>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="620">`,
    fingers,
    `<path d="M 60,230 Q 40,120 -10,90 Q 10,60 50,100 Q 90,150 100,220 Z" fill="${skin}"/>`,
    `<rect x="60" y="210" width="210" height="200" rx="60" fill="${skin}"/>`,
    `<rect x="90" y="380" width="150" height="120" fill="${skin}"/>`,
    `<rect x="60" y="460" width="210" height="160" rx="20" fill="${sleeve}"/>`,
    `</svg>`,
  ].join('');
}
