import pino from 'pino';
import { startService } from '../../../src/app/service.js';
import { loadConfig } from '../../../src/config/config.js';

/**
 * The real service in a process of its own, so a test can kill it the hard way (SIGKILL): no
 * stop, no release, leases left to run out, as after a crash or an OOM kill. The environment
 * arrives as JSON in argv[2]; "ready" (with the HTTP address) goes back over IPC.
 */
const env = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }).child({
  instance: env.INSTANCE_NAME ?? 'child',
});
try {
  const service = await startService(loadConfig(env), log);
  process.on('message', (message: { op?: string }) => {
    if (message.op !== 'stop') return;
    void service.stop().then(() => process.exit(0));
  });
  process.send?.({ ready: true, httpUrl: service.httpUrl });
} catch (error) {
  process.send?.({ ready: false, error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
