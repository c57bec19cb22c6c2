import type { PreCheckoutQuery } from 'grammy/types';
import { badRequest } from './bot-api-error.js';

export interface PreCheckoutAnswer {
  readonly queryId: string;
  readonly userId: number;
  readonly invoicePayload: string;
  readonly ok: boolean;
  readonly errorMessage?: string;
  /** How long the bot took; Telegram cancels the purchase after 10 s. */
  readonly latencyMs: number;
}

/** One query as the user lived it, for transcripts. */
export interface PreCheckoutRecord {
  readonly query: PreCheckoutQuery;
  readonly answer?: PreCheckoutAnswer;
  readonly expired: boolean;
}

export type PreCheckoutResult =
  { readonly kind: 'answered'; readonly answer: PreCheckoutAnswer } | { readonly kind: 'expired' };

interface PendingQuery {
  readonly query: PreCheckoutQuery;
  readonly at: number;
  answer?: PreCheckoutAnswer;
  expired: boolean;
  readonly waiters: Array<(result: PreCheckoutResult) => void>;
}

/**
 * Pre-checkout queries sent to the bot and its answers. A query may be answered once, before
 * the deadline; a second or late answer gets the same 400 Telegram gives for callback queries
 * (the Bot API maps QUERY_ID_INVALID to it for both).
 */
export class PreCheckoutQueries {
  private readonly queries = new Map<string, PendingQuery>();
  private readonly answered: PreCheckoutAnswer[] = [];
  private counter = 0;

  constructor(
    private readonly now: () => number,
    readonly deadlineMs: number,
    private readonly closed: AbortSignal,
  ) {}

  nextId(userId: number): string {
    // Real ids are large decimal strings; the user id prefix keeps them unique across users.
    return `${BigInt(userId) * 1_000_000n + 500_000n + BigInt(++this.counter)}`;
  }

  register(query: PreCheckoutQuery): void {
    this.queries.set(query.id, { query, at: this.now(), expired: false, waiters: [] });
  }

  answer(queryId: string, reply: { ok: boolean; errorMessage?: string }): PreCheckoutAnswer {
    const pending = this.queries.get(queryId);
    const latencyMs = pending === undefined ? 0 : this.now() - pending.at;
    if (
      pending === undefined ||
      pending.answer !== undefined ||
      pending.expired ||
      latencyMs > this.deadlineMs
    ) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    const answer: PreCheckoutAnswer = {
      queryId,
      userId: pending.query.from.id,
      invoicePayload: pending.query.invoice_payload,
      ok: reply.ok,
      ...(reply.ok || reply.errorMessage === undefined ? {} : { errorMessage: reply.errorMessage }),
      latencyMs,
    };
    pending.answer = answer;
    this.answered.push(answer);
    for (const waiter of pending.waiters.splice(0)) waiter({ kind: 'answered', answer });
    return answer;
  }

  answers(): PreCheckoutAnswer[] {
    return [...this.answered];
  }

  /** A user's queries in the order they were sent. */
  ofUser(userId: number): PreCheckoutRecord[] {
    return [...this.queries.values()]
      .filter((pending) => pending.query.from.id === userId)
      .map(({ query, answer, expired }) => ({
        query,
        expired,
        ...(answer === undefined ? {} : { answer }),
      }));
  }

  /**
   * The bot's answer, or `expired` once the deadline passes unanswered (or the emulator closes):
   * from then on the query is dead and a late answer is refused.
   */
  waitForAnswer(queryId: string): Promise<PreCheckoutResult> {
    const pending = this.queries.get(queryId);
    if (pending === undefined)
      return Promise.reject(new Error(`unknown pre-checkout query ${queryId}`));
    if (pending.answer !== undefined)
      return Promise.resolve({ kind: 'answered', answer: pending.answer });
    if (pending.expired) return Promise.resolve({ kind: 'expired' });
    return new Promise((resolve) => {
      const expire = (): void => {
        const index = pending.waiters.indexOf(onAnswer);
        if (index >= 0) pending.waiters.splice(index, 1);
        this.closed.removeEventListener('abort', expire);
        clearTimeout(timer);
        if (pending.answer !== undefined)
          return resolve({ kind: 'answered', answer: pending.answer });
        pending.expired = true;
        resolve({ kind: 'expired' });
      };
      const onAnswer = (result: PreCheckoutResult): void => {
        clearTimeout(timer);
        this.closed.removeEventListener('abort', expire);
        resolve(result);
      };
      const timer = setTimeout(expire, Math.max(0, pending.at + this.deadlineMs - this.now()));
      pending.waiters.push(onAnswer);
      this.closed.addEventListener('abort', expire, { once: true });
    });
  }
}
