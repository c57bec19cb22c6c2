import { parseArgs } from 'node:util';
import { DataDirLockedError } from '../../adapters/event-store/pglite/data-dir-lock.js';
import {
  openEventStore,
  type OpenedEventStore,
} from '../../adapters/event-store/open-event-store.js';
import type { EventStoreChoice } from '../../config/config.js';
import type { Logger } from '../../logging/logger.js';
import { EventStoreError } from '../../ports/event-store/errors.js';
import { EventCopyError } from './copy-errors.js';
import { copyEvents, type CopyEventsReport } from './copy-events.js';
import { rebuildReadModels, type RebuiltProjection } from './rebuild-read-models.js';
import { StoreAddressError, describeStore, parseStoreAddress, sameStore } from './store-address.js';

export const eventsCopyUsage = `usage: npm run events:copy -- --from <source> --to <target> [--read-models <postgres url>] [--skip-rebuild] [--batch-size <n>]

Copies every event of one event store into another in the global order, keeping each event's
stream, revision, id, type, data and metadata; checks the copy against the source (event count
and a SHA-256 over every event); then rebuilds the read models from the copy.

  --from <source>       the embedded store: the service's data directory (./data) or its
                        pglite directory; PostgreSQL: postgres://user:password@host:5432/db;
                        EventStoreDB: esdb://host:2113?tls=false (any address EVENTSTORE_URL takes)
  --to <target>         PostgreSQL or EventStoreDB, as above: an empty store, or the one an
                        interrupted copy of the same source left (the copy resumes after what it holds)
  --read-models <url>   the PostgreSQL database whose read models are rebuilt from the copy
                        (the service's DATABASE_URL). Default: the target itself when it is
                        PostgreSQL; with an EventStoreDB target nothing is rebuilt unless given
  --skip-rebuild        copy and verify only
  --batch-size <n>      events per read on either side (default 500)

Stop the service before copying. Progress goes to the log (pino JSON on stdout).
Exit status: 0 copied and verified (and rebuilt); 1 the copy stopped, did not match its source, or
the rebuild failed (the message says which and what to do); 2 bad arguments.`;

export interface EventsCopyDependencies {
  readonly log: Logger;
  /** Where plain messages for the operator go (usage, the reason a copy stopped). */
  readonly print?: (line: string) => void;
  /** Opens a store; tests wrap it to inject failures. */
  readonly openStore?: (choice: EventStoreChoice) => Promise<OpenedEventStore>;
}

export interface EventsCopyOutcome {
  readonly exitCode: 0 | 1 | 2;
  readonly report?: CopyEventsReport;
  readonly rebuilt?: readonly RebuiltProjection[];
}

interface CopyArguments {
  readonly from: EventStoreChoice;
  readonly to: EventStoreChoice;
  readonly readModels: string | undefined;
  readonly batchSize: number;
}

