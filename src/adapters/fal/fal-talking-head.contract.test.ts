import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFalFake } from '../../dev/fakes/fal/fal-fake.js';
import { createLogger } from '../../logging/logger.js';
import { describeTalkingHeadRendererContract } from '../../ports/contracts/talking-head-renderer.contract.js';
import { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { createFalTalkingHead } from './fal-talking-head.js';
import {
  realFalSkipReason,
  startPublicStorage,
  startRealProviderStorage,
} from '../../testing/fal/public-storage.js';
import { makeTalkingHeadInputs } from '../../testing/fal/talking-head-inputs.js';

const log = createLogger({ level: 'silent' });
const probe = new FfprobeMediaProbe({ logger: log });
const config = {
  FALAI_WEBHOOK_URL: undefined,
  OMNIHUMAN_RESOLUTION: '1080p',
  OMNIHUMAN_TURBO: false,
  FALAI_TIMEOUT_MINUTES: 15,
} as const;

describeTalkingHeadRendererContract('fal OmniHuman on the local fake', async () => {
  const [fake, publicStorage, dir] = await Promise.all([
    startFalFake({ queueMs: 50 }),
    startPublicStorage(),
    mkdtemp(join(tmpdir(), 'fal-contract-')),
  ]);
  const inputs = await makeTalkingHeadInputs(dir);
  return {
    renderer: createFalTalkingHead({
      config: { ...config, FALAI_API_TOKEN: fake.apiKey, FALAI_QUEUE_URL: fake.url },
      storage: publicStorage.storage,
      probe,
      log,
      pollIntervalMs: 100,
    })!,
    ...inputs,
    probe,
    remote: true,
    cleanup: async () => {
      await Promise.all([
        fake.stop(),
        publicStorage.stop(),
        rm(dir, { recursive: true, force: true }),
      ]);
    },
  };
});

// The real service costs about $0.25 per run and must fetch our links over the internet, so
// it needs a public base URL for the storage (e.g. a tunnel to HTTP_PORT) as well as the key.
describeTalkingHeadRendererContract(
  'fal OmniHuman, the real service',
  async () => {
    const storage = await startRealProviderStorage();
    const inputs = await makeTalkingHeadInputs(storage.rootDir);
    return {
      renderer: createFalTalkingHead({
        config: {
          ...config,
          OMNIHUMAN_RESOLUTION: '720p',
          FALAI_API_TOKEN: process.env.FALAI_API_TOKEN,
          FALAI_QUEUE_URL: undefined,
        },
        storage: storage.storage,
        probe,
        log,
      })!,
      ...inputs,
      probe,
      remote: true,
      cleanup: () => storage.stop(),
    };
  },
  realFalSkipReason(),
);
