import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  defaultPython,
  overlayServiceDir,
  overlayServiceUnavailable,
} from '../../modal/local-overlay-server.js';
import { shapeBox } from './overlay-shape-geometry.js';

const sizes: Array<[number, number]> = [
  [360, 640],
  [1080, 1920],
  [720, 1280],
  [768, 768],
  [640, 360],
  [361, 641],
  [99, 500],
];

describe('shapeBox', () => {
  it('puts the circle across the width of a portrait, its centre at 42 % of the height', () => {
    expect(shapeBox('circle', 1080, 1920)).toEqual({
      x: 0,
      y: Math.round(0.42 * 1920 - 540),
      width: 1080,
      height: 1080,
      radius: 540,
    });
    expect(shapeBox('circle', 768, 768)).toEqual({
      x: 0,
      y: 0,
      width: 768,
      height: 768,
      radius: 384,
    });
  });

  it('keeps every box inside the frame with even sides', () => {
    for (const [w, h] of sizes) {
      for (const shape of ['circle', 'rounded_rect'] as const) {
        const box = shapeBox(shape, w, h);
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(w);
        expect(box.y + box.height).toBeLessThanOrEqual(h);
        expect(box.width % 2).toBe(0);
      }
    }
  });

  // The Python service draws the same boxes; a drift would misplace the shape in one of them.
  const missing = overlayServiceUnavailable();
  it.skipIf(missing !== undefined && process.env.CI !== 'true')(
    'matches modal/ugc_overlay/geometry.py exactly',
    () => {
      const script = `import json,sys\nfrom ugc_overlay.geometry import shape_box\nprint(json.dumps([[shape_box(s,w,h).__dict__ for s in ("circle","rounded_rect")] for w,h in ${JSON.stringify(sizes)}]))`;
      const run = spawnSync(defaultPython, ['-c', script], {
        cwd: overlayServiceDir,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const python = JSON.parse(run.stdout) as unknown[];
      expect(python).toEqual(
        sizes.map(([w, h]) => [shapeBox('circle', w, h), shapeBox('rounded_rect', w, h)]),
      );
    },
  );
});
