import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFalFake, type FalFake } from '../../dev/fakes/fal/fal-fake.js';
import { createLogger } from '../../logging/logger.js';
import { makePortrait, requireMediaTools } from '../../testing/media/media-fixtures.js';
import { createFalHttpClient } from './fal-http.js';
import {
  createFalImageEditor,
  FalImageEditor,
  imageEditMessages,
  type FalImageEditorOptions,
} from './fal-image-editor.js';
import { nanoBananaUsdPerImage } from './fal-pricing.js';
import { startPublicStorage, type PublicStorage } from '../../testing/fal/public-storage.js';

const log = createLogger({ level: 'silent' });
let fake: FalFake;
let publicStorage: PublicStorage;
let dir: string;
let imagePath: string;
let n = 0;

beforeAll(async () => {
  let tools;
  [fake, publicStorage, dir, tools] = await Promise.all([
    startFalFake({ queueMs: 20 }),
    startPublicStorage(),
    mkdtemp(join(tmpdir(), 'fal-edit-test-')),
    requireMediaTools(),
  ]);
  imagePath = await makePortrait(tools, join(dir, 'portrait.png'), { width: 240, height: 320 });
});

afterAll(async () => {
  await Promise.all([fake?.stop(), publicStorage?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

afterEach(() => fake.clearFaults());

function editor(
  options: Partial<FalImageEditorOptions> & { token?: string; requestTimeoutMs?: number } = {},
) {
  return new FalImageEditor({
    client: createFalHttpClient({
      provider: 'fal-nano-banana',
      credentials: options.token ?? fake.apiKey,
      queueUrl: fake.url,
      requestTimeoutMs: options.requestTimeoutMs ?? 3000,
    }),
    storage: publicStorage.storage,
    log,
    pollIntervalMs: 30,
    policy: { baseDelayMs: 5, random: () => 0 },
    ...options,
  });
}

const edit = (subject: FalImageEditor, prompt = 'Add a warm glow') =>
  subject.edit({ imagePath, prompt, outputPath: join(dir, `edit-${(n += 1)}`, 'output.png') });

describe('FalImageEditor against the fal fake', () => {
  it('sends the prompt and a presigned link to our storage, and downloads the edited PNG', async () => {
    const before = fake.jobs.size;
    const result = await edit(editor(), 'Make the background warmer');
    expect(result).toMatchObject({
      ok: true,
      provider: 'fal-nano-banana',
      costUsd: nanoBananaUsdPerImage,
    });
    const job = [...fake.jobs.values()][before]!;
    expect(job.endpointId).toBe('fal-ai/nano-banana/edit');
    expect(job.input).toMatchObject({
      prompt: 'Make the background warmer',
      num_images: 1,
      output_format: 'png',
    });
    expect((job.input.image_urls as string[])[0]).toMatch(
      new RegExp(`^${publicStorage.url}/files/`),
    );
    expect(job.inputFetches).toMatchObject([{ status: 200 }]);
    if (!result.ok) throw new Error('expected an edit');
    const [original, edited] = await Promise.all([
      sharp(imagePath).stats(),
      sharp(result.path).stats(),
    ]);
    // The fake tints orange: more red than blue where the original backdrop was blue.
    expect(edited.channels[0]!.mean - edited.channels[2]!.mean).toBeGreaterThan(
      original.channels[0]!.mean - original.channels[2]!.mean,
    );
  });

  it('turns a content-policy refusal into a friendly content_policy outcome', async () => {
    fake.inject({ kind: 'content_policy' });
    expect(await edit(editor())).toEqual({
      ok: false,
      reason: 'content_policy',
      message: imageEditMessages.content_policy,
    });
  });

  it('answers a refused key or an open circuit with unavailable, and a rejected request with failed', async () => {
    expect(await edit(editor({ token: 'nope' }))).toEqual({
      ok: false,
      reason: 'unavailable',
      message: imageEditMessages.unavailable,
    });
    fake.inject({ kind: 'status', status: 422, route: 'submit' });
    expect(await edit(editor())).toMatchObject({ ok: false, reason: 'failed' });
    fake.inject({ kind: 'status', status: 500, route: 'submit', times: 10 });
    const flaky = editor({ policy: { maxAttempts: 1, breakAfter: 1, halfOpenAfterMs: 60_000 } });
    expect(await edit(flaky)).toMatchObject({ ok: false, reason: 'unavailable' });
    const submits = fake.count('submit');
    expect(await edit(flaky)).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(flaky.circuit).toBe('open');
    expect(fake.count('submit')).toBe(submits);
  });

  it('retries a 500 on the result and still delivers', async () => {
    fake.inject({ kind: 'status', status: 500, route: 'result' });
    const before = fake.count('result');
    expect((await edit(editor())).ok).toBe(true);
    expect(fake.count('result') - before).toBe(2);
  });

  it('reports a malformed result as failed, and an expired result file as unavailable', async () => {
    fake.inject({ kind: 'malformed', route: 'result' });
    expect(await edit(editor())).toMatchObject({ ok: false, reason: 'failed' });
    fake.inject({ kind: 'result_404' });
    expect(await edit(editor())).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('throws, rather than answering, when the caller cancels mid-edit', async () => {
    const controller = new AbortController();
    fake.inject({ kind: 'stall' });
    const pending = editor().edit({
      imagePath,
      prompt: 'Slow edit',
      outputPath: join(dir, 'cancelled.png'),
      signal: controller.signal,
    });
    await expect.poll(() => fake.count('status')).toBeGreaterThan(0);
    controller.abort(new Error('user left'));
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('createFalImageEditor', () => {
  it('makes nothing without a token', () => {
    expect(
      createFalImageEditor({
        config: { FALAI_API_TOKEN: undefined, FALAI_QUEUE_URL: undefined },
        storage: publicStorage.storage,
        log,
      }),
    ).toBeUndefined();
    expect(
      createFalImageEditor({
        config: { FALAI_API_TOKEN: 'k', FALAI_QUEUE_URL: undefined },
        storage: publicStorage.storage,
        log,
      })?.available,
    ).toBe(true);
  });
});
