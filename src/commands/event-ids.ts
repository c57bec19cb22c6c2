import { hash } from 'node:crypto';

// A fixed namespace: event ids must be the same for the same command in every process, forever.
const namespace = Buffer.from('8f7d0f4e5a5b4c559a7e2f1c3b9f6a10', 'hex');

/**
 * The id of the n-th event a command produces: the name-based (version 5, SHA-1) UUID of
 * `<commandId>#<index>` in a fixed namespace (RFC 9562 §5.5). Deterministic, so when two processes
 * handle the same command, the event store sees the same ids and the second append is an
 * idempotent no-op. Computed with node's native SHA-1: every command pays for it, and the pure
 * JavaScript one of the `uuid` package cost about as much as deciding the command.
 */
export function eventIdFor(commandId: string, index: number): string {
  // The one-shot hash: half the cost of a Hash object for an input this small.
  const name = Buffer.from(`${commandId}#${index}`, 'utf8');
  const digest = hash('sha1', Buffer.concat([namespace, name]), 'buffer');
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
