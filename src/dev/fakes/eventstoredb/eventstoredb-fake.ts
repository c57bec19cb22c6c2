import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import { EventLog, type ProposedEvent } from './event-log.js';
import { FaultPlan, faultError, type EventStoreFault, type LeaderEndpoint } from './faults.js';
import { eventStoreProtocol } from './protocol.js';
import { streamsService } from './streams-service.js';

export interface EventStoreDbFakeOptions {
  /** Default 0: an ephemeral port. A restart keeps the port it got. */
  readonly port?: number;
  /**
   * The version `ServerFeatures.GetSupportedMethods` reports (default 24.10.0). `null` answers that
   * call UNIMPLEMENTED, as servers before 21.10 did; clients then append through `Streams.Append`
   * instead of `BatchAppend`.
   */
  readonly serverVersion?: string | null;
  /**
   * Servers before 22.6 gave no log position for events read from a stream; default: derived from
   * the version.
   */
  readonly positionsOnStreamReads?: boolean;
  /**
   * Whether an idempotent append (a retry) is answered with the log position of the event it
   * matched. The commit check finds that position only when the event is in its index, and older
   * servers answered such writes without one (`no_position`). Default: like positions on stream
   * reads.
   */
  readonly positionsOnIdempotentAppends?: boolean;
}

export interface EventStoreDbFake {
  /**
   * `esdb://127.0.0.1:<port>?tls=false`; `kurrentdb://` works the same for clients that take it.
   */
  readonly url: string;
  readonly port: number;
  readonly log: EventLog;
  /** Makes the next matching call(s) fail with the status and trailers the server would send. */
  fail(fault: EventStoreFault): void;
  /** How many planned failures have not struck yet. */
  readonly faultsLeft: number;
  /**
   * Writes an event into a system stream (`$…`), as the server itself does (stats, settings,
   * projections' links), so tests can check that readers skip them.
   */
  writeSystemEvent(streamName: `$${string}`, type: `$${string}`, data?: object): void;
  /** Ends every live subscription with UNAVAILABLE, as a server going away does. */
  dropSubscriptions(): void;
  /** Stops serving and serves again on the same port with the same log (a server restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A wire-level fake of the EventStoreDB/KurrentDB gRPC API (v1 protocol): what our adapter and the
 * official clients call on a single node reached as `esdb://host:port?tls=false` (no gossip),
 * in-process over insecure HTTP/2.
 */
export async function startEventStoreDbFake(
  options: EventStoreDbFakeOptions = {},
): Promise<EventStoreDbFake> {
  const protocol = eventStoreProtocol();
  const log = new EventLog();
  const faults = new FaultPlan();
  const subscriptions = new Set<ServerWritableStream<unknown, unknown>>();
  const serverVersion = options.serverVersion === undefined ? '24.10.0' : options.serverVersion;
  const positionsOnStreamReads =
    options.positionsOnStreamReads ??
    (serverVersion !== null && versionAtLeast(serverVersion, 22, 6));
  const positionsOnIdempotentAppends =
    options.positionsOnIdempotentAppends ?? positionsOnStreamReads;

  const self: LeaderEndpoint = { host: '127.0.0.1', port: 0 };
  const buildServer = () => {
    const server = new Server();
    server.addService(
      protocol.streams,
      streamsService({
        log,
        faults,
        protocol,
        positionsOnStreamReads,
        positionsOnIdempotentAppends,
        subscriptions,
        self,
      }),
    );
    server.addService(protocol.serverFeatures, {
      GetSupportedMethods(_call: unknown, callback: sendUnaryData<unknown>) {
        if (serverVersion === null) {
          callback(Object.assign(new Error('Method not found'), { code: status.UNIMPLEMENTED }));
          return;
        }
        callback(null, supportedMethods(serverVersion, positionsOnStreamReads));
      },
    });
    return server;
  };

  const bind = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );

  let server = buildServer();
  const port = await bind(server, options.port ?? 0);
  self.port = port;
  writeStartupEvents(log);

  const dropSubscriptions = () => {
    for (const call of [...subscriptions]) {
      subscriptions.delete(call);
      call.emit('error', faultError('unavailable'));
    }
  };

  return {
    url: `esdb://127.0.0.1:${port}?tls=false`,
    port,
    log,
    fail: (fault) => faults.add(fault),
    get faultsLeft() {
      return faults.left;
    },
    writeSystemEvent(streamName, type, data = {}) {
      log.append(streamName, 'any', [systemEvent(type, data)]);
    },
    dropSubscriptions,
    async restart() {
      dropSubscriptions();
      server.forceShutdown();
      server = buildServer();
      await bind(server, port);
    },
    async close() {
      faults.clear();
      dropSubscriptions();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      server.forceShutdown();
    },
  };
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [actualMajor = 0, actualMinor = 0] = version.split('.').map(Number);
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
}

/**
 * What KurrentDB's ServerFeatures.cs reports: every served method, lower-cased; Read with the
 * features "position" (events read from a stream carry their log position, 22.6+) and "events",
 * BatchAppend with "deadline_duration".
 */
function supportedMethods(
  version: string,
  positionsOnStreamReads: boolean,
): Record<string, unknown> {
  const service = 'event_store.client.streams.streams';
  return {
    event_store_server_version: version,
    methods: [
      {
        method_name: 'read',
        service_name: service,
        features: positionsOnStreamReads ? ['position', 'events'] : ['events'],
      },
      { method_name: 'append', service_name: service, features: [] },
      { method_name: 'batchappend', service_name: service, features: ['deadline_duration'] },
      {
        method_name: 'getsupportedmethods',
        service_name: 'event_store.client.server_features.serverfeatures',
        features: [],
      },
    ],
  };
}

function systemEvent(type: string, data: object): ProposedEvent {
  return {
    id: crypto.randomUUID(),
    type,
    contentType: 'application/json',
    data: Buffer.from(JSON.stringify(data)),
    customMetadata: Buffer.alloc(0),
  };
}

/**
 * A fresh server's log is not empty: it writes its settings and, every stats period, a stats event
 * (`$settings` / `$stats-<endpoint>` streams). A reader of `$all` must skip such `$` events.
 */
function writeStartupEvents(log: EventLog): void {
  log.append('$settings', 'any', [systemEvent('$settings', { $userStreamAcl: { $r: '$all' } })]);
  log.append('$$$stats-127.0.0.1:2113', 'any', [systemEvent('$metadata', { $maxAge: 86400 })]);
  log.append('$stats-127.0.0.1:2113', 'any', [
    systemEvent('$statsCollected', { 'proc-startTime': new Date().toISOString() }),
  ]);
}
