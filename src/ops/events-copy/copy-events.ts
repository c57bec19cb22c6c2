import type { Logger } from '../../logging/logger.js';
import {
  DuplicateEventIdError,
  WrongExpectedVersionError,
} from '../../ports/event-store/errors.js';
import type { EventStore, RecordedEvent } from '../../ports/event-store/event-store.js';
import {
  START,
  comparePositions,
  formatPosition,
  type Position,
} from '../../ports/event-store/position.js';
import type { ExpectedState } from '../../ports/event-store/stream-state.js';
import { EventCopyError } from './copy-errors.js';
import { EventLogChecksum, sameEvent } from './event-checksum.js';

export interface CopyEventsOptions {
  readonly source: EventStore;
  readonly target: EventStore;
  readonly log: Logger;
  /** Events per `$all` read on either side. */
  readonly readBatchSize?: number;
  /** Most events of one stream appended in one call. */
  readonly appendBatchSize?: number;
  /** How often a progress line is logged while copying. */
  readonly progressEveryMs?: number;
  /** How long to wait for the target to show its last appended event before verifying. */
  readonly visibilityTimeoutMs?: number;
}

export interface CopyEventsReport {
  /** Events the target already held (a resumed copy), checked one by one against the source. */
  readonly alreadyThere: number;
  /** Events appended by this run. */
  readonly copied: number;
  /** Events on each side at the end; equal, or the copy fails. */
  readonly total: number;
  /**
   * SHA-256 over every event's stream, revision, id, type, data and metadata in the global order.
   */
  readonly checksum: string;
  readonly ms: { readonly check: number; readonly copy: number; readonly verify: number };
}

/**
 * Copies every event of `source` into `target` in the global order, keeping streams, revisions,
 * event ids, types, data and metadata; the target assigns its own positions and recording times.
 *
 * Resuming needs no checkpoint of its own: whatever the target holds must be exactly the source's
 * first events (checked event by event, else it refuses), and the copy continues after them. Each
 * append names the revision it expects, so nothing can land twice or out of place even if
 * another writer slipped in. At the end both logs are read again and their counts and checksums
 * compared.
 */
export async function copyEvents(options: CopyEventsOptions): Promise<CopyEventsReport> {
  const { source, target, log } = options;
  const readBatchSize = options.readBatchSize ?? 500;
  const appendBatchSize = options.appendBatchSize ?? 200;
  const progressEveryMs = options.progressEveryMs ?? 2000;
  const sourceSum = new EventLogChecksum();
  const sourceLog = new LogCursor(source, readBatchSize);

  const checkStarted = performance.now();
  log.info(
    { stage: 'check-target' },
    'checking that the target holds nothing but a start of the source',
  );
  const checkProgress = progressLogger(log, 'check-target', progressEveryMs);
  const alreadyThere = await matchTargetPrefix(
    sourceLog,
    new LogCursor(target, readBatchSize),
    sourceSum,
    checkProgress,
  );
  const checkMs = elapsed(checkStarted);
  if (alreadyThere > 0) {
    log.info(
      { stage: 'check-target', alreadyThere, ms: checkMs },
      `the target holds the first ${alreadyThere} events of the source; resuming after them`,
    );
  }

  const copyStarted = performance.now();
  let copied = 0;
  let lastAppended: Position | undefined;
  let lastProgress = copyStarted;
  let group: RecordedEvent[] = [];
  const flush = async (): Promise<void> => {
    if (group.length === 0) return;
    lastAppended = await appendGroup(target, group);
    copied += group.length;
    group = [];
    if (performance.now() - lastProgress >= progressEveryMs) {
      lastProgress = performance.now();
      const seconds = (lastProgress - copyStarted) / 1000;
      log.info(
        { stage: 'copy', copied, alreadyThere, eventsPerSecond: Math.round(copied / seconds) },
        'copying',
      );
    }
  };
  for (let event = await sourceLog.next(); event; event = await sourceLog.next()) {
    const first = group[0];
    if (first && (first.streamName !== event.streamName || group.length >= appendBatchSize))
      await flush();
    group.push(event);
    sourceSum.add(event);
  }
  await flush();
  const copyMs = elapsed(copyStarted);
  log.info(
    { stage: 'copy', copied, alreadyThere, ms: copyMs },
    'every source event is in the target',
  );

  const verifyStarted = performance.now();
  const later = await source.readAll({ after: sourceLog.position, maxCount: 1 });
  if (later.events.length > 0) {
    throw new EventCopyError(
      'SOURCE_CHANGED',
      `The source received new events while it was being copied (after ${formatPosition(sourceLog.position)}): stop every service that writes to it, then run the same command again; the copy resumes where it stopped.`,
      true,
    );
  }
  if (lastAppended)
    await waitUntilVisible(target, lastAppended, options.visibilityTimeoutMs ?? 30_000);
  log.info({ stage: 'verify' }, 'reading the target again to compare counts and checksums');
  const targetSum = new EventLogChecksum();
  const targetLog = new LogCursor(target, readBatchSize);
  const verifyProgress = progressLogger(log, 'verify', progressEveryMs);
  for (let event = await targetLog.next(); event; event = await targetLog.next()) {
    targetSum.add(event);
    verifyProgress(targetSum.count);
  }
  const sourceDigest = sourceSum.digest();
  const targetDigest = targetSum.digest();
  if (targetSum.count !== sourceSum.count || targetDigest !== sourceDigest) {
    throw new EventCopyError(
      'VERIFICATION_FAILED',
      `The copy does not match its source: the source has ${sourceSum.count} events (sha256 ${sourceDigest}), the target ${targetSum.count} (sha256 ${targetDigest}). Do not switch the service to the target; copy again into an empty store.`,
      false,
    );
  }
  const verifyMs = elapsed(verifyStarted);
  log.info(
    { stage: 'verify', events: sourceSum.count, checksum: sourceDigest, ms: verifyMs },
    'source and target hold the same events in the same order',
  );
  return {
    alreadyThere,
    copied,
    total: sourceSum.count,
    checksum: sourceDigest,
    ms: { check: checkMs, copy: copyMs, verify: verifyMs },
  };
}

