/**
 * `npm run bench:eventstore`: our PostgreSQL event store beside Emmett 0.42 on the same server.
 *
 * 1. Appends: 1, 8 and 32 concurrent writers × batches of 1 and 10 events, each writer on its own
 *    streams with an exact expected version (the command-handler pattern); events/s and per-append
 *    latency p50/p99. Beside them, in the same cells, the raw-INSERT baseline: the same events as
 *    one autocommitted INSERT each into a table without key, index or check, on our store's pool:
 *    what the server does when nothing is guaranteed.
 * 2. Delivery: both stores' subscription machinery reads everything the append phase wrote
 *    (concurrent writers) and we count what arrives.
 * 3. Catch-up: 200,000 preloaded events projected from the start into a per-stream counter read
 *    model, read-model changes and checkpoint in one transaction per batch.
 *
 * Each store runs in its own process, on its own fresh database (dropped at the end). No timed
 * assertions: the numbers are printed, written to bench/out/eventstore.json, and summed up in
 * the last line.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { mergeRounds, type AppendCellResult, type PreloadResult } from './lib/append-workload.js';
import { benchConfigFromEnv } from './lib/bench-config.js';
import { benchDatabaseName, createDatabase, dropDatabase } from './lib/database.js';
import { emmettCaveats } from './lib/emmett-caveats.js';
import { payloadSizes } from './lib/event-payload.js';
import { integer, mebibytes, milliseconds, ratio, table } from './lib/report.js';
import { checkpoint, longTransactions, serverInfo, type ServerInfo } from './lib/server-probe.js';
import type {
  AppendTarget,
  CatchUpMode,
  CatchUpResult,
  DeliveryCheck,
  SubjectName,
} from './lib/subject.js';
import { SubjectWorker } from './lib/worker-client.js';

type PerSubject<T> = { ours?: T; emmett?: T };

interface AppendCellReport {
  readonly writers: number;
  readonly batchSize: number;
  readonly appends: number;
  readonly ours?: AppendCellResult;
  readonly emmett?: AppendCellResult;
  /** One autocommitted INSERT per event into a table with no key, index or check, on our pool. */
  readonly raw?: AppendCellResult;
  readonly oursOverEmmett: number | null;
  readonly oursOverRaw: number | null;
  /** The machine is shared: the 1-minute load average right after the cell, for judging noise. */
  readonly loadAverage1m: number;
}

interface CatchUpReport {
  readonly label: string;
  readonly mode: CatchUpMode;
  readonly ours?: CatchUpResult;
  readonly emmett?: CatchUpResult;
  readonly oursOverEmmett: number | null;
}

const outFile = fileURLToPath(new URL('./out/eventstore.json', import.meta.url));
const log = (message: string) =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const eventsPerSecond = (result: { events: number; elapsedMs: number } | undefined) =>
  result ? (result.events * 1000) / result.elapsedMs : Number.NaN;
