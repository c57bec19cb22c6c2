import { BotApiError, serverError, tooManyRequests } from './bot-api-error.js';

export type Fault =
  /** 429 with parameters.retry_after, as flood control answers. */
  | { readonly kind: 'flood'; readonly retryAfter: number }
  /** A 5xx envelope. */
  | { readonly kind: 'server-error'; readonly status: 500 | 502 | 503 | 504 }
  /**
   * The socket is destroyed without an answer, before the method runs: grammY sees an HttpError.
   */
  | { readonly kind: 'drop-connection' }
  /**
   * The method runs (the message is in the chat, the file stored), then the socket is destroyed
   * without an answer: a reset after a large upload. grammY sees an HttpError for what succeeded.
   */
  | { readonly kind: 'lose-answer' }
  /** Any other envelope, e.g. 403 "Forbidden: bot was blocked by the user". */
  | { readonly kind: 'error'; readonly errorCode: number; readonly description: string };

interface Armed {
  readonly fault: Fault;
  remaining: number;
}

/**
 * Makes the next N calls of a method fail. Faults are consumed per call in the order they were
 * armed; method "*" matches every method.
 */
export class FaultInjector {
  private readonly armed = new Map<string, Armed[]>();

  inject(method: string, fault: Fault, times = 1): void {
    const key = method.toLowerCase();
    const list = this.armed.get(key) ?? [];
    list.push({ fault, remaining: times });
    this.armed.set(key, list);
  }

  clear(): void {
    this.armed.clear();
  }

  take(method: string): Fault | undefined {
    return this.takeFrom(method.toLowerCase()) ?? this.takeFrom('*');
  }

  private takeFrom(key: string): Fault | undefined {
    const list = this.armed.get(key);
    const first = list?.[0];
    if (list === undefined || first === undefined) return undefined;
    first.remaining--;
    if (first.remaining <= 0) list.shift();
    return first.fault;
  }
}

export function faultError(
  fault: Exclude<Fault, { kind: 'drop-connection' | 'lose-answer' }>,
): BotApiError {
  switch (fault.kind) {
    case 'flood':
      return tooManyRequests(fault.retryAfter);
    case 'server-error':
      return serverError(fault.status);
    case 'error':
      return new BotApiError(fault.errorCode, fault.description);
  }
}
