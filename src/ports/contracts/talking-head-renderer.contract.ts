import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaProbe } from '../media-probe.js';
import type { TalkingHeadRenderer, VideoResult } from '../talking-head-renderer.js';

export interface TalkingHeadRendererUnderTest {
  readonly renderer: TalkingHeadRenderer;
  /** A portrait and a few seconds of speech, as the pipeline hands them over. */
  readonly imagePath: string;
  readonly audioPath: string;
  readonly probe: Pick<MediaProbe, 'probe'>;
  /**
   * A cloud job with a request id (`onSubmitted`, `resumeRequestId`); false for local rendering.
   */
  readonly remote: boolean;
  cleanup(): Promise<void>;
}

/** What every talking-head renderer promises the pipeline, lip-synced or not. */
export function describeTalkingHeadRendererContract(
  name: string,
  open: () => Promise<TalkingHeadRendererUnderTest>,
  skip: boolean | string = false,
): void {
  describe.skipIf(skip !== false)(
    `talking head renderer contract: ${name}${typeof skip === 'string' ? ` (skipped: ${skip})` : ''}`,
    () => {
      let subject: TalkingHeadRendererUnderTest;
      let dir: string;
      let audioSec: number;
      let first: { result: VideoResult; submitted: string[] };

      beforeAll(async () => {
        subject = await open();
        dir = await mkdtemp(join(tmpdir(), 'talking-head-contract-'));
        audioSec = (await subject.probe.probe(subject.audioPath)).durationSec;
        const submitted: string[] = [];
        const result = await subject.renderer.render({
          imagePath: subject.imagePath,
          audioPath: subject.audioPath,
          outputPath: join(dir, 'first', 'talking-head.mp4'),
          onSubmitted: (requestId) => {
            submitted.push(requestId);
          },
        });
        first = { result, submitted };
      });

      afterAll(async () => {
        await subject?.cleanup();
        if (dir) await rm(dir, { recursive: true, force: true });
      });

      it('writes a playable H.264/AAC video as long as the speech to the requested path', async () => {
        const { result } = first;
        expect(result.path).toBe(join(dir, 'first', 'talking-head.mp4'));
        expect(result.provider).toBe(subject.renderer.provider);
        const info = await subject.probe.probe(result.path);
        expect(info.video?.codec).toBe('h264');
        expect(info.audio).toBeDefined();
        expect(Math.abs(info.durationSec - audioSec)).toBeLessThan(0.5);
        expect(Math.abs(result.durationSec - info.durationSec)).toBeLessThan(0.05);
      });

      it('reports the size, dimensions and lip-sync honestly', async () => {
        const { result } = first;
        const info = await subject.probe.probe(result.path);
        expect(result.width).toBe(info.video?.width);
        expect(result.height).toBe(info.video?.height);
        expect(result.width).toBeGreaterThan(0);
        expect(result.sizeBytes).toBe((await stat(result.path)).size);
        expect(typeof result.lipSync).toBe('boolean');
        if (result.costUsd !== undefined) expect(result.costUsd).toBeGreaterThanOrEqual(0);
      });

      it('names its request before the result when it is a cloud job, and never when it is local', () => {
        if (subject.remote) {
          expect(first.submitted).toHaveLength(1);
          expect(first.submitted[0]).toMatch(/\S/);
        } else {
          expect(first.submitted).toEqual([]);
        }
      });

      it('given the request id again, delivers the same job without submitting another', async () => {
        const submitted: string[] = [];
        const resumeRequestId = first.submitted[0] ?? 'local-renderers-ignore-this';
        const result = await subject.renderer.render({
          imagePath: subject.imagePath,
          audioPath: subject.audioPath,
          outputPath: join(dir, 'resumed', 'talking-head.mp4'),
          resumeRequestId,
          onSubmitted: (requestId) => {
            submitted.push(requestId);
          },
        });
        expect(submitted).toEqual([]);
        expect(Math.abs(result.durationSec - first.result.durationSec)).toBeLessThan(0.05);
        expect(result.sizeBytes).toBe((await stat(result.path)).size);
      });

      it('stops when its signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort(new Error('user went away'));
        await expect(
          subject.renderer.render({
            imagePath: subject.imagePath,
            audioPath: subject.audioPath,
            outputPath: join(dir, 'aborted.mp4'),
            signal: controller.signal,
          }),
        ).rejects.toThrow();
      });
    },
  );
}
