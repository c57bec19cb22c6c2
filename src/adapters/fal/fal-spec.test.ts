import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFalFake, type FalFake } from '../../dev/fakes/fal/fal-fake.js';
import {
  recordingFetch,
  type RecordedExchange,
} from '../../dev/fakes/spec-conformance/recording-fetch.js';
import {
  TypeScriptContract,
  type TypedValue,
} from '../../dev/fakes/spec-conformance/typescript-contract.js';
import { createLogger } from '../../logging/logger.js';
import { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { makePortrait, requireMediaTools } from '../../testing/media/media-fixtures.js';
import { createFalHttpClient } from './fal-http.js';
import { FalImageEditor } from './fal-image-editor.js';
import { FalTalkingHeadRenderer } from './fal-talking-head.js';
import { nanoBananaEditEndpoint, omniHumanEndpoint } from './fal-wire.js';
import { startPublicStorage, type PublicStorage } from '../../testing/fal/public-storage.js';
import { makeTalkingHeadInputs } from '../../testing/fal/talking-head-inputs.js';

/**
 * The fal client and fake held against the request and response types fal ships in @fal-ai/client
 * (specs/fal): the input each submission carries, the queue statuses, and each result body.
 */
const specs = new URL('../../../specs/fal/', import.meta.url);
const omniHuman = new TypeScriptContract(new URL('omnihuman-v1.5.d.ts', specs));
const nanoBanana = new TypeScriptContract(new URL('nano-banana-edit.d.ts', specs));
const queue = new TypeScriptContract(new URL('queue-status.d.ts', specs));
const log = createLogger({ level: 'silent' });

/** The exchanges of one endpoint, sorted into what each spec type describes. */
function typedValues(
  exchanges: readonly RecordedExchange[],
  endpoint: string,
  input: string,
  output: string,
): { model: TypedValue[]; queue: TypedValue[] } {
  const app = endpoint.split('/').slice(0, 2).join('/');
  const model: TypedValue[] = [];
  const statuses: TypedValue[] = [];
  exchanges.forEach((exchange, i) => {
    const path = exchange.url.pathname.replace(/^\/+/, '');
    const label = `#${i} ${exchange.method} /${path} → ${exchange.status}`;
    if (exchange.method === 'POST' && path === endpoint) {
      model.push({ type: input, value: exchange.requestJson, label: `${label} request` });
      if (exchange.status === 200)
        statuses.push({
          type: 'InQueueQueueStatus',
          value: exchange.responseJson,
          label: `${label} answer`,
        });
    } else if (
      exchange.method === 'GET' &&
      path.startsWith(`${app}/requests/`) &&
      path.endsWith('/status') &&
      exchange.status < 300
    ) {
      statuses.push({ type: 'QueueStatus', value: exchange.responseJson, label });
    } else if (
      exchange.method === 'GET' &&
      path.startsWith(`${app}/requests/`) &&
      exchange.status === 200
    ) {
      model.push({ type: output, value: exchange.responseJson, label: `${label} result` });
    }
  });
  return { model, queue: statuses };
}

function violations(results: Map<string, { message: string }[]>): string[] {
  return [...results].flatMap(([label, list]) => list.map((v) => `${label}: ${v.message}`));
}

describe('the vendored fal types are the ones the installed SDK ships', () => {
  const require = createRequire(import.meta.url);
  const typesDir = join(require.resolve('@fal-ai/client'), '..', 'types');
  it.each([
    ['omnihuman-v1.5.d.ts', 'endpoints.d.ts'],
    ['nano-banana-edit.d.ts', 'endpoints.d.ts'],
    ['queue-status.d.ts', 'common.d.ts'],
  ])('%s is cut, unchanged, from %s', async (vendored, shipped) => {
    // An SDK upgrade that changes these types fails here: re-vendor (specs/README.md) and re-check
    // the client.
    const text = await readFile(new URL(vendored, specs), 'utf8');
    const source = await readFile(join(typesDir, shipped), 'utf8');
    const blocks = text.split(/\n(?=export |interface )/).slice(1);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(source).toContain(block.trimEnd());
  });
});

describe('the fal client and fake against the shipped types', () => {
  let fake: FalFake;
  let storage: PublicStorage;
  let dir: string;
  const recorder = recordingFetch();

  beforeAll(async () => {
    [fake, storage, dir] = await Promise.all([
      startFalFake({ queueMs: 60, minProcessingMs: 100 }),
      startPublicStorage(),
      mkdtemp(join(tmpdir(), 'fal-spec-')),
    ]);
  });
  afterAll(async () => {
    await Promise.all([fake?.stop(), storage?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const client = (provider: string) =>
    createFalHttpClient({
      provider,
      credentials: fake.apiKey,
      queueUrl: fake.url,
      requestTimeoutMs: 5000,
      fetch: recorder.fetch,
    });

  it('catches what it is for: an invented field, a value outside a union, a missing required field', () => {
    const results = omniHuman.check([
      {
        type: 'OmniHumanv15Input',
        value: {
          image_url: 'https://x.test/a.png',
          audio_url: 'https://x.test/a.mp3',
          resolution: '1080p',
          turbo_mode: false,
        },
        label: 'valid',
      },
      {
        type: 'OmniHumanv15Input',
        value: { image_url: 'https://x.test/a.png', audio_url: 'https://x.test/a.mp3', fps: 30 },
        label: 'invented',
      },
      {
        type: 'OmniHumanv15Input',
        value: {
          image_url: 'https://x.test/a.png',
          audio_url: 'https://x.test/a.mp3',
          resolution: '4k',
        },
        label: 'union',
      },
      {
        type: 'AIAvatarOutput',
        value: { video: { url: 'https://x.test/v.mp4' } },
        label: 'missing',
      },
    ]);
    expect(results.get('valid')).toEqual([]);
    expect(
      results
        .get('invented')!
        .map((v) => v.message)
        .join(),
    ).toMatch(/fps/);
    expect(
      results
        .get('union')!
        .map((v) => v.message)
        .join(),
    ).toMatch(/4k/);
    expect(
      results
        .get('missing')!
        .map((v) => v.message)
        .join(),
    ).toMatch(/duration/);
  });

  it('OmniHuman v1.5 and nano-banana edit: every input, queue status and result conforms; the fake shows every queue status', async () => {
    const tools = await requireMediaTools();
    const inputs = await makeTalkingHeadInputs(dir);
    const portrait = await makePortrait(tools, join(dir, 'portrait.png'), {
      width: 240,
      height: 320,
    });
    const talkingHead = new FalTalkingHeadRenderer({
      client: client('fal-omnihuman'),
      storage: storage.storage,
      probe: new FfprobeMediaProbe({ logger: log }),
      log,
      pollIntervalMs: 20,
      policy: { baseDelayMs: 5, random: () => 0 },
    });
    const editor = new FalImageEditor({
      client: client('fal-nano-banana'),
      storage: storage.storage,
      log,
      pollIntervalMs: 20,
      policy: { baseDelayMs: 5, random: () => 0 },
    });
    await talkingHead.render({ ...inputs, outputPath: join(dir, 'th', 'talking-head.mp4') });
    const edited = await editor.edit({
      imagePath: portrait,
      prompt: 'Add a warm glow',
      outputPath: join(dir, 'edit', 'output.png'),
    });
    expect(edited.ok).toBe(true);

    const head = typedValues(
      recorder.exchanges,
      omniHumanEndpoint,
      'OmniHumanv15Input',
      'AIAvatarOutput',
    );
    const edit = typedValues(
      recorder.exchanges,
      nanoBananaEditEndpoint,
      'NanoBananaEditInput',
      'NanoBananaEditOutput',
    );
    for (const found of [head, edit]) {
      expect(found.model.filter((v) => v.label.endsWith('request'))).toHaveLength(1);
      expect(found.model.filter((v) => v.label.endsWith('result'))).toHaveLength(1);
    }
    expect([
      ...violations(omniHuman.check(head.model)),
      ...violations(nanoBanana.check(edit.model)),
      ...violations(queue.check([...head.queue, ...edit.queue])),
    ]).toEqual([]);

    const shown = new Set(
      [...head.queue, ...edit.queue].map((v) => (v.value as { status: string }).status),
    );
    expect([...shown].sort()).toEqual(queue.literalsOf('QueueStatus["status"]').sort());
  });
});