/**
 * Walks the target alongside the source; returns how many of the source's first events it holds.
 */
async function matchTargetPrefix(
  sourceLog: LogCursor,
  targetLog: LogCursor,
  sourceSum: EventLogChecksum,
  progress: (events: number) => void,
): Promise<number> {
  let matched = 0;
  for (let held = await targetLog.next(); held; held = await targetLog.next()) {
    const expected = await sourceLog.next();
    if (!expected) {
      throw new EventCopyError(
        'TARGET_NOT_A_PREFIX',
        `The target is not empty and is not a partial copy of this source: it holds more events than the source's ${matched}. Copy into an empty store (a new database or EventStoreDB instance).`,
        false,
      );
    }
    if (!sameEvent(expected, held)) {
      throw new EventCopyError(
        'TARGET_NOT_A_PREFIX',
        `The target is not empty and is not a partial copy of this source: its event #${matched + 1} is ${describeEvent(held)} where the source has ${describeEvent(expected)}. Copy into an empty store (a new database or EventStoreDB instance).`,
        false,
      );
    }
    sourceSum.add(expected);
    matched += 1;
    progress(matched);
  }
  return matched;
}

/** Appends consecutive events of one stream, expecting the stream to end just before the first. */
async function appendGroup(target: EventStore, group: readonly RecordedEvent[]): Promise<Position> {
  const first = group[0]!;
  const streamName = first.streamName;
  group.forEach((event, index) => {
    if (event.revision !== first.revision + BigInt(index)) {
      throw new EventCopyError(
        'SOURCE_REVISION_GAP',
        `The source's stream "${streamName}" jumps from revision ${first.revision + BigInt(index) - 1n} to ${event.revision} (truncated or deleted events): its revisions cannot be kept, so the copy stops before event ${event.id}.`,
        false,
      );
    }
  });
  const expectedState: ExpectedState = first.revision === 0n ? 'no_stream' : first.revision - 1n;
  try {
    const result = await target.appendToStream(
      streamName,
      group.map((event) => ({
        id: event.id,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      })),
      { expectedState },
    );
    const last = group.at(-1)!;
    if (result.nextExpectedRevision !== last.revision) {
      throw new EventCopyError(
        'TARGET_REFUSED_APPEND',
        `The target put "${streamName}" revision ${last.revision} at revision ${result.nextExpectedRevision}; something else writes to the target. Stop it and copy into an empty store.`,
        false,
      );
    }
    return result.position;
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) {
      throw new EventCopyError(
        'TARGET_REFUSED_APPEND',
        `The target refused "${streamName}" from revision ${first.revision} (event ${first.id}): ${error.message}. Either the source's stream lacks earlier revisions (truncated or deleted events) or something else writes to the target; nothing from this event on was copied.`,
        false,
        { cause: error },
      );
    }
    if (error instanceof DuplicateEventIdError) {
      // Also what events of an interrupted run look like while they are committed but not yet
      // visible to reads (PostgreSQL: an older transaction on the server still running).
      throw new EventCopyError(
        'TARGET_REFUSED_APPEND',
        `The target already holds some of the events of "${streamName}" from revision ${first.revision} (event ${first.id}) but not as the source has them. If a copy into this target was interrupted moments ago, run this again; otherwise something else writes to the target. Nothing from this event on was copied.`,
        true,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * A freshly committed append can stay invisible to `$all` for a moment (on PostgreSQL until every
 * older transaction ends); verifying before it shows would report a short copy.
 */
async function waitUntilVisible(
  store: EventStore,
  position: Position,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (comparePositions(await store.headPosition(), position) < 0) {
    if (performance.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One event at a time from `$all`, read in batches; `position` is how far the reads got. */
class LogCursor {
  position: Position = START;
  private buffer: readonly RecordedEvent[] = [];
  private index = 0;
  private ended = false;

  constructor(
    private readonly store: EventStore,
    private readonly batchSize: number,
  ) {}

  async next(): Promise<RecordedEvent | undefined> {
    while (this.index >= this.buffer.length) {
      if (this.ended) return undefined;
      const batch = await this.store.readAll({ after: this.position, maxCount: this.batchSize });
      this.buffer = batch.events;
      this.index = 0;
      if (comparePositions(batch.lastPosition, this.position) <= 0 || batch.isEnd)
        this.ended = true;
      if (comparePositions(batch.lastPosition, this.position) > 0)
        this.position = batch.lastPosition;
    }
    return this.buffer[this.index++];
  }
}

/** A progress line at most every `everyMs` while a long read goes on. */
function progressLogger(log: Logger, stage: string, everyMs: number): (events: number) => void {
  const started = performance.now();
  let last = started;
  return (events) => {
    const now = performance.now();
    if (now - last < everyMs) return;
    last = now;
    log.info(
      { stage, events, eventsPerSecond: Math.round(events / ((now - started) / 1000)) },
      'reading',
    );
  };
}

function describeEvent(event: RecordedEvent): string {
  return `${event.type} ${event.id} ("${event.streamName}" revision ${event.revision})`;
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}
