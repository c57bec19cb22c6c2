import type { Kysely } from 'kysely';
import type { EventStore } from '../../ports/event-store/event-store.js';
import type { Position } from '../../ports/event-store/position.js';
import type { Logger } from '../../logging/logger.js';
import type { ReadModelDatabase } from '../../database/schema.js';
import type { StarsRefundResult } from '../../bot/stars-refunds.js';

/**
 * Refunds a Stars payment through Telegram; present only when the bot runs (it needs the Bot API).
 */
export interface StarsRefundPort {
  /** Telegram ids allowed to be named as the refunding admin (ADMIN_IDS). */
  readonly adminIds: readonly number[];
  refund(request: {
    readonly userId: number;
    readonly chargeId: string;
    readonly adminId: number;
  }): Promise<StarsRefundResult>;
}

export interface ApiDeps {
  readonly store: EventStore;
  readonly db: Kysely<ReadModelDatabase>;
  /** `ProjectionSet` fits; only `waitFor` is used (read-your-writes). */
  readonly projections: {
    waitFor(position: Position, options?: { timeoutMs?: number }): Promise<void>;
  };
  readonly tokens: { readonly analyst: readonly string[]; readonly admin: readonly string[] };
  /** Per valid token. */
  readonly rateLimitPerMinute: number;
  /**
   * Per client address, for requests without a valid token; default 30 (or the per-token limit if
   * lower).
   */
  readonly unauthenticatedRateLimitPerMinute?: number;
  /** How long `atPosition` may wait for the projections before answering 504; default 5 s. */
  readonly readYourWritesTimeoutMs?: number;
  readonly log: Logger;
  readonly starsRefunds?: StarsRefundPort;
}