/** `npm run events:copy` without the process around it: arguments in, exit status out. */
export async function runEventsCopy(
  argv: readonly string[],
  deps: EventsCopyDependencies,
): Promise<EventsCopyOutcome> {
  const print = deps.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const parsed = parseArguments(argv);
  if (parsed === 'help') {
    print(eventsCopyUsage);
    return { exitCode: 0 };
  }
  if (typeof parsed === 'string') {
    print(`events:copy: ${parsed}\n\n${eventsCopyUsage}`);
    return { exitCode: 2 };
  }
  const { log } = deps;
  const open = deps.openStore ?? openEventStore;
  log.info(
    {
      stage: 'open',
      from: describeStore(parsed.from),
      to: describeStore(parsed.to),
      readModels: parsed.readModels
        ? describeStore({ kind: 'postgres', url: parsed.readModels })
        : null,
    },
    'opening the stores',
  );
  let source: OpenedEventStore | undefined;
  let target: OpenedEventStore | undefined;
  let report: CopyEventsReport;
  try {
    source = await open(parsed.from);
    target = await open(parsed.to);
    report = await copyEvents({
      source: source.store,
      target: target.store,
      log,
      readBatchSize: parsed.batchSize,
    });
  } catch (error) {
    const problem = operatorProblem(error);
    if (!problem) throw error;
    log.error({ stage: 'copy', code: problem.code, retryable: problem.retryable }, problem.message);
    print(
      `events:copy: ${problem.message}\n  (copying from ${describeStore(parsed.from)} to ${describeStore(parsed.to)}; ${problem.retryable ? 'running the same command again may succeed once that is fixed' : 'running it again as it is will not help'})`,
    );
    return { exitCode: 1 };
  } finally {
    await source?.store.close().catch(() => undefined);
    if (!parsed.readModels) await target?.store.close().catch(() => undefined);
  }
  if (!parsed.readModels) {
    const hint =
      parsed.to.kind === 'eventstoredb'
        ? 'give --read-models <postgres url>, or run `npm run projections:rebuild` with EVENTSTORE_URL and DATABASE_URL set'
        : 'run `npm run projections:rebuild` against the target';
    log.info({ stage: 'rebuild', skipped: true }, `read models not rebuilt: ${hint}`);
    return { exitCode: 0, report };
  }
  try {
    const rebuilt = await rebuildReadModels({ store: target.store, url: parsed.readModels, log });
    log.info(
      {
        stage: 'done',
        events: report.total,
        copied: report.copied,
        alreadyThere: report.alreadyThere,
        checksum: report.checksum,
      },
      'events copied, verified and projected',
    );
    return { exitCode: 0, report, rebuilt };
  } catch (error) {
    log.error({ stage: 'rebuild', err: error }, 'rebuilding the read models failed');
    print(
      `events:copy: the events were copied and verified, but rebuilding the read models failed: ${error instanceof Error ? error.message : String(error)}. Run \`npm run projections:rebuild\` against the target once that is fixed.`,
    );
    return { exitCode: 1, report };
  } finally {
    await target?.store.close().catch(() => undefined);
  }
}

// 'help' asks for the usage; any other string is what was wrong with the arguments.
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents
function parseArguments(argv: readonly string[]): CopyArguments | 'help' | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        'read-models': { type: 'string' },
        'skip-rebuild': { type: 'boolean', default: false },
        'batch-size': { type: 'string', default: '500' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (values.help) return 'help';
  if (!values.from || !values.to) return 'both --from and --to are required';
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    return `--batch-size must be a whole number from 1 to 10000, not ${values['batch-size']}`;
  let from: EventStoreChoice;
  let to: EventStoreChoice;
  try {
    from = parseStoreAddress(values.from, 'source');
    to = parseStoreAddress(values.to, 'target');
  } catch (error) {
    if (error instanceof StoreAddressError) return error.message;
    throw error;
  }
  if (sameStore(from, to)) return `--from and --to name the same store (${describeStore(to)})`;
  const readModelsUrl = values['read-models'];
  if (readModelsUrl !== undefined && !/^postgres(ql)?:\/\//.test(readModelsUrl))
    return '--read-models must be a postgres:// connection string';
  if (readModelsUrl !== undefined && values['skip-rebuild'])
    return '--read-models and --skip-rebuild contradict each other';
  const readModels = values['skip-rebuild']
    ? undefined
    : (readModelsUrl ?? (to.kind === 'postgres' ? to.url : undefined));
  return { from, to, readModels, batchSize };
}

interface OperatorProblem {
  readonly code: string;
  readonly retryable: boolean;
  readonly message: string;
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  '3D000',
  '28P01',
  '28000',
]);

/**
 * Failures an operator can act on from the message alone, with their stable code; anything else
 * is a bug and goes to the log with its stack.
 */
function operatorProblem(error: unknown): OperatorProblem | undefined {
  if (error instanceof EventCopyError)
    return { code: error.code, retryable: error.retryable, message: error.message };
  if (error instanceof DataDirLockedError) {
    return {
      code: error.code,
      retryable: error.retryable,
      message: `${error.message}. Stop the service (or whatever holds it), then run this again.`,
    };
  }
  if (error instanceof EventStoreError) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return { code: error.code, retryable: error.retryable, message: `${error.message}${cause}` };
  }
  // A driver's own error from before any store wrapped it (opening the connection): Node's and
  // PostgreSQL's codes for an unreachable server, a missing database or refused credentials.
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && connectionCodes.has(code)) {
    return { code, retryable: true, message: `cannot reach a store: ${error.message}` };
  }
  return undefined;
}
