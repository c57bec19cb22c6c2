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
  ) {}

  /** Runs `work` with the model, loading it first if needed. A failed load is not cached. */
  async use<T>(work: (model: M) => Promise<T>): Promise<T> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.users++;
    try {
      this.loading ??= this.load();
      let model: M;
      try {
        model = await this.loading;
      } catch (error) {
        this.loading = undefined;
        throw error;
      }
      return await work(model);
    } finally {
      this.users--;
      if (this.users === 0 && this.loading) this.scheduleRelease();
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
