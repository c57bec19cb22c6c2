import { STATUS_CODES } from 'node:http';
import type { Update } from 'grammy/types';
import { isAllowed, type QueuedUpdate, type UpdateQueue } from './update-queue.js';

export interface WebhookSettings {
  readonly url: string;
  readonly secretToken?: string;
  readonly maxConnections: number;
  readonly allowedUpdates?: readonly string[];
}

export interface WebhookAttempt {
  readonly updateId: number;
  readonly attempt: number;
  readonly at: number;
  /** HTTP status of the bot's answer; absent when the request itself failed. */
  readonly status?: number;
  readonly error?: string;
  /** The X-Telegram-Bot-Api-Secret-Token header that was sent, if any. */
  readonly secretToken?: string;
  readonly durationMs: number;
}

export interface WebhookStats {
  readonly url?: string;
  readonly delivered: number;
  readonly failedAttempts: number;
  /** Updates given up on after maxAttempts. */
  readonly dropped: number;
  readonly pending: number;
  readonly inFlight: number;
  readonly lastErrorDate?: number;
  readonly lastErrorMessage?: string;
  readonly attempts: readonly WebhookAttempt[];
}

export interface WebhookDelivererOptions {
  /**
   * Delay before retry n (the last entry repeats). Telegram backs off over minutes; tests want ms.
   */
  readonly retryDelaysMs: readonly number[];
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
  readonly now: () => number;
  /** A 2xx answer whose JSON body names a `method` is executed, like Telegram's webhook replies. */
  readonly onWebhookReply: (payload: Record<string, unknown>) => Promise<void>;
}

const ATTEMPT_LOG_LIMIT = 1000;

/**
 * Pushes queued updates to the webhook like Telegram: POST JSON with the secret header, at most
 * max_connections requests at once but one at a time per chat (so a failing update holds back
 * later ones of the same chat), and retries with back-off until a 2xx.
 */
export class WebhookDeliverer {
  private settings: WebhookSettings | undefined;
  private readonly inFlight = new Map<QueuedUpdate, AbortController>();
  private readonly attemptsOf = new Map<QueuedUpdate, number>();
  private readonly retryAt = new Map<QueuedUpdate, number>();
  private readonly attemptLog: WebhookAttempt[] = [];
  private delivered = 0;
  private failedAttempts = 0;
  private dropped = 0;
  private lastError: { date: number; message: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly queue: UpdateQueue,
    private readonly options: WebhookDelivererOptions,
  ) {
    this.unsubscribe = queue.onPush(() => this.pump());
  }

  configure(settings: WebhookSettings | undefined): void {
    this.settings = settings;
    this.lastError = undefined;
    this.retryAt.clear();
    this.pump();
  }

  current(): WebhookSettings | undefined {
    return this.settings;
  }

  lastErrorInfo(): { date: number; message: string } | undefined {
    return this.lastError;
  }

