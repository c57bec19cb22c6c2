import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, Composer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Language } from '../domain/events/values.js';
import type { BotContext } from './bot-context.js';
import type { BotDeps } from './bot-deps.js';
import {
  dedupeUpdates,
  ensureRegistered,
  errorBoundary,
  floodLimit,
  loadScope,
  outdatedButtons,
  privateChatsOnly,
  reportError,
} from './middleware/guards.js';
import { countUpdates } from './middleware/metrics.js';
import { TokenBuckets, type RateLimit } from './middleware/rate-limit.js';
import { wizardStepGuard } from './middleware/step-guard.js';
import { adminModule } from './modules/admin.js';
import { captionSelectionModule } from './modules/caption-selection.js';
import { characterEditingModule } from './modules/character-editing.js';
import { characterSelectionModule } from './modules/character-selection.js';
import { creditsModule } from './modules/credits.js';
import { feedbackAdminModule, feedbackModule } from './modules/feedback.js';
import { formatSelectionModule } from './modules/format-selection.js';
import { generationModule } from './modules/generation.js';
import type { ModuleEnv } from './modules/module-env.js';
import { myGenerationsModule } from './modules/my-generations.js';
import { paymentsModule, paymentUpdates } from './modules/payments.js';
import { fallbackModule, navigationModule } from './modules/navigation.js';
import { scriptInputModule } from './modules/script-input.js';
import { startModule } from './modules/start.js';
import { voiceSelectionModule } from './modules/voice-selection.js';
import { ScreenRegistry } from './screens.js';
import { ActionRegistry } from './actions.js';

export interface CreateBotOptions {
  readonly token: string;
  /** Bot API server, e.g. the local emulator; default https://api.telegram.org. */
  readonly apiRoot?: string;
  /** Skips getMe at start-up (webhook mode needs it known before the first update). */
  readonly botInfo?: UserFromGetMe;
  /** Per-user flood limit; default a burst of 20, then 4 updates per second. */
  readonly flood?: RateLimit;
  /** Per-admin limit on admin commands; default a burst of 10, then one every 6 s. */
  readonly adminRate?: RateLimit;
  /** Language of messages to the admin chat; default Russian. */
  readonly adminLanguage?: Language;
  /** A group that is not the admin chat gets the "private chats only" line at most this often. */
  readonly groupNoticeIntervalMs?: number;
  /** Metrics hook: called once per update with its type (`message`, `callback_query`, …). */
  readonly onUpdate?: (updateType: string) => void;
}

// Generous enough for a quick person (or a scripted one) clicking through the wizard, tight enough
// that a stuck client or a script gone wild is cut off within a second.
export const DEFAULT_FLOOD_LIMIT: RateLimit = { capacity: 20, refillPerSec: 4 };
export const DEFAULT_ADMIN_RATE: RateLimit = { capacity: 10, refillPerSec: 1 / 6 };

/**
 * The Telegram bot: a thin inbound layer. Each update is deduplicated, flood-limited, confined to
 * private chats (plus the admin chat), turned into commands whose ids derive from the update, and
 * answered from the command outcome or the read models. No state lives here between updates.
 */
export function createBot(deps: BotDeps, options: CreateBotOptions): Bot<BotContext> {
  const apiRoot = options.apiRoot ?? 'https://api.telegram.org';
  const bot = new Bot<BotContext>(options.token, {
    client: {
      apiRoot,
      // A button's answer is sent when its update is done (`sendAnswer`), so in webhook mode it
      // can ride on the webhook's reply instead of costing a request of its own. Nothing else
      // may: a reply acknowledges the update, and an earlier one would let a crash lose it.
      canUseWebhookReply: (method) => method === 'answerCallbackQuery',
    },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  // For texts, edits and answers. It retries a lost answer (HttpError) without limit and sleeps
  // through waits nothing can interrupt, so the finished video is sent around it (see
  // TelegramNotifier), and a retry_after above 60 s reaches the caller instead of a minute's stall.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));

  const screens = new ScreenRegistry();
  const actions = new ActionRegistry();
  const env: ModuleEnv = {
    deps,
    screens,
    actions,
    telegram: { apiRoot, token: options.token },
    fileIds: new Map(),
    adminLanguage: options.adminLanguage ?? 'ru',
    adminBuckets: new TokenBuckets(options.adminRate ?? DEFAULT_ADMIN_RATE, () =>
      deps.now().getTime(),
    ),
  };

  const feedbackAdmin = feedbackAdminModule(env);
  const admin = adminModule(env);
  const adminChat = new Composer<BotContext>(feedbackAdmin, admin);

  if (options.onUpdate) bot.use(countUpdates(options.onUpdate));
  bot.use(errorBoundary(deps));
  bot.use(dedupeUpdates());
  bot.use(paymentUpdates(deps));
  bot.use(floodLimit(deps, options.flood ?? DEFAULT_FLOOD_LIMIT));
  // Everything after loadScope runs inside it: an update whose starting state proves stale before
  // anything was shown or recorded runs these once more (see Scope).
  const scoped = new Composer<BotContext>();
  bot.use(loadScope(deps, screens, scoped));
  scoped.use(
    privateChatsOnly(deps, adminChat.middleware(), options.groupNoticeIntervalMs ?? 10 * 60_000),
  );
  scoped.use(ensureRegistered(deps));
  scoped.use(outdatedButtons());
  scoped.use(wizardStepGuard());
  // The modules define their button handlers as they are built (above and in the list below); a
  // press is routed before any module's other middleware, which only ever handles messages.
  scoped.use(actions.middleware());
  scoped.use(
    feedbackAdmin,
    admin,
    startModule(env),
    navigationModule(env),
    formatSelectionModule(env),
    characterSelectionModule(env),
    characterEditingModule(env),
    voiceSelectionModule(env),
    scriptInputModule(env),
    captionSelectionModule(env),
    generationModule(env),
    myGenerationsModule(env),
    creditsModule(env),
    paymentsModule(env),
    feedbackModule(env),
    fallbackModule(),
  );
  bot.catch((error) => reportError(deps, error.ctx, error.error));
  return bot;
}
