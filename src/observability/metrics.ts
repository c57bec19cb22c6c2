import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CommandObserver, CommandResultKind } from '../commands/command-observer.js';
import { isProviderError } from '../ports/provider-error.js';
import { stageEndedBy, type WorkStage } from '../domain/generation/stages.js';

/**
 * Seconds buckets from 5 ms to 20 min: commands take milliseconds, talking-head renders minutes.
 */
const LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200,
];

export interface ProjectionLagSample {
  readonly projection: string;
  readonly events: number;
  readonly seconds: number;
}

/**
 * The service's Prometheus metrics on their own registry (so tests and several services in one
 * process never share series), with small hooks the rest of the code calls.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly updates: Counter<'type'>;
  private readonly commandSeconds: Histogram<'command' | 'result'>;
  private readonly eventsAppended: Counter<'type'>;
  private readonly generationStages: Counter<'stage' | 'outcome'>;
  private readonly providerSeconds: Histogram<'provider' | 'stage'>;
  private readonly providerErrors: Counter<'provider' | 'kind'>;
  private readonly lagEvents: Gauge<'projection'>;
  private readonly lagSeconds: Gauge<'projection'>;
  private lagSource: (() => Promise<readonly ProjectionLagSample[]>) | undefined;

  constructor(options: { readonly defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.updates = new Counter({
      name: 'ugc_telegram_updates_total',
      help: 'Telegram updates handled, by update type',
      labelNames: ['type'],
      registers,
    });
    this.commandSeconds = new Histogram({
      name: 'ugc_command_duration_seconds',
      help: 'Command handling time (load, decide, append), by command and result',
      labelNames: ['command', 'result'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.eventsAppended = new Counter({
      name: 'ugc_events_appended_total',
      help: 'Events appended to the event store, by event type',
      labelNames: ['type'],
      registers,
    });
    this.generationStages = new Counter({
      name: 'ugc_generation_stages_total',
      help: 'Generation stage outcomes: ok, rejected, abandoned (a video the messenger would not take), failed (recorded failure) or retry (a step failed and will be retried)',
      labelNames: ['stage', 'outcome'],
      registers,
    });
    this.providerSeconds = new Histogram({
      name: 'ugc_provider_duration_seconds',
      help: 'Provider work time per stage, as recorded in the generation events',
      labelNames: ['provider', 'stage'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.providerErrors = new Counter({
      name: 'ugc_provider_errors_total',
      help: 'Provider errors, by provider and error kind',
      labelNames: ['provider', 'kind'],
      registers,
    });
    // Lag is read from the checkpoints when Prometheus scrapes, not pushed by the runners, so a
    // stuck runner shows as growing lag instead of a frozen number.
    // prom-client calls collect() with the gauge as `this`, so the closures need their own name for
    // ours.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const metrics = this;
    let cached: { at: number; samples: Promise<readonly ProjectionLagSample[]> } | undefined;
    const samplesForScrape = () => {
      // Both lag gauges collect in the same scrape: one read of the checkpoints serves both.
      if (!cached || performance.now() - cached.at > 500) {
        cached = {
          at: performance.now(),
          samples: (metrics.lagSource ? metrics.lagSource() : Promise.resolve([])).catch(() => []),
        };
        // A failed read leaves the gauges at their last values; /readyz reports the failure itself.
      }
      return cached.samples;
    };
    this.lagEvents = new Gauge({
      name: 'ugc_projection_lag_events',
      help: 'Events in the log after the projection checkpoint',
      labelNames: ['projection'],
      registers,
      async collect() {
        for (const sample of await samplesForScrape())
          this.set({ projection: sample.projection }, sample.events);
      },
    });
    this.lagSeconds = new Gauge({
      name: 'ugc_projection_lag_seconds',
      help: 'Age in seconds of the oldest event the projection has not applied (0 when caught up)',
      labelNames: ['projection'],
      registers,
      async collect() {
        for (const sample of await samplesForScrape())
          this.set({ projection: sample.projection }, sample.seconds);
      },
    });
  }

  /** Where projection lag comes from at scrape time (see `projectionLag`). */
  trackProjectionLag(source: () => Promise<readonly ProjectionLagSample[]>): void {
    this.lagSource = source;
  }

  countUpdate(type: string): void {
    this.updates.inc({ type });
  }

  observeCommand(command: string, durationMs: number, result: CommandResultKind = 'ok'): void {
    this.commandSeconds.observe({ command, result }, durationMs / 1000);
  }

  countEvent(type: string, count = 1): void {
    this.eventsAppended.inc({ type }, count);
  }

  countGenerationStage(stage: string, outcome: string): void {
    this.generationStages.inc({ stage, outcome });
  }

  observeProvider(provider: string, stage: string, durationMs: number): void {
    this.providerSeconds.observe({ provider, stage }, durationMs / 1000);
  }

  countProviderError(provider: string, kind: string): void {
    this.providerErrors.inc({ provider, kind });
  }

  /**
   * A pipeline step failed: a retry or a recorded failure of `stage`. Provider errors also count
   * by provider and kind (the recorded GenerationFailed event counts the failure itself).
   */
  stepFailed(stage: WorkStage, error: unknown, willRetry: boolean): void {
    if (willRetry) this.countGenerationStage(stage, 'retry');
    // Stages may wrap a provider's error; the first ProviderError in the cause chain names it.
    let cause: unknown = error;
    for (let depth = 0; depth < 5 && cause instanceof Error; depth += 1, cause = cause.cause) {
      if (isProviderError(cause)) {
        this.countProviderError(cause.provider, cause.kind);
        return;
      }
    }
  }

  /** Hooks for `CommandHandlerOptions.observer`: latency, events appended, stage outcomes. */
  readonly commands: CommandObserver = {
    commandHandled: ({ command, durationMs, result }) =>
      this.observeCommand(command, durationMs, result),
    eventsAppended: (events) => {
      for (const event of events) {
        this.countEvent(event.type);
        this.observeGenerationEvent(event.type, event.data);
      }
    },
  };

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private observeGenerationEvent(type: string, data: unknown): void {
    const record = (data ?? {}) as { provider?: unknown; elapsedMs?: unknown; stage?: unknown };
    if (type === 'GenerationFailed') {
      this.countGenerationStage(
        typeof record.stage === 'string' ? record.stage : 'unknown',
        'failed',
      );
      return;
    }
    const closes = stageEndedBy[type as keyof typeof stageEndedBy];
    if (!closes) return;
    this.countGenerationStage(closes.stage, closes.outcome);
    if (typeof record.provider === 'string' && typeof record.elapsedMs === 'number')
      this.observeProvider(record.provider, closes.stage, record.elapsedMs);
  }
}
