import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from '../ffmpeg/ffmpeg-run.js';

export interface MaskSpec {
  readonly shape: 'circle' | 'rounded_rect';
  readonly width: number;
  readonly height: number;
  /** Corner radius (rounded_rect only). */
  readonly radius?: number;
  /** Draw only a ring this wide at the edge instead of the filled shape (for the border). */
  readonly ring?: number;
}

/**
 * Signed distance (pixels, negative inside) from a pixel centre to the shape's edge, as a geq
 * expression. Computed once per mask, never per video frame (a per-frame geq doubles the
 * composite's cost).
 */
function distanceExpression(spec: MaskSpec): string {
  const { width: w, height: h } = spec;
  if (spec.shape === 'circle') {
    const r = Math.min(w, h) / 2;
    return `(hypot(X+0.5-${w / 2}\\,Y+0.5-${h / 2})-${r - 0.5})`;
  }
  const r = Math.min(spec.radius ?? 0, w / 2, h / 2);
  const dx = `max(abs(X+0.5-${w / 2})-${w / 2 - r}\\,0)`;
  const dy = `max(abs(Y+0.5-${h / 2})-${h / 2 - r}\\,0)`;
  return `(hypot(${dx}\\,${dy})-${r - 0.5})`;
}

/** Coverage 0..255 with a one-pixel anti-aliased edge. */
function coverageExpression(spec: MaskSpec): string {
  const d = distanceExpression(spec);
  const inside = (distance: string) => `clip(0.5-${distance}\\,0\\,1)`;
  if (!spec.ring) return `255*${inside(d)}`;
  // A ring is "inside the shape" minus "inside the shape shrunk by the ring width".
  return `255*(${inside(d)}-${inside(`(${d}+${spec.ring})`)})`;
}

export function maskFileName(spec: MaskSpec): string {
  return `${spec.shape}-${spec.width}x${spec.height}-r${spec.radius ?? 0}${spec.ring ? `-ring${spec.ring}` : ''}.png`;
}

const building = new Map<string, Promise<string>>();

/**
 * A grayscale PNG mask (white = visible), built once per shape and size and then reused from
 * `dir` by every composite.
 */
export function ensureMask(ffmpegPath: string, dir: string, spec: MaskSpec): Promise<string> {
  const path = join(dir, maskFileName(spec));
  let pending = building.get(path);
  if (!pending) {
    pending = buildMask(ffmpegPath, path, spec).catch((error: unknown) => {
      building.delete(path);
      throw error;
    });
    building.set(path, pending);
  }
  return pending;
}

async function buildMask(ffmpegPath: string, path: string, spec: MaskSpec): Promise<string> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && existing.size > 0) return path;
  await mkdir(join(path, '..'), { recursive: true });
  // Another process may build the same mask; rename makes whichever finishes last win whole.
  const partial = `${path}.${process.pid}.${Date.now()}.png`;
  try {
    await runFfmpeg(ffmpegPath, 'mask', [
      '-f',
      'lavfi',
      '-i',
      `color=c=black:s=${spec.width}x${spec.height},format=gray`,
      '-vf',
      `geq=lum='${coverageExpression(spec)}'`,
      '-frames:v',
      '1',
      '-y',
      partial,
    ]);
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
  return path;
}
