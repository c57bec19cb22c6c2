import type { Update } from 'grammy/types';

export type UpdateType = Exclude<keyof Update, 'update_id'>;
export type UpdateContent = Omit<Update, 'update_id'>;

/** Updates Telegram only sends when asked for explicitly. */
const optInOnly: ReadonlySet<string> = new Set([
  'chat_member',
  'message_reaction',
  'message_reaction_count',
]);

export function updateType(update: Update): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}

/** The Update fields a bot can name in allowed_updates. */
const updateTypes: ReadonlySet<string> = new Set([
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'guest_message',
  'stopped_message_generation',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
  'managed_bot',
  'subscription',
]);

/**
 * A list that names no known update type (an empty one included) means "the default set", as in
 * getUpdates and setWebhook; names are matched case-insensitively, as the Bot API server does.
 */
export function isAllowed(update: Update, allowed: readonly string[] | undefined): boolean {
  const type = updateType(update);
  const named = normalizeAllowedUpdates(allowed);
  if (named === undefined) return !optInOnly.has(type);
  return named.includes(type);
}

/**
 * The known names of an allowed_updates list, lower-cased; undefined stands for the default set.
 */
export function normalizeAllowedUpdates(
  allowed: readonly unknown[] | undefined,
): readonly string[] | undefined {
  if (!Array.isArray(allowed)) return undefined;
  const named = [
    ...new Set(
      allowed.map((name) => String(name).toLowerCase()).filter((name) => updateTypes.has(name)),
    ),
  ];
  return named.length === 0 ? undefined : named;
}

/** One queue entry; a duplicate delivery of the same update is a separate entry. */
export interface QueuedUpdate {
  readonly update: Update;
  /**
   * A resent update (sendRaw with an old update_id); long polling hands it out once, offset or not.
   */
  readonly replay: boolean;
}

/**
 * The bot's pending updates. update_ids grow globally. Long polling removes updates only when
 * a later getUpdates confirms them with a higher offset; webhook delivery removes them on 2xx.
 */
export class UpdateQueue {
  private items: QueuedUpdate[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private lastId: number) {}

  push(content: UpdateContent): Update {
    const update = { update_id: ++this.lastId, ...content };
    this.enqueue({ update, replay: false });
    return update;
  }

  /** Queues an update as given; an id at or below the last one is a duplicate delivery. */
  pushRaw(update: Update): void {
    const replay = update.update_id <= this.lastId;
    if (!replay) this.lastId = update.update_id;
    this.enqueue({ update, replay });
  }

  /**
   * getUpdates' offset: everything below it was processed. Negative: keep only the last -offset.
   */
  confirm(offset: number): void {
    if (offset < 0) {
      this.items = this.items.slice(offset);
      return;
    }
    this.items = this.items.filter((item) => item.replay || item.update.update_id >= offset);
  }

  /**
   * Up to `limit` updates for a poll; disallowed ones are dropped on the way, like Telegram does.
   */
  takeForPolling(limit: number, allowed: readonly string[] | undefined): Update[] {
    const result: Update[] = [];
    const kept: QueuedUpdate[] = [];
    for (const item of this.items) {
      if (!isAllowed(item.update, allowed)) continue;
      if (result.length < limit) {
        result.push(item.update);
        if (item.replay) continue;
      }
      kept.push(item);
    }
    this.items = kept;
    return result;
  }

  pending(): readonly Update[] {
    return this.items.map((item) => item.update);
  }

  entries(): readonly QueuedUpdate[] {
    return [...this.items];
  }

  remove(entry: QueuedUpdate): void {
    this.items = this.items.filter((item) => item !== entry);
  }

  size(): number {
    return this.items.length;
  }

  clear(): void {
    this.items = [];
  }

  onPush(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves on the next push, after `timeoutMs`, or when `signal` aborts — whichever is first. */
  waitForPush(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const unsubscribe = this.onPush(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private enqueue(item: QueuedUpdate): void {
    this.items.push(item);
    for (const listener of [...this.listeners]) listener();
  }
}
