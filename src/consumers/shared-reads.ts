import type {
  EventStore,
  ReadAllBatch,
  ReadAllOptions,
  RecordedEvent,
} from '../ports/event-store/event-store.js';
import { START, formatPosition } from '../ports/event-store/position.js';

interface Waiting {
  readonly options: ReadAllOptions;
  resolve(batch: ReadAllBatch): void;
  reject(error: unknown): void;
}

/**
 * Reads of `$all` that the consumers of one store in one process ask for at about the same moment.
 * Woken by the same append, the projections and the pipeline's intake each read the same range,
 * only with other filters: those asking from the same position for the same number of events get
 * one read, unfiltered where their filters differ, and each keeps what its own filter takes. The
 * range is the one each would have read alone (a filter drops events, not the rows scanned past),
 * so `lastPosition` and `isEnd` mean for each exactly what they mean for a read of its own.
 */
export class SharedReads {
  private waiting: Waiting[] = [];
  private flushing: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    /** How long the first request waits for others to join it. */
    private readonly gatherMs = 2,
  ) {}

  readAll(options: ReadAllOptions): Promise<ReadAllBatch> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ options, resolve, reject });
      this.flushing ??= setTimeout(() => this.flush(), this.gatherMs);
    });
  }

  private flush(): void {
    const waiting = this.waiting;
    this.waiting = [];
    this.flushing = undefined;
    const groups = new Map<string, Waiting[]>();
    for (const request of waiting) {
      const key = `${formatPosition(request.options.after ?? START)}|${request.options.maxCount ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), request]);
    }
    for (const group of groups.values()) void this.readFor(group);
  }

  private async readFor(group: readonly Waiting[]): Promise<void> {
    const [first] = group;
    if (!first) return;
    if (group.length === 1) {
      await this.store.readAll(first.options).then(first.resolve, first.reject);
      return;
    }
    let batch: ReadAllBatch;
    try {
      batch = await this.store.readAll({
        ...(first.options.after ? { after: first.options.after } : {}),
        ...(first.options.maxCount !== undefined ? { maxCount: first.options.maxCount } : {}),
        ...unionOf(group.map((request) => request.options)),
      });
    } catch (error) {
      for (const request of group) request.reject(error);
      return;
    }
    for (const request of group)
      request.resolve({
        events: batch.events.filter((event) => matches(event, request.options)),
        lastPosition: batch.lastPosition,
        isEnd: batch.isEnd,
      });
  }
}

/** The narrowest single filter that lets through everything any of the reads takes. */
function unionOf(reads: readonly ReadAllOptions[]): Pick<ReadAllOptions, 'eventTypes'> {
  // Prefixes combine with types by AND per read, so a union of both would not be one filter.
  if (reads.some((read) => !read.eventTypes?.length || read.streamPrefixes?.length)) return {};
  return { eventTypes: [...new Set(reads.flatMap((read) => read.eventTypes ?? []))] };
}

function matches(event: RecordedEvent, read: ReadAllOptions): boolean {
  if (read.eventTypes?.length && !read.eventTypes.includes(event.type)) return false;
  if (read.streamPrefixes?.length)
    return read.streamPrefixes.some((prefix) => event.streamName.startsWith(prefix));
  return true;
}

const perStore = new WeakMap<object, SharedReads>();

/** The shared reads of one store, made on first use (one per store object per process). */
export function sharedReadsOf(store: Pick<EventStore, 'readAll'>): SharedReads {
  let shared = perStore.get(store);
  if (!shared) {
    shared = new SharedReads(store);
    perStore.set(store, shared);
  }
  return shared;
}
