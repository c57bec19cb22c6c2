import type { CallbackQuery } from 'grammy/types';
import { badRequest } from './bot-api-error.js';

export interface CallbackAnswer {
  readonly queryId: string;
  readonly data?: string;
  readonly messageId?: number;
  readonly text?: string;
  readonly showAlert: boolean;
  readonly url?: string;
  readonly cacheTime?: number;
  /** How long the bot took to answer; Telegram gives up after roughly 15 s. */
  readonly latencyMs: number;
}

interface PendingQuery {
  readonly query: CallbackQuery;
  readonly at: number;
  answer?: CallbackAnswer;
  readonly waiters: Array<(answer: CallbackAnswer) => void>;
}

/**
 * Callback queries users sent and the bot's answers. A query may be answered once, within the
 * deadline; anything else gets Telegram's "query is too old" 400.
 */
export class CallbackQueries {
  private readonly queries = new Map<string, PendingQuery>();
  private readonly answered: CallbackAnswer[] = [];
  private counter = 0;

  constructor(
    private readonly now: () => number,
    private readonly answerDeadlineMs: number,
  ) {}

  nextId(userId: number): string {
    // Real ids are large decimal strings; uniqueness is all that matters here.
    return `${BigInt(userId) * 1_000_000n + BigInt(++this.counter)}`;
  }

  register(query: CallbackQuery): void {
    this.queries.set(query.id, { query, at: this.now(), waiters: [] });
  }

  answer(
    queryId: string,
    reply: { text?: string; showAlert: boolean; url?: string; cacheTime?: number },
  ): CallbackAnswer {
    const pending = this.queries.get(queryId);
    const latencyMs = pending === undefined ? 0 : this.now() - pending.at;
    if (
      pending === undefined ||
      pending.answer !== undefined ||
      latencyMs > this.answerDeadlineMs
    ) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    const message = pending.query.message;
    const answer: CallbackAnswer = {
      queryId,
      ...(pending.query.data === undefined ? {} : { data: pending.query.data }),
      ...(message === undefined ? {} : { messageId: message.message_id }),
      ...(reply.text === undefined ? {} : { text: reply.text }),
      showAlert: reply.showAlert,
      ...(reply.url === undefined ? {} : { url: reply.url }),
      ...(reply.cacheTime === undefined ? {} : { cacheTime: reply.cacheTime }),
      latencyMs,
    };
    pending.answer = answer;
    this.answered.push(answer);
    for (const waiter of pending.waiters.splice(0)) waiter(answer);
    return answer;
  }

  answers(): CallbackAnswer[] {
    return [...this.answered];
  }

  /** Resolves with the answer to `queryId`; rejects after `timeoutMs`. */
  waitForAnswer(queryId: string, timeoutMs: number): Promise<CallbackAnswer> {
    const pending = this.queries.get(queryId);
    if (pending === undefined)
      return Promise.reject(new Error(`unknown callback query ${queryId}`));
    if (pending.answer !== undefined) return Promise.resolve(pending.answer);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = pending.waiters.indexOf(onAnswer);
        if (index >= 0) pending.waiters.splice(index, 1);
        reject(
          new Error(
            `the bot did not answer callback query ${queryId} (data ${JSON.stringify(pending.query.data)}) within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const onAnswer = (answer: CallbackAnswer): void => {
        clearTimeout(timer);
        resolve(answer);
      };
      pending.waiters.push(onAnswer);
    });
  }
}
