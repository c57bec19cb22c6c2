import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MontageRenderer, MontageRequest } from '../../ports/montage-renderer.js';
import type { MatteRequest, OverlayMatteMaker } from '../../ports/overlay-matte-maker.js';
import { formatJobIds, parseJobIds } from './job-ids.js';
import { MatteMontageCompositor } from './matte-montage-compositor.js';

function fakeMatte(): OverlayMatteMaker & { calls: MatteRequest[] } {
  const calls: MatteRequest[] = [];
  return {
    provider: 'modal',
    calls,
    async makeMatte(request) {
      calls.push(request);
      if (!request.resumeRequestId) await request.onSubmitted?.(`fc-${calls.length}`);
      return {
        path: request.outputPath,
        mode: request.mode,
        width: 540,
        height: 960,
        durationSec: 3,
        frames: 90,
        sizeBytes: 1000,
        provider: 'modal',
        costUsd: 0.01,
      };
    },
  };
}

function fakeMontage(failFirst = false): MontageRenderer & { calls: MontageRequest[] } {
  const calls: MontageRequest[] = [];
  return {
    provider: 'shotstack',
    calls,
    async render(request) {
      calls.push(request);
      if (!request.resumeRequestId) await request.onSubmitted?.(`render-${calls.length}`);
      if (failFirst && calls.length === 1) throw new Error('crash while waiting');
      return {
        path: request.outputPath,
        durationSec: 3,
        width: 1080,
        height: 1920,
        sizeBytes: 5000,
        provider: 'shotstack',
        lipSync: true,
        costUsd: 0.05,
      };
    },
  };
}

const request = {
  backgroundPath: '/bg.mp4',
  talkingHeadPath: '/head.mp4',
  shape: 'cutout' as const,
  words: [],
  outputPath: '/work/final.mp4',
};

describe('MatteMontageCompositor', () => {
  it('runs the matte then the montage, reports both job ids, and sums the costs', async () => {
    const matte = fakeMatte();
    const montage = fakeMontage();
    const reported: string[] = [];
    const result = await new MatteMontageCompositor({ matte, montage }).composite({
      ...request,
      onSubmitted: (id) => void reported.push(id),
    });
    expect(reported).toEqual(['matte=fc-1', 'matte=fc-1;montage=render-1']);
    expect(montage.calls[0]).toMatchObject({
      overlayPath: '/work/overlay-greenscreen.mp4',
      overlayMode: 'greenscreen',
      shape: 'cutout',
    });
    expect(result.provider).toBe('modal+shotstack');
    expect(result.costUsd).toBeCloseTo(0.06);
  });

  it('after a crash during the montage, resumes both jobs by id instead of submitting again', async () => {
    const matte = fakeMatte();
    const montage = fakeMontage(true);
    const compositor = new MatteMontageCompositor({ matte, montage });
    let stored: string | undefined;
    await expect(
      compositor.composite({ ...request, onSubmitted: (id) => void (stored = id) }),
    ).rejects.toThrow('crash');
    expect(stored).toBe('matte=fc-1;montage=render-1');
    await compositor.composite({ ...request, resumeRequestId: stored! });
    expect(matte.calls[1]?.resumeRequestId).toBe('fc-1');
    expect(montage.calls[1]?.resumeRequestId).toBe('render-1');
  });
});

describe('composite job ids', () => {
  it('round-trip any ids', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        (matte, montage) => {
          const ids = {
            ...(matte !== undefined ? { matte } : {}),
            ...(montage !== undefined ? { montage } : {}),
          };
          expect(parseJobIds(formatJobIds(ids))).toEqual(ids);
        },
      ),
    );
  });

  it('ignore what they cannot read', () => {
    expect(parseJobIds('req-123')).toEqual({});
    expect(parseJobIds('matte=%E0%A4%A;montage=r')).toEqual({ montage: 'r' });
    expect(parseJobIds(undefined)).toEqual({});
  });
});
