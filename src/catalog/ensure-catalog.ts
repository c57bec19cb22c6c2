import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logging/logger.js';
import type { FileStorage } from '../ports/file-storage/file-storage.js';
import { InvalidCatalogManifestError } from './catalog-errors.js';
import { manifestFileName, manifestFiles, readManifest } from './catalog-manifest.js';
import { FileCatalog } from './file-catalog.js';
import {
  buildStarterCatalog,
  type BuildStarterCatalogOptions,
} from './starter/build-starter-catalog.js';
import { syncCatalogFiles } from './sync-catalog-files.js';

export interface EnsureCatalogOptions {
  /** The service's data folder (`DATA_DIR`); the catalog is `<dataDir>/catalog`. */
  readonly dataDir: string;
  readonly storage: FileStorage;
  readonly log: Logger;
  /** Passed to the starter build (tests and benchmarks narrow it). */
  readonly build?: Omit<BuildStarterCatalogOptions, 'catalogDir' | 'logger'>;
}

/**
 * What the service calls on start: makes or refreshes the starter catalog (a fresh machine gets
 * one in seconds; an up-to-date one costs milliseconds), checks that every file the manifest
 * names exists, copies them into storage, and returns the catalog.
 */
export async function ensureCatalog(options: EnsureCatalogOptions): Promise<FileCatalog> {
  const catalogDir = join(options.dataDir, 'catalog');
  const log = options.log.child({ component: 'catalog' });
  const report = await buildStarterCatalog({ ...options.build, catalogDir, logger: log });
  const manifestPath = join(catalogDir, manifestFileName);
  const manifest = (await readManifest(manifestPath)) ?? report.manifest;

  const missing: string[] = [];
  await Promise.all(
    manifestFiles(manifest).map((file) =>
      access(join(catalogDir, file)).catch(() => {
        missing.push(file);
      }),
    ),
  );
  if (missing.length > 0) {
    throw new InvalidCatalogManifestError(
      manifestPath,
      missing
        .sort()
        .map(
          (file) =>
            `${file} is listed but missing (re-run npm run catalog:import, or remove the entry)`,
        ),
    );
  }

  await syncCatalogFiles(manifest, catalogDir, options.storage, log);
  log.info(
    {
      characters: manifest.characters.length,
      voices: manifest.voices.length,
      examples: manifest.examples.length,
      buildMs: report.durationMs,
    },
    'catalog ready',
  );
  return new FileCatalog(manifest);
}
