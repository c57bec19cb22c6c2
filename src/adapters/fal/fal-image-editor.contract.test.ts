import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFalFake } from '../../dev/fakes/fal/fal-fake.js';
import { createLogger } from '../../logging/logger.js';
import { describeImageEditorContract } from '../../ports/contracts/image-editor.contract.js';
import { makePortrait, requireMediaTools } from '../local/media/test-fixtures.js';
import { createFalImageEditor } from './fal-image-editor.js';
import { startPublicStorage } from './testing/public-storage.js';

const log = createLogger({ level: 'silent' });

describeImageEditorContract('fal nano-banana on the local fake', async () => {
  const [fake, publicStorage, dir, tools] = await Promise.all([startFalFake({ queueMs: 30 }), startPublicStorage(), mkdtemp(join(tmpdir(), 'fal-edit-contract-')), requireMediaTools()]);
  return {
    editor: createFalImageEditor({ config: { FALAI_API_TOKEN: fake.apiKey, FALAI_QUEUE_URL: fake.url }, storage: publicStorage.storage, log, pollIntervalMs: 40 })!,
    imagePath: await makePortrait(tools, join(dir, 'portrait.png'), { width: 320, height: 400 }),
    refusedPrompt: 'make her nude',
    cleanup: async () => {
      await Promise.all([fake.stop(), publicStorage.stop(), rm(dir, { recursive: true, force: true })]);
    },
  };
});

const realToken = process.env.FALAI_API_TOKEN;
const publicBase = process.env.REAL_PROVIDER_PUBLIC_BASE_URL;
describeImageEditorContract(
  'fal nano-banana, the real service',
  async () => {
    const { LocalFileStorage } = await import('../local/storage/local-file-storage.js');
    const { registerFileDownloads } = await import('../local/storage/file-download-route.js');
    const { default: Fastify } = await import('fastify');
    const [dir, tools] = await Promise.all([mkdtemp(join(tmpdir(), 'fal-edit-real-')), requireMediaTools()]);
    const storage = new LocalFileStorage({ rootDir: join(dir, 'files'), publicBaseUrl: publicBase!, signingSecret: 'real-provider-test-secret', logger: log });
    const app = Fastify();
    await registerFileDownloads(app, storage);
    await app.listen({ host: '0.0.0.0', port: Number(process.env.HTTP_PORT ?? 8080) });
    return {
      editor: createFalImageEditor({ config: { FALAI_API_TOKEN: realToken, FALAI_QUEUE_URL: undefined }, storage, log })!,
      imagePath: await makePortrait(tools, join(dir, 'portrait.png'), { width: 512, height: 640 }),
      cleanup: async () => {
        await app.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  !realToken
    ? 'FALAI_API_TOKEN is not set'
    : process.env.RUN_REAL_PROVIDER_TESTS !== '1'
      ? 'set RUN_REAL_PROVIDER_TESTS=1 to spend real money'
      : !publicBase
        ? 'REAL_PROVIDER_PUBLIC_BASE_URL must point at this machine for fal to fetch the inputs'
        : false,
);
