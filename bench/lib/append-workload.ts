import { benchEvents } from './event-payload.js';
import { summarizeLatencies, type LatencySummary } from './percentiles.js';
import type { AppendSubject, BenchSubject } from './subject.js';

export interface AppendCell {
  /** Unique per run and subject, so every cell starts on fresh streams. */
  readonly id: string;
  readonly writers: number;
  readonly batchSize: number;
  readonly appends: number;
  readonly streamsPerWriter: number;
  /**
   * Untimed appends with the same writers right before the timed ones, on other streams: every
   * pooled connection the cell needs is open (pg.Pool drops idle ones after 10 s) and has its
   * plans and PL/pgSQL functions cached, so the cell measures steady state, not connection setup.
   */
  readonly warmupAppends: number;
}

export interface AppendCellResult {
  readonly appends: number;
  readonly events: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
  readonly appendsPerSecond: number;
  readonly latencyMs: LatencySummary;
  /** Every append's latency, so rounds can be merged before taking percentiles. */
  readonly latencySamplesMs: Float64Array;
}

/**
 * Several rounds of one cell as if they were one run: times add up, percentiles over all samples.
 */
export function mergeRounds(rounds: readonly AppendCellResult[]): AppendCellResult {
  const appends = rounds.reduce((sum, round) => sum + round.appends, 0);
  const events = rounds.reduce((sum, round) => sum + round.events, 0);
  const elapsedMs = rounds.reduce((sum, round) => sum + round.elapsedMs, 0);
  const samples = new Float64Array(appends);
  let offset = 0;
  for (const round of rounds) {
    samples.set(round.latencySamplesMs, offset);
    offset += round.latencySamplesMs.length;
  }
  return {
    appends,
    events,
    elapsedMs,
    eventsPerSecond: (events * 1000) / elapsedMs,
    appendsPerSecond: (appends * 1000) / elapsedMs,
    latencyMs: summarizeLatencies(samples),
    latencySamplesMs: samples,
  };
}

/**
 * The command-handler pattern: `writers` concurrent loops, each owning `streamsPerWriter` streams
 * and appending round-robin with the exact version its previous append returned. A shared counter
 * hands out exactly `appends` appends; payloads are built before each append's clock starts.
 */
export async function runAppendCell(
  subject: AppendSubject,
  cell: AppendCell,
): Promise<AppendCellResult> {
  if (cell.warmupAppends > 0) {
    await runAppendCell(subject, {
      ...cell,
      id: `${cell.id}-warm`,
      appends: cell.warmupAppends,
      warmupAppends: 0,
    });
  }
  const latencies = new Float64Array(cell.appends);
  let issued = 0;
  const writer = async (writerIndex: number): Promise<void> => {
    const streams = Array.from({ length: cell.streamsPerWriter }, (_, streamIndex) => ({
      name: `generation-${cell.id}-w${writerIndex}-s${streamIndex}`,
      version: undefined as bigint | undefined,
    }));
    for (let turn = 0; ; turn += 1) {
      const index = issued++;
      if (index >= cell.appends) return;
      const stream = streams[turn % streams.length]!;
      const events = benchEvents(cell.batchSize, index * cell.batchSize);
      const started = performance.now();
      stream.version = await subject.append(stream.name, events, stream.version);
      latencies[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: cell.writers }, (_, writerIndex) => writer(writerIndex)));
  const elapsedMs = performance.now() - started;
  const events = cell.appends * cell.batchSize;
  return {
    appends: cell.appends,
    events,
    elapsedMs,
    eventsPerSecond: (events * 1000) / elapsedMs,
    appendsPerSecond: (cell.appends * 1000) / elapsedMs,
    latencyMs: summarizeLatencies(latencies),
    latencySamplesMs: latencies,
  };
}

export interface PreloadResult {
  readonly events: number;
  readonly streams: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

/**
 * Fills the store for the catch-up: `streams` new streams of `eventsPerStream` events, one append
 * each, `concurrency` appends in flight.
 */
export async function preload(
  subject: BenchSubject,
  options: { streams: number; eventsPerStream: number; concurrency: number; prefix: string },
): Promise<PreloadResult> {
  let next = 0;
  const loader = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= options.streams) return;
      await subject.append(
        `generation-${options.prefix}-${index}`,
        benchEvents(options.eventsPerStream, index * options.eventsPerStream),
        undefined,
      );
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, () => loader()));
  const elapsedMs = performance.now() - started;
  const events = options.streams * options.eventsPerStream;
  return {
    events,
    streams: options.streams,
    elapsedMs,
    eventsPerSecond: (events * 1000) / elapsedMs,
  };
}
