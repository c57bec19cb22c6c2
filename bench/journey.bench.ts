/**
 * `npm run bench:journey`: the product end to end, as a user feels it, on this machine.
 *
 * 1. Generation latency. The real service (startService: local providers, PostgreSQL event store
 *    and read models on a fresh database, webhook transport) runs in its own process against the
 *    Telegram emulator. A simulated user clicks through the wizard with a ~10 s script; the clock
 *    runs from the Generate press to the emulator storing the bot's sendVideo. One warm-up per
 *    format, then JOURNEY_RUNS timed runs per format, alternating. Goals (the issue): talking head
 *    ≤ 10 s, background ≤ 15 s. Where the time went comes from the service's own stage logs.
 * 2. Wizard throughput over the webhook. Many simulated users click through the wizard screens at
 *    once (no generation); every update is a POST to the fastify webhook route with the secret
 *    token, timed from POST to answer by the emulator. The baseline is a minimal grammY bot with
 *    the same screens and Bot API calls whose state is a grammY session in PostgreSQL
 *    (@grammyjs/storage-psql), behind the same webhook transport and the same emulator. Both are
 *    warmed up; the timed cohorts run ours, baseline, baseline, ours (ABBA) with the same number
 *    of users and updates.
 *
 * Fails (exit 1) when a video is not delivered, a wizard screen does not come, or a webhook
 * delivery fails. Databases, processes and temp folders are removed at the end.
 */
import { access, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedExecutable } from '../src/adapters/local/binaries/media-binaries.js';
import { runBinary } from '../src/adapters/local/binaries/run-binary.js';
import {
  startTelegramEmulator,
  type TelegramEmulator,
} from '../src/dev/telegram-emulator/index.js';
import { benchDatabaseName, createDatabase, dropDatabase } from './lib/database.js';
import { summarizeLatencies, type LatencySummary } from './lib/percentiles.js';
import { table } from './lib/report.js';
import {
  orderTimedVideo,
  type TimedGeneration,
  type VideoFormat,
} from './journey/generation-order.js';
import { journeyConfigFromEnv } from './journey/journey-config.js';
import { ownCpuSeconds, postgresCpuSeconds, processCpuSeconds } from './journey/process-cpu.js';
import {
  breakdownOf,
  median,
  medianParts,
  readLogLines,
  toolsUsed,
  type GenerationBreakdown,
} from './journey/stage-breakdown.js';
import { freePort } from '../src/testing/free-port.js';
import { SubjectProcess } from './journey/subject-process.js';
import type { SubjectQueries } from './journey/subject-protocol.js';
import {
  WebhookAttemptRecorder,
  runWizardCohort,
  type CohortResult,
} from './journey/wizard-load.js';
import { WIZARD_UPDATES_PER_USER } from './journey/wizard-script.js';

/** ~10 s of speech from the local espeak-ng voices (34 words). */
const SCRIPT =
  'Meet the new cold brew from our corner cafe. It is smooth, bold and never bitter, made fresh every morning with beans we roast ourselves. Grab a bottle on your way to work today.';
const WIZARD_SCRIPT =
  'Fresh bread every morning, baked with love in our little bakery around the corner.';
const GOALS_S: Record<VideoFormat, number> = { 'talking-head': 10, background: 15 };
const TOKEN = '424242424:JOURNEY-bench-emulator-token-00000';
const WEBHOOK_SECRET = 'journey-bench-secret';
const DEFAULT_CREDITS = 100;

const outFile = fileURLToPath(new URL('./out/journey.json', import.meta.url));
/**
 * The service's starter catalog lives here between runs (its data dir links to it). The build
 * checks every file by recipe hash, size and mtime on each start, so a stale file is rebuilt and
 * a current catalog saves the build (portraits, voice previews, two example videos: ~50 s here).
 */
const catalogCache = fileURLToPath(new URL('./out/journey-catalog/', import.meta.url));
const log = (message: string) =>
  console.log(`[journey ${new Date().toISOString().slice(11, 19)}] ${message}`);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

