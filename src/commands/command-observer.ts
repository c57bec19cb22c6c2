/**
 * How a command ended, for metrics: appended, refused by the decider, a repeat, or a thrown error.
 */
export type CommandResultKind = 'ok' | 'rejected' | 'duplicate' | 'error';

/**
 * Optional hooks the command handler calls (metrics); they must be cheap and must not throw.
 * Kept as a port so commands do not depend on the metrics library.
 */
export interface CommandObserver {
  commandHandled(info: {
    readonly command: string;
    readonly durationMs: number;
    readonly result: CommandResultKind;
  }): void;
  /** After a successful append (not for idempotent repeats), in append order. */
  eventsAppended(events: readonly { readonly type: string; readonly data: unknown }[]): void;
}
