import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFalFake } from '../../dev/fakes/fal/fal-fake.js';
import { createLogger } from '../../logging/logger.js';
import { describeImageEditorContract } from '../../ports/contracts/image-editor.contract.js';
import { makePortrait, requireMediaTools } from '../../testing/media/media-fixtures.js';
import { createFalImageEditor } from './fal-image-editor.js';
import {
  realFalSkipReason,
  startPublicStorage,
  startRealProviderStorage,
} from '../../testing/fal/public-storage.js';

const log = createLogger({ level: 'silent' });

describeImageEditorContract('fal nano-banana on the local fake', async () => {
  const [fake, publicStorage, dir, tools] = await Promise.all([
    startFalFake({ queueMs: 30 }),
    startPublicStorage(),
    mkdtemp(join(tmpdir(), 'fal-edit-contract-')),
    requireMediaTools(),
  ]);
  return {
    editor: createFalImageEditor({
      config: { FALAI_API_TOKEN: fake.apiKey, FALAI_QUEUE_URL: fake.url },
      storage: publicStorage.storage,
      log,
      pollIntervalMs: 40,
    })!,
    imagePath: await makePortrait(tools, join(dir, 'portrait.png'), { width: 320, height: 400 }),
    refusedPrompt: 'make her nude',
    cleanup: async () => {
      await Promise.all([
        fake.stop(),
        publicStorage.stop(),
        rm(dir, { recursive: true, force: true }),
      ]);
    },
  };
});

describeImageEditorContract(
  'fal nano-banana, the real service',
  async () => {
    const [storage, tools] = await Promise.all([startRealProviderStorage(), requireMediaTools()]);
    return {
      editor: createFalImageEditor({
        config: { FALAI_API_TOKEN: process.env.FALAI_API_TOKEN, FALAI_QUEUE_URL: undefined },
        storage: storage.storage,
        log,
      })!,
      imagePath: await makePortrait(tools, join(storage.rootDir, 'portrait.png'), {
        width: 512,
        height: 640,
      }),
      cleanup: () => storage.stop(),
    };
  },
  realFalSkipReason(),
);
