import type {
  EventStore,
  ReadAllBatch,
  ReadAllOptions,
  RecordedEvent,
} from '../ports/event-store/event-store.js';
import { START, formatPosition } from '../ports/event-store/position.js';

/** What the stores read when not told how many. */
const DEFAULT_MAX_COUNT = 500;

interface Waiting {
  readonly options: ReadAllOptions;
  resolve(batch: ReadAllBatch): void;
  reject(error: unknown): void;
}

/**
 * Reads of `$all` that the consumers of one store in one process ask for at about the same moment.
 * Woken by the same append, the projections and the pipeline's intake each read the same range,
 * only with other filters: those asking from the same position get one read (by the union of
 * their types where they all filter by type alone and ask for as many events, otherwise
 * unfiltered), and each keeps what its own filter takes. The range is the one each would have
 * read alone (a filter drops events, not the rows scanned past; an unfiltered read shows every row
 * it scanned, so a shorter read is cut where it would have stopped), so `lastPosition` and `isEnd`
 * mean for each exactly what they mean for a read of its own.
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
      const key = formatPosition(request.options.after ?? START);
      const group = groups.get(key);
      if (group) group.push(request);
      else groups.set(key, [request]);
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
    const counts = new Set(group.map((request) => request.options.maxCount));
    // Reads of different lengths share one only unfiltered: then every row scanned comes back, and
    // a shorter read is the longer one cut after its own count.
    const sameLength = counts.size === 1;
    const maxCount = sameLength
      ? first.options.maxCount
      : Math.max(...group.map((request) => request.options.maxCount ?? DEFAULT_MAX_COUNT));
    let batch: ReadAllBatch;
    try {
      batch = await this.store.readAll({
        ...(first.options.after ? { after: first.options.after } : {}),
        ...(maxCount !== undefined ? { maxCount } : {}),
        ...(sameLength ? unionOf(group.map((request) => request.options)) : {}),
      });
    } catch (error) {
      for (const request of group) request.reject(error);
      return;
    }
    for (const request of group) {
      const own = request.options.maxCount ?? DEFAULT_MAX_COUNT;
      const cut = !sameLength && batch.events.length > own;
      const scanned = cut ? batch.events.slice(0, own) : batch.events;
      request.resolve({
        events: scanned.filter((event) => matches(event, request.options)),
        lastPosition: cut ? scanned[own - 1]!.position : batch.lastPosition,
        isEnd: cut ? false : batch.isEnd,
      });
    }
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
