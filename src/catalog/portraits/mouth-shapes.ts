import { shade } from './colour.js';
import type { PortraitSpec } from './portrait-spec.js';
import type { Viseme } from './viseme.js';

/**
 * The inside of a speaking mouth: darker than the smile's red, so the opening reads at a glance and
 * can be measured in a rendered frame (a touch of purple keeps it apart from every lip, lip seam,
 * skin, beard and hair colour of the cast, which are warmer).
 */
export const mouthInteriorColour = '#3c1024';
const teethColour = '#f2ede6';
const tongueColour = '#b44a56';

/** Lips meet on this line (face coordinates), a little below the smile's upper edge. */
const lipLine = 160;

interface OpenShape {
  /** Half the width, corner to corner. */
  readonly w: number;
  /** How far the opening reaches above and below the lip line. */
  readonly up: number;
  readonly down: number;
  /** 0: pointed corners (a wide smile) … 0.55: an ellipse (rounded lips). */
  readonly round: number;
  readonly upperTeeth: number;
  readonly lowerTeeth: number;
  readonly tongue?: 'low' | 'raised' | 'tip';
}

const open: Partial<Record<Viseme, OpenShape>> = {
  fv: { w: 55, up: 5, down: 5, round: 0.2, upperTeeth: 10, lowerTeeth: 0 },
  th: { w: 55, up: 7, down: 9, round: 0.3, upperTeeth: 5, lowerTeeth: 0, tongue: 'tip' },
  etc: { w: 62, up: 6, down: 11, round: 0.2, upperTeeth: 7, lowerTeeth: 6 },
  l: { w: 59, up: 11, down: 21, round: 0.35, upperTeeth: 8, lowerTeeth: 0, tongue: 'raised' },
  ee: { w: 70, up: 8, down: 18, round: 0.12, upperTeeth: 7, lowerTeeth: 4 },
  eh: { w: 64, up: 12, down: 28, round: 0.35, upperTeeth: 10, lowerTeeth: 0, tongue: 'low' },
  aa: { w: 62, up: 16, down: 42, round: 0.45, upperTeeth: 11, lowerTeeth: 0, tongue: 'low' },
  oh: { w: 42, up: 16, down: 30, round: 0.55, upperTeeth: 6, lowerTeeth: 0, tongue: 'low' },
  oo: { w: 29, up: 11, down: 18, round: 0.55, upperTeeth: 0, lowerTeeth: 0 },
};

/** The shapes (vowels and open consonants) the jaw opens more or less with the voice's loudness. */
export const jawOpen: ReadonlySet<Viseme> = new Set(['ee', 'eh', 'aa', 'oh', 'oo', 'etc', 'l']);

function withJaw(shape: OpenShape, jaw: number): OpenShape {
  const j = Math.min(1, Math.max(0.3, jaw));
  return {
    ...shape,
    down: shape.down * j,
    up: shape.up * (0.5 + 0.5 * j),
    w: shape.w * (0.92 + 0.08 * j),
  };
}

/**
 * One mouth shape of a character, in the portrait's face coordinates: lips in the character's own
 * colour, drawn over the beard and moustache as the portrait's smile is. `jaw` (0.3–1) opens a
 * vowel less for a quieter sound; consonants and closed lips ignore it.
 */
