import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CatalogImportError } from '../catalog-errors.js';
import { importCatalogFolder } from './import-catalog-folder.js';
import { expectedLayout } from './import-layout.js';
import { loadStartupConfig } from '../../config/startup-config.js';
import { createLogger } from '../../logging/logger.js';

/**
 * `npm run catalog:import -- <folder> [--data-dir ./data] [--dry-run] [--replace-starter]`
 * Files are copied into `<data dir>/catalog`; the service uploads them to storage on its next
 * start.
 * It lives under src/ so the build compiles it: the image runs it as
 * `node dist/catalog/import/import-catalog-cli.js <folder>` (no TypeScript there).
 */
const config = loadStartupConfig('catalog:import');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string', default: config.DATA_DIR },
    'dry-run': { type: 'boolean', default: false },
    'replace-starter': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const usage = `usage: npm run catalog:import -- <folder> [--data-dir ./data] [--dry-run] [--replace-starter]\n${expectedLayout}`;
if (values.help || positionals.length !== 1) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
try {
  const report = await importCatalogFolder({
    folder: resolve(positionals[0]!),
    catalogDir: join(values['data-dir'], 'catalog'),
    logger,
    dryRun: values['dry-run'],
    replaceStarter: values['replace-starter'],
  });
  for (const warning of report.warnings) console.warn(`warning: ${warning}`);
  const line = (kind: string, t: typeof report.characters) =>
    `${kind}: ${t.added.length} added, ${t.updated.length} updated, ${t.unchanged.length} unchanged`;
  console.log(
    `${report.dryRun ? '(dry run, nothing written) ' : ''}${line('characters', report.characters)}; ${line('voices', report.voices)}`,
  );
  const { faces } = report;
  if (faces.found.length + faces.notFound.length > 0) {
    // The local talking head moves the mouth of a photo whose face was found; the others are
    // animated without lip-sync.
    console.log(
      `mouth motion: face found in ${faces.found.length} of ${faces.found.length + faces.notFound.length} pictures`,
    );
    if (faces.unavailable)
      console.warn(
        `warning: faces were not looked for (${faces.unavailable}); those pictures are animated without lip-sync`,
      );
    else
      for (const shown of faces.notFound)
        console.warn(
          `warning: ${shown}: no face found; its talking head is animated without lip-sync`,
        );
  }
  console.log(
    `catalog now has ${report.manifest.characters.length} characters and ${report.manifest.voices.length} voices`,
  );
} catch (error) {
  if (error instanceof CatalogImportError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    logger.error({ err: error }, 'catalog import failed');
    process.exitCode = 1;
  }
}
