import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Api } from 'grammy';
import { registerFileDownloads } from '../adapters/local/storage/file-download-route.js';
import { LocalFileStorage } from '../adapters/local/storage/local-file-storage.js';
import { createBot, setBotCommands, TelegramNotifier } from '../bot/index.js';
import { refundStarsPaymentAsAdmin } from '../bot/stars-refunds.js';
import type { StarsRefundPort } from '../http/api/api-deps.js';
import { ensureCatalog } from '../catalog/ensure-catalog.js';
import { GenerationCommands } from '../commands/generation-commands.js';
import { UserCommands } from '../commands/user-commands.js';
import type { Config } from '../config/config.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import { registerApi } from '../http/api/register-api.js';
import { registerDashboard } from '../http/dashboard-route.js';
import { createHttpServer } from '../http/http-server.js';
import type { Logger } from '../logging/logger.js';
import { Metrics } from '../observability/metrics.js';
import { registerMetricsRoute } from '../observability/metrics-route.js';
import { projectionLag } from '../observability/projection-lag.js';
import { readinessChecks } from '../observability/readiness-checks.js';
import { GenerationPipeline, type PipelineConfig } from '../pipeline/index.js';
import { ProjectionSet } from '../projections/projection-set.js';
import { startScheduler } from '../scheduling/scheduler.js';
import type { ReadModels } from '../database/open-read-models.js';
import { localPortraitProvider } from '../adapters/local/talking-head/portrait-renderer.js';
import { S3FileStorage } from '../adapters/s3/s3-file-storage.js';
import { RoutingSpeechSynthesizer } from '../adapters/fallback/routing-speech.js';
import { CloudVoiceCatalog } from '../catalog/cloud-voice-catalog.js';
import { cloudStageDeadlines } from './cloud-stage-deadlines.js';
import {
  describeProviders,
  withCloudProviders,
  type CloudProviderOptions,
} from './cloud-providers.js';
import { localProviders, type Providers } from './local-providers.js';
import { openInfrastructure } from '../projections/open-infrastructure.js';
import { startTelegramTransport, type TelegramTransport } from './telegram-transport.js';

export interface RunningService {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly projections: ProjectionSet;
  readonly providers: Providers;
  readonly httpUrl: string;
  stop(): Promise<void>;
}

/** Composition root: everything one process runs, started in order and stopped in reverse. */
export interface ServiceOptions {
  readonly providers?: CloudProviderOptions;
  /** Pipeline settings beyond the environment's, for tests (e.g. `deliveryTimeScale`). */
  readonly pipeline?: Partial<Omit<PipelineConfig, 'maxAudioDurationSec' | 'workRoot'>>;
  /**
   * False: this instance answers Telegram but runs no generations (others sharing the database do).
   */
  readonly runPipeline?: boolean;
}

