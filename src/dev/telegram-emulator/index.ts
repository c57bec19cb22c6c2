import type { AddressInfo } from 'node:net';
import type { BotCommand, StarTransaction, Update, UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import { ApiCallLog, type ApiCallRecord } from './api-call-log.js';
import { ApiParams } from './api-params.js';
import { createBotApiServer } from './bot-api-server.js';
import { BotSettings } from './bot-settings.js';
import { CallbackQueries, type CallbackAnswer } from './callback-queries.js';
import { toChatMessage, type ChatMessage } from './chat-message.js';
import { ChatStore } from './chat-store.js';
import { dispatch } from './dispatch.js';
import type { EmulatorLimits, EmulatorState } from './emulator-state.js';
import { FaultInjector, type Fault } from './fault-injector.js';
import { FileStore } from './file-store.js';
import { botApiMethods } from './methods/bot-api-methods.js';
import { redeliverSuccessfulPayment, refundBySupport } from './payment-flow.js';
import { PreCheckoutQueries, type PreCheckoutAnswer } from './pre-checkout-queries.js';
import { SimulatedUser, type UserProfile } from './simulated-user.js';
import { StarLedger, type StarCharge } from './star-ledger.js';
import { UpdateQueue } from './update-queue.js';
import { WebhookDeliverer, type WebhookStats } from './webhook-deliverer.js';

export type { ApiCallRecord } from './api-call-log.js';
export type { CallbackAnswer } from './callback-queries.js';
export type { ChatMessage, MediaInfo, MediaKind } from './chat-message.js';
export type { EmulatorLimits, EmulatorState } from './emulator-state.js';
export type { Fault } from './fault-injector.js';
export type { PaymentOutcome, PayOptions } from './payment-flow.js';
export type { PreCheckoutAnswer } from './pre-checkout-queries.js';
export type { InvoiceRecord, RefundSource, StarCharge } from './star-ledger.js';
export type { WebhookAttempt, WebhookStats } from './webhook-deliverer.js';
export type {
  ButtonMatcher,
  MediaOptions,
  MessageMatcher,
  PressedButton,
  SentUpdate,
  UserProfile,
  WaitOptions,
} from './simulated-user.js';
export { SimulatedUser } from './simulated-user.js';
export { BotApiError } from './bot-api-error.js';

export interface TelegramEmulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** `<bot id>:<secret>`; the bot id becomes getMe's id. */
  readonly token?: string;
  readonly botUsername?: string;
  readonly botFirstName?: string;
  /** Where file bytes go; default: a fresh temp dir, removed on close. */
  readonly fileDirectory?: string;
  readonly limits?: Partial<EmulatorLimits>;
  /** answerCallbackQuery later than this answers 400 "query is too old". Default 15 s. */
  readonly callbackAnswerDeadlineMs?: number;
  /**
   * How long a pre_checkout_query waits for answerPreCheckoutQuery before Telegram cancels the
   * purchase (and a later answer gets 400 "query is too old"). Default 10 s, as on Telegram.
   */
  readonly preCheckoutTimeoutMs?: number;
  readonly webhook?: {
    readonly retryDelaysMs?: readonly number[];
    readonly requestTimeoutMs?: number;
    readonly maxAttempts?: number;
  };
  /** update_id of the first update minus one. */
  readonly firstUpdateId?: number;
  readonly logger?: Logger;
  /** Milliseconds since the epoch; replace to control dates and deadlines. */
  readonly now?: () => number;
}

