interface Pending<Request, Result> {
  readonly request: Request;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Gathers the requests made in one turn of the event loop and sends them as one query. Under load
 * many updates reach the bot together (Telegram delivers them in bursts, and one turn parses
 * several webhook requests), and each reads its sender's stream or appends to it: one round trip,
 * and for appends one commit, for all of them, where each would cost its own. A lone request goes
 * out as it is. The wait is no timer: the batch leaves at the end of the turn that asked for it.
 */
export class TurnBatch<Request, Result> {
  private pending: Pending<Request, Result>[] = [];

  constructor(
    private readonly one: (request: Request) => Promise<Result>,
    /** Answers every request, in the order given. */
    private readonly many: (requests: readonly Request[]) => Promise<readonly Result[]>,
  ) {}

  run(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ request, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const [only] = batch;
    if (batch.length === 1 && only) {
      this.one(only.request).then(only.resolve, only.reject);
      return;
    }
    this.many(batch.map((pending) => pending.request)).then(
      (results) => batch.forEach((pending, index) => pending.resolve(results[index]!)),
      (error: unknown) => batch.forEach((pending) => pending.reject(error)),
    );
  }
}
