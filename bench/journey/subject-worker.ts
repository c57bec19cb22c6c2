/**
 * Child-process entry: starts one subject (the real service, or the grammY-sessions baseline)
 * behind a webhook on 127.0.0.1, reports its webhook URL, and stops on request. Exits by itself
 * once everything is closed and the IPC channel is gone, which proves pools and timers were
 * released.
 */
import { join } from 'node:path';
import { webhookCallback } from 'grammy';
import Fastify from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { startService } from '../../src/app/service.js';
import { manifestFileName, readManifest } from '../../src/catalog/catalog-manifest.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createSessionsBaselineBot } from './sessions-baseline-bot.js';
import { countPgQueries } from './query-counter.js';
import type {
  SubjectArgs,
  SubjectQueries,
  SubjectReady,
  SubjectRequest,
  SubjectStopped,
} from './subject-protocol.js';

const WEBHOOK_PATH = '/telegram/webhook';

const send = (message: SubjectReady | SubjectStopped | SubjectQueries) =>
  new Promise<void>((resolve) => {
    if (!process.send) throw new Error('subject-worker.ts must be started with an IPC channel');
    process.send(message, undefined, undefined, () => resolve());
  });

const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

async function startServiceSubject(
  args: Extract<SubjectArgs, { kind: 'service' }>,
): Promise<{ webhookUrl: string; stop(): Promise<void> }> {
  const webhookUrl = `http://127.0.0.1:${args.httpPort}${WEBHOOK_PATH}`;
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    TELEGRAM_BOT_TOKEN: args.token,
    TELEGRAM_API_ROOT: args.apiRoot,
    WEBHOOK_URL: webhookUrl,
    WEBHOOK_SECRET_TOKEN: args.webhookSecret,
    DATABASE_URL: args.databaseUrl,
    DATA_DIR: args.dataDir,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(args.httpPort),
    DEFAULT_CREDITS: String(args.defaultCredits),
  });
  // Production log level, written asynchronously to a file: the orchestrator reads the pipeline's
  // stage timings (`stage`, `elapsedMs`) back from it.
  const destination = pino.destination({ dest: args.logFile, sync: false, mkdir: true });
  const log = createLogger({ name: 'bench-service', level: 'info' }, destination);
  const service = await startService(config, log);
  return {
    webhookUrl,
    async stop() {
      await service.stop();
      destination.flushSync();
    },
  };
}

async function startBaselineSubject(
  args: Extract<SubjectArgs, { kind: 'sessions-baseline' }>,
): Promise<{ webhookUrl: string; stop(): Promise<void> }> {
  const webhookUrl = `http://127.0.0.1:${args.httpPort}${WEBHOOK_PATH}`;
  const manifest = await readManifest(join(args.catalogDir, manifestFileName));
  if (!manifest) throw new Error(`no catalog manifest in ${args.catalogDir}`);
  // The same pool size as each of the service's pools (event store, read models).
  const pool = new pg.Pool({
    connectionString: args.databaseUrl,
    max: 10,
    application_name: 'ugc-bench-sessions',
  });
  const defaults = loadConfig({});
  const bot = await createSessionsBaselineBot({
    token: args.token,
    apiRoot: args.apiRoot,
    manifest,
    catalogDir: args.catalogDir,
    pool,
    defaultCredits: args.defaultCredits,
    costPerVideo: defaults.COST_UGC_VIDEO,
    maxAudioSec: defaults.MAX_AUDIO_DURATION,
  });
  const http = Fastify({ bodyLimit: 10 * 1024 * 1024 });
  // Exactly the service's webhook transport (src/app/telegram-transport.ts).
  const handle = webhookCallback(bot, 'fastify', {
    secretToken: args.webhookSecret,
    onTimeout: 'return',
    timeoutMilliseconds: 9_000,
  });
  http.post(WEBHOOK_PATH, (request, reply) => handle(request, reply));
  await bot.init();
  await http.listen({ host: '127.0.0.1', port: args.httpPort });
  await bot.api.setWebhook(webhookUrl, {
    secret_token: args.webhookSecret,
    drop_pending_updates: false,
  });
  return {
    webhookUrl,
    async stop() {
      await http.close();
      await pool.end();
    },
  };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as SubjectArgs;
  const queries = countPgQueries();
  let subject: { webhookUrl: string; stop(): Promise<void> };
  try {
    subject =
      args.kind === 'service' ? await startServiceSubject(args) : await startBaselineSubject(args);
  } catch (error) {
    await send({ ready: false, error: describe(error) });
    process.disconnect();
    return;
  }
  process.on('message', (request: SubjectRequest) => {
    if (request.op === 'queries') return void send(queries());
    if (request.op !== 'stop') return;
    void subject
      .stop()
      .then(
        () => send({ stopped: true }),
        (error: unknown) => send({ stopped: true, error: describe(error) }),
      )
      .finally(() => process.disconnect());
  });
  await send({ ready: true, webhookUrl: subject.webhookUrl });
}

void main();
