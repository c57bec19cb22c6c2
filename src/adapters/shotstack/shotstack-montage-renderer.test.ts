import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, it } from 'vitest';
import { describeMontageRendererContract } from '../../ports/contracts/montage-renderer.contract.js';
import { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { quietLogger } from '../../testing/media/media-fixtures.js';
import { registerFileDownloads } from '../local/storage/file-download-route.js';
import { LocalFileStorage } from '../local/storage/local-file-storage.js';
import { createShotstackMontage } from './create-shotstack-montage.js';
import { startShotstackHarness } from '../../testing/shotstack/shotstack-test-harness.js';

describeMontageRendererContract('ShotstackMontageRenderer on the wire-level fake', async () => {
  const harness = await startShotstackHarness();
  return {
    renderer: harness.renderer(),
    resumable: true,
    renderCount: () => harness.fake.renders.length,
    cleanup: harness.cleanup,
  };
});

// The real service bills about a credit per rendered minute and fetches our links over the
// internet, so it needs a public base URL for the storage (e.g. a tunnel to HTTP_PORT) and the key.
const realKey = process.env.SHOTSTACK_API_KEY;
const publicBase = process.env.REAL_PROVIDER_PUBLIC_BASE_URL;
const skipReal = !realKey
  ? 'SHOTSTACK_API_KEY is not set'
  : process.env.RUN_REAL_PROVIDER_TESTS !== '1'
    ? 'set RUN_REAL_PROVIDER_TESTS=1 to spend real credits'
    : !publicBase
      ? 'REAL_PROVIDER_PUBLIC_BASE_URL must point at this machine for Shotstack to fetch the inputs'
      : undefined;
if (skipReal === undefined) {
  describeMontageRendererContract(
    'ShotstackMontageRenderer on the real Shotstack API',
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'shotstack-real-'));
      const storage = new LocalFileStorage({
        rootDir: root,
        publicBaseUrl: publicBase!,
        signingSecret: 'real-provider-test-secret',
        logger: quietLogger,
      });
      const app = Fastify();
      await registerFileDownloads(app, storage);
      await app.listen({ host: '0.0.0.0', port: Number(process.env.HTTP_PORT ?? 8080) });
      const renderer = createShotstackMontage({
        config: {
          SHOTSTACK_API_KEY: realKey,
          SHOTSTACK_STAGE: process.env.SHOTSTACK_STAGE === 'v1' ? 'v1' : 'stage',
          SHOTSTACK_BASE_URL: process.env.SHOTSTACK_BASE_URL,
        },
        storage,
        probe: new FfprobeMediaProbe({ logger: quietLogger }),
        log: quietLogger,
      })!;
      return {
        renderer,
        resumable: true,
        cleanup: async () => {
          await app.close();
          await rm(root, { recursive: true, force: true });
        },
      };
    },
  );
} else {
  describe('MontageRenderer contract: ShotstackMontageRenderer on the real Shotstack API', () => {
    it.skip(`skipped: ${skipReal}`, () => undefined);
  });
}
