import type { LogRecord } from './event-log.js';

/** `ReadReq.Options.FilterOptions` as proto-loader decodes it (keepCase, oneofs). */
export interface WireFilter {
  readonly stream_identifier?: WireExpression;
  readonly event_type?: WireExpression;
  readonly max?: number;
  readonly count?: object;
  readonly checkpointIntervalMultiplier?: number;
  readonly filter?: 'stream_identifier' | 'event_type';
  readonly window?: 'max' | 'count';
}

interface WireExpression {
  readonly regex?: string;
  readonly prefix?: readonly string[];
}

export interface ReadFilter {
  allows(record: LogRecord): boolean;
  /** Events scanned between two checkpoints of a filtered subscription. */
  readonly checkpointEvery: number;
}

/**
 * The server's `$all` filter (KurrentDB `EventFilter.EventType` / `EventFilter.StreamName`, built
 * by
 * `ConvertToEventFilter` in Streams.Read.cs): one expression, on the event type or on the stream
 * name, either prefixes (any matches) or a regex (matched anywhere, .NET `Regex.IsMatch`,
 * unanchored).
 * A regex is used when it is not empty, else the prefixes.
 */
export function readFilter(filter: WireFilter | undefined): ReadFilter {
  // Checkpoints come every `checkpointIntervalMultiplier` × window scanned events; without a `max`
  // window the server takes its read batch size, 32 (Enumerator.AllSubscriptionFiltered.cs,
  // `_checkpointInterval = checkpointIntervalMultiplier * _maxSearchWindow`, DefaultReadBatchSize).
  const window = filter?.max && filter.max > 0 ? filter.max : 32;
  const multiplier =
    filter?.checkpointIntervalMultiplier && filter.checkpointIntervalMultiplier > 0
      ? filter.checkpointIntervalMultiplier
      : 1;
  const checkpointEvery = window * multiplier;
  if (!filter) return { allows: () => true, checkpointEvery };
  const onType = filter.event_type !== undefined;
  const expression = filter.event_type ?? filter.stream_identifier;
  if (!expression) throw new Error('a filter needs an event type or a stream name expression');
  const field = (record: LogRecord) => (onType ? record.type : record.streamName);
  if (expression.regex) {
    const regex = new RegExp(expression.regex);
    return { allows: (record) => regex.test(field(record)), checkpointEvery };
  }
  const prefixes = expression.prefix ?? [];
  return {
    allows: (record) => prefixes.some((prefix) => field(record).startsWith(prefix)),
    checkpointEvery,
  };
}
