import { ProviderError } from '../../../ports/provider-error.js';

/**
 * One lazily loaded model shared by every caller in the process, released after it has been idle
 * for `idleMs`: ISNet holds about a gigabyte once it has run, and a service needs it only for a
 * character it has not seen (reference masks are cached), so it should not keep it for good.
 */
export class SharedModel<M extends { release(): Promise<void> }> {
  private loading: Promise<M> | undefined;
  private users = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly load: () => Promise<M>,
    private readonly idleMs = 60_000,
    /**
     * Loading plus `work` past this rejects with `ModelTimeoutError`, so a caller can fall back
     * instead of waiting on an inference that never ends. In-process native work cannot be
     * cancelled: it runs on, and the model is not released before it has finished.
     */
    private readonly timeoutMs?: number,
  ) {}

  /** Runs `work` with the model, loading it first if needed. A failed load is not cached. */
  async use<T>(work: (model: M) => Promise<T>): Promise<T> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.users++;
    const running = (async () => {
      this.loading ??= this.load();
      let model: M;
      try {
        model = await this.loading;
      } catch (error) {
        this.loading = undefined;
        throw error;
      }
      return work(model);
    })();
    const finished = running.then(
      () => undefined,
      () => undefined,
    );
    void finished.then(() => {
      this.users--;
      if (this.users === 0 && this.loading) this.scheduleRelease();
    });
    if (this.timeoutMs === undefined) return running;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ModelTimeoutError(this.timeoutMs!)), this.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([running, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private scheduleRelease(): void {
    const loaded = this.loading;
    this.timer = setTimeout(() => {
      if (this.users > 0 || this.loading !== loaded) return;
      this.loading = undefined;
      void loaded?.then((model) => model.release()).catch(() => undefined);
    }, this.idleMs);
    this.timer.unref();
  }
}

/** The model did not answer in time; the caller falls back (the work itself runs on to its end). */
export class ModelTimeoutError extends ProviderError {
  override readonly name: string = 'ModelTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the segmentation model did not answer within ${Math.round(timeoutMs / 1000)} s`, {
      provider: 'local-segmentation',
      kind: 'timeout',
      namedInMessage: true,
    });
  }
}
