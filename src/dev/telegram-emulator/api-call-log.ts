export interface ApiCallRecord {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly at: number;
  readonly durationMs: number;
  readonly ok: boolean;
  /** A request of its own, or a method named in the reply to a webhook delivery. */
  readonly via: 'request' | 'webhook-reply';
  readonly errorCode?: number;
  readonly description?: string;
}

const LIMIT = 5000;

/**
 * Every Bot API call the bot made, so tests can assert on traffic and timeouts can explain
 * themselves.
 */
export class ApiCallLog {
  private readonly records: ApiCallRecord[] = [];

  add(record: ApiCallRecord): void {
    this.records.push(record);
    if (this.records.length > LIMIT) this.records.shift();
  }

  list(method?: string): ApiCallRecord[] {
    if (method === undefined) return [...this.records];
    const wanted = method.toLowerCase();
    return this.records.filter((record) => record.method.toLowerCase() === wanted);
  }

  failures(): ApiCallRecord[] {
    return this.records.filter((record) => !record.ok);
  }
}