  stats(): WebhookStats {
    return {
      ...(this.settings === undefined ? {} : { url: this.settings.url }),
      delivered: this.delivered,
      failedAttempts: this.failedAttempts,
      dropped: this.dropped,
      pending: this.queue.size(),
      inFlight: this.inFlight.size,
      ...(this.lastError === undefined
        ? {}
        : { lastErrorDate: this.lastError.date, lastErrorMessage: this.lastError.message }),
      attempts: [...this.attemptLog],
    };
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const controller of this.inFlight.values()) controller.abort();
  }

  private pump(): void {
    const settings = this.settings;
    if (settings === undefined || this.closed) return;
    const now = this.options.now();
    const busyChats = new Set<string>();
    for (const entry of this.inFlight.keys()) busyChats.add(chatKey(entry.update));
    let earliestRetry: number | undefined;
    for (const entry of this.queue.entries()) {
      if (this.inFlight.size >= settings.maxConnections) break;
      const key = chatKey(entry.update);
      if (busyChats.has(key)) continue;
      busyChats.add(key);
      if (!isAllowed(entry.update, settings.allowedUpdates)) {
        this.queue.remove(entry);
        continue;
      }
      const due = this.retryAt.get(entry);
      if (due !== undefined && due > now) {
        earliestRetry = Math.min(earliestRetry ?? due, due);
        continue;
      }
      void this.deliver(entry, settings);
    }
    if (earliestRetry !== undefined) this.schedule(earliestRetry - now);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, delayMs),
    );
  }

  private async deliver(entry: QueuedUpdate, settings: WebhookSettings): Promise<void> {
    const update = entry.update;
    const controller = new AbortController();
    this.inFlight.set(entry, controller);
    const attempt = (this.attemptsOf.get(entry) ?? 0) + 1;
    this.attemptsOf.set(entry, attempt);
    const started = this.options.now();
    const timeout = setTimeout(
      () => controller.abort(new Error('Read timeout expired')),
      this.options.requestTimeoutMs,
    );
    let status: number | undefined;
    let error: string | undefined;
    let replyPayload: Record<string, unknown> | undefined;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (settings.secretToken !== undefined)
        headers['x-telegram-bot-api-secret-token'] = settings.secretToken;
      const response = await fetch(settings.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        signal: controller.signal,
      });
      status = response.status;
      const body = await response.text();
      if (status >= 200 && status < 300)
        replyPayload = webhookReply(response.headers.get('content-type'), body);
      else
        error = `Wrong response from the webhook: ${status} ${STATUS_CODES[status] ?? ''}`.trim();
    } catch (caught) {
      error = describeFetchError(caught, controller.signal);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(entry);
    }
    this.record({
      updateId: update.update_id,
      attempt,
      at: started,
      ...(status === undefined ? {} : { status }),
      ...(error === undefined ? {} : { error }),
      ...(settings.secretToken === undefined ? {} : { secretToken: settings.secretToken }),
      durationMs: this.options.now() - started,
    });
    if (this.closed) return;
    if (error === undefined) {
      this.delivered++;
      this.forget(entry);
      if (replyPayload !== undefined)
        await this.options.onWebhookReply(replyPayload).catch(() => undefined);
    } else {
      this.failedAttempts++;
      this.lastError = { date: Math.floor(this.options.now() / 1000), message: error };
      if (attempt >= this.options.maxAttempts) {
        this.dropped++;
        this.forget(entry);
      } else {
        const delays = this.options.retryDelaysMs;
        const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 1000;
        this.retryAt.set(entry, this.options.now() + delay);
      }
    }
    this.pump();
  }

  private forget(entry: QueuedUpdate): void {
    this.queue.remove(entry);
    this.attemptsOf.delete(entry);
    this.retryAt.delete(entry);
  }

  private record(attempt: WebhookAttempt): void {
    this.attemptLog.push(attempt);
    if (this.attemptLog.length > ATTEMPT_LOG_LIMIT) this.attemptLog.shift();
  }
}

/** Updates of one chat go out one after another; updates without a chat are unordered. */
function chatKey(update: Update): string {
  const message =
    update.message ??
    update.edited_message ??
    update.channel_post ??
    update.edited_channel_post ??
    update.callback_query?.message;
  if (message !== undefined) return `chat:${message.chat.id}`;
  const from =
    update.callback_query?.from ??
    update.my_chat_member?.from ??
    update.inline_query?.from ??
    update.pre_checkout_query?.from;
  return from === undefined ? `update:${update.update_id}` : `user:${from.id}`;
}

function webhookReply(
  contentType: string | null,
  body: string,
): Record<string, unknown> | undefined {
  if (!contentType?.includes('json') || body.trim() === '') return undefined;
  try {
    const payload: unknown = JSON.parse(body);
    if (
      typeof payload === 'object' &&
      payload !== null &&
      typeof (payload as { method?: unknown }).method === 'string'
    ) {
      return payload as Record<string, unknown>;
    }
  } catch {
    // Telegram ignores bodies it cannot read.
  }
  return undefined;
}

function describeFetchError(caught: unknown, signal: AbortSignal): string {
  if (signal.aborted)
    return signal.reason instanceof Error ? signal.reason.message : 'Read timeout expired';
  const cause = (caught as { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'Connection refused';
  return caught instanceof Error ? caught.message : String(caught);
}
