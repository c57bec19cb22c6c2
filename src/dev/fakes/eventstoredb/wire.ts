import type { ExpectedRevision, LogRecord, ProposedEvent } from './event-log.js';

/**
 * Conversions between the v1 protocol's messages (as proto-loader decodes them: field names as in
 * the .proto, 64-bit numbers as decimal strings, `oneofs` naming the field set) and the fake's log.
 */

export interface WireUuid {
  readonly string?: string;
  readonly structured?: {
    readonly most_significant_bits: string;
    readonly least_significant_bits: string;
  };
}

export interface WireProposedMessage {
  readonly id?: WireUuid;
  readonly metadata?: Record<string, string>;
  readonly custom_metadata?: Buffer;
  readonly data?: Buffer;
}

export class WireError extends Error {}

export function streamNameOf(identifier: { readonly stream_name?: Buffer } | undefined): string {
  if (!identifier?.stream_name) throw new WireError('the request names no stream');
  return identifier.stream_name.toString('utf8');
}

export function streamIdentifier(streamName: string): { stream_name: Buffer } {
  return { stream_name: Buffer.from(streamName, 'utf8') };
}

/** Both UUID encodings of shared.proto: the string form, or two signed 64-bit halves. */
export function uuidText(uuid: WireUuid | undefined): string {
  if (uuid?.string) return uuid.string.toLowerCase();
  if (uuid?.structured) {
    const hex = (half: string) => BigInt.asUintN(64, BigInt(half)).toString(16).padStart(16, '0');
    const most = hex(uuid.structured.most_significant_bits);
    const least = hex(uuid.structured.least_significant_bits);
    return `${most.slice(0, 8)}-${most.slice(8, 12)}-${most.slice(12)}-${least.slice(0, 4)}-${least.slice(4)}`;
  }
  throw new WireError('an event has no id');
}

export function wireUuid(id: string, structured: boolean): WireUuid {
  if (!structured) return { string: id };
  const digits = id.replaceAll('-', '');
  const signed = (hex: string) => BigInt.asIntN(64, BigInt(`0x${hex}`)).toString();
  return {
    structured: {
      most_significant_bits: signed(digits.slice(0, 16)),
      least_significant_bits: signed(digits.slice(16)),
    },
  };
}

/**
 * A proposed event as the server takes it: `type` and `content-type` are required metadata
 * entries (the server answers "missing-required-metadata-property" without them, KurrentDB
 * `MetadataHelpers.ParseGrpcMetadata`).
 */
export function proposedEvent(message: WireProposedMessage): ProposedEvent {
  const type = message.metadata?.type;
  const contentType = message.metadata?.['content-type'];
  if (type === undefined || contentType === undefined)
    throw new WireError('required metadata property type or content-type is missing');
  return {
    id: uuidText(message.id),
    type,
    contentType,
    data: message.data ?? Buffer.alloc(0),
    customMetadata: message.custom_metadata ?? Buffer.alloc(0),
  };
}

/** The `expected_stream_revision` (Append) or `expected_stream_position` (BatchAppend) oneof. */
export function expectedRevisionOf(
  options: Record<string, unknown>,
  revisionField: 'revision' | 'stream_position',
): ExpectedRevision {
  if (options[revisionField] !== undefined) return BigInt(options[revisionField] as string);
  if (options.no_stream !== undefined) return 'no_stream';
  if (options.stream_exists !== undefined) return 'stream_exists';
  if (options.any !== undefined) return 'any';
  throw new WireError('no expected stream revision');
}

export interface RecordedEventOptions {
  readonly structuredIds: boolean;
  /** Servers before 22.6 gave no log position for events read from a stream (only from `$all`). */
  readonly withPosition: boolean;
}

/**
 * What servers before 22.6 put in a stream read's positions: `Position.FromInt64(commitPosition ??
 * -1,
 * preparePosition ?? -1)` with no position at hand, i.e. `Position.End`, 2^64 - 1 on the wire
 * (EventStore `Enumerators.cs`, `ConvertToRecordedEvent`, at commit 89f2000a9, 2021).
 */
const NO_POSITION = ((1n << 64n) - 1n).toString();

export function wireRecordedEvent(
  record: LogRecord,
  options: RecordedEventOptions,
): Record<string, unknown> {
  const position = options.withPosition ? record.position.toString() : NO_POSITION;
  return {
    id: wireUuid(record.id, options.structuredIds),
    stream_identifier: streamIdentifier(record.streamName),
    stream_revision: record.revision.toString(),
    prepare_position: position,
    commit_position: position,
    metadata: {
      type: record.type,
      'content-type': record.contentType,
      created: record.created.toString(),
    },
    custom_metadata: Buffer.from(record.customMetadata),
    data: Buffer.from(record.data),
  };
}
