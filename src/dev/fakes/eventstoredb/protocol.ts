import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import protobuf from 'protobufjs';

/**
 * The EventStoreDB/KurrentDB v1 gRPC protocol, read from the `.proto` files vendored under
 * `specs/eventstoredb/` (the client packages ship only generated code, not the definitions).
 * Loaded once, on first use.
 */
const protoRoot = fileURLToPath(new URL('../../../../specs/eventstoredb/', import.meta.url));
const protoFiles = [
  'kurrentdb/protocols/v1/streams.proto',
  'kurrentdb/protocols/v1/serverfeatures.proto',
];

export interface EventStoreProtocol {
  readonly streams: ServiceDefinition;
  readonly serverFeatures: ServiceDefinition;
  /**
   * Packs a message of the protocol into a `google.protobuf.Any`, as the server does for status
   * details.
   */
  pack(typeName: string, message: Record<string, unknown>): { type_url: string; value: Buffer };
}

let loaded: EventStoreProtocol | undefined;

export function eventStoreProtocol(): EventStoreProtocol {
  loaded ??= load();
  return loaded;
}

function load(): EventStoreProtocol {
  // Field names as written in the .proto (keepCase), 64-bit numbers as decimal strings, oneofs
  // named.
  const definition = loadSync(protoFiles, {
    includeDirs: [protoRoot],
    keepCase: true,
    longs: String,
    enums: String,
    bytes: Buffer,
    defaults: false,
    oneofs: true,
  });
  const grpcObject = loadPackageDefinition(definition) as unknown as {
    event_store: {
      client: {
        streams: { Streams: { service: ServiceDefinition } };
        server_features: { ServerFeatures: { service: ServiceDefinition } };
      };
    };
  };
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) =>
    target.startsWith('google/protobuf/') ? target : `${protoRoot}${target}`;
  root.loadSync(protoFiles, { keepCase: true });
  return {
    streams: grpcObject.event_store.client.streams.Streams.service,
    serverFeatures: grpcObject.event_store.client.server_features.ServerFeatures.service,
    pack(typeName, message) {
      const type = root.lookupType(typeName);
      return {
        type_url: `type.googleapis.com/${typeName}`,
        value: Buffer.from(type.encode(type.fromObject(message)).finish()),
      };
    },
  };
}
