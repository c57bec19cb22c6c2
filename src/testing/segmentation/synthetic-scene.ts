import {
  applySimilarity,
  invertSimilarity,
  type Similarity,
} from '../../adapters/local/segmentation/similarity.js';

/**
 * Test scenes with a known answer: a smooth textured backdrop and a "person" (a head disc on a
 * body), drawn analytically so any camera motion can be rendered exactly. Kept free of vitest.
 */
export interface SceneOptions {
  readonly width: number;
  readonly height: number;
  /** Camera motion applied to the whole scene (reference → frame). */
  readonly camera?: Similarity;
  /** Head displacement in scene pixels (the head moves on its own). */
  readonly headShift?: readonly [number, number];
  /** An extra disc (a hand) in scene coordinates: centre and radius. */
  readonly hand?: { readonly x: number; readonly y: number; readonly r: number };
}

export interface Scene {
  readonly rgb: Uint8Array;
  /** 1 where the person (head, body, and a hand touching them) is. */
  readonly mask: Float32Array;
}

export function renderScene(options: SceneOptions): Scene {
  const { width: w, height: h } = options;
  const inv = invertSimilarity(options.camera ?? { a: 0, b: 0, tx: 0, ty: 0 });
  const rgb = new Uint8Array(w * h * 3);
  const mask = new Float32Array(w * h);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const [hx, hy] = options.headShift ?? [0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [sx, sy] = applySimilarity(inv, x - cx, y - cy);
      const px = sx + cx;
      const py = sy + cy;
      const head = Math.hypot(px - (cx + hx), py - (h * 0.35 + hy)) < w * 0.2;
      const body = py > h * 0.62 && Math.abs(px - cx) < w * 0.32;
      const hand = options.hand
        ? Math.hypot(px - options.hand.x, py - options.hand.y) < options.hand.r
        : false;
      const i = y * w + x;
      let colour: [number, number, number];
      if (hand) colour = [230, 180, 150];
      else if (head) colour = [225, 175, 140];
      else if (body) colour = [200, 60, 40];
      else
        colour = [
          120 + 60 * Math.sin(px / 5) * Math.cos(py / 7),
          140 + 50 * Math.sin((px + py) / 9),
          170 + 40 * Math.cos(px / 11),
        ];
      rgb[3 * i] = colour[0];
      rgb[3 * i + 1] = colour[1];
      rgb[3 * i + 2] = colour[2];
      mask[i] = head || body ? 1 : 0;
    }
  }
  return { rgb, mask };
}
