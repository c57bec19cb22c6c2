/** Everything a run does, from the environment; fixed operation counts keep a run bounded. */
export interface BenchConfig {
  readonly serverUrl: string;
  readonly maxConnections: number;
  readonly streamsPerWriter: number;
  readonly writerCounts: readonly number[];
  readonly batchSizes: readonly number[];
  /** Appends per cell, by writers then batch size. */
  readonly appendsPerCell: (writers: number, batchSize: number) => number;
  /**
   * How many times each cell runs its mirrored order (ours, raw, emmett, emmett, raw, ours), the
   * appends split evenly.
   */
  readonly appendRoundPairs: number;
  readonly warmupAppends: number;
  readonly catchUpEvents: number;
  readonly catchUpBatchSize: number;
  readonly preloadEventsPerAppend: number;
  readonly deliveryCheck: boolean;
  readonly catchUp: boolean;
}

const numberFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
};

const listFromEnv = (name: string, fallback: readonly number[]): readonly number[] => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return raw.split(',').map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`${name} must list positive integers, got ${JSON.stringify(raw)}`);
    return value;
  });
};

/**
 * BENCH_DATABASE_URL (server; a fresh database is created per store), BENCH_SCALE (multiplies
 * every operation count; 0.1 for a smoke run), BENCH_CATCHUP_EVENTS, BENCH_CATCHUP_BATCH,
 * BENCH_MAX_CONNECTIONS, BENCH_APPEND_ROUND_PAIRS, BENCH_DELIVERY_CHECK=0 to skip the delivery
 * check, BENCH_CATCHUP=0 to skip
 * preload and catch-up, BENCH_WRITERS and BENCH_BATCH_SIZES (comma lists) to run only some append
 * cells.
 */
export function benchConfigFromEnv(): BenchConfig {
  const scale = numberFromEnv('BENCH_SCALE', 1);
  const scaled = (count: number) => Math.max(10, Math.round(count * scale));
  const appends: Record<string, number> = {
    '1x1': 600,
    '1x10': 400,
    '8x1': 2500,
    '8x10': 1000,
    '32x1': 4000,
    '32x10': 2000,
  };
  const preloadEventsPerAppend = 100;
  const catchUpEvents =
    Math.ceil(numberFromEnv('BENCH_CATCHUP_EVENTS', scaled(200_000)) / preloadEventsPerAppend) *
    preloadEventsPerAppend;
  return {
    serverUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    maxConnections: numberFromEnv('BENCH_MAX_CONNECTIONS', 40),
    streamsPerWriter: 8,
    writerCounts: listFromEnv('BENCH_WRITERS', [1, 8, 32]),
    batchSizes: listFromEnv('BENCH_BATCH_SIZES', [1, 10]),
    appendsPerCell: (writers, batchSize) => scaled(appends[`${writers}x${batchSize}`] ?? 1000),
    appendRoundPairs: Math.round(numberFromEnv('BENCH_APPEND_ROUND_PAIRS', 2)),
    warmupAppends: scaled(400),
    catchUpEvents,
    // Same for both stores. Emmett's default is 100, ours 500; Emmett reads each batch with a
    // sequential scan, so its catch-up time falls roughly with the batch count.
    catchUpBatchSize: numberFromEnv('BENCH_CATCHUP_BATCH', 1000),
    preloadEventsPerAppend,
    deliveryCheck: process.env.BENCH_DELIVERY_CHECK !== '0',
    catchUp: process.env.BENCH_CATCHUP !== '0',
  };
}
