import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OpenApiContract,
  type SpecViolation,
} from '../../dev/fakes/spec-conformance/openapi-contract.js';
import {
  recordingFetch,
  type RecordedExchange,
} from '../../dev/fakes/spec-conformance/recording-fetch.js';
import {
  makeMontageFixtures,
  type MontageFixtures,
} from '../../testing/montage/montage-fixtures.js';
import { placeOverlay } from '../local/montage/overlay-placement.js';
import { requireMediaTools, tempDir } from '../../testing/media/media-fixtures.js';
import { buildMontageEdit } from './build-montage-edit.js';
import {
  greenscreenRequests,
  startShotstackHarness,
  type ShotstackHarness,
} from '../../testing/shotstack/shotstack-test-harness.js';

/**
 * The Shotstack client and fake held against Shotstack's own OpenAPI definition (specs/shotstack):
 * every Edit the client builds, every request line it sends and every answer the fake gives.
 */
const spec = OpenApiContract.load(
  new URL('../../../specs/shotstack/edit-api.openapi.json', import.meta.url),
  'shotstack-edit',
);
const specStatuses = spec.enumOf('RenderResponseData', 'status');

/** The definition's paths carry the `v1` version; the sandbox (`stage`) is the same API. */
const specPath = (url: URL) => url.pathname.replace(/^\/edit\/stage\//, '/edit/v1/') + url.search;

function violationsOf(exchanges: readonly RecordedExchange[]): SpecViolation[] {
  const out: SpecViolation[] = [];
  for (const exchange of exchanges) {
    if (!exchange.url.pathname.startsWith('/edit/')) continue; // the rendered file's CDN link is no API call
    const path = specPath(exchange.url);
    const line = `${exchange.method} ${path}`;
    out.push(
      ...spec
        .checkRequest(exchange.method, path, exchange.requestJson)
        .map((v) => ({ ...v, where: `${line} request ${v.where}` })),
    );
    // Only the answers the definition documents carry a schema (201 queued, 200 status); its error
    // bodies are not defined.
    if (spec.definesStatus(exchange.method, path, exchange.status)) {
      out.push(
        ...spec
          .checkResponse(exchange.method, path, exchange.status, exchange.responseJson)
          .map((v) => ({ ...v, where: `${line} → ${exchange.status} ${v.where}` })),
      );
    }
  }
  return out;
}

describe('the vendored Shotstack definition', () => {
  it('lists the statuses the client knows, preprocessing among them', () => {
    expect(specStatuses).toEqual([
      'queued',
      'fetching',
      'preprocessing',
      'rendering',
      'saving',
      'done',
      'failed',
    ]);
  });

  it('keeps `caption` current (not deprecated), so the captions stay on it rather than `rich-caption`', () => {
    // When a refreshed definition deprecates `caption`, this fails: move the captions to
    // `rich-caption`.
    expect(spec.component('CaptionAsset').deprecated).not.toBe(true);
    expect(spec.component('RichCaptionAsset')).toBeDefined();
  });

  it('catches what it is for: an invented field, a wrong type, an unknown status', () => {
    const edit = buildMontageEdit({
      urls: {
        background: 'https://x.test/b.mp4',
        overlay: 'https://x.test/o.mp4',
        speech: 'https://x.test/s.mp3',
      },
      mode: 'greenscreen',
      placement: placeOverlay('circle', { width: 540, height: 960 }),
      speechSec: 3,
      backgroundSec: 2,
    });
    const tampered = structuredClone(edit) as unknown as {
      timeline: { tracks: Array<{ clips: Array<Record<string, unknown>> }> };
      output: Record<string, unknown>;
    };
    tampered.timeline.tracks[0]!.clips[0]!.loop = true;
    tampered.output.fps = 31;
    const problems = spec
      .checkRequest('POST', '/edit/v1/render', tampered)
      .map((v) => `${v.where} ${v.message}`)
      .join('\n');
    expect(problems).toMatch(/loop/);
    expect(problems).toMatch(/fps/);
    const answer = {
      success: true,
      message: 'OK',
      response: { id: '2abd5c11-0f3d-4c6d-ba20-235fc9b8e8b7', owner: 'x', status: 'transcoding' },
    };
    expect(
      spec.checkResponse(
        'GET',
        '/edit/v1/render/2abd5c11-0f3d-4c6d-ba20-235fc9b8e8b7',
        200,
        answer,
      ),
    ).not.toEqual([]);
    expect(spec.checkRequest('GET', '/edit/v1/render/not-a-uuid?data=false')).not.toEqual([]);
  });
});

describe('every Edit buildMontageEdit makes is one the definition allows', () => {
  const urls = {
    background: 'https://files.example/bg.mp4',
    overlay: 'https://files.example/o.mp4',
    fill: 'https://files.example/h.mp4',
    speech: 'https://files.example/s.mp3',
    captions: 'https://files.example/c.srt',
  };
  it('for any shape, mode, frame size, speech and background length, with and without captions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('circle' as const, 'rounded_rect' as const, 'cutout' as const),
        fc.constantFrom('greenscreen' as const, 'matte' as const),
        fc.integer({ min: 80, max: 540 }).map((v) => v * 2),
        fc.integer({ min: 80, max: 540 }).map((v) => v * 2),
        fc.double({ min: 0.5, max: 59, noNaN: true }),
        fc.double({ min: 0, max: 120, noNaN: true }),
        fc.boolean(),
        (shape, mode, width, height, speechSec, backgroundSec, captions) => {
          const { captions: captionUrl, ...rest } = urls;
          const edit = buildMontageEdit({
            urls: captions ? { ...rest, captions: captionUrl } : rest,
            mode,
            placement: placeOverlay(shape, { width, height }),
            speechSec,
            backgroundSec,
          });
          expect(spec.checkRequest('POST', '/edit/v1/render', edit)).toEqual([]);
        },
      ),
    );
  });
});

