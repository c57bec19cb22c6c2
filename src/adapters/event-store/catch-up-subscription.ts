import { Observable, filter, merge, timer, type Subscription } from 'rxjs';
import {
  concernsReader,
  type AppendedHint,
  type ReadAllBatch,
  type ReadAllOptions,
  type SubscribeOptions,
  type SubscriptionItem,
} from '../../ports/event-store/event-store.js';
import { START, type Position } from '../../ports/event-store/position.js';

export interface CatchUpSource {
  readAll(options: ReadAllOptions): Promise<ReadAllBatch>;
  /** Hints that something was appended; may be spurious, late or missing — polling covers that. */
  readonly wakeUps: Observable<AppendedHint>;
}

export interface CatchUpOptions extends SubscribeOptions {
  /** How often to look even without a wake-up: covers lost notifications and late commits. */
  readonly pollIntervalMs?: number;
}

/**
 * Pull-based catch-up: read a batch, hand it over, read the next; at the head emit `caught-up`,
 * then sleep until a wake-up or the poll interval. The read position only ever moves to a batch's
 * `lastPosition`, so a restart from any emitted position loses and repeats nothing.
 */
export async function* catchUp(
  source: CatchUpSource,
  options: CatchUpOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<SubscriptionItem> {
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let position: Position = options.after ?? START;
  let caughtUp = false;
  // Set by any wake-up that arrives while we read, so one that lands mid-read is not lost.
  let dirty: boolean;
  let wake: (() => void) | undefined;
  const wakeSubscription: Subscription = merge(
    source.wakeUps.pipe(filter((hint) => concernsReader(hint, options.eventTypes))),
    signal ? abortEvents(signal) : [],
  ).subscribe(() => {
    dirty = true;
    wake?.();
  });
  try {
    while (!signal?.aborted) {
      dirty = false;
      const batch = await source.readAll({
        after: position,
        maxCount: batchSize,
        ...(options.eventTypes ? { eventTypes: options.eventTypes } : {}),
        ...(options.streamPrefixes ? { streamPrefixes: options.streamPrefixes } : {}),
      });
      if (batch.events.length > 0 || batch.lastPosition !== position) {
        position = batch.lastPosition;
        yield { kind: 'events', events: batch.events, lastPosition: position };
      }
      if (!batch.isEnd) continue;
      if (!caughtUp) {
        caughtUp = true;
        yield { kind: 'caught-up', lastPosition: position };
      }
      if (dirty || signal?.aborted) continue;
      await new Promise<void>((resolve) => {
        const timeout = timer(pollIntervalMs).subscribe(() => resolve());
        wake = () => {
          timeout.unsubscribe();
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    wakeSubscription.unsubscribe();
  }
}

function abortEvents(signal: AbortSignal): Observable<unknown> {
  return new Observable((subscriber) => {
    const onAbort = () => subscriber.next(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  });
}

/** The rxjs face of `catchUp`; unsubscribing stops the loop after its current read. */
export function catchUpObservable(
  source: CatchUpSource,
  options: CatchUpOptions = {},
): Observable<SubscriptionItem> {
  return new Observable<SubscriptionItem>((subscriber) => {
    const controller = new AbortController();
    (async () => {
      for await (const item of catchUp(source, options, controller.signal)) {
        if (controller.signal.aborted) break;
        subscriber.next(item);
      }
      subscriber.complete();
    })().catch((error: unknown) => subscriber.error(error));
    return () => controller.abort();
  });
}
