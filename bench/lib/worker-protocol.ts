import type { AppendCell, AppendCellResult, PreloadResult } from './append-workload.js';
import type { CatchUpMode, CatchUpResult, DeliveryCheck, SubjectName } from './subject.js';

/**
 * What the orchestrator asks a subject worker to do. Each store runs in its own process: Emmett's
 * driver layer (dumbo) installs process-wide node-postgres type parsers (int8 → BigInt, JSON with
 * a reviver) that would otherwise change how our store parses rows too.
 */
export interface WorkerOps {
  /** `raw`: the raw-INSERT baseline on our store's pool (our worker only). */
  'append-cell': { request: { cell: AppendCell; raw?: boolean }; result: AppendCellResult };
  preload: {
    request: { streams: number; eventsPerStream: number; concurrency: number; prefix: string };
    result: PreloadResult;
  };
  'catch-up': {
    request: { mode: CatchUpMode; batchSize: number; expectedEvents: number };
    result: CatchUpResult;
  };
  'delivery-check': { request: { batchSize: number }; result: DeliveryCheck };
  reset: { request: Record<string, never>; result: null };
  vacuum: { request: Record<string, never>; result: null };
  'storage-bytes': { request: Record<string, never>; result: number };
  close: { request: Record<string, never>; result: null };
}

export type WorkerOp = keyof WorkerOps;

export type WorkerRequest = {
  [Op in WorkerOp]: { id: number; op: Op; args: WorkerOps[Op]['request'] };
}[WorkerOp];

export type WorkerResponse =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Sent once when the subject is open (or failed to open). */
export type WorkerReady = { ready: true } | { ready: false; error: string };

export interface WorkerArgs {
  readonly subject: SubjectName;
  readonly connectionString: string;
  readonly maxConnections: number;
}
