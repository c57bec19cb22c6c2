import type { Actor } from '../domain/events/metadata.js';

/** Who issues a command and how it relates to what came before it. */
export interface CommandContext {
  /** Unique per intent: a retried update or a double click carries the same id. */
  readonly commandId: string;
  readonly actor: Actor;
  /** The event or command that caused this one; defaults to the command itself. */
  readonly causationId?: string;
  /** Ties a whole flow together (e.g. one generation); defaults to the command id. */
  readonly correlationId?: string;
}
