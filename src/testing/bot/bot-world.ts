import { Writable } from 'node:stream';
import type { Bot } from 'grammy';
import pino from 'pino';
import { ALLOWED_UPDATES } from '../../app/telegram-transport.js';
import { openPGliteEventStore } from '../../adapters/event-store/pglite/pglite-event-store.js';
import type { SqlEventStore } from '../../adapters/event-store/sql/sql-event-store.js';
import { UserCommands } from '../../commands/user-commands.js';
import { userStream } from '../../domain/events/streams.js';
import type { RecordedEvent } from '../../ports/event-store/event-store.js';
import {
  startTelegramEmulator,
  type SimulatedUser,
  type TelegramEmulator,
  type UserProfile,
} from '../../dev/telegram-emulator/index.js';
import { ProjectionSet } from '../../projections/projection-set.js';
import { openReadModels, type ReadModels } from '../../database/open-read-models.js';
import type { BotContext } from '../../bot/bot-context.js';
import type { BotConfig, BotDeps } from '../../bot/bot-deps.js';
import { createBot, type CreateBotOptions } from '../../bot/create-bot.js';
import type { RateLimit } from '../../bot/middleware/rate-limit.js';
import {
  FakeCatalog,
  FakeImageEditor,
  FakeMediaProbe,
  MemoryFileStorage,
  fakePng,
} from './fakes.js';

export const ADMIN_ID = 9_000_001;
export const ADMIN_CHAT_ID = -1_001_234_567;

export interface BotWorldOptions {
  readonly config?: Partial<BotConfig>;
  /**
   * Generous by default so scripted users are not throttled; the flood test passes the real one.
   */
  readonly flood?: RateLimit;
  readonly adminRate?: RateLimit;
  readonly imageEditorAvailable?: boolean;
}

/**
 * The bot wired to an in-memory world: PGlite event store and read models, running projections,
 * fakes for the catalog, storage, probe and image editor, and the Telegram emulator.
 */
export class BotWorld {
  bot!: Bot<BotContext>;
  users!: UserCommands;
  deps!: BotDeps;
  readonly logLines: string[] = [];
  readonly catalog = new FakeCatalog();
  readonly storage = new MemoryFileStorage();
  readonly probe = new FakeMediaProbe();
  readonly imageEditor: FakeImageEditor;
  /**
   * While set, the bot's clock stands still (rate-limit tests must not depend on machine speed).
   */
  frozenAt: number | undefined;
  private running: Promise<void> | undefined;

  private constructor(
    readonly emulator: TelegramEmulator,
    readonly store: SqlEventStore,
    readonly readModels: ReadModels,
    readonly projections: ProjectionSet,
    readonly config: BotConfig,
    private readonly options: BotWorldOptions,
  ) {
    this.imageEditor = new FakeImageEditor(options.imageEditorAvailable ?? false);
  }

  static async open(options: BotWorldOptions = {}): Promise<BotWorld> {
    const emulator = await startTelegramEmulator();
    const { store, sql } = await openPGliteEventStore({ pollIntervalMs: 20 });
    const readModels = await openReadModels({ kind: 'pglite', client: sql });
    const quiet = pino({ level: 'silent' });
    const projections = new ProjectionSet({ store, readModels, log: quiet, pollIntervalMs: 20 });
    projections.start();
    const config: BotConfig = {
      DEFAULT_CREDITS: 10,
      COST_UGC_VIDEO: 1,
      MAX_AUDIO_DURATION: 15,
      MAX_EDIT_ITERATIONS: 3,
      ADMIN_IDS: [ADMIN_ID],
      ADMIN_FEEDBACK_CHAT_ID: String(ADMIN_CHAT_ID),
      DOWNLOAD_LINK_TTL_HOURS: 24,
      STARS_PACKS: [
        { credits: 10, stars: 50 },
        { credits: 50, stars: 200 },
      ],
      ...options.config,
    };
    const world = new BotWorld(emulator, store, readModels, projections, config, options);
    await world.catalog.seed(world.storage);
    await world.startBot();
    // The admin chat exists once someone has written in it (as in Telegram, where the bot is
    // added).
    await world.admin().sendInGroup('bot added', { chatId: ADMIN_CHAT_ID, title: 'UGC admins' });
    await world.settle();
    return world;
  }

  /**
   * A new bot process on the same store: fresh command handler, fresh caches, nothing in memory.
   */
  async restart(): Promise<void> {
    await this.stopBot();
    await this.startBot();
  }

  admin(): SimulatedUser {
    return this.emulator.user({ id: ADMIN_ID, firstName: 'Admin', languageCode: 'en' });
  }

  user(profile: UserProfile): SimulatedUser {
    return this.emulator.user(profile);
  }

  async events(telegramId: number): Promise<RecordedEvent[]> {
    return this.store.readStream(userStream(telegramId));
  }

  async eventTypes(telegramId: number): Promise<string[]> {
    return (await this.events(telegramId)).map((event) => event.type);
  }

  /** Waits until the bot has handled every update sent so far (the emulator's queue is drained). */
  async settle(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.emulator.pendingUpdates().length > 0) {
      if (Date.now() > deadline) throw new Error('updates still pending');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The last update is confirmed when fetched; give its handler time to finish.
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  async close(): Promise<void> {
    await this.stopBot();
    await this.projections.stop();
    await this.emulator.close();
    await this.readModels.close();
    await this.store.close();
  }

  private async startBot(): Promise<void> {
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        this.logLines.push(String(chunk));
        if (process.env.BOT_TEST_LOG) process.stderr.write(String(chunk));
        done();
      },
    });
    const log = pino({ level: 'warn' }, sink);
    this.users = new UserCommands({ store: this.store });
    this.deps = {
      users: this.users,
      readModels: this.readModels.db,
      projections: this.projections,
      store: this.store,
      catalog: this.catalog,
      storage: this.storage,
      probe: this.probe,
      imageEditor: this.imageEditor,
      config: this.config,
      log,
      now: () => new Date(this.frozenAt ?? Date.now()),
      newId: () => crypto.randomUUID(),
      // A stored stand-in: the real preview is ffmpeg's, tested with the renderer.
      captionPreviews: {
        imageKey: async () => {
          const key = 'catalog/caption-previews/test.jpg';
          if (!(await this.storage.exists(key)))
            await this.storage.put(key, fakePng(1332, 792), 'image/jpeg');
          return key;
        },
      },
    };
    const options: CreateBotOptions = {
      token: this.emulator.token,
      apiRoot: this.emulator.apiRoot,
      botInfo: this.emulator.botInfo,
      flood: this.options.flood ?? { capacity: 1000, refillPerSec: 1000 },
      ...(this.options.adminRate ? { adminRate: this.options.adminRate } : {}),
    };
    this.bot = createBot(this.deps, options);
    await new Promise<void>((resolve, reject) => {
      this.running = this.bot
        .start({ onStart: () => resolve(), timeout: 1, allowed_updates: [...ALLOWED_UPDATES] })
        .catch(reject);
    });
  }

  private async stopBot(): Promise<void> {
    if (!this.running) return;
    await this.bot.stop();
    await this.running;
    this.running = undefined;
  }
}
