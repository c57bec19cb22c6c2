import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../ports/provider-error.js';
import { GenerationCommands } from '../commands/generation-commands.js';
import { UserCommands } from '../commands/user-commands.js';
import { startGenerationFrom, type GenerationCommand } from '../domain/generation/commands.js';
import type { UserCommand } from '../domain/user/commands.js';
import { createHttpServer } from '../http/http-server.js';
import { allProjections } from '../projections/definitions/all-projections.js';
import { ProjectionSet } from '../projections/projection-set.js';
import { openPgWorld, silentLogger, type PgWorld } from '../testing/pg-world.js';
import { skipWithoutPostgres } from '../testing/postgres.js';
import { settledHead } from '../testing/seed-activity.js';
import { Metrics } from './metrics.js';
import { registerMetricsRoute } from './metrics-route.js';
import { projectionLag } from './projection-lag.js';
import { readinessChecks } from './readiness-checks.js';

const skip = await skipWithoutPostgres('metrics and readiness (PostgreSQL)');
const projectionNames = allProjections.map((projection) => projection.name);

/** The value of one series in a Prometheus text exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

describe.skipIf(skip)('metrics and readiness', () => {
  let world: PgWorld;
  let metrics: Metrics;
  let url: string;
  let close: () => Promise<void>;
  let eventsWritten = 0;

  beforeAll(async () => {
    world = await openPgWorld();
    metrics = new Metrics();
    metrics.trackProjectionLag(() =>
      projectionLag({ store: world.store, db: world.readModels.db, projections: projectionNames }),
    );
    const app = createHttpServer({
      log: silentLogger,
      readiness: readinessChecks({
        store: world.store,
        db: world.readModels.db,
        projections: projectionNames,
        maxProjectionLag: 5,
        storage: { exists: async () => false },
      }),
    });
    await registerMetricsRoute(app, metrics);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    close = async () => {
      await app.close();
      await world.close();
    };

    // Activity through the real command handlers with the metrics hooks attached.
    const telegramId = 777_001;
    const users = new UserCommands({ store: world.store, observer: metrics.commands });
    const generations = new GenerationCommands({ store: world.store, observer: metrics.commands });
    const actor = { kind: 'user' as const, id: String(telegramId) };
    const run = async (command: UserCommand) => {
      const outcome = await users.execute(telegramId, command, { commandId: randomUUID(), actor });
      if (outcome.ok && !outcome.duplicate) eventsWritten += outcome.events.length;
      return outcome;
    };
    await run({
      type: 'RegisterUser',
      telegramId,
      username: 'm',
      firstName: 'M',
      language: 'en',
      welcomeCredits: 3,
      grantId: `welcome-${telegramId}`,
    });
    await run({ type: 'SelectFormat', format: 'talking_head' });
    await run({ type: 'ChooseCharacterGender', gender: 'female' });
    await run({
      type: 'SelectCharacter',
      characterId: 'c-1',
      gender: 'female',
      age: 'young',
      imageKey: 'catalog/c-1.png',
    });
    await run({ type: 'SelectVoice', voiceId: 'en-f', provider: 'espeak-ng' });
    await run({ type: 'WriteScript', text: 'Buy it now!', maxLength: 1000 });
    const generationId = randomUUID();
    const requested = await run({ type: 'RequestGeneration', generationId, cost: 1 });
    const request = requested.ok
      ? requested.events.find((event) => event.type === 'GenerationRequested')
      : undefined;
    if (!request || request.type !== 'GenerationRequested')
      throw new Error('the generation request was refused');
    const step = async (command: GenerationCommand) => {
      const outcome = await generations.execute(generationId, command, {
        commandId: randomUUID(),
        actor: { kind: 'system', id: 'pipeline' },
      });
      if (!outcome.ok) throw new Error(`${command.type} rejected`);
      eventsWritten += outcome.events.length;
    };
    await step(startGenerationFrom(telegramId, request.data, new Date().toISOString()));
    await step({
      type: 'RecordAudio',
      audioKey: 'gen/a.wav',
      durationSec: 6,
      maxDurationSec: 15,
      provider: 'espeak-ng',
      elapsedMs: 120,
      words: [],
    });
    await step({
      type: 'FailGeneration',
      stage: 'video',
      reason: 'renderer crashed',
      retryable: false,
    });
    // A refused command is timed too.
    const refused = await run({
      type: 'RevokeCredits',
      amount: 500,
      reason: 'too much',
      revokeId: randomUUID(),
    });
    expect(refused.ok).toBe(false);
    metrics.stepFailed(
      'video',
      new ProviderError('busy', { provider: 'fal-ai', kind: 'rate_limited' }),
      true,
    );
    metrics.stepFailed(
      'tts',
      new Error('speech failed', {
        cause: new ProviderError('down', { provider: 'elevenlabs', kind: 'server' }),
      }),
      false,
    );
    metrics.stepFailed('tts', new Error('disk full'), false);
    metrics.countUpdate('message');
  });
  afterAll(async () => close?.());

  it('/metrics exposes every series with values after activity', async () => {
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'ugc_events_appended_total{type="UserRegistered"}')).toBe(1);
    expect(sample(text, 'ugc_events_appended_total{type="CreditsGranted"}')).toBe(1);
    expect(sample(text, 'ugc_events_appended_total{type="GenerationFailed"}')).toBe(1);
    let appended = 0;
    for (const line of text.split('\n'))
      if (line.startsWith('ugc_events_appended_total{')) appended += Number(line.split(' ').at(-1));
    expect(appended).toBe(eventsWritten);
    expect(
      sample(text, 'ugc_command_duration_seconds_count{command="RegisterUser",result="ok"}'),
    ).toBe(1);
    expect(
      sample(text, 'ugc_command_duration_seconds_count{command="RevokeCredits",result="rejected"}'),
    ).toBe(1);
    expect(
      sample(text, 'ugc_command_duration_seconds_sum{command="RequestGeneration",result="ok"}'),
    ).toBeGreaterThan(0);
    expect(sample(text, 'ugc_generation_stages_total{stage="tts",outcome="ok"}')).toBe(1);
    expect(sample(text, 'ugc_generation_stages_total{stage="video",outcome="failed"}')).toBe(1);
    expect(sample(text, 'ugc_generation_stages_total{stage="video",outcome="retry"}')).toBe(1);
    expect(
      sample(text, 'ugc_provider_duration_seconds_sum{provider="espeak-ng",stage="tts"}'),
    ).toBeCloseTo(0.12, 5);
    expect(sample(text, 'ugc_provider_errors_total{provider="fal-ai",kind="rate_limited"}')).toBe(
      1,
    );
    expect(sample(text, 'ugc_provider_errors_total{provider="elevenlabs",kind="server"}')).toBe(1);
    expect(text.match(/^ugc_provider_errors_total\{/gm)?.length).toBe(2);
    // Recorded failures count from their GenerationFailed event, not from the step hook.
    expect(
      sample(text, 'ugc_generation_stages_total{stage="tts",outcome="failed"}'),
    ).toBeUndefined();
    expect(sample(text, 'ugc_telegram_updates_total{type="message"}')).toBe(1);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    // Nothing has projected yet: every projection is behind by every event.
    for (const name of projectionNames) {
      expect(sample(text, `ugc_projection_lag_events{projection="${name}"}`)).toBe(eventsWritten);
      expect(
        sample(text, `ugc_projection_lag_seconds{projection="${name}"}`),
      ).toBeGreaterThanOrEqual(0);
    }
  });

  it('/readyz answers 503 while projections lag past the threshold and 200 once caught up', async () => {
    expect(eventsWritten).toBeGreaterThan(5);
    const behind = await fetch(`${url}/readyz`);
    expect(behind.status).toBe(503);
    const body = (await behind.json()) as any;
    expect(body.status).toBe('not ready');
    expect(body.checks.eventStore.ok).toBe(true);
    expect(body.checks.readModels.ok).toBe(true);
    expect(body.checks.storage.ok).toBe(true);
    expect(body.checks.projections.ok).toBe(false);
    expect(body.checks.projections.detail.behind.sort()).toEqual([...projectionNames].sort());
    expect(body.checks.projections.detail.lag.users.events).toBeGreaterThan(5);

    const projections = new ProjectionSet({
      store: world.store,
      readModels: world.readModels,
      log: silentLogger,
    });
    await settledHead(world.store);
    await projections.catchUpOnce();
    const ready = await fetch(`${url}/readyz`);
    const readyBody = (await ready.json()) as any;
    expect(ready.status, JSON.stringify(readyBody)).toBe(200);
    expect(readyBody.checks.projections.detail.lag.users).toEqual({ events: 0, seconds: 0 });
    await new Promise((resolve) => setTimeout(resolve, 600)); // past the lag cache
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(sample(text, 'ugc_projection_lag_events{projection="daily_stats"}')).toBe(0);
  });

  it('a failing dependency makes /readyz 503 with the reason', async () => {
    const app = createHttpServer({
      log: silentLogger,
      readiness: {
        ...readinessChecks({
          store: world.store,
          db: world.readModels.db,
          projections: projectionNames,
          maxProjectionLag: 1000,
        }),
        storage: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:9');
        },
      },
      readinessTimeoutMs: 2000,
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().checks.storage).toEqual({
        ok: false,
        detail: 'connect ECONNREFUSED 127.0.0.1:9',
      });
      expect(response.json().checks.eventStore.ok).toBe(true);
    } finally {
      await app.close();
    }
  });
});
