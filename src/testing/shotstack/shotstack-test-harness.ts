import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify from 'fastify';
import { FfprobeMediaProbe } from '../../adapters/local/probe/ffprobe-probe.js';
import { quietLogger, tempDir } from '../media/media-fixtures.js';
import { registerFileDownloads } from '../../adapters/local/storage/file-download-route.js';
import { LocalFileStorage } from '../../adapters/local/storage/local-file-storage.js';
import { createProviderPolicy } from '../../adapters/provider-calls/index.js';
import type { MontageRequest } from '../../ports/montage-renderer.js';
import type { MontageFixtures } from '../montage/montage-fixtures.js';
import {
  startShotstackFake,
  type ShotstackFake,
  type ShotstackFakeOptions,
} from '../../dev/fakes/shotstack/shotstack-fake.js';
import {
  ShotstackMontageRenderer,
  type ShotstackMontageRendererOptions,
} from '../../adapters/shotstack/shotstack-montage-renderer.js';
import { freePort } from '../free-port.js';

export const fakeApiKey = 'fake-v1-key';

export interface ShotstackHarness {
  readonly fake: ShotstackFake;
  readonly storage: LocalFileStorage;
  /**
   * A renderer on the fake with its own policy (so one test's failures never open another's
   * circuit).
   */
  renderer(options?: Partial<ShotstackMontageRendererOptions>): ShotstackMontageRenderer;
  cleanup(): Promise<void>;
}

/**
 * The Shotstack client against the fake, with real signed links: a LocalFileStorage whose download
 * route is served over HTTP on 127.0.0.1, so the fake fetches the inputs as Shotstack would.
 * Kept free of vitest so tests of other modules can share it.
 */
export async function startShotstackHarness(
  fakeOptions: ShotstackFakeOptions = {},
): Promise<ShotstackHarness> {
  const root = await tempDir('shotstack-storage');
  const port = await freePort();
  const storage = new LocalFileStorage({
    rootDir: root,
    publicBaseUrl: `http://127.0.0.1:${port}`,
    signingSecret: 'test-secret-for-signed-links-0123456789',
    logger: quietLogger,
  });
  const files = Fastify({ logger: false });
  await registerFileDownloads(files, storage, { prefix: '/files' });
  await files.listen({ port, host: '127.0.0.1' });
  const fake = await startShotstackFake({
    apiKeys: { v1: fakeApiKey, stage: 'fake-stage-key' },
    logger: quietLogger,
    ...fakeOptions,
  });
  const probe = new FfprobeMediaProbe({ logger: quietLogger });
  return {
    fake,
    storage,
    renderer: (options = {}) =>
      new ShotstackMontageRenderer({
        apiKey: fakeApiKey,
        stage: 'v1',
        baseUrl: fake.url,
        storage: options.storage ?? storage,
        probe,
        log: quietLogger,
        pollIntervalMs: 50,
        requestTimeoutMs: 5_000,
        policy: createProviderPolicy({
          provider: 'shotstack',
          log: quietLogger,
          baseDelayMs: 20,
          maxDelayMs: 200,
        }),
        ...options,
      }),
    async cleanup() {
      await fake.stop();
      await files.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * The green-screen circle montage of the suite's fixtures (read when called, once `beforeAll` has
 * made them); each call writes a new output file named after `name`.
 */
export function greenscreenRequests(
  fixtures: () => MontageFixtures,
  name: string,
): (extra?: Partial<MontageRequest>) => MontageRequest {
  let outputs = 0;
  return (extra = {}) => {
    const made = fixtures();
    return {
      backgroundPath: made.background,
      talkingHeadPath: made.head,
      overlayPath: made.overlays.greenscreen.circle,
      overlayMode: 'greenscreen',
      shape: 'circle',
      words: made.words,
      outputPath: join(made.dir, `${name}-${(outputs += 1)}.mp4`),
      ...extra,
    };
  };
}