describe('the client and the fake on the wire, against the definition', () => {
  let fixtures: MontageFixtures;
  let harness: ShotstackHarness;
  const recorder = recordingFetch();

  beforeAll(async () => {
    fixtures = await makeMontageFixtures(
      await requireMediaTools(),
      await tempDir('shotstack-spec'),
      { speechSec: 1 },
    );
    harness = await startShotstackHarness();
  });
  afterAll(async () => {
    await harness?.cleanup();
  });

  const request = greenscreenRequests(() => fixtures, 'spec');

  it('renders in both modes, with and without captions, a failed render and a late-propagating id: every message conforms', async () => {
    const renderer = harness.renderer({ fetch: recorder.fetch });
    await renderer.render(request());
    await renderer.render(
      request({
        overlayMode: 'matte',
        shape: 'cutout',
        overlayPath: fixtures.overlays.matte.cutout,
        words: [],
      }),
    );
    harness.fake.inject({ kind: 'not_yet_visible', polls: 2 });
    await renderer.render(
      request({ shape: 'rounded_rect', overlayPath: fixtures.overlays.greenscreen.rounded_rect }),
    );
    harness.fake.inject({ kind: 'render_failed', error: 'Asset could not be decoded' });
    await expect(renderer.render(request())).rejects.toThrow(/Asset could not be decoded/);

    expect(recorder.exchanges.filter((e) => e.method === 'POST')).toHaveLength(4);
    expect(violationsOf(recorder.exchanges)).toEqual([]);
  });

  it('the fake shows every status the definition lists, and no other', () => {
    const shown = new Set(harness.fake.renders.flatMap((render) => render.answered));
    expect([...shown].filter((status) => !specStatuses.includes(status))).toEqual([]);
    expect(specStatuses.filter((status) => !shown.has(String(status)))).toEqual([]);
  });
});