interface CpuSplit {
  /** CPU seconds of the bot's process (children included) during the cohort. */
  readonly subject: number;
  /** CPU seconds of this process: the emulator and the simulated users. */
  readonly driver: number;
  /** CPU seconds of the PostgreSQL backends serving the subject's database during the cohort. */
  readonly postgres: number;
  /**
   * CPU seconds of every PostgreSQL server process during the cohort (other tenants of a shared
   * server included).
   */
  readonly cluster: number;
}

interface WizardTotals {
  readonly users: number;
  readonly updates: number;
  readonly elapsedMs: number;
  readonly updatesPerSecond: number;
  readonly latency: LatencySummary;
}

function queryDelta(before: SubjectQueries, after: SubjectQueries): SubjectQueries {
  const byStatement: Record<string, number> = {};
  for (const [statement, count] of Object.entries(after.byStatement)) {
    const delta = count - (before.byStatement[statement] ?? 0);
    if (delta > 0) byStatement[statement] = delta;
  }
  return { queries: after.queries - before.queries, byStatement };
}

function addQueries(a: SubjectQueries, b: SubjectQueries): SubjectQueries {
  const byStatement: Record<string, number> = { ...a.byStatement };
  for (const [statement, count] of Object.entries(b.byStatement))
    byStatement[statement] = (byStatement[statement] ?? 0) + count;
  return { queries: a.queries + b.queries, byStatement };
}

function totals(cohorts: readonly CohortResult[]): WizardTotals {
  const users = cohorts.reduce((sum, cohort) => sum + cohort.users, 0);
  const updates = cohorts.reduce((sum, cohort) => sum + cohort.updates, 0);
  const elapsedMs = cohorts.reduce((sum, cohort) => sum + cohort.elapsedMs, 0);
  return {
    users,
    updates,
    elapsedMs,
    updatesPerSecond: (updates * 1000) / elapsedMs,
    latency: summarizeLatencies(cohorts.flatMap((cohort) => cohort.latenciesMs)),
  };
}

