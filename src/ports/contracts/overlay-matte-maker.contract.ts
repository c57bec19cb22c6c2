import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapeBox } from '../../adapters/local/matte/overlay-shape-geometry.js';
import { runBinary } from '../../adapters/local/binaries/run-binary.js';
import {
  colorDistance,
  ffprobeJson,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../testing/media/media-fixtures.js';
import type { OverlayShape } from '../compositor.js';
import type { MatteMode, MatteRequest, OverlayMatteMaker } from '../overlay-matte-maker.js';

export interface OverlayMatteMakerUnderTest {
  readonly maker: OverlayMatteMaker;
  /**
   * Whether `resumeRequestId` polls the earlier job (a service); a local maker simply runs again.
   */
  readonly resumable: boolean;
  /** How many jobs the service really received (counted on the wire). */
  submissionCount?(): number;
  cleanup(): Promise<void>;
}

/** The contract's talking head: 360×640, 15 fps, 2 s, a tone as the speech, a plain backdrop. */
export const contractClip = { width: 360, height: 640, fps: 15, seconds: 2, frames: 30 } as const;
export const contractColors = { backdrop: '4A90D9', skin: 'E6B496', shirt: 'B03030' } as const;
/** The face's centre and radius, and a point on the shirt, in the clip's pixels. */
export const contractFace = { x: 180, y: 256, radius: 58 } as const;
export const contractShirt = { x: 180, y: 560 } as const;

export async function makeContractClip(tools: MediaTools, dir: string): Promise<string> {
  const { width: w, height: h, fps, seconds } = contractClip;
  const head = `lt(hypot(X-${contractFace.x},Y-${contractFace.y}),${contractFace.radius})`;
  const body = `gt(Y,${Math.round(h * 0.62)})*lt(abs(X-${w / 2}),${Math.round(w * 0.3)})`;
  const channel = (i: 0 | 1 | 2) => {
    const c = (hex: string) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return `if(${head},${c(contractColors.skin)},if(${body},${c(contractColors.shirt)},${c(contractColors.backdrop)}))`;
  };
  const portrait = join(dir, 'portrait.png');
  await runBinary(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${w}x${h}`,
    '-vf',
    `format=rgb24,geq=r='${channel(0)}':g='${channel(1)}':b='${channel(2)}'`,
    '-frames:v',
    '1',
    portrait,
  ]);
  const clip = join(dir, 'head.mp4');
  await runBinary(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-loop',
    '1',
    '-framerate',
    String(fps),
    '-i',
    portrait,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=300:sample_rate=44100:duration=${seconds}`,
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    clip,
  ]);
  return clip;
}

const green = '00FF00';

/** One decoded frame as RGB, read once and sampled many times (each decode is a process). */
interface Frame {
  readonly width: number;
  readonly rgb: Buffer;
}

async function frameAt(tools: MediaTools, path: string, timeSec: number): Promise<Frame> {
  const { stdout } = await runBinary(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-ss',
    String(timeSec),
    '-i',
    path,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]);
  expect(stdout.length).toBe(contractClip.width * contractClip.height * 3);
  return { width: contractClip.width, rgb: stdout };
}

/** The mean colour of the 3×3 pixels around (x, y). */
function pixel(frame: Frame, x: number, y: number): [number, number, number] {
  const sum = [0, 0, 0];
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const i = ((Math.round(y) + dy) * frame.width + Math.round(x) + dx) * 3;
      for (let c = 0; c < 3; c++) sum[c]! += frame.rgb[i + c] ?? 0;
    }
  }
  return [sum[0]! / 9, sum[1]! / 9, sum[2]! / 9];
}

/**
 * What every OverlayMatteMaker must do, run against the local ffmpeg maker and the Modal client on
 * the real Python service: the input's size, frame rate, frame count and duration (±1 frame); in
 * green-screen, pure green outside the shape and the picture inside with the speech kept; in the
 * matte, black outside and white on the face; the cut-out's backdrop removed; resume by request
 * id without a second job; cancellation that leaves no file.
 */
