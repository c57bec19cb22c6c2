import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  contractClip,
  contractColors,
  describeOverlayMatteMakerContract,
  makeContractClip,
} from '../../../ports/contracts/overlay-matte-maker.contract.js';
import { runBinary } from '../binaries/run-binary.js';
import { ColorKeySegmenter } from '../segmentation/color-key-segmenter.js';
import type { Matte, Segmenter } from '../segmentation/segmenter.js';
import {
  colorDistance,
  quietLogger,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';
import { LocalMatteMaker } from './local-matte-maker.js';

describeOverlayMatteMakerContract('local ffmpeg', async () => ({
  maker: new LocalMatteMaker({
    segmenter: new ColorKeySegmenter({ logger: quietLogger }),
    logger: quietLogger,
    maskDir: await tempDir('matte-masks'),
  }),
  resumable: false,
  cleanup: async () => undefined,
}));

describe('LocalMatteMaker with other segmenters', () => {
  let tools: MediaTools;
  let dir: string;
  let clip: string;
  beforeAll(async () => {
    tools = await requireMediaTools();
    dir = await tempDir('matte-segmenters');
    clip = await makeContractClip(tools, dir);
  });

  /** A mask that is white on the left half only: easy to tell from any real segmentation. */
  const leftHalf = (w: number, h: number) => {
    const frame = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++) frame.fill(255, y * w, y * w + w / 2);
    return frame;
  };

  async function matteColumns(path: string): Promise<[number, number]> {
    const { stdout } = await runBinary(tools.ffmpeg, [
      '-nostdin',
      '-v',
      'error',
      '-ss',
      '1',
      '-i',
      path,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      'pipe:1',
    ]);
    const w = contractClip.width;
    return [stdout[300 * w + 60] ?? -1, stdout[300 * w + 300] ?? -1];
  }

  it('takes streamed masks (mask-stream) at the segmenter’s own size, one per frame', async () => {
    let written = 0;
    const streaming: Segmenter = {
      name: 'fake-stream',
      matte: async () =>
        ({
          kind: 'mask-stream',
          width: 90,
          height: 160,
          description: 'left half, streamed',
          pipe: async (sink: Writable) => {
            for (let i = 0; i < contractClip.frames; i++) {
              written++;
              if (!sink.write(leftHalf(90, 160)))
                await new Promise<void>((resolve) => sink.once('drain', resolve));
            }
            sink.end();
          },
        }) as unknown as Matte,
    };
    const maker = new LocalMatteMaker({ segmenter: streaming, logger: quietLogger });
    const result = await maker.makeMatte({
      talkingHeadPath: clip,
      shape: 'cutout',
      mode: 'matte',
      outputPath: join(dir, 'stream.mp4'),
    });
    expect(written).toBe(contractClip.frames);
    expect(result.frames).toBe(contractClip.frames);
    const [left, right] = await matteColumns(result.path);
    expect(left).toBeGreaterThan(240);
    expect(right).toBeLessThan(16);
  });

  it('takes a mask video (mask-video) of another size', async () => {
    const maskPath = join(dir, 'mask.mp4');
    await runBinary(tools.ffmpeg, [
      '-nostdin',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=c=black:s=90x160:r=15:d=2',
      '-vf',
      "format=gray,geq=lum='if(lt(X,45),255,0)'",
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      maskPath,
    ]);
    const fromFile: Segmenter = {
      name: 'fake-video',
      matte: async () => ({ kind: 'mask-video', path: maskPath, description: 'left half, file' }),
    };
    const maker = new LocalMatteMaker({ segmenter: fromFile, logger: quietLogger });
    const result = await maker.makeMatte({
      talkingHeadPath: clip,
      shape: 'cutout',
      mode: 'greenscreen',
      outputPath: join(dir, 'video.mp4'),
    });
    expect(result.frames).toBe(contractClip.frames);
    const { stdout } = await runBinary(tools.ffmpeg, [
      '-nostdin',
      '-v',
      'error',
      '-ss',
      '1',
      '-i',
      result.path,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]);
    const at = (x: number, y: number) => [
      ...stdout.subarray((y * contractClip.width + x) * 3, (y * contractClip.width + x) * 3 + 3),
    ];
    expect(colorDistance(at(300, 300), '00FF00')).toBeLessThan(40); // right half keyed
    expect(colorDistance(at(40, 300), contractColors.backdrop)).toBeLessThan(40); // left half kept, backdrop and all
  });

  it('never runs the segmenter for the circle and the rectangle', async () => {
    let calls = 0;
    const counting: Segmenter = {
      name: 'counting',
      matte: async () => ((calls += 1), { kind: 'filter', filter: 'null', description: 'none' }),
    };
    const maker = new LocalMatteMaker({ segmenter: counting, logger: quietLogger });
    await maker.makeMatte({
      talkingHeadPath: clip,
      shape: 'rounded_rect',
      mode: 'greenscreen',
      outputPath: join(dir, 'rect.mp4'),
    });
    expect(calls).toBe(0);
  });
});
