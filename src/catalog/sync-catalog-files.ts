import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from '../logging/logger.js';
import type { FileStorage } from '../ports/file-storage/file-storage.js';
import { manifestFiles, type CatalogManifest } from './catalog-manifest.js';
import { catalogKeyPrefix, catalogStorageKey } from './file-catalog.js';

const contentTypes: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
};

export function catalogContentType(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface CatalogSyncReport {
  readonly uploaded: readonly string[];
  readonly unchanged: number;
}

/**
 * Copies the manifest's files into storage under `catalog/`, so the bot sends and links them the
 * same way whether storage is the local disk or R2. One `list` tells what is there; a file is
 * uploaded when it is missing, has another size, or is older in storage than on disk (a rebuilt
 * or re-imported file of the same size).
 */
export async function syncCatalogFiles(
  manifest: CatalogManifest,
  catalogDir: string,
  storage: FileStorage,
  logger: Logger,
): Promise<CatalogSyncReport> {
  const startedAt = performance.now();
  const stored = new Map(
    (await storage.list(catalogKeyPrefix)).map((object) => [object.key, object]),
  );
  const uploaded: string[] = [];
  let unchanged = 0;
  for (const file of manifestFiles(manifest)) {
    const path = join(catalogDir, file);
    const local = await stat(path);
    const key = catalogStorageKey(file);
    const remote = stored.get(key);
    if (
      remote &&
      remote.sizeBytes === local.size &&
      remote.modifiedAt.getTime() >= Math.floor(local.mtimeMs)
    ) {
      unchanged++;
      continue;
    }
    await storage.putFile(key, path, catalogContentType(file));
    uploaded.push(key);
  }
  if (uploaded.length > 0) {
    logger.info(
      {
        stage: 'storage',
        provider: storage.provider,
        uploaded: uploaded.length,
        unchanged,
        durationMs: Math.round(performance.now() - startedAt),
      },
      'catalog files synced to storage',
    );
  }
  return { uploaded, unchanged };
}
