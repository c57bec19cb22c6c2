import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { registerFileDownloads } from '../../local/storage/file-download-route.js';
import { LocalFileStorage } from '../../local/storage/local-file-storage.js';
import { createLogger } from '../../../logging/logger.js';

export interface PublicStorage {
  readonly storage: LocalFileStorage;
  readonly url: string;
  readonly rootDir: string;
  stop(): Promise<void>;
}

/**
 * Local storage whose signed links really work: the download route listens on 127.0.0.1, so a
 * fake provider can fetch the inputs the way fal fetches R2 links. The route's storage and the
 * one handed out share the folder and the signing secret; only the latter knows the port.
 */
export async function startPublicStorage(): Promise<PublicStorage> {
  const logger = createLogger({ level: 'silent' });
  const rootDir = await mkdtemp(join(tmpdir(), 'public-storage-'));
  const signingSecret = randomBytes(32);
  const app = Fastify({ logger: false });
  await registerFileDownloads(app, new LocalFileStorage({ rootDir, signingSecret, logger }), { prefix: '/files' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    storage: new LocalFileStorage({ rootDir, signingSecret, publicBaseUrl: url, logger }),
    url,
    rootDir,
    async stop() {
      await app.close();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}