export function describeOverlayMatteMakerContract(
  name: string,
  setup: () => Promise<OverlayMatteMakerUnderTest>,
  options: { skip?: string } = {},
): void {
  describe.skipIf(options.skip !== undefined)(
    `OverlayMatteMaker contract: ${name}${options.skip ? ` (skipped: ${options.skip})` : ''}`,
    () => {
      let tools: MediaTools;
      let dir: string;
      let clip: string;
      let subject: OverlayMatteMakerUnderTest;
      let outputs = 0;

      beforeAll(async () => {
        tools = await requireMediaTools();
        dir = await tempDir('matte-contract');
        clip = await makeContractClip(tools, dir);
        subject = await setup();
      });
      afterAll(async () => {
        await subject?.cleanup();
      });

      const request = (
        shape: OverlayShape,
        mode: MatteMode,
        extra: Partial<MatteRequest> = {},
      ): MatteRequest => ({
        talkingHeadPath: clip,
        shape,
        mode,
        outputPath: join(dir, `out-${(outputs += 1)}-${shape}-${mode}.mp4`),
        ...extra,
      });

      async function expectSameTiming(path: string, frames: number): Promise<void> {
        const [input, output] = await Promise.all([
          ffprobeJson(tools, clip),
          ffprobeJson(tools, path),
        ]);
        const inVideo = input.streams.find((s) => s.codec_type === 'video')!;
        const outVideo = output.streams.find((s) => s.codec_type === 'video')!;
        expect(outVideo).toMatchObject({
          codec_name: 'h264',
          width: contractClip.width,
          height: contractClip.height,
          pix_fmt: 'yuv420p',
        });
        expect(outVideo.avg_frame_rate).toBe(inVideo.avg_frame_rate);
        expect(frames).toBe(contractClip.frames);
        const frame = 1 / contractClip.fps;
        expect(Math.abs(Number(outVideo.duration) - Number(inVideo.duration))).toBeLessThanOrEqual(
          frame + 1e-6,
        );
        expect(
          Math.abs(Number(output.format.duration) - Number(input.format.duration)),
        ).toBeLessThanOrEqual(frame + 0.05);
      }

      it('green-screen circle: same size, rate, frames and duration; green outside, the picture inside, the speech kept', async () => {
        const result = await subject.maker.makeMatte(request('circle', 'greenscreen'));
        expect(result).toMatchObject({
          mode: 'greenscreen',
          width: 360,
          height: 640,
          provider: subject.maker.provider,
        });
        expect(Math.abs(result.durationSec - contractClip.seconds)).toBeLessThanOrEqual(
          1 / contractClip.fps + 0.05,
        );
        expect(result.sizeBytes).toBeGreaterThan(1000);
        await expectSameTiming(result.path, result.frames);
        const probed = await ffprobeJson(tools, result.path);
        expect(probed.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
        const box = shapeBox('circle', 360, 640);
        const frame = await frameAt(tools, result.path, 1);
        for (const [x, y] of [
          [6, 6],
          [6, box.y + 20],
          [354, box.y + 20],
          [180, 630],
          [180, box.y + box.height + 4],
        ] as const) {
          expect(colorDistance(pixel(frame, x, y), green), `(${x},${y})`).toBeLessThan(40);
        }
        expect(
          colorDistance(pixel(frame, contractFace.x, contractFace.y), contractColors.skin),
        ).toBeLessThan(40);
        // Inside the circle the backdrop is kept: the circle shows the frame, not just the person.
        expect(
          colorDistance(pixel(frame, 60, box.y + box.height / 2), contractColors.backdrop),
        ).toBeLessThan(40);
      });

      it('matte circle: black outside the circle, white on the face and inside', async () => {
        const result = await subject.maker.makeMatte(request('circle', 'matte'));
        expect(result.mode).toBe('matte');
        await expectSameTiming(result.path, result.frames);
        const box = shapeBox('circle', 360, 640);
        const frame = await frameAt(tools, result.path, 0.5);
        for (const [x, y] of [
          [6, 6],
          [6, box.y + 20],
          [180, 630],
        ] as const) {
          expect(Math.max(...pixel(frame, x, y)), `(${x},${y})`).toBeLessThan(16);
        }
        for (const [x, y] of [
          [contractFace.x, contractFace.y],
          [60, box.y + box.height / 2],
        ] as const) {
          expect(Math.min(...pixel(frame, x, y)), `(${x},${y})`).toBeGreaterThan(240);
        }
      });

      it('matte rounded rectangle: rounded corners black, its middle white', async () => {
        const result = await subject.maker.makeMatte(request('rounded_rect', 'matte'));
        await expectSameTiming(result.path, result.frames);
        const box = shapeBox('rounded_rect', 360, 640);
        const frame = await frameAt(tools, result.path, 1);
        expect(Math.max(...pixel(frame, box.x + 3, box.y + 3))).toBeLessThan(16);
        expect(Math.max(...pixel(frame, 180, box.y - 4))).toBeLessThan(16);
        expect(Math.min(...pixel(frame, box.x + 8, box.y + box.height / 2))).toBeGreaterThan(240);
      });

      it('cut-out: the backdrop goes (green / black), the person stays (their colours / white)', async () => {
        const greenscreen = await subject.maker.makeMatte(request('cutout', 'greenscreen'));
        const matte = await subject.maker.makeMatte(request('cutout', 'matte'));
        await expectSameTiming(greenscreen.path, greenscreen.frames);
        await expectSameTiming(matte.path, matte.frames);
        const [keyed, matted] = await Promise.all([
          frameAt(tools, greenscreen.path, 1),
          frameAt(tools, matte.path, 1),
        ]);
        for (const [x, y] of [
          [20, 20],
          [340, 300],
          [30, 600],
        ] as const) {
          expect(colorDistance(pixel(keyed, x, y), green), `(${x},${y})`).toBeLessThan(60);
          expect(Math.max(...pixel(matted, x, y)), `(${x},${y})`).toBeLessThan(40);
        }
        expect(
          colorDistance(pixel(keyed, contractFace.x, contractFace.y), contractColors.skin),
        ).toBeLessThan(40);
        expect(
          colorDistance(pixel(keyed, contractShirt.x, contractShirt.y), contractColors.shirt),
        ).toBeLessThan(40);
        for (const point of [contractFace, contractShirt]) {
          expect(Math.min(...pixel(matted, point.x, point.y))).toBeGreaterThan(215);
        }
      });

      it('reports its request id before the wait, and a resumed request does not submit again', async () => {
        const ids: string[] = [];
        const first = await subject.maker.makeMatte(
          request('circle', 'matte', { onSubmitted: (id) => void ids.push(id) }),
        );
        expect(ids).toHaveLength(1);
        expect(ids[0]).toMatch(/\S/);
        const before = subject.submissionCount?.();
        const resumed = await subject.maker.makeMatte(
          request('circle', 'matte', { resumeRequestId: ids[0]! }),
        );
        expect(resumed.frames).toBe(first.frames);
        expect(resumed.sizeBytes).toBeGreaterThan(1000);
        if (subject.resumable) {
          expect(before).toBeDefined();
          expect(subject.submissionCount?.()).toBe(before);
          expect(resumed.sizeBytes).toBe(first.sizeBytes);
        }
      });

      it('cancellation rejects and leaves no output file', async () => {
        const controller = new AbortController();
        const cancelled = request('cutout', 'greenscreen', {
          signal: controller.signal,
          onSubmitted: () => controller.abort(),
        });
        await expect(subject.maker.makeMatte(cancelled)).rejects.toThrow();
        await expect(access(cancelled.outputPath)).rejects.toThrow();
      });
    },
  );
}
