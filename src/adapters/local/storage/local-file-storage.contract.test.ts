import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import {
  adjustableClock,
  describeFileStorageContract,
} from '../../../ports/contracts/file-storage.contract.js';
import { createLogger } from '../../../logging/logger.js';
import { registerFileDownloads } from './file-download-route.js';
import { LocalFileStorage } from './local-file-storage.js';

const logger = createLogger({ level: 'silent' });

describeFileStorageContract('local disk behind the fastify download route', async () => {
  const rootDir = await mkdtemp(join(tmpdir(), 'local-storage-contract-'));
  const clock = adjustableClock();
  const signingSecret = randomBytes(32);
  // The route must exist before the server listens, and links need the port it got: the route
  // gets its own instance over the same folder, secret and clock.
  const served = new LocalFileStorage({ rootDir, signingSecret, logger, now: clock.now });
  const app = Fastify({ logger: false });
  await registerFileDownloads(app, served, { prefix: '/files' });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const storage = new LocalFileStorage({
    rootDir,
    signingSecret,
    logger,
    now: clock.now,
    publicBaseUrl: address,
    downloadPath: '/files',
  });
  return {
    storage,
    setClock: clock.set,
    async cleanup() {
      await app.close();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
});
