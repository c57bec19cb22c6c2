import { describe, it } from 'vitest';
import { describeMontageRendererContract } from '../../ports/contracts/montage-renderer.contract.js';
import { FfprobeMediaProbe } from '../local/media/ffprobe-probe.js';
import { quietLogger } from '../local/media/test-fixtures.js';
import { LocalFileStorage } from '../local/storage/local-file-storage.js';
import { createShotstackMontage } from './create-shotstack-montage.js';
import { startShotstackHarness } from './shotstack-test-harness.js';

describeMontageRendererContract('ShotstackMontageRenderer on the wire-level fake', async () => {
  const harness = await startShotstackHarness();
  return {
    renderer: harness.renderer(),
    resumable: true,
    renderCount: () => harness.fake.renders.length,
    cleanup: harness.cleanup,
  };
});

const realKey = process.env.SHOTSTACK_API_KEY;
const runReal = Boolean(realKey) && process.env.RUN_REAL_PROVIDER_TESTS === '1';
if (runReal) {
  // Real Shotstack fetches inputs from the public internet: PUBLIC_BASE_URL must reach this machine's file route.
  describeMontageRendererContract('ShotstackMontageRenderer on the real Shotstack API', async () => {
    const storage = new LocalFileStorage({ rootDir: './data/files', publicBaseUrl: process.env.PUBLIC_BASE_URL, logger: quietLogger });
    const renderer = createShotstackMontage({
      config: { SHOTSTACK_API_KEY: realKey, SHOTSTACK_STAGE: process.env.SHOTSTACK_STAGE === 'v1' ? 'v1' : 'stage', SHOTSTACK_BASE_URL: process.env.SHOTSTACK_BASE_URL },
      storage,
      probe: new FfprobeMediaProbe({ logger: quietLogger }),
      log: quietLogger,
    })!;
    return { renderer, resumable: true, cleanup: async () => undefined };
  });
} else {
  describe('ShotstackMontageRenderer on the real Shotstack API', () => {
    it.skip('needs SHOTSTACK_API_KEY and RUN_REAL_PROVIDER_TESTS=1 (and a PUBLIC_BASE_URL Shotstack can fetch from)', () => undefined);
  });
}
