/**
 * What one `npm run bench:journey` does, from the environment; the defaults fit ~5 minutes on 2
 * cores.
 */
export interface JourneyConfig {
  readonly serverUrl: string;
  /** Timed generations per format (after one warm-up each). */
  readonly runs: number;
  /** Simulated users per subject in the timed wizard cohorts (split into two ABBA halves). */
  readonly wizardUsers: number;
  readonly warmupUsers: number;
  readonly phases: ReadonlySet<'wizard' | 'generation'>;
  /** Delivery deadline of one generation. */
  readonly generationTimeoutMs: number;
  /** Kept for inspection instead of removed (the databases are always dropped). */
  readonly keepFiles: boolean;
}

const positive = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
};

/**
 * BENCH_DATABASE_URL (server; fresh databases are created and dropped), JOURNEY_RUNS (5),
 * JOURNEY_USERS (100), JOURNEY_WARMUP_USERS (50, as many as one timed half), JOURNEY_PHASES
 * (wizard,generation),
 * JOURNEY_KEEP_FILES=1 keeps the temp folder (videos, service log).
 */
export function journeyConfigFromEnv(): JourneyConfig {
  const phases = new Set(
    (process.env.JOURNEY_PHASES ?? 'wizard,generation').split(',').map((phase) => phase.trim()),
  );
  for (const phase of phases)
    if (phase !== 'wizard' && phase !== 'generation')
      throw new Error(`JOURNEY_PHASES: unknown phase "${phase}"`);
  const wizardUsers = positive('JOURNEY_USERS', 100);
  return {
    serverUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    runs: positive('JOURNEY_RUNS', 5),
    wizardUsers: wizardUsers + (wizardUsers % 2),
    warmupUsers: positive('JOURNEY_WARMUP_USERS', 50),
    phases: phases as ReadonlySet<'wizard' | 'generation'>,
    generationTimeoutMs: positive('JOURNEY_GENERATION_TIMEOUT_MS', 120_000),
    keepFiles: process.env.JOURNEY_KEEP_FILES === '1',
  };
}
