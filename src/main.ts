import { startService } from './app/service.js';
import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './logging/logger.js';

const log = createLogger({ name: 'ugc-studio' });

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    log.fatal(error.message);
    process.exit(2);
  }
  throw error;
}

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
