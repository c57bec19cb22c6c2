import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeOverlayMatteMakerContract,
  makeContractClip,
} from '../../ports/contracts/overlay-matte-maker.contract.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import { quietLogger, requireMediaTools, tempDir } from '../../testing/media/media-fixtures.js';
import { registerFileDownloads } from '../local/storage/file-download-route.js';
import { LocalFileStorage } from '../local/storage/local-file-storage.js';
import { createProviderPolicy, ProviderError } from '../provider-calls/index.js';
import {
  overlayServiceUnavailable,
  startLocalOverlayServer,
  type LocalOverlayServer,
} from './local-overlay-server.js';
import { ModalOverlayClient } from './modal-overlay-client.js';

/**
 * The Modal client against the real Python service (modal/, CPU segmentation) served by uvicorn,
 * with the talking head fetched from our own storage's signed links over HTTP.
 */
const missing = overlayServiceUnavailable();
if (missing && process.env.CI !== 'true')
  console.warn(`\n!!! Modal overlay contract SKIPPED: ${missing}\n`);
const skip = missing && process.env.CI !== 'true' ? missing : undefined;

interface World {
  readonly overlay: LocalOverlayServer;
  readonly files: FastifyInstance;
  readonly storage: LocalFileStorage;
  readonly dir: string;
}

async function startWorld(token: string): Promise<World> {
  const dir = await tempDir('modal-contract');
  const files = Fastify({ logger: false });
  const storage = new LocalFileStorage({
    rootDir: join(dir, 'storage'),
    signingSecret: 'y'.repeat(32),
    logger: quietLogger,
    publicBaseUrl: 'http://placeholder',
  });
  await registerFileDownloads(files, storage);
  const address = await files.listen({ host: '127.0.0.1', port: 0 });
  // The links must point at the route just started, so the storage is made again with its address.
  const served = new LocalFileStorage({
    rootDir: join(dir, 'storage'),
    signingSecret: 'y'.repeat(32),
    logger: quietLogger,
    publicBaseUrl: address,
  });
  const overlay = await startLocalOverlayServer({ token, workDir: join(dir, 'jobs') });
  return { overlay, files, storage: served, dir };
}

async function stopWorld(world: World | undefined): Promise<void> {
  await world?.overlay.stop();
  await world?.files.close();
}

function countingFetch(): { fetch: typeof fetch; submissions: () => number } {
  let submissions = 0;
  return {
    submissions: () => submissions,
    fetch: (input, init) => {
      if ((init?.method ?? 'GET') === 'POST' && new URL(String(input)).pathname === '/jobs')
        submissions++;
      return fetch(input, init);
    },
  };
}

function modalClient(
  world: World,
  token: string,
  extra: Partial<ConstructorParameters<typeof ModalOverlayClient>[0]> = {},
): ModalOverlayClient {
  return new ModalOverlayClient({
    endpoint: world.overlay.url,
    token,
    storage: world.storage,
    log: quietLogger,
    pollIntervalMs: 50,
    timeoutMs: 60_000,
    policy: createProviderPolicy({
      provider: 'modal',
      maxAttempts: 2,
      baseDelayMs: 10,
      breakAfter: 100,
    }),
    ...extra,
  });
}

let contractWorld: World | undefined;
describeOverlayMatteMakerContract(
  'Modal client ↔ Python service (uvicorn, CPU)',
  async () => {
    contractWorld = await startWorld('contract-token');
    const counter = countingFetch();
    return {
      maker: modalClient(contractWorld, 'contract-token', { fetch: counter.fetch }),
      resumable: true,
      submissionCount: counter.submissions,
      cleanup: () => stopWorld(contractWorld),
    };
  },
  skip ? { skip } : {},
);

describe.skipIf(skip !== undefined)('Modal client against the real service: failures', () => {
  let world: World;
  let clip: string;
  beforeAll(async () => {
    world = await startWorld('right-token');
    clip = await makeContractClip(await requireMediaTools(), world.dir);
  });
  afterAll(() => stopWorld(world));

  const request = (name: string, extra: Record<string, unknown> = {}) => ({
    talkingHeadPath: clip,
    shape: 'circle' as const,
    mode: 'matte' as const,
    outputPath: join(world.dir, `${name}.mp4`),
    ...extra,
  });

  it('a wrong token is an auth error', async () => {
    const error = await modalClient(world, 'wrong-token')
      .makeMatte(request('auth'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('auth');
  });

  it('an input URL the service cannot fetch fails the job: a server error carrying its reason', async () => {
    const broken: FileStorage = Object.assign(Object.create(world.storage) as LocalFileStorage, {
      signedUrl: async () => `${world.overlay.url}/no-such-file.mp4`,
    });
    const error = await modalClient(world, 'right-token', { storage: broken })
      .makeMatte(request('bad-input'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', status: 500 });
    expect((error as ProviderError).detail).toMatch(/input download failed: HTTP 40[14]/);
  });

  it('cancelling cancels the job on the service, which then reports it failed as cancelled', async () => {
    const controller = new AbortController();
    let callId = '';
    const pending = modalClient(world, 'right-token').makeMatte(
      request('cancel', {
        shape: 'cutout',
        signal: controller.signal,
        onSubmitted: (id: string) => {
          callId = id;
          controller.abort();
        },
      }),
    );
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    const deadline = Date.now() + 20_000;
    let status: unknown;
    while (Date.now() < deadline) {
      const response = await fetch(`${world.overlay.url}/jobs/${callId}`, {
        headers: { authorization: 'Bearer right-token' },
      });
      status = await response.json();
      if (response.status !== 202) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toEqual({ status: 'failed', error: 'cancelled' });
  });

  it('an unknown call id is not_found (expired)', async () => {
    const error = await modalClient(world, 'right-token')
      .makeMatte(request('expired', { resumeRequestId: 'fc-never' }))
      .catch((caught: unknown) => caught);
    expect((error as ProviderError).kind).toBe('not_found');
  });
});