const quotient = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null;

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const config = benchConfigFromEnv();
  const caveats = await emmettCaveats();
  const admin = new pg.Client({
    connectionString: config.serverUrl,
    application_name: 'ugc-bench-admin',
  });
  await admin.connect();
  const server: ServerInfo = await serverInfo(admin);
  const databases: Record<SubjectName, string> = {
    ours: benchDatabaseName('ours'),
    emmett: benchDatabaseName('emmett'),
  };
  const workers: SubjectWorker[] = [];
  const errors: string[] = [];
  let cleanExit: PerSubject<boolean> = {};

  const dropAll = async () => {
    for (const database of Object.values(databases)) {
      await dropDatabase(config.serverUrl, database).catch((error: unknown) =>
        errors.push(`drop ${database}: ${String(error)}`),
      );
    }
  };
  const onSignal = () => {
    for (const worker of workers) worker.kill();
    void dropAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const appendCells: AppendCellReport[] = [];
  const delivery: PerSubject<DeliveryCheck & { longTransactions: string[] }> = {};
  const preloads: PerSubject<PreloadResult> = {};
  const catchUps: CatchUpReport[] = [];
  const storage: PerSubject<number> = {};

  log(
    `PostgreSQL: ${server.version.split(' on ')[0]}; databases ${databases.ours}, ${databases.emmett}`,
  );
  try {
    const ours = await SubjectWorker.start({
      subject: 'ours',
      connectionString: await createDatabase(config.serverUrl, databases.ours),
      maxConnections: config.maxConnections,
    });
    workers.push(ours);
    const emmett = await SubjectWorker.start({
      subject: 'emmett',
      connectionString: await createDatabase(config.serverUrl, databases.emmett),
      maxConnections: config.maxConnections,
    });
    workers.push(emmett);
    const both = [ours, emmett] as const;

    // 1. Appends. Warm-up first (connections, plans, JIT of both processes), then every cell for
    // both stores back to back. No CHECKPOINT before a round: right after one, every first change
    // to a page writes a full page image to WAL, which would weigh on the short cells.
    log('warm-up');
    for (const [worker, raw] of [
      [ours, false],
      [ours, true],
      [emmett, false],
    ] as const) {
      for (const batchSize of config.batchSizes) {
        await worker.request('append-cell', {
          raw,
          cell: {
            id: `warmup-b${batchSize}${raw ? '-raw' : ''}`,
            writers: Math.max(...config.writerCounts),
            batchSize,
            appends: Math.ceil(config.warmupAppends / batchSize ** 0.5),
            streamsPerWriter: config.streamsPerWriter,
            warmupAppends: 0,
          },
        });
      }
    }
    // ABC-CBA, repeated: each store and the raw-INSERT baseline run the cell in short rounds, in
    // mirrored order, so a load change on this shared machine during the cell hits all three alike.
    const target = (name: AppendTarget) => ({
      worker: name === 'emmett' ? emmett : ours,
      raw: name === 'raw',
      name,
    });
    const mirrored = ['ours', 'raw', 'emmett', 'emmett', 'raw', 'ours'] as const;
    const order = Array.from({ length: config.appendRoundPairs }, () =>
      mirrored.map(target),
    ).flat();
    const roundsPerTarget = 2 * config.appendRoundPairs;
    for (const writers of config.writerCounts) {
      for (const batchSize of config.batchSizes) {
        const appends = config.appendsPerCell(writers, batchSize);
        const rounds: Record<AppendTarget, AppendCellResult[]> = { ours: [], emmett: [], raw: [] };
        for (const [index, { worker, raw, name }] of order.entries()) {
          try {
            rounds[name].push(
              await worker.request('append-cell', {
                raw,
                cell: {
                  id: `w${writers}-b${batchSize}-r${index}`,
                  writers,
                  batchSize,
                  appends: Math.ceil(appends / roundsPerTarget),
                  streamsPerWriter: config.streamsPerWriter,
                  warmupAppends: writers * 4,
                },
              }),
            );
          } catch (error) {
            errors.push(`append ${name} ${writers}x${batchSize}: ${String(error)}`);
          }
        }
        const results: PerSubject<AppendCellResult> & { raw?: AppendCellResult } = {
          ...(rounds.ours.length === roundsPerTarget ? { ours: mergeRounds(rounds.ours) } : {}),
          ...(rounds.emmett.length === roundsPerTarget
            ? { emmett: mergeRounds(rounds.emmett) }
            : {}),
          ...(rounds.raw.length === roundsPerTarget ? { raw: mergeRounds(rounds.raw) } : {}),
        };
        const cell: AppendCellReport = {
          writers,
          batchSize,
          appends: Math.ceil(appends / roundsPerTarget) * roundsPerTarget,
          ...results,
          oursOverEmmett: quotient(eventsPerSecond(results.ours), eventsPerSecond(results.emmett)),
          oursOverRaw: quotient(eventsPerSecond(results.ours), eventsPerSecond(results.raw)),
          loadAverage1m: loadavg()[0] ?? Number.NaN,
        };
        appendCells.push(cell);
        log(
          `append ${writers} writer(s) × ${batchSize} event(s): ours ${integer(eventsPerSecond(results.ours))} ev/s, ` +
            `emmett ${integer(eventsPerSecond(results.emmett))} ev/s, raw insert ${integer(eventsPerSecond(results.raw))} ev/s`,
        );
      }
    }

    // 2. Delivery over what concurrent writers wrote: does every stored event reach a subscriber?
    if (config.deliveryCheck) {
      for (const worker of both) {
        const open = await longTransactions(admin, 5);
        try {
          delivery[worker.name] = {
            ...(await worker.request('delivery-check', { batchSize: config.catchUpBatchSize })),
            longTransactions: open,
          };
          const check = delivery[worker.name]!;
          log(
            `delivery ${worker.name}: ${check.delivered} of ${check.stored} events, ${check.skipped} skipped`,
          );
        } catch (error) {
          errors.push(`delivery ${worker.name}: ${String(error)}`);
        }
      }
    }

    // 3. Catch-up. Preload one append of 100 events per stream, sequentially: Emmett's consumer
    // keeps only a global position as its checkpoint, so concurrently written history can lose
    // events (see the delivery check) and the comparison would not be over the same events.
    for (const worker of config.catchUp ? both : []) {
      await worker.request('reset', {});
      log(`preload ${worker.name}: ${integer(config.catchUpEvents)} events`);
      preloads[worker.name] = await worker.request(
        'preload',
        {
          streams: config.catchUpEvents / config.preloadEventsPerAppend,
          eventsPerStream: config.preloadEventsPerAppend,
          concurrency: 1,
          prefix: 'preload',
        },
        590_000,
      );
      await worker.request('vacuum', {});
    }
    const runs: { label: string; mode: CatchUpMode; subjects: readonly SubjectWorker[] }[] = [
      { label: 'one upsert per event (like for like)', mode: 'per-event', subjects: both },
      { label: 'one multi-row upsert per batch', mode: 'set-based', subjects: [ours] },
    ];
    for (const run of config.catchUp ? runs : []) {
      const results: PerSubject<CatchUpResult> = {};
      for (const worker of run.subjects) {
        await checkpoint(admin);
        const open = await longTransactions(admin, 5);
        if (open.length)
          log(`warning: long transactions may stall the catch-up: ${open.join('; ')}`);
        try {
          results[worker.name] = await worker.request(
            'catch-up',
            {
              mode: run.mode,
              batchSize: config.catchUpBatchSize,
              expectedEvents: config.catchUpEvents,
            },
            590_000,
          );
          log(
            `catch-up ${worker.name} (${run.mode}): ${integer(eventsPerSecond(results[worker.name]))} ev/s`,
          );
        } catch (error) {
          errors.push(`catch-up ${worker.name} ${run.mode}: ${String(error)}`);
        }
      }
      catchUps.push({
        label: run.label,
        mode: run.mode,
        ...results,
        oursOverEmmett: quotient(
          eventsPerSecond(results.ours),
          eventsPerSecond(catchUps[0]?.emmett ?? results.emmett),
        ),
      });
    }
    for (const worker of both) storage[worker.name] = await worker.request('storage-bytes', {});
  } catch (error) {
    errors.push(
      `aborted: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  } finally {
    for (const worker of workers) cleanExit = { ...cleanExit, [worker.name]: await worker.stop() };
    await dropAll();
    await admin.end();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  // Report.
  const headline = appendCells.find((cell) => cell.writers === 32 && cell.batchSize === 1);
  const likeForLike = catchUps.find((run) => run.mode === 'per-event');
  const runtimeSeconds = (performance.now() - started) / 1000;
  const sizes = payloadSizes();
  const out: string[] = [];
  out.push('');
  out.push(
    `Event store benchmark — ${server.version.split(' on ')[0]}, ${cpus().length} CPU(s), Node ${process.version}, ` +
      `pool ${config.maxConnections} connections each, payload ≈${sizes.dataBytes} B data + ${sizes.metadataBytes} B metadata`,
  );
  out.push('');
  out.push(
    `Appends — each writer owns ${config.streamsPerWriter} streams and appends round-robin with the exact expected version ` +
      '(ours: 0-based revision, Emmett: 1-based version); latency per append in ms. Raw insert: the same events on our ' +
      'pool as one autocommitted INSERT each into a table with the same columns and no key, index or check',
  );
  out.push(
    table(
      [
        'writers',
        'events/append',
        'appends',
        'ours ev/s',
        'p50',
        'p99',
        'emmett ev/s',
        'p50',
        'p99',
        'raw insert ev/s',
        'ours/emmett',
        'ours/raw',
        'load',
        '',
      ],
      appendCells.map((cell) => [
        String(cell.writers),
        String(cell.batchSize),
        integer(cell.appends),
        integer(eventsPerSecond(cell.ours)),
        milliseconds(cell.ours?.latencyMs.p50 ?? Number.NaN),
        milliseconds(cell.ours?.latencyMs.p99 ?? Number.NaN),
        integer(eventsPerSecond(cell.emmett)),
        milliseconds(cell.emmett?.latencyMs.p50 ?? Number.NaN),
        milliseconds(cell.emmett?.latencyMs.p99 ?? Number.NaN),
        integer(eventsPerSecond(cell.raw)),
        ratio(eventsPerSecond(cell.ours), eventsPerSecond(cell.emmett)),
        ratio(eventsPerSecond(cell.ours), eventsPerSecond(cell.raw)),
        cell.loadAverage1m.toFixed(1),
        cell === headline ? '<- headline' : '',
      ]),
    ),
  );
  if (config.deliveryCheck) {
    out.push('');
    out.push(
      'Delivery — every event the append phase wrote, read from the start by each store’s subscriber machinery',
    );
    out.push(
      table(
        [
          'store',
          'machinery',
          'stored',
          'delivered',
          'skipped for good',
          'not reached yet',
          'ev/s',
        ],
        (['ours', 'emmett'] as const).map((name) => {
          const check = delivery[name];
          return [
            name,
            name === 'ours' ? 'subscribeToAll' : 'consumer + reactor',
            integer(check?.stored ?? Number.NaN),
            integer(check?.delivered ?? Number.NaN),
            integer(check?.skipped ?? Number.NaN),
            integer(check?.notReached ?? Number.NaN),
            integer(check ? (check.delivered * 1000) / check.elapsedMs : Number.NaN),
          ];
        }),
      ),
    );
  }
  if (config.catchUp) {
    out.push('');
    out.push(
      `Catch-up — ${integer(config.catchUpEvents)} events in ${integer(config.catchUpEvents / config.preloadEventsPerAppend)} streams, ` +
        `batches of ${config.catchUpBatchSize}, read model + checkpoint in one transaction per batch ` +
        '(ours: ProjectionRunner.catchUpOnce; Emmett: postgreSQLEventStoreConsumer + projector over postgreSQLRawSQLProjection)',
    );
    out.push(
      table(
        [
          'read-model writes',
          'ours ev/s',
          `emmett ${caveats.version} ev/s`,
          'ours/emmett*',
          'ours read model',
          'emmett read model',
        ],
        catchUps.map((run) => [
          run.label,
          integer(eventsPerSecond(run.ours)),
          run.emmett ? integer(eventsPerSecond(run.emmett)) : 'n/a (per event only)',
          run.oursOverEmmett === null ? 'n/a' : `${run.oursOverEmmett.toFixed(2)}x`,
          run.ours
            ? `${integer(run.ours.readModelEvents)} ev / ${integer(run.ours.readModelStreams)} rows`
            : 'n/a',
          run.emmett
            ? `${integer(run.emmett.readModelEvents)} ev / ${integer(run.emmett.readModelStreams)} rows`
            : '',
        ]),
      ),
    );
    const notes = catchUps.flatMap((run) => (run.ours?.note ? [run.ours.note] : []));
    out.push(`* ${caveats.catchUp}`);
    for (const note of new Set(notes)) out.push(`note: ${note}`);
  }
  out.push('');
  out.push(
    table(
      ['preload (1 writer, 100 events/append)', 'ours', 'emmett', 'ours/emmett'],
      [
        [
          'events/s',
          integer(eventsPerSecond(preloads.ours)),
          integer(eventsPerSecond(preloads.emmett)),
          ratio(eventsPerSecond(preloads.ours), eventsPerSecond(preloads.emmett)),
        ],
        [
          'table + index size after catch-up',
          mebibytes(storage.ours ?? Number.NaN),
          mebibytes(storage.emmett ?? Number.NaN),
          '',
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `runtime ${runtimeSeconds.toFixed(0)} s; load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}; ` +
      `workers exited cleanly: ours ${cleanExit.ours ?? false}, emmett ${cleanExit.emmett ?? false}`,
  );
  for (const error of errors) out.push(`error: ${error}`);

  const appendN = eventsPerSecond(headline?.ours);
  const summary =
    `eventstore: append ${integer(appendN).replace(/,/g, '')} ev/s at 32 writers ` +
    `(${headline?.oursOverEmmett?.toFixed(2) ?? 'n/a'}x emmett, ${headline?.oursOverRaw?.toFixed(2) ?? 'n/a'}x raw insert), ` +
    `catch-up ${integer(eventsPerSecond(likeForLike?.ours)).replace(/,/g, '')} ev/s ` +
    `(${likeForLike?.oursOverEmmett?.toFixed(2) ?? 'n/a'}x emmett)`;

  await mkdir(fileURLToPath(new URL('./out/', import.meta.url)), { recursive: true });
  await writeFile(
    outFile,
    JSON.stringify(
      {
        startedAt,
        finishedAt: new Date().toISOString(),
        runtimeSeconds,
        environment: {
          postgres: server,
          node: process.version,
          cpus: cpus().length,
          loadAverage: loadavg(),
        },
        config: { ...config, appendsPerCell: undefined, serverUrl: undefined },
        payload: sizes,
        appendCells,
        delivery,
        preload: preloads,
        catchUp: catchUps,
        emmett: caveats,
        storageBytes: storage,
        cleanExit,
        errors,
        summary,
      },
      (key, value: unknown) =>
        key === 'latencySamplesMs'
          ? undefined
          : typeof value === 'bigint'
            ? value.toString()
            : value,
      2,
    ),
  );
  out.push(`full results: ${outFile}`);
  console.log(out.join('\n'));
  console.log(summary);
  if (errors.length) process.exitCode = 1;
}

await main();