export async function startService(
  config: Config,
  log: Logger,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const infrastructure = await openInfrastructure(config);
  const stops: Array<() => Promise<void>> = [() => infrastructure.close()];
  // Once, in reverse order of start; a second call waits for the first. The pipeline stops before
  // the database it releases its jobs in, and its media tools are reaped before it resolves.
  let stopped: Promise<void> | undefined;
  const stopAll = () =>
    (stopped ??= (async () => {
      for (const stop of [...stops].reverse())
        await stop().catch((error: unknown) => log.error({ err: error }, 'stop failed'));
    })());
  try {
    const { store, readModels } = infrastructure;
    const projections = new ProjectionSet({ store, readModels, log, pollIntervalMs: 500 });
    projections.start();
    stops.push(() => projections.stop());

    const providers = withCloudProviders(
      localProviders(config, log),
      config,
      log,
      options.providers,
    );
    log.info({ providers: describeProviders(providers) }, 'providers');
    if (providers.storage instanceof S3FileStorage) {
      // The bucket rule is a backstop for the scheduled cleanup; a store without lifecycle support
      // only warns.
      await providers.storage
        .ensureLifecycle(config.TEMP_FILE_TTL_HOURS)
        .catch((error: unknown) =>
          log.warn({ err: error }, 'could not set the bucket lifecycle for tmp/'),
        );
    }
    const localCatalog = await ensureCatalog({
      dataDir: config.DATA_DIR,
      storage: providers.storage,
      log,
    });
    // ElevenLabs voices join the gallery ahead of the local ones when its key is set.
    const catalog =
      providers.speech instanceof RoutingSpeechSynthesizer
        ? new CloudVoiceCatalog({
            catalog: localCatalog,
            cloudVoices: () => (providers.speech as RoutingSpeechSynthesizer).listCloudVoices(),
            log,
          })
        : localCatalog;
    const metrics = new Metrics();
    const projectionNames = projections.runners.map((runner) => runner.name);
    metrics.trackProjectionLag(() =>
      projectionLag({ store, db: readModels.db, projections: projectionNames }),
    );
    const users = new UserCommands({ store, observer: metrics.commands });
    const generations = new GenerationCommands({ store, observer: metrics.commands });

    const http = createHttpServer({
      log,
      trustProxy: config.TRUST_PROXY,
      readiness: readinessChecks({
        store,
        db: readModels.db,
        projections: projectionNames,
        storage: providers.storage,
        maxProjectionLag: config.READY_MAX_PROJECTION_LAG,
      }),
    });
    await registerMetricsRoute(http, metrics);
    // The API's Stars refunds go through the bot's Bot API client, created below with the bot.
    let refundsApi: Api | undefined;
    const starsRefunds: StarsRefundPort = {
      adminIds: config.ADMIN_IDS,
      refund: async (request) => {
        if (!refundsApi)
          return {
            ok: false,
            code: 'telegram_refused',
            message: 'the bot is not started yet',
            retryable: true,
          };
        return refundStarsPaymentAsAdmin({ api: refundsApi, users, log }, request);
      },
    };
    await registerApi(http, {
      store,
      db: readModels.db,
      projections,
      tokens: { analyst: config.ANALYST_API_TOKENS, admin: config.ADMIN_API_TOKENS },
      rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
      unauthenticatedRateLimitPerMinute: config.API_UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE,
      log,
      ...(config.TELEGRAM_BOT_TOKEN ? { starsRefunds } : {}),
    });
    const dashboard = await registerDashboard(http);
    if (!dashboard.built)
      log.warn('the dashboard is not built (npm run build): /dashboard answers 503');
    if (providers.storage instanceof LocalFileStorage)
      await registerFileDownloads(http, providers.storage, { prefix: '/files' });

    let transport: TelegramTransport | undefined;
    // The daily report needs the bot's API; the cleanup runs without it.
    let reportApi: Api | undefined;
    if (config.TELEGRAM_BOT_TOKEN) {
      const bot = createBot(
        {
          users,
          readModels: readModels.db,
          projections,
          store,
          catalog,
          storage: providers.storage,
          probe: providers.probe,
          imageEditor: providers.imageEditor,
          config,
          log,
          now: () => new Date(),
          newId: randomUUID,
          // The local portrait renderer lip-syncs only the drawn starter characters; the confirm
          // screen says so.
          lipSync:
            providers.talkingHead.provider !== localPortraitProvider ? true : 'drawn-characters',
        },
        {
          token: config.TELEGRAM_BOT_TOKEN,
          ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
          onUpdate: (updateType) => metrics.countUpdate(updateType),
        },
      );
      // Which progress message to edit comes with each call, from the generation's events.
      const notifier = new TelegramNotifier({ api: bot.api, log });
      reportApi = bot.api;
      refundsApi = bot.api;
      const workRoot = join(config.DATA_DIR, 'work');
      await mkdir(workRoot, { recursive: true });
      const pipeline = new GenerationPipeline({
        store,
        readModels,
        users,
        generations,
        providers,
        storage: providers.storage,
        notifier,
        log,
        observer: metrics,
        config: {
          maxAudioDurationSec: config.MAX_AUDIO_DURATION,
          workRoot,
          deliveryMaxWaitMs: config.DELIVERY_MAX_WAIT_SECONDS * 1000,
          downloadLinkTtlHours: config.DOWNLOAD_LINK_TTL_HOURS,
          stageDeadlines: cloudStageDeadlines(config),
          ...options.pipeline,
        },
      });
      if (options.runPipeline !== false) {
        pipeline.start();
        stops.push(() => pipeline.stop());
      }
      transport = await startTelegramTransport(bot, {
        webhookUrl: config.WEBHOOK_URL,
        secretToken: config.WEBHOOK_SECRET_TOKEN,
        http,
        log,
      });
      await setBotCommands(bot.api).catch((error: unknown) =>
        log.warn({ err: error }, 'setMyCommands failed'),
      );
      stops.push(() => transport!.stop());
    } else {
      log.warn(
        'TELEGRAM_BOT_TOKEN is not set: the bot is off (try `npm run demo` for an offline run)',
      );
    }

    const scheduler = startScheduler({
      store,
      readModels,
      storage: providers.storage,
      users,
      config,
      log,
      ...(reportApi ? { api: reportApi } : {}),
    });
    stops.push(() => scheduler.stop());

    const address = await http.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
    stops.push(() => http.close());
    log.info(
      {
        eventStore: config.eventStore.kind,
        address,
        telegram: transport ? (config.WEBHOOK_URL ? 'webhook' : 'polling') : 'off',
      },
      'service started',
    );
    return { store, readModels, projections, providers, httpUrl: address, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
