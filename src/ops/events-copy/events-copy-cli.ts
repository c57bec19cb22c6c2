import { createLogger } from '../../logging/logger.js';
import { runEventsCopy } from './events-copy-command.js';

/**
 * `npm run events:copy -- --from <source> --to <target>`: moves the event log between stores
 * (embedded → PostgreSQL → EventStoreDB, or back to PostgreSQL). Under src/ so the build compiles
 * it: the image runs it as `node dist/event-store/copy/events-copy-cli.js`.
 */
const log = createLogger({ name: 'events:copy' });
try {
  const outcome = await runEventsCopy(process.argv.slice(2), { log });
  process.exitCode = outcome.exitCode;
} catch (error) {
  log.fatal({ err: error }, 'events:copy failed unexpectedly');
  process.exitCode = 1;
}
