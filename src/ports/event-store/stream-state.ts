/**
 * What the writer believes about a stream before appending, as in EventStoreDB:
 * `any` skips the check, `no_stream` requires the stream to be absent, `stream_exists` requires
 * at least one event, and a bigint requires the last event to have exactly that 0-based revision.
 */
export type ExpectedState = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** What the stream actually was when an append was refused. */
export type ActualState = 'no_stream' | bigint;

export function describeState(state: ExpectedState | ActualState): string {
  return typeof state === 'bigint' ? `revision ${state}` : state;
}

/** True when a stream whose last revision is `actual` satisfies `expected`. */
export function satisfies(expected: ExpectedState, actual: ActualState): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
}
