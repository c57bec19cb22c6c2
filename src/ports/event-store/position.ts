/**
 * A place in the global `$all` order. Mirrors EventStoreDB's `{commit, prepare}` pair: on
 * PostgreSQL `commit` is the writing transaction's xid8 and `prepare` the global position, which is
 * the order subscribers read in (the late-commit problem: a transaction that commits after a later
 * one must not be skipped).
 * Positions are opaque to callers: compare them only with `comparePositions`.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** Before the first event: a subscription from here delivers everything. */
export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

export function comparePositions(a: Position, b: Position): -1 | 0 | 1 {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function isAfter(a: Position, b: Position): boolean {
  return comparePositions(a, b) > 0;
}

export function maxPosition(a: Position, b: Position): Position {
  return isAfter(a, b) ? a : b;
}

/** Stable text form for checkpoints and HTTP: `"<commit>:<prepare>"`; zero-padded so it sorts. */
export function formatPosition(position: Position): string {
  if (position.commit < 0n) return 'start';
  return `${position.commit.toString().padStart(20, '0')}:${position.prepare.toString().padStart(20, '0')}`;
}

export function parsePosition(text: string): Position {
  if (text === 'start') return START;
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(text);
  if (!match) throw new TypeError(`not a position: ${JSON.stringify(text)}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}
