export interface RateLimit {
  /** Updates a key may send at once. */
  readonly capacity: number;
  /** Tokens regained per second. */
  readonly refillPerSec: number;
}

export type TakeResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly retryAfterSec: number;
      /**
       * True when the sender should hear about it: once per notice interval, not per dropped
       * update.
       */
      readonly notify: boolean;
    };

interface Bucket {
  tokens: number;
  at: number;
  noticeAt: number | null;
}

/**
 * Token buckets per key (a user id), bounded in number: the least recently used key is dropped
 * first. Flood control is protection, not state: losing it on restart is harmless.
 */
export class TokenBuckets {
  private readonly buckets = new Map<number, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
    private readonly maxKeys = 50_000,
    private readonly noticeIntervalMs = 10_000,
  ) {}

  take(key: number): TakeResult {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? {
      tokens: this.limit.capacity,
      at: now,
      noticeAt: null,
    };
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    bucket.tokens = Math.min(
      this.limit.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.limit.refillPerSec,
    );
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    const notify = bucket.noticeAt === null || now - bucket.noticeAt >= this.noticeIntervalMs;
    if (notify) bucket.noticeAt = now;
    return {
      ok: false,
      retryAfterSec: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.refillPerSec)),
      notify,
    };
  }
}

/** A bounded set that forgets the oldest entries first. */
export class RecentSet<T> {
  private readonly items = new Set<T>();

  constructor(private readonly capacity: number) {}

  /** Adds the item; false when it was already there. */
  add(item: T): boolean {
    if (this.items.has(item)) return false;
    this.items.add(item);
    if (this.items.size > this.capacity) {
      const oldest = this.items.values().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    return true;
  }

  has(item: T): boolean {
    return this.items.has(item);
  }
}
