import { loadStartupConfig } from './config/startup-config.js';
import { createLogger } from './logging/logger.js';

// First: `.env` and the whole configuration, so the logger and everything after see the same
// values.
// The service is imported only then: a configuration mistake is reported in a moment, not after
// seconds of loading every adapter.
const config = loadStartupConfig('ugc-studio');
const log = createLogger({ name: 'ugc-studio', level: config.LOG_LEVEL });
const { startService } = await import('./app/service.js');

const service = await startService(config, log);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    service
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  });
}
