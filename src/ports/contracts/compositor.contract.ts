import { access, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error.js';
import { isErrorCode } from '../../errors/error-codes.js';
import {
  ffprobeJson,
  makeColorClip,
  makeHeadClip,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../testing/media/media-fixtures.js';
import type { CompositeRequest, Compositor, OverlayShape } from '../compositor.js';
import type { WordTiming } from '../speech-synthesizer.js';

export interface CompositorUnderTest {
  readonly compositor: Compositor;
  cleanup(): Promise<void>;
}

const speechSec = 1.6;
const words: WordTiming[] = [
  { word: 'Hello', start: 0.1, end: 0.5 },
  { word: 'world.', start: 0.55, end: 0.95 },
  { word: 'Buy', start: 1.0, end: 1.5 },
];

/**
 * What every Compositor promises, run against each implementation on short clips: a 1080×1920
 * H.264/AAC video as long as the speech (the head's video runs longer than its audio, the user's
 * clip is shorter and loops), a result that describes the file truly, each shape with or without
 * captions, and bad input or a cancellation refused with a typed error and no file left behind.
 */
export function describeCompositorContract(
  name: string,
  setup: (tools: MediaTools, dir: string) => Promise<CompositorUnderTest>,
): void {
  describe(`Compositor contract: ${name}`, () => {
    let tools: MediaTools;
    let dir: string;
    let background: string;
    let head: string;
    let silentHead: string;
    let subject: CompositorUnderTest;
    let outputs = 0;

    beforeAll(async () => {
      tools = await requireMediaTools();
      dir = await tempDir('compositor-contract');
      [background, head, silentHead] = await Promise.all([
        makeColorClip(tools, join(dir, 'background.mp4'), {
          seconds: 1.2,
          color: '0x2040A0',
          width: 640,
          height: 360,
        }),
        makeHeadClip(tools, dir, { videoSec: speechSec + 0.6, audioSec: speechSec }),
        makeColorClip(tools, join(dir, 'silent-head.mp4'), {
          seconds: speechSec,
          color: '0xD9704A',
          width: 540,
          height: 960,
        }),
      ]);
      subject = await setup(tools, dir);
    }, 180_000);
    afterAll(async () => {
      await subject?.cleanup();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const request = (
      shape: OverlayShape,
      extra: Partial<CompositeRequest> = {},
    ): CompositeRequest => ({
      backgroundPath: background,
      talkingHeadPath: head,
      shape,
      words,
      outputPath: join(dir, `out-${(outputs += 1)}-${shape}.mp4`),
      ...extra,
    });

    async function expectDeliverable(path: string): Promise<number> {
      const probed = await ffprobeJson(tools, path);
      const video = probed.streams.find((s) => s.codec_type === 'video');
      const audio = probed.streams.find((s) => s.codec_type === 'audio');
      expect(video).toMatchObject({
        codec_name: 'h264',
        width: 1080,
        height: 1920,
        pix_fmt: 'yuv420p',
      });
      expect(audio?.codec_name).toBe('aac');
      const duration = Number(probed.format.duration);
      // As long as the speech: not the head's longer video, not the user's shorter clip.
      expect(duration).toBeLessThanOrEqual(speechSec + 0.15);
      expect(duration).toBeGreaterThan(speechSec - 0.2);
      return duration;
    }

    async function expectRefused(run: Promise<unknown>, outputPath: string): Promise<void> {
      const error = await run.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error, 'the composite should have been refused').toBeInstanceOf(Error);
      // Typed: a provider error with a stable code, local or cloud alike, never worth retrying
      // unchanged.
      expect(error, `${String(error)} is not a provider error`).toBeInstanceOf(ProviderError);
      expect(isErrorCode((error as ProviderError).code)).toBe(true);
      expect((error as ProviderError).retryable).toBe(false);
      await expect(access(outputPath)).rejects.toThrow();
    }

    it('makes a 1080×1920 H.264/AAC video as long as the speech, with captions, and describes it truly', async () => {
      const req = request('circle');
      const result = await subject.compositor.composite(req);
      expect(result.path).toBe(req.outputPath);
      const duration = await expectDeliverable(result.path);
      expect(result).toMatchObject({ width: 1080, height: 1920 });
      expect(result.durationSec).toBeCloseTo(duration, 1);
      expect(result.sizeBytes).toBe((await stat(result.path)).size);
      expect(result.provider).toMatch(/\S/);
      expect(typeof result.lipSync).toBe('boolean');
    });

    it('makes the cut-out without captions', async () => {
      const result = await subject.compositor.composite(request('cutout', { words: [] }));
      await expectDeliverable(result.path);
    });

    it('refuses a talking head without speech with a typed error and leaves no file', async () => {
      const req = request('rounded_rect', { talkingHeadPath: silentHead });
      await expectRefused(subject.compositor.composite(req), req.outputPath);
    });

    it('refuses a background that does not exist with a typed error and leaves no file', async () => {
      const req = request('circle', { backgroundPath: join(dir, 'no-such-background.mp4') });
      await expectRefused(subject.compositor.composite(req), req.outputPath);
    });

    it('stops when cancelled and leaves no file', async () => {
      const controller = new AbortController();
      controller.abort(new Error('cancelled by the test'));
      const req = request('circle', { signal: controller.signal });
      await expect(subject.compositor.composite(req)).rejects.toBeDefined();
      await expect(access(req.outputPath)).rejects.toThrow();
    });
  });
}
