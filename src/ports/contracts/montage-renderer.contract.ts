import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeMontageFixtures,
  montageColors,
  headFrame,
  type MontageFixtures,
} from '../../testing/montage/montage-fixtures.js';
import {
  placeOverlay,
  type OverlayPlacement,
} from '../../adapters/local/montage/overlay-placement.js';
import {
  colorDistance,
  ffprobeJson,
  pixelAt,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../testing/media/media-fixtures.js';
import type { OverlayShape } from '../compositor.js';
import type { MontageRenderer, MontageRequest } from '../montage-renderer.js';
import type { MatteMode } from '../overlay-matte-maker.js';

export interface MontageRendererUnderTest {
  readonly renderer: MontageRenderer;
  /**
   * Whether a `resumeRequestId` is honoured by polling the earlier render (cloud renderers); a
   * local
   * renderer has nothing to resume and renders again.
   */
  readonly resumable: boolean;
  /** How many renders the provider really ran (a fake counts them). */
  renderCount?(): number;
  cleanup(): Promise<void>;
}

/**
 * What every MontageRenderer must do, run against the ffmpeg renderer and the Shotstack client on
 * its wire-level fake: a 1080×1920 H.264/AAC file as long as the speech, the head where the layout
 * puts it with the backdrop keyed or matted away, every shape and both matte modes, resume without
 * a second render, and cancellation that leaves no file behind.
 */
export function describeMontageRendererContract(
  name: string,
  setup: () => Promise<MontageRendererUnderTest>,
): void {
  describe(`MontageRenderer contract: ${name}`, () => {
    let tools: MediaTools;
    let fixtures: MontageFixtures;
    let subject: MontageRendererUnderTest;
    let outputs = 0;

    beforeAll(async () => {
      tools = await requireMediaTools();
      fixtures = await makeMontageFixtures(tools, await tempDir('montage-contract'), {
        speechSec: 1.6,
      });
      subject = await setup();
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    const request = (
      shape: OverlayShape,
      mode: MatteMode,
      extra: Partial<MontageRequest> = {},
    ): MontageRequest => ({
      backgroundPath: fixtures.background,
      talkingHeadPath: fixtures.head,
      overlayPath: fixtures.overlays[mode][shape],
      overlayMode: mode,
      shape,
      words: fixtures.words,
      outputPath: join(fixtures.dir, `out-${(outputs += 1)}-${shape}-${mode}.mp4`),
      ...extra,
    });

    async function expectDeliverable(path: string): Promise<void> {
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
      expect(duration).toBeLessThanOrEqual(fixtures.speechSec + 0.1);
      expect(duration).toBeGreaterThan(fixtures.speechSec - 0.2);
    }

    async function expectHeadPlaced(path: string, placement: OverlayPlacement): Promise<void> {
      const { target } = placement;
      const t = fixtures.speechSec / 2;
      const centre = await pixelAt(
        tools,
        path,
        t,
        Math.round(target.x + target.width / 2),
        Math.round(target.y + target.height * 0.6),
      );
      expect(colorDistance(centre, montageColors.head)).toBeLessThan(60);
      // The user's clip fills the upper part of the frame, looped past its own 1.2 s.
      expect(fixtures.speechSec - 0.2).toBeGreaterThan(1.2);
      const sky = await pixelAt(tools, path, fixtures.speechSec - 0.2, 540, 300);
      expect(colorDistance(sky, montageColors.background)).toBeLessThan(60);
      // Nothing green survives anywhere near the shape's edge.
      const beside = await pixelAt(
        tools,
        path,
        t,
        Math.max(2, target.x - 12),
        Math.round(target.y + target.height / 2),
      );
      expect(colorDistance(beside, montageColors.background)).toBeLessThan(60);
    }

    it('renders the green-screen circle at 1080×1920 H.264/AAC, as long as the speech, the head placed and keyed', async () => {
      const result = await subject.renderer.render(request('circle', 'greenscreen'));
      expect(result).toMatchObject({
        width: 1080,
        height: 1920,
        provider: subject.renderer.provider,
      });
      expect(result.sizeBytes).toBeGreaterThan(0);
      await expectDeliverable(result.path);
      const placement = placeOverlay('circle', headFrame);
      await expectHeadPlaced(result.path, placement);
      // The corner of the circle's box is outside the circle: the background shows there.
      const corner = await pixelAt(
        tools,
        result.path,
        fixtures.speechSec / 2,
        placement.target.x + 14,
        placement.target.y + 14,
      );
      expect(colorDistance(corner, montageColors.background)).toBeLessThan(60);
    });

    it('renders the matte rounded rectangle (fill + grayscale matte)', async () => {
      const result = await subject.renderer.render(request('rounded_rect', 'matte'));
      await expectDeliverable(result.path);
      await expectHeadPlaced(result.path, placeOverlay('rounded_rect', headFrame));
    });

    it('accepts the cut-out in both modes', async () => {
      for (const mode of ['greenscreen', 'matte'] as const) {
        const result = await subject.renderer.render(request('cutout', mode));
        await expectDeliverable(result.path);
        const { target } = placeOverlay('cutout', headFrame);
        // The body reaches the bottom edge; beside the body, the background.
        const body = await pixelAt(
          tools,
          result.path,
          fixtures.speechSec / 2,
          540,
          target.y + Math.round(target.height * 0.8),
        );
        expect(colorDistance(body, montageColors.head)).toBeLessThan(60);
        const beside = await pixelAt(
          tools,
          result.path,
          fixtures.speechSec / 2,
          target.x + 10,
          target.y + Math.round(target.height * 0.8),
        );
        expect(colorDistance(beside, montageColors.background)).toBeLessThan(60);
      }
    });

    it('resumes a submitted render by its id without rendering twice', async () => {
      const ids: string[] = [];
      const first = await subject.renderer.render(
        request('circle', 'matte', { onSubmitted: (id) => void ids.push(id) }),
      );
      await expectDeliverable(first.path);
      if (!subject.resumable) return;
      expect(ids).toHaveLength(1);
      const before = subject.renderCount?.();
      const resumed = await subject.renderer.render(
        request('circle', 'matte', {
          resumeRequestId: ids[0]!,
          onSubmitted: (id) => void ids.push(id),
        }),
      );
      await expectDeliverable(resumed.path);
      if (before !== undefined) expect(subject.renderCount?.()).toBe(before);
      expect(ids.slice(1).every((id) => id === ids[0])).toBe(true);
    });

    it('stops when cancelled and leaves no output file', async () => {
      const controller = new AbortController();
      const req = request('circle', 'greenscreen', { signal: controller.signal });
      setTimeout(() => controller.abort(), 150);
      await expect(subject.renderer.render(req)).rejects.toBeDefined();
      await expect(access(req.outputPath)).rejects.toThrow();
    });
  });
}
