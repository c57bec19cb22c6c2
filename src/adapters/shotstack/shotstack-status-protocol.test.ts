import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MontageRequest } from '../../ports/montage-renderer.js';
import {
  headFrame,
  makeMontageFixtures,
  montageColors,
  type MontageFixtures,
} from '../../testing/montage/montage-fixtures.js';
import { placeOverlay } from '../local/montage/overlay-placement.js';
import {
  colorDistance,
  pixelAt,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../testing/media/media-fixtures.js';
import type { ProviderError } from '../provider-calls/index.js';
import {
  greenscreenRequests,
  startShotstackHarness,
  type ShotstackHarness,
} from '../../testing/shotstack/shotstack-test-harness.js';

let tools: MediaTools;
let fixtures: MontageFixtures;
let harness: ShotstackHarness;

beforeAll(async () => {
  tools = await requireMediaTools();
  fixtures = await makeMontageFixtures(tools, await tempDir('shotstack-status'), {
    speechSec: 1.5,
  });
  harness = await startShotstackHarness();
});
afterAll(async () => {
  await harness?.cleanup();
});

const request = greenscreenRequests(() => fixtures, 'status');
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the render should have failed'),
    (error: unknown) => error as ProviderError,
  );
const statusPolls = (id: string) =>
  harness.fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/render/${id}`));

describe('Shotstack render statuses: only done and failed end a render', () => {
  it('a render with video assets passes through preprocessing and is delivered', async () => {
    const result = await harness.renderer().render(request());
    expect(result.sizeBytes).toBeGreaterThan(0);
    const render = harness.fake.renders.at(-1)!;
    expect(render.answered).toContain('preprocessing');
    expect(render.answered.indexOf('preprocessing')).toBeGreaterThan(
      render.answered.indexOf('fetching'),
    );
  });

  it.each(['transcoding', 'PREPROCESSING'])(
    'a status the definition does not list (%s) is progress, not a malformed answer',
    async (status) => {
      harness.fake.inject({ kind: 'unlisted_status', status, times: 2 });
      const result = await harness.renderer().render(request());
      expect(result.sizeBytes).toBeGreaterThan(0);
      expect(harness.fake.renders.at(-1)!.answered.slice(0, 2)).toEqual([status, status]);
    },
  );
});

describe('Shotstack: a 404 right after submission', () => {
  it('is "not visible yet" while inside the grace window: polling goes on and the render arrives', async () => {
    harness.fake.inject({ kind: 'not_yet_visible', polls: 3 });
    const result = await harness.renderer().render(request());
    expect(result.sizeBytes).toBeGreaterThan(0);
    const id = harness.fake.renders.at(-1)!.id;
    expect(
      statusPolls(id)
        .slice(0, 3)
        .map((r) => r.status),
    ).toEqual([404, 404, 404]);
    expect(statusPolls(id).at(-1)!.status).toBe(200);
  });

  it('is final once the grace window has passed', async () => {
    harness.fake.inject({ kind: 'not_yet_visible', polls: 50 });
    const error = await failure(
      harness.renderer({ notFoundGraceMs: 150, pollIntervalMs: 40 }).render(request()),
    );
    expect(error).toMatchObject({ kind: 'not_found', status: 404 });
    expect(statusPolls(harness.fake.renders.at(-1)!.id).length).toBeGreaterThan(1);
  });

  it('is final at once for a resumed render (submitted before a restart, not just now)', async () => {
    const error = await failure(
      harness
        .renderer()
        .render(request({ resumeRequestId: '00000000-0000-4000-8000-000000000000' })),
    );
    expect(error).toMatchObject({ kind: 'not_found', status: 404 });
    expect(statusPolls('00000000-0000-4000-8000-000000000000')).toHaveLength(1);
  });
});

describe('Shotstack luma polarity', () => {
  // The fake reads a luma as Shotstack's staff describe the Edit API (white = transparent).
  const headPixel = async (path: string) => {
    const { target } = placeOverlay('rounded_rect', headFrame);
    return pixelAt(
      tools,
      path,
      fixtures.speechSec / 2,
      Math.round(target.x + target.width / 2),
      Math.round(target.y + target.height * 0.6),
    );
  };
  const matte = (extra: Partial<MontageRequest> = {}) =>
    request({
      overlayMode: 'matte',
      shape: 'rounded_rect',
      overlayPath: fixtures.overlays.matte.rounded_rect,
      ...extra,
    });

  it('our white = person matte is inverted on the way, so the person shows', async () => {
    const result = await harness.renderer().render(matte());
    expect(colorDistance(await headPixel(result.path), montageColors.head)).toBeLessThan(60);
  });

  it('control: sent as it is, the same matte would cut the person out', async () => {
    const result = await harness.renderer({ lumaPolarity: 'white-opaque' }).render(matte());
    expect(colorDistance(await headPixel(result.path), montageColors.head)).toBeGreaterThan(60);
  });
});
