import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeMontageRendererContract } from '../../../ports/contracts/montage-renderer.contract.js';
import { runBinary } from '../binaries/run-binary.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import {
  quietLogger,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';
import { shapeBox } from '../matte/overlay-shape-geometry.js';
import { FfmpegMontageRenderer } from './ffmpeg-montage-renderer.js';
import {
  makeMontageFixtures,
  type MontageFixtures,
} from '../../../testing/montage/montage-fixtures.js';
import { inspectMontageInputs } from './montage-inputs.js';

describeMontageRendererContract('FfmpegMontageRenderer', async () => ({
  renderer: new FfmpegMontageRenderer({ logger: quietLogger, preset: 'ultrafast' }),
  resumable: false,
  cleanup: async () => undefined,
}));

describe('inspectMontageInputs: where the shape is', () => {
  let tools: MediaTools;
  let fixtures: MontageFixtures;
  beforeAll(async () => {
    tools = await requireMediaTools();
    fixtures = await makeMontageFixtures(tools, await tempDir('montage-inputs'), { speechSec: 1 });
  });
  const inspect = (overlayPath: string, overlayMode: 'greenscreen' | 'matte') =>
    inspectMontageInputs(
      {
        backgroundPath: fixtures.background,
        talkingHeadPath: fixtures.head,
        overlayPath,
        overlayMode,
        shape: 'circle',
      },
      { ffmpegPath: tools.ffmpeg, probe: new FfprobeMediaProbe({ logger: quietLogger }) },
    );

  it('uses the shared geometry for an overlay drawn by it, in both modes', async () => {
    const { radius: _radius, ...expected } = shapeBox('circle', 540, 960);
    for (const mode of ['greenscreen', 'matte'] as const) {
      const inputs = await inspect(fixtures.overlays[mode].circle, mode);
      expect(inputs.shapeFrom).toBe('geometry');
      expect(inputs.placement.source).toEqual(expected);
      expect(inputs.speechSec).toBeCloseTo(1, 1);
    }
  });

  it('follows the overlay when its maker drew the circle elsewhere', async () => {
    const path = join(fixtures.dir, 'elsewhere.mp4');
    await runBinary(tools.ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'color=c=black:s=540x960:r=30:d=0.5',
      '-vf',
      "format=gray,geq=lum='if(lte(hypot(X+0.5-200,Y+0.5-200),150),255,0)'",
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      path,
    ]);
    const inputs = await inspect(path, 'matte');
    expect(inputs.shapeFrom).toBe('measured');
    const { source } = inputs.placement;
    for (const [actual, wanted] of [
      [source.x, 50],
      [source.y, 50],
      [source.width, 300],
      [source.height, 300],
    ] as const) {
      expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(2);
    }
  });
});
