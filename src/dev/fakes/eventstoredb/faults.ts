import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

/** The calls a fault can strike. */
export type FaultTarget = 'Read' | 'Append' | 'BatchAppend';

/**
 * A failure the server reports, as it reports it: a gRPC status plus the `exception` trailer the
 * clients map to their typed errors (KurrentDB `RpcExceptions.cs` and `Constants.Exceptions`).
 */
export type FaultKind =
  | 'access-denied'
  | 'unavailable'
  | 'deadline-exceeded'
  | 'not-leader'
  | 'stream-deleted'
  | 'stream-not-found';

export interface EventStoreFault {
  readonly on: FaultTarget;
  readonly kind: FaultKind;
  /** How many calls it strikes (default 1). */
  readonly times?: number;
  /** How many matching calls pass untouched first (default 0). */
  readonly afterCalls?: number;
}

/**
 * Where a not-leader answer points the client: this fake itself, as a node that became leader
 * would.
 */
export interface LeaderEndpoint {
  readonly host: string;
  port: number;
}

export function faultError(
  kind: FaultKind,
  streamName = '',
  leader: LeaderEndpoint = { host: '127.0.0.1', port: 2113 },
): ServiceError {
  const metadata = new Metadata();
  const error = (code: status, details: string): ServiceError =>
    Object.assign(new Error(details), { code, details, metadata });
  switch (kind) {
    case 'access-denied':
      // RpcExceptions.AccessDenied: PermissionDenied "Access Denied", exception=access-denied.
      metadata.set('exception', 'access-denied');
      return error(status.PERMISSION_DENIED, 'Access Denied');
    case 'unavailable':
      // RpcExceptions.ServerNotReady: Unavailable "Server Is Not Ready".
      return error(status.UNAVAILABLE, 'Server Is Not Ready');
    case 'deadline-exceeded':
      return error(status.DEADLINE_EXCEEDED, 'Deadline Exceeded');
    case 'not-leader':
      // RpcExceptions.LeaderInfo: NotFound with exception=not-leader and the leader's endpoint.
      metadata.set('exception', 'not-leader');
      metadata.set('leader-endpoint-host', leader.host);
      metadata.set('leader-endpoint-port', String(leader.port));
      return error(status.NOT_FOUND, 'Leader info available');
    case 'stream-not-found':
      // RpcExceptions.StreamNotFound: NotFound, exception=stream-not-found, stream-name. Reads
      // answer
      // a missing stream in-band now (a stream_not_found message); this is the trailer form.
      metadata.set('exception', 'stream-not-found');
      metadata.set('stream-name', streamName);
      return error(status.NOT_FOUND, `Event stream '${streamName}' is not found.`);
    case 'stream-deleted':
      // RpcExceptions.StreamDeleted: FailedPrecondition, exception=stream-deleted, stream-name.
      metadata.set('exception', 'stream-deleted');
      metadata.set('stream-name', streamName);
      return error(status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`);
  }
}

/** The queue of faults still to strike, shared by the services. */
export class FaultPlan {
  private readonly pending: Array<{
    on: FaultTarget;
    kind: FaultKind;
    left: number;
    pass: number;
  }> = [];

  add(fault: EventStoreFault): void {
    this.pending.push({
      on: fault.on,
      kind: fault.kind,
      left: fault.times ?? 1,
      pass: fault.afterCalls ?? 0,
    });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** Calls still to be struck. */
  get left(): number {
    return this.pending.reduce((sum, fault) => sum + fault.left, 0);
  }

  /** The fault this call meets, if any; it is used up. */
  take(target: FaultTarget): FaultKind | undefined {
    const fault = this.pending.find((candidate) => candidate.on === target && candidate.left > 0);
    if (!fault) return undefined;
    if (fault.pass > 0) {
      fault.pass -= 1;
      return undefined;
    }
    fault.left -= 1;
    if (fault.left === 0) this.pending.splice(this.pending.indexOf(fault), 1);
    return fault.kind;
  }
}
