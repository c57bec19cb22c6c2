import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../ports/provider-error.js';
import { GenerationCommands } from '../commands/generation-commands.js';
import { generationStages } from '../domain/generation/stages.js';
import { UserCommands } from '../commands/user-commands.js';
import { PipelineWorld } from '../testing/pipeline/pipeline-world.js';
import { openPgWorld } from '../testing/pg-world.js';
import { skipWithoutPostgres } from '../testing/postgres.js';
import { Metrics } from './metrics.js';

/** The value of one series in a Prometheus text exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const skip = await skipWithoutPostgres('pipeline metrics (PostgreSQL)');

/** The real pipeline (fake providers, PostgreSQL) with the metrics hooks attached. */
describe.skipIf(skip)('pipeline metrics', () => {
  let world: PipelineWorld;
  const metrics = new Metrics({ defaultMetrics: false });

  beforeAll(async () => {
    const pg = await openPgWorld();
    world = await PipelineWorld.on(pg.store, pg.readModels, () => pg.close());
  });
  afterAll(async () => world?.close());

  it('counts a retried provider error, each stage that closes, and provider latency', async () => {
    const pipeline = world.pipeline({
      observer: metrics,
      users: new UserCommands({ store: world.store, observer: metrics.commands }),
      generations: new GenerationCommands({ store: world.store, observer: metrics.commands }),
      config: { maxAttempts: 3 },
    });
    world.providers.speech.script = [
      new ProviderError('429 slow down', { provider: 'fake-tts', kind: 'rate_limited' }),
    ];
    world.providers.talkingHead.script = [
      new Error('renderer crashed', {
        cause: new ProviderError('500', { provider: 'fake-head', kind: 'server' }),
      }),
    ];
    pipeline.start();
    const { generationId } = await world.request({ format: 'talking_head' });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();

    const text = (await metrics.render()).body;
    expect(sample(text, 'ugc_generation_stages_total{stage="tts",outcome="retry"}')).toBe(1);
    expect(sample(text, 'ugc_generation_stages_total{stage="video",outcome="retry"}')).toBe(1);
    expect(sample(text, 'ugc_provider_errors_total{provider="fake-tts",kind="rate_limited"}')).toBe(
      1,
    );
    expect(sample(text, 'ugc_provider_errors_total{provider="fake-head",kind="server"}')).toBe(1);
    for (const stage of ['tts', 'video', 'render', 'delivery']) {
      expect(
        sample(text, `ugc_generation_stages_total{stage="${stage}",outcome="ok"}`),
        stage,
      ).toBe(1);
    }
    // The label speaks the domain's stage vocabulary and nothing else.
    const labels = [...text.matchAll(/^ugc_generation_stages_total\{stage="([^"]+)"/gm)].map(
      (match) => match[1],
    );
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(generationStages, label).toContain(label);
    expect(
      sample(text, 'ugc_provider_duration_seconds_count{provider="fake-tts",stage="tts"}'),
    ).toBe(1);
    const generationEvents = await world.generationEventTypes(generationId);
    for (const type of new Set(generationEvents)) {
      expect(sample(text, `ugc_events_appended_total{type="${type}"}`), type).toBe(
        generationEvents.filter((candidate) => candidate === type).length,
      );
    }
    expect(
      sample(text, 'ugc_command_duration_seconds_count{command="CompleteGeneration",result="ok"}'),
    ).toBe(1);
  });
});