async function main(): Promise<void> {
  const config = journeyConfigFromEnv();
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const loadAtStart = load();
  const dir = await mkdtemp(join(tmpdir(), 'ugc-journey-'));
  const databases = {
    service: benchDatabaseName('journey'),
    baseline: benchDatabaseName('sessions'),
  };
  const subjects: SubjectProcess[] = [];
  const emulators: TelegramEmulator[] = [];
  const errors: string[] = [];
  const cleanExits: Record<string, boolean> = {};

  const cleanUp = async () => {
    // Gracefully first: a killed service would leave its ffmpeg children running.
    for (const subject of subjects.splice(0))
      await subject.stop(10_000).catch(() => subject.kill());
    for (const emulator of emulators.splice(0)) await emulator.close().catch(() => undefined);
    for (const database of Object.values(databases)) {
      await dropDatabase(config.serverUrl, database).catch((error: unknown) =>
        errors.push(`drop ${database}: ${String(error)}`),
      );
    }
    if (!config.keepFiles) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };
  const onSignal = () => {
    for (const subject of subjects) subject.kill();
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const generations: TimedGeneration[] = [];
  const breakdowns: Record<VideoFormat, GenerationBreakdown[]> = {
    'talking-head': [],
    background: [],
  };
  const wizard: { ours: CohortResult[]; baseline: CohortResult[] } = { ours: [], baseline: [] };
  const loads: string[] = [];
  const wizardCpu: { ours: CpuSplit[]; baseline: CpuSplit[] } = { ours: [], baseline: [] };
  const wizardQueries: { ours: SubjectQueries[]; baseline: SubjectQueries[] } = {
    ours: [],
    baseline: [],
  };
  const generationCpuS: number[] = [];
  let tools: string[] = [];
  let serviceStartS = Number.NaN;
  let catalogCached = false;

  log(
    `load average ${loadAtStart}; ${cpus().length} cores; work dir ${dir}; databases ${databases.service}, ${databases.baseline}`,
  );
  try {
    const ffmpeg = await sharedExecutable('ffmpeg');
    const backgroundPath = join(dir, 'background.mp4');
    if (config.phases.has('generation')) {
      // A phone-sized clip, longer than the speech (the compositor then only trims it).
      await runBinary(ffmpeg.path, [
        '-y',
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=s=1080x1920:d=12:rate=30',
        // ~6 MB: under the bot's 20 MB upload limit, like a phone clip.
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-b:v',
        '4M',
        '-maxrate',
        '4M',
        '-bufsize',
        '8M',
        '-pix_fmt',
        'yuv420p',
        backgroundPath,
      ]);
    }

    const serviceEmulator = await startTelegramEmulator({
      token: TOKEN,
      fileDirectory: join(dir, 'telegram-service'),
    });
    emulators.push(serviceEmulator);
    const serviceDataDir = join(dir, 'service');
    const serviceLog = join(dir, 'service.log');
    catalogCached = await access(join(catalogCache, 'catalog.json')).then(
      () => true,
      () => false,
    );
    await mkdir(catalogCache, { recursive: true });
    await mkdir(serviceDataDir, { recursive: true });
    await symlink(catalogCache, join(serviceDataDir, 'catalog'), 'dir');
    const serviceStarted = performance.now();
    const service = await SubjectProcess.start({
      kind: 'service',
      databaseUrl: await createDatabase(config.serverUrl, databases.service),
      dataDir: serviceDataDir,
      token: TOKEN,
      apiRoot: serviceEmulator.apiRoot,
      httpPort: await freePort(),
      webhookSecret: WEBHOOK_SECRET,
      logFile: serviceLog,
      defaultCredits: DEFAULT_CREDITS,
    });
    subjects.push(service);
    serviceStartS = (performance.now() - serviceStarted) / 1000;
    log(
      `service up in ${serviceStartS.toFixed(1)} s (starter catalog ${catalogCached ? 'checked, from the cache' : 'built'}): ${service.webhookUrl}`,
    );

    if (config.phases.has('wizard')) {
      const baselineEmulator = await startTelegramEmulator({
        token: TOKEN,
        fileDirectory: join(dir, 'telegram-baseline'),
      });
      emulators.push(baselineEmulator);
      const baseline = await SubjectProcess.start({
        kind: 'sessions-baseline',
        databaseUrl: await createDatabase(config.serverUrl, databases.baseline),
        catalogDir: join(serviceDataDir, 'catalog'),
        token: TOKEN,
        apiRoot: baselineEmulator.apiRoot,
        httpPort: await freePort(),
        webhookSecret: WEBHOOK_SECRET,
        defaultCredits: DEFAULT_CREDITS,
      });
      subjects.push(baseline);
      const recorders = {
        ours: new WebhookAttemptRecorder(serviceEmulator),
        baseline: new WebhookAttemptRecorder(baselineEmulator),
      };
      const emulatorOf = { ours: serviceEmulator, baseline: baselineEmulator };
      // Fresh user ids per cohort: every user registers, as a new user would.
      let nextUserId = 500_000;
      const pidOf = { ours: service.pid, baseline: baseline.pid };
      const subjectOf = { ours: service, baseline };
      const cohort = async (who: 'ours' | 'baseline', users: number) => {
        const ids = Array.from({ length: users }, () => nextUserId++);
        const queriesBefore = await subjectOf[who].queries();
        const databaseOf = { ours: databases.service, baseline: databases.baseline };
        const before = {
          subject: processCpuSeconds(pidOf[who]),
          driver: ownCpuSeconds(),
          postgres: postgresCpuSeconds(databaseOf[who]),
          cluster: postgresCpuSeconds(),
        };
        const result = await runWizardCohort(emulatorOf[who], recorders[who], ids, WIZARD_SCRIPT);
        const cpu = {
          subject: processCpuSeconds(pidOf[who]) - before.subject,
          driver: ownCpuSeconds() - before.driver,
          postgres: postgresCpuSeconds(databaseOf[who]) - before.postgres,
          cluster: postgresCpuSeconds() - before.cluster,
        };
        const queriesAfter = await subjectOf[who].queries();
        return { result, cpu, queries: queryDelta(queriesBefore, queriesAfter) };
      };
      try {
        log(`wizard warm-up: ${config.warmupUsers} users each`);
        await cohort('ours', config.warmupUsers);
        await cohort('baseline', config.warmupUsers);
        const half = config.wizardUsers / 2;
        for (const who of ['ours', 'baseline', 'baseline', 'ours'] as const) {
          const { result, cpu, queries } = await cohort(who, half);
          wizard[who].push(result);
          wizardCpu[who].push(cpu);
          wizardQueries[who].push(queries);
          loads.push(`wizard ${who}: ${load()}`);
          log(
            `wizard ${who}: ${result.users} users, ${result.updates} updates in ${(result.elapsedMs / 1000).toFixed(1)} s ` +
              `= ${((result.updates * 1000) / result.elapsedMs).toFixed(0)} updates/s; load ${load()}`,
          );
        }
      } finally {
        recorders.ours.close();
        recorders.baseline.close();
      }
      const stopped = await baseline.stop();
      subjects.splice(subjects.indexOf(baseline), 1);
      cleanExits.baseline = stopped.clean;
      if (stopped.error) errors.push(`baseline stop: ${stopped.error}`);
    }

    if (config.phases.has('generation')) {
      const user = serviceEmulator.user({ id: 4242, firstName: 'Bench', languageCode: 'en' });
      await user.sendCommand('/start');
      await user.waitFor('What would you like to do?', { timeoutMs: 30_000 });
      const order = (format: VideoFormat) =>
        orderTimedVideo(serviceEmulator, user, {
          format,
          script: SCRIPT,
          backgroundPath,
          generationTimeoutMs: config.generationTimeoutMs,
        });
      for (const format of ['talking-head', 'background'] as const) {
        const warm = await order(format);
        log(`generation warm-up ${format}: ${(warm.generateToDeliveredMs / 1000).toFixed(1)} s`);
      }
      // Alternating, so a load change on this shared machine hits both formats alike.
      for (let run = 1; run <= config.runs; run += 1) {
        for (const format of ['talking-head', 'background'] as const) {
          const cpuBefore = processCpuSeconds(service.pid);
          const timed = await order(format);
          generations.push(timed);
          generationCpuS.push(processCpuSeconds(service.pid) - cpuBefore);
          loads.push(`generation ${format} #${run}: ${load()}`);
          log(
            `generation ${format} #${run}: ${(timed.generateToDeliveredMs / 1000).toFixed(2)} s (video ${timed.videoDurationSec} s); load ${load()}`,
          );
        }
      }
    }

    const stopped = await service.stop();
    subjects.splice(subjects.indexOf(service), 1);
    cleanExits.service = stopped.clean;
    if (stopped.error) errors.push(`service stop: ${stopped.error}`);
    const lines = await readLogLines(serviceLog);
    tools = toolsUsed(lines);
    for (const generation of generations)
      breakdowns[generation.format].push(breakdownOf(lines, generation));
  } catch (error) {
    errors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    await cleanUp();
  }

  // ---- report ----
  const out: string[] = [''];
  const seconds = (format: VideoFormat) =>
    generations.filter((g) => g.format === format).map((g) => g.generateToDeliveredMs / 1000);
  const cpuOf = (format: VideoFormat) =>
    generations.flatMap((g, i) => (g.format === format ? [generationCpuS[i] ?? Number.NaN] : []));
  const medianS: Record<VideoFormat, number> = {
    'talking-head': median(seconds('talking-head')),
    background: median(seconds('background')),
  };
  if (generations.length > 0) {
    out.push('Generation: Generate pressed → video delivered (sendVideo at the emulator), seconds');
    const th = seconds('talking-head');
    const bg = seconds('background');
    const thCpu = cpuOf('talking-head');
    const bgCpu = cpuOf('background');
    const rows = Array.from({ length: Math.max(th.length, bg.length) }, (_, i) => [
      `run ${i + 1}`,
      th[i]?.toFixed(2) ?? '',
      thCpu[i]?.toFixed(1) ?? '',
      bg[i]?.toFixed(2) ?? '',
      bgCpu[i]?.toFixed(1) ?? '',
    ]);
    rows.push([
      'median',
      medianS['talking-head'].toFixed(2),
      median(thCpu).toFixed(1),
      medianS.background.toFixed(2),
      median(bgCpu).toFixed(1),
    ]);
    rows.push(['goal', `≤ ${GOALS_S['talking-head']}`, '', `≤ ${GOALS_S.background}`, '']);
    rows.push([
      'met',
      medianS['talking-head'] <= GOALS_S['talking-head'] ? 'yes' : 'NO',
      '',
      medianS.background <= GOALS_S.background ? 'yes' : 'NO',
      '',
    ]);
    out.push(table(['', 'talking head s', 'service CPU s', 'background s', 'service CPU s'], rows));
    out.push(
      '(service CPU s: the service process and its ffmpeg/espeak children, per generation; load-independent work)',
    );
    if (tools.length > 0) out.push(`media tools the service used: ${tools.join('; ')}`);
    out.push('');
    out.push(
      'Where the time went (median ms per run, from the service log: stage · message → elapsedMs)',
    );
    const partRows: string[][] = [];
    for (const format of ['talking-head', 'background'] as const) {
      const list = breakdowns[format];
      if (list.length === 0) continue;
      const queued = median(list.map((b) => b.queuedMs ?? Number.NaN).filter(Number.isFinite));
      partRows.push([format, 'press → intake started the generation', queued.toFixed(0)]);
      const parts = medianParts(list);
      for (const part of parts) partRows.push([format, part.label, part.ms.toFixed(0)]);
      partRows.push([format, 'total (median)', (medianS[format] * 1000).toFixed(0)]);
    }
    out.push(table(['format', 'part', 'ms'], partRows));
    out.push('');
  }
  const ours = wizard.ours.length > 0 ? totals(wizard.ours) : undefined;
  const base = wizard.baseline.length > 0 ? totals(wizard.baseline) : undefined;
  const ratio = ours && base ? ours.updatesPerSecond / base.updatesPerSecond : Number.NaN;
  if (ours && base) {
    out.push(
      `Wizard over the webhook (${ours.users} users × ${WIZARD_UPDATES_PER_USER} updates per subject, ABBA halves; latency = POST → answer)`,
    );
    const cpuPerUpdate = (splits: readonly CpuSplit[], key: keyof CpuSplit, updates: number) =>
      ((splits.reduce((sum, split) => sum + split[key], 0) * 1000) / updates).toFixed(2);
    out.push(
      table(
        [
          'subject',
          'users',
          'updates',
          'seconds',
          'updates/s',
          'p50 ms',
          'p99 ms',
          'max ms',
          'bot CPU ms/update',
          'PostgreSQL CPU ms/update',
          'cluster CPU ms/update',
          'driver CPU ms/update',
        ],
        [
          ['ours (event-sourced)', ours, wizardCpu.ours] as const,
          ['grammY sessions (storage-psql)', base, wizardCpu.baseline] as const,
        ].map(([name, t, cpu]) => [
          name,
          String(t.users),
          String(t.updates),
          (t.elapsedMs / 1000).toFixed(1),
          t.updatesPerSecond.toFixed(0),
          t.latency.p50.toFixed(0),
          t.latency.p99.toFixed(0),
          t.latency.max.toFixed(0),
          cpuPerUpdate(cpu, 'subject', t.updates),
          cpuPerUpdate(cpu, 'postgres', t.updates),
          cpuPerUpdate(cpu, 'cluster', t.updates),
          cpuPerUpdate(cpu, 'driver', t.updates),
        ]),
      ),
    );
    out.push(
      "(bot CPU: the bot process only; PostgreSQL: the backends connected to the subject's database; cluster: every PostgreSQL server process, " +
        'other tenants and shared writers included; driver: the emulator and the simulated users in this process)',
    );
    for (const [name, cohorts] of [
      ['ours', wizard.ours],
      ['baseline', wizard.baseline],
    ] as const) {
      const calls: Record<string, number> = {};
      for (const cohort of cohorts)
        for (const [method, count] of Object.entries(cohort.botApiCalls))
          calls[method] = (calls[method] ?? 0) + count;
      const updates = cohorts.reduce((sum, cohort) => sum + cohort.updates, 0);
      const failed = cohorts.reduce((sum, cohort) => sum + cohort.failedBotApiCalls, 0);
      out.push(
        `Bot API calls per update, ${name}: ${Object.entries(calls)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([method, count]) => `${method} ${(count / updates).toFixed(2)}`)
          .join(', ')}; refused ${failed}`,
      );
    }
    for (const [name, cohorts, list] of [
      ['ours', wizard.ours, wizardQueries.ours],
      ['baseline', wizard.baseline, wizardQueries.baseline],
    ] as const) {
      const updates = cohorts.reduce((sum, cohort) => sum + cohort.updates, 0);
      const all = list.reduce<SubjectQueries>((sum, next) => addQueries(sum, next), {
        queries: 0,
        byStatement: {},
      });
      const top = Object.entries(all.byStatement)
        .sort(([, a], [, b]) => b - a)
        .slice(0, 8)
        .map(([statement, count]) => `${(count / updates).toFixed(2)} ${statement.slice(0, 60)}`);
      out.push(
        `PostgreSQL statements per update, ${name}: ${(all.queries / updates).toFixed(2)} (${top.join('; ')})`,
      );
    }
    const halves = [
      ...wizard.ours.map((c) => ['ours', c] as const),
      ...wizard.baseline.map((c) => ['baseline', c] as const),
    ];
    out.push(
      `halves: ${halves.map(([who, c]) => `${who} ${((c.updates * 1000) / c.elapsedMs).toFixed(0)}/s p99 ${summarizeLatencies(c.latenciesMs).p99.toFixed(0)} ms`).join(', ')}`,
    );
    out.push(`ours ÷ baseline updates/s: ${ratio.toFixed(2)}x`);
    const perUpdate = (splits: readonly CpuSplit[], key: keyof CpuSplit, updates: number) =>
      splits.reduce((sum, split) => sum + split[key], 0) / updates;
    const cpuRatio = (key: keyof CpuSplit) =>
      perUpdate(wizardCpu.baseline, key, base.updates) /
      perUpdate(wizardCpu.ours, key, ours.updates);
    out.push(
      `baseline ÷ ours CPU per update (above 1: ours uses less): bot ${cpuRatio('subject').toFixed(2)}x, PostgreSQL ${cpuRatio('postgres').toFixed(2)}x`,
    );
    out.push('');
  }
  const runtimeS = (performance.now() - started) / 1000;
  out.push(
    `runtime ${runtimeS.toFixed(0)} s; service start ${serviceStartS.toFixed(1)} s (catalog ${catalogCached ? 'from the cache' : 'built'}); load average at start ${loadAtStart}, at end ${load()}`,
  );
  out.push(
    `clean exits: ${
      Object.entries(cleanExits)
        .map(([name, clean]) => `${name} ${clean}`)
        .join(', ') || 'n/a'
    }`,
  );
  for (const error of errors) out.push(`error: ${error}`);

  // A phase left out (JOURNEY_PHASES) has no median: say so instead of printing NaN.
  const inSeconds = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} s` : 'n/a');
  const summary =
    `journey: talking-head ${inSeconds(medianS['talking-head'])}, background ${inSeconds(medianS.background)}, ` +
    `wizard ${ours ? Math.round(ours.updatesPerSecond) : 'n/a'} updates/s p99 ${ours ? Math.round(ours.latency.p99) : 'n/a'} ms ` +
    `(${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}x sessions baseline)`;

  await mkdir(fileURLToPath(new URL('./out/', import.meta.url)), { recursive: true });
  await writeFile(
    outFile,
    JSON.stringify(
      {
        startedAt,
        finishedAt: new Date().toISOString(),
        runtimeS,
        environment: {
          node: process.version,
          cpus: cpus().length,
          loadAtStart,
          loadAtEnd: load(),
          loads,
        },
        config: { ...config, phases: [...config.phases], serverUrl: undefined },
        goalsS: GOALS_S,
        generations: generations.map((g, i) => ({ ...g, serviceCpuS: generationCpuS[i] })),
        tools,
        breakdowns,
        wizard: {
          ours,
          baseline: base,
          ratio,
          cpu: wizardCpu,
          queries: wizardQueries,
          cohorts: {
            ours: wizard.ours.map(({ latenciesMs: _, ...c }) => c),
            baseline: wizard.baseline.map(({ latenciesMs: _, ...c }) => c),
          },
        },
        cleanExits,
        errors,
        summary,
      },
      null,
      2,
    ),
  );
  out.push(`full results: ${outFile}`);
  console.log(out.join('\n'));
  console.log(summary);
  const incomplete =
    (config.phases.has('generation') && generations.length !== config.runs * 2) ||
    (config.phases.has('wizard') && !(ours && base));
  if (errors.length > 0 || incomplete) process.exitCode = 1;
}

await main();
