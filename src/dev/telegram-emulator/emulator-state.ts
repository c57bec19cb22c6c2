import type { User, UserFromGetMe } from 'grammy/types';
import type { ApiCallLog } from './api-call-log.js';
import type { BotSettings } from './bot-settings.js';
import type { CallbackQueries } from './callback-queries.js';
import type { ChatStore } from './chat-store.js';
import type { FaultInjector } from './fault-injector.js';
import type { FileStore } from './file-store.js';
import type { PreCheckoutQueries } from './pre-checkout-queries.js';
import type { StarLedger } from './star-ledger.js';
import type { UpdateQueue } from './update-queue.js';
import type { WebhookDeliverer } from './webhook-deliverer.js';

export interface EmulatorLimits {
  /** getFile refuses larger files: 20 MB on the cloud Bot API. */
  readonly getFileBytes: number;
  /** Largest multipart upload: 50 MB on the cloud Bot API. */
  readonly uploadBytes: number;
  /** Largest uploaded photo: 10 MB. */
  readonly photoUploadBytes: number;
  /** Largest file Telegram fetches by URL for the bot: 20 MB (5 MB for photos). */
  readonly urlFetchBytes: number;
}

export interface PollingState {
  /**
   * Sticky, like Telegram: a getUpdates or setWebhook without allowed_updates keeps the previous
   * list; both share it.
   */
  allowedUpdates: readonly string[] | undefined;
  /** The long poll currently waiting; a newer one (or setWebhook) terminates it with 409. */
  active: AbortController | undefined;
}

/** Everything a Bot API method may read or change. One instance per emulator. */
export interface EmulatorState {
  readonly token: string;
  readonly bot: UserFromGetMe;
  readonly users: Map<number, User>;
  readonly chats: ChatStore;
  readonly files: FileStore;
  readonly updates: UpdateQueue;
  readonly webhook: WebhookDeliverer;
  readonly callbacks: CallbackQueries;
  /** Telegram Stars: invoices, charges, refunds and the bot's transactions. */
  readonly stars: StarLedger;
  readonly preCheckout: PreCheckoutQueries;
  readonly settings: BotSettings;
  readonly faults: FaultInjector;
  readonly calls: ApiCallLog;
  readonly polling: PollingState;
  readonly limits: EmulatorLimits;
  /** Aborted when the emulator closes, releasing long polls. */
  readonly closed: AbortSignal;
  now(): number;
}

/** Telegram dates are Unix seconds. */
export function unixSeconds(state: EmulatorState): number {
  return Math.floor(state.now() / 1000);
}