export interface TelegramEmulator {
  /** Pass as `new Bot(token, { client: { apiRoot } })`. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  /** A simulated user; the same id returns the same user. */
  user(profile: UserProfile): SimulatedUser;
  /** Download URL for a getFile `file_path`. */
  fileUrl(filePath: string): string;
  /** The next `times` calls of `method` ("*" = any) fail with `fault`. */
  injectFault(method: string, fault: Fault, times?: number): void;
  clearFaults(): void;
  /** The bot's Bot API calls, optionally of one method (case-insensitive). */
  calls(method?: string): ApiCallRecord[];
  webhookStats(): WebhookStats;
  /** Updates not yet confirmed (polling) or delivered (webhook). */
  pendingUpdates(): readonly Update[];
  /** Any chat's history, e.g. a group's. */
  chatMessages(chatId: number, options?: { includeDeleted?: boolean }): ChatMessage[];
  /** What setMyCommands stored for a scope (default scope when omitted). */
  commands(scope?: unknown, languageCode?: string): BotCommand[];
  callbackAnswers(): CallbackAnswer[];
  /** The bot's answerPreCheckoutQuery calls that counted (in time, once per query). */
  preCheckoutAnswers(): PreCheckoutAnswer[];
  /** Telegram delivers the successful_payment of a charge again, as a new update. */
  redeliverSuccessfulPayment(chargeId: string): Promise<void>;
  /**
   * A refund through Telegram's support: the charge is refunded and the bot gets refunded_payment.
   */
  refundBySupport(chargeId: string): Promise<void>;
  /** The bot's Star transactions, oldest first, as getStarTransactions lists them. */
  starTransactions(): readonly StarTransaction[];
  /** The bot's Stars: payments received minus refunds. */
  starBalance(): number;
  /** Every successful payment, with its refund if any (`refund.by`: 'bot' or 'support'). */
  starCharges(): readonly StarCharge[];
  /** Live feed of every message sent, edited or deleted in any chat — handy for demo narration. */
  onMessage(
    listener: (message: ChatMessage, change: 'created' | 'edited' | 'deleted') => void,
  ): () => void;
  /** Everything, for assertions the helpers above do not cover. */
  readonly state: EmulatorState;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = '123456789:AAEmulatorTestTokenDoNotUseInProduction';

const MB = 1024 * 1024;

/** Starts a local Bot API server that real grammY bots can talk to. */
export async function startTelegramEmulator(
  options: TelegramEmulatorOptions = {},
): Promise<TelegramEmulator> {
  const token = options.token ?? DEFAULT_TOKEN;
  const botId = Number(token.split(':')[0]);
  if (!Number.isSafeInteger(botId) || botId <= 0)
    throw new Error('telegram emulator: the token must look like "<bot id>:<secret>"');
  const now = options.now ?? Date.now;
  const closing = new AbortController();
  const limits: EmulatorLimits = {
    getFileBytes: 20 * MB,
    uploadBytes: 50 * MB,
    photoUploadBytes: 10 * MB,
    urlFetchBytes: 20 * MB,
    ...options.limits,
  };
  const updates = new UpdateQueue(options.firstUpdateId ?? 100_000_000);
  const methods = botApiMethods();
  const files = await FileStore.create(options.fileDirectory);
  const bot: UserFromGetMe = {
    id: botId,
    is_bot: true,
    first_name: options.botFirstName ?? 'UGC Studio (emulated)',
    username: options.botUsername ?? 'ugc_studio_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  } as UserFromGetMe;

  // The deliverer needs dispatch for webhook replies and dispatch needs the state: tie the knot
  // late.
  let state: EmulatorState | undefined;
  const webhook = new WebhookDeliverer(updates, {
    retryDelaysMs: options.webhook?.retryDelaysMs ?? [100, 250, 500, 1000, 2000],
    requestTimeoutMs: options.webhook?.requestTimeoutMs ?? 30_000,
    maxAttempts: options.webhook?.maxAttempts ?? 50,
    now,
    onWebhookReply: async (payload) => {
      if (state === undefined) return;
      const { method, ...rest } = payload;
      await dispatch(
        state,
        methods,
        String(method),
        new ApiParams(rest),
        closing.signal,
        options.logger,
        'webhook-reply',
      );
    },
  });
  state = {
    token,
    bot,
    users: new Map(),
    chats: new ChatStore(now),
    files,
    updates,
    webhook,
    callbacks: new CallbackQueries(now, options.callbackAnswerDeadlineMs ?? 15_000),
    stars: new StarLedger(),
    preCheckout: new PreCheckoutQueries(
      now,
      options.preCheckoutTimeoutMs ?? 10_000,
      closing.signal,
    ),
    settings: new BotSettings(),
    faults: new FaultInjector(),
    calls: new ApiCallLog(),
    polling: { allowedUpdates: undefined, active: undefined },
    limits,
    closed: closing.signal,
    now,
  };
  const emulatorState = state;

  const server = createBotApiServer({
    state: emulatorState,
    methods,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  await server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = server.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const apiRoot = `http://${host}:${address.port}`;
  const users = new Map<number, SimulatedUser>();
  let closed: Promise<void> | undefined;

  return {
    apiRoot,
    token,
    botInfo: bot,
    state: emulatorState,
    user(profile) {
      let user = users.get(profile.id);
      if (user === undefined) {
        user = new SimulatedUser(emulatorState, profile);
        users.set(profile.id, user);
      }
      return user;
    },
    fileUrl: (filePath) => `${apiRoot}/file/bot${token}/${filePath}`,
    injectFault: (method, fault, times = 1) => emulatorState.faults.inject(method, fault, times),
    clearFaults: () => emulatorState.faults.clear(),
    calls: (method) => emulatorState.calls.list(method),
    webhookStats: () => webhook.stats(),
    pendingUpdates: () => updates.pending(),
    chatMessages: (chatId, { includeDeleted = false } = {}) =>
      [...(emulatorState.chats.get(chatId)?.messages.values() ?? [])]
        .filter((stored) => includeDeleted || !stored.deleted)
        .sort((a, b) => a.messageId - b.messageId)
        .map(toChatMessage),
    commands: (scope, languageCode) => emulatorState.settings.getCommands(scope, languageCode),
    callbackAnswers: () => emulatorState.callbacks.answers(),
    preCheckoutAnswers: () => emulatorState.preCheckout.answers(),
    redeliverSuccessfulPayment: async (chargeId) =>
      redeliverSuccessfulPayment(emulatorState, chargeId),
    refundBySupport: async (chargeId) => refundBySupport(emulatorState, chargeId),
    starTransactions: () => emulatorState.stars.transactions(),
    starBalance: () => emulatorState.stars.balance(),
    starCharges: () => emulatorState.stars.allCharges(),
    onMessage: (listener) =>
      emulatorState.chats.onChange((change) => listener(toChatMessage(change.stored), change.kind)),
    close() {
      closed ??= (async () => {
        // Release long polls first so they answer [] instead of being cut off mid-request.
        closing.abort();
        webhook.close();
        await server.close();
        await files.dispose();
      })();
      return closed;
    },
  };
}
