/**
 * The read model both catch-ups build: one counter row per stream, with the last event type and
 * global position. Same table, same per-event upsert for ours and for Emmett.
 */
export const readModelTable = 'bench_stream_counters';

export const createReadModelSql = `
CREATE TABLE IF NOT EXISTS ${readModelTable} (
  stream_name text PRIMARY KEY,
  events bigint NOT NULL,
  last_type text NOT NULL,
  last_global_position bigint NOT NULL
)`;

export const truncateReadModelSql = `TRUNCATE ${readModelTable}`;

/** Parameters: stream name, event type, global position. */
export const upsertOneEventSql = `
INSERT INTO ${readModelTable} (stream_name, events, last_type, last_global_position)
VALUES ($1, 1, $2, $3)
ON CONFLICT (stream_name) DO UPDATE
   SET events = ${readModelTable}.events + 1,
       last_type = EXCLUDED.last_type,
       last_global_position = EXCLUDED.last_global_position`;

/** Parameters: four parallel arrays (stream names, event counts, last types, last positions). */
export const upsertAggregatedSql = `
INSERT INTO ${readModelTable} (stream_name, events, last_type, last_global_position)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[])
ON CONFLICT (stream_name) DO UPDATE
   SET events = ${readModelTable}.events + EXCLUDED.events,
       last_type = EXCLUDED.last_type,
       last_global_position = EXCLUDED.last_global_position`;

export const readModelTotalsSql = `
SELECT coalesce(sum(events), 0)::text AS events, count(*)::text AS streams FROM ${readModelTable}`;

export interface StreamCounterDelta {
  readonly streamName: string;
  events: number;
  lastType: string;
  lastGlobalPosition: bigint;
}

/** Folds a batch into one delta per stream, keeping the batch's order for "last". */
export function aggregateByStream(
  events: Iterable<{ streamName: string; type: string; globalPosition: bigint }>,
): StreamCounterDelta[] {
  const byStream = new Map<string, StreamCounterDelta>();
  for (const event of events) {
    const delta = byStream.get(event.streamName);
    if (delta) {
      delta.events += 1;
      delta.lastType = event.type;
      delta.lastGlobalPosition = event.globalPosition;
    } else {
      byStream.set(event.streamName, {
        streamName: event.streamName,
        events: 1,
        lastType: event.type,
        lastGlobalPosition: event.globalPosition,
      });
    }
  }
  return [...byStream.values()];
}

export function aggregatedParams(deltas: readonly StreamCounterDelta[]): unknown[] {
  return [
    deltas.map((delta) => delta.streamName),
    deltas.map((delta) => delta.events),
    deltas.map((delta) => delta.lastType),
    deltas.map((delta) => delta.lastGlobalPosition.toString()),
  ];
}