export function visemeMouthSvg(spec: PortraitSpec, viseme: Viseme, jaw = 1): string {
  const lips = spec.lips ?? shade(spec.skin, 0.72);
  const seam = shade(lips, 0.72);
  // Painted lips are fuller; otherwise the lips are a slightly darker skin.
  const upperLip = spec.lips ? 10 : 6;
  const lowerLip = spec.lips ? 14 : 8;
  const drawn = open[viseme];
  if (!drawn) return closedMouth(viseme === 'mbp', lips, seam, upperLip, lowerLip);
  const shape = jawOpen.has(viseme) ? withJaw(drawn, jaw) : drawn;
  const inner = ellipseish(shape.w, shape.up, shape.down, shape.round);
  const outer = ellipseish(
    shape.w + 6,
    shape.up + upperLip,
    shape.down + lowerLip,
    Math.min(0.55, shape.round + 0.1),
  );
  const parts = [
    `<path d="${outer}" fill="${lips}"/>`,
    `<path d="${inner}" fill="${mouthInteriorColour}"/>`,
  ];
  const clip: string[] = [];
  if (shape.tongue === 'low')
    clip.push(
      `<ellipse cx="0" cy="${lipLine + shape.down}" rx="${shape.w * 0.6}" ry="${shape.down * 0.45}" fill="${tongueColour}"/>`,
    );
  if (shape.tongue === 'raised')
    clip.push(
      `<ellipse cx="0" cy="${lipLine - shape.up + shape.upperTeeth + 4}" rx="${shape.w * 0.45}" ry="9" fill="${tongueColour}"/>`,
    );
  if (shape.tongue === 'tip')
    clip.push(
      `<ellipse cx="0" cy="${lipLine + 3}" rx="${shape.w * 0.4}" ry="7" fill="${tongueColour}"/>`,
    );
  if (shape.upperTeeth > 0)
    clip.push(
      `<rect x="${-shape.w}" y="${lipLine - shape.up - 2}" width="${shape.w * 2}" height="${shape.upperTeeth + 2}" fill="${teethColour}"/>`,
    );
  if (shape.lowerTeeth > 0)
    clip.push(
      `<rect x="${-shape.w}" y="${lipLine + shape.down - shape.lowerTeeth}" width="${shape.w * 2}" height="${shape.lowerTeeth + 2}" fill="${teethColour}"/>`,
    );
  const id = `m-${viseme}`;
  parts.push(
    `<clipPath id="${id}"><path d="${inner}"/></clipPath><g clip-path="url(#${id})">${clip.join('')}</g>`,
  );
  // f/v: the lower lip tucks up under the upper teeth.
  if (viseme === 'fv')
    parts.push(
      `<path d="M ${-shape.w + 6},${lipLine + 2} Q 0,${lipLine - 1} ${shape.w - 6},${lipLine + 2}" fill="none" stroke="${lips}" stroke-width="7"/>`,
    );
  parts.push(`<path d="${inner}" fill="none" stroke="${seam}" stroke-width="3"/>`);
  return parts.join('');
}

function closedMouth(
  pressed: boolean,
  lips: string,
  seam: string,
  upperLip: number,
  lowerLip: number,
): string {
  // Pressed lips (p, b, m) roll in: narrower, thinner, with a firmer seam.
  const w = pressed ? 55 : 62;
  const up = pressed ? upperLip * 0.6 : upperLip;
  const down = pressed ? lowerLip * 0.6 : lowerLip;
  const sag = pressed ? 1 : 4;
  const upper = `M ${-w},${lipLine} C ${-w * 0.6},${lipLine - up} ${-w * 0.25},${lipLine - up * 1.1} 0,${lipLine - up * 0.7} C ${w * 0.25},${lipLine - up * 1.1} ${w * 0.6},${lipLine - up} ${w},${lipLine} Q 0,${lipLine + sag} ${-w},${lipLine} Z`;
  const lower = `M ${-w},${lipLine} Q 0,${lipLine + sag} ${w},${lipLine} C ${w * 0.6},${lipLine + down * 1.2} ${-w * 0.6},${lipLine + down * 1.2} ${-w},${lipLine} Z`;
  return [
    `<path d="${upper}" fill="${lips}"/>`,
    `<path d="${lower}" fill="${lips}"/>`,
    `<path d="M ${-w - 2},${lipLine - 1} Q 0,${lipLine + sag + 1} ${w + 2},${lipLine - 1}" fill="none" stroke="${seam}" stroke-width="${pressed ? 5 : 4}"/>`,
  ].join('');
}

/** A closed outline around the lip line: `round` 0 gives pointed corners, 0.55 an ellipse. */
function ellipseish(w: number, up: number, down: number, round: number): string {
  const y = lipLine;
  const k = round;
  const s = 0.35 + round * 0.4;
  return [
    `M ${-w},${y}`,
    `C ${-w},${y - k * up} ${-w * s},${y - up} 0,${y - up}`,
    `C ${w * s},${y - up} ${w},${y - k * up} ${w},${y}`,
    `C ${w},${y + k * down} ${w * s},${y + down} 0,${y + down}`,
    `C ${-w * s},${y + down} ${-w},${y + k * down} ${-w},${y}`,
    'Z',
  ].join(' ');
}
