import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildStarterCatalog } from '../../src/catalog/starter/build-starter-catalog.js';
import { loadStartupConfig } from '../../src/config/startup-config.js';
import { createLogger } from '../../src/logging/logger.js';

/**
 * `npm run catalog:build [-- --data-dir ./data --force]`: makes the starter catalog under
 * `<data dir>/catalog`. The service does the same on start when the catalog is missing.
 */
const config = loadStartupConfig('catalog:build');
const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: config.DATA_DIR },
    force: { type: 'boolean', default: false },
  },
});

const logger = createLogger({ level: config.LOG_LEVEL });
try {
  const report = await buildStarterCatalog({
    catalogDir: join(values['data-dir'], 'catalog'),
    logger,
    force: values.force,
  });
  const { manifest } = report;
  console.log(
    `catalog: ${manifest.characters.length} characters, ${manifest.voices.length} voices, ${manifest.examples.length} examples; ` +
      `${report.built.length} files built, ${report.reused.length} reused in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
} catch (error) {
  logger.error({ err: error }, 'catalog build failed');
  process.exitCode = 1;
}
