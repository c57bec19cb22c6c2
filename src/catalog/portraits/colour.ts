/** `#rrggbb` colour arithmetic for the portrait generator. */

export type Rgb = readonly [number, number, number];

export function parseHex(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  return [
    Number.parseInt(match[1]!, 16),
    Number.parseInt(match[2]!, 16),
    Number.parseInt(match[3]!, 16),
  ];
}

export function toHex(rgb: Rgb): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Darker (factor < 1) or lighter (factor > 1, mixed towards white) version of a colour. */
export function shade(hex: string, factor: number): string {
  const rgb = parseHex(hex);
  if (factor <= 1) return toHex([rgb[0] * factor, rgb[1] * factor, rgb[2] * factor]);
  const t = Math.min(1, factor - 1);
  return toHex([
    rgb[0] + (255 - rgb[0]) * t,
    rgb[1] + (255 - rgb[1]) * t,
    rgb[2] + (255 - rgb[2]) * t,
  ]);
}

export function mix(a: string, b: string, t: number): string {
  const [x, y] = [parseHex(a), parseHex(b)];
  return toHex([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t]);
}

/**
 * The distance ffmpeg's `colorkey` uses: RGB Euclidean distance scaled to 0..1. The local
 * cut-out keys the backdrop colour out with a similarity of about 0.1 plus a soft edge of 0.08,
 * so anything of the person closer than ~0.19 to the backdrop would turn see-through.
 */
export function keyDistance(a: string, b: string): number {
  const [x, y] = [parseHex(a), parseHex(b)];
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]) / (255 * Math.sqrt(3));
}
