import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { registerFileDownloads } from '../../adapters/local/storage/file-download-route.js';
import { LocalFileStorage } from '../../adapters/local/storage/local-file-storage.js';
import { createLogger } from '../../logging/logger.js';

export interface PublicStorage {
  readonly storage: LocalFileStorage;
  readonly url: string;
  readonly rootDir: string;
  stop(): Promise<void>;
}

export interface PublicStorageOptions {
  /** Where the links point (a tunnel to this machine for a real provider); default the listener. */
  readonly publicBaseUrl?: string;
  readonly host?: string;
  readonly port?: number;
}

/** Why the real fal.ai contract cannot run here, or false when it can (it costs money). */
export function realFalSkipReason(): string | false {
  if (!process.env.FALAI_API_TOKEN) return 'FALAI_API_TOKEN is not set';
  if (process.env.RUN_REAL_PROVIDER_TESTS !== '1')
    return 'set RUN_REAL_PROVIDER_TESTS=1 to spend real money';
  if (!process.env.REAL_PROVIDER_PUBLIC_BASE_URL)
    return 'REAL_PROVIDER_PUBLIC_BASE_URL must point at this machine for fal to fetch the inputs';
  return false;
}

/**
 * Storage reachable by a real provider: listens on all interfaces at HTTP_PORT, links on the public
 * URL.
 */
export function startRealProviderStorage(): Promise<PublicStorage> {
  return startPublicStorage({
    host: '0.0.0.0',
    port: Number(process.env.HTTP_PORT ?? 8080),
    ...(process.env.REAL_PROVIDER_PUBLIC_BASE_URL
      ? { publicBaseUrl: process.env.REAL_PROVIDER_PUBLIC_BASE_URL }
      : {}),
  });
}

/**
 * Local storage whose signed links really work: the download route listens on 127.0.0.1, so a
 * fake provider can fetch the inputs the way fal fetches R2 links. The route's storage and the
 * one handed out share the folder and the signing secret; only the latter knows the port.
 */
export async function startPublicStorage(
  options: PublicStorageOptions = {},
): Promise<PublicStorage> {
  const logger = createLogger({ level: 'silent' });
  const rootDir = await mkdtemp(join(tmpdir(), 'public-storage-'));
  const signingSecret = randomBytes(32);
  const app = Fastify({ logger: false });
  await registerFileDownloads(app, new LocalFileStorage({ rootDir, signingSecret, logger }), {
    prefix: '/files',
  });
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const url =
    options.publicBaseUrl ?? `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
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
