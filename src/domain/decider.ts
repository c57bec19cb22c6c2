/**
 * The shape every aggregate takes: pure functions, no I/O, no clock (time arrives in commands).
 * `decide` answers a command with the events it causes, or with a typed rejection; `evolve`
 * folds one event into the state. A stream's state is `events.reduce(evolve, initialState)`.
 */
export interface Decider<
  Command,
  Event extends DomainEvent,
  State,
  Rejection extends DomainRejection,
> {
  readonly initialState: State;
  decide(command: Command, state: State): Decision<Event, Rejection>;
  evolve(state: State, event: Event): State;
}

/** An event as the domain sees it: type and payload. Metadata is added by the command layer. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** An expected "no": shown to the user, logged as info, never thrown. */
export interface DomainRejection<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Decision<Event, Rejection> =
  | { readonly ok: true; readonly events: readonly Event[] }
  | { readonly ok: false; readonly rejection: Rejection };

export const accept = <Event>(...events: Event[]): { ok: true; events: Event[] } => ({
  ok: true,
  events,
});

export const reject = <Code extends string>(
  code: Code,
  message: string,
  details?: Record<string, unknown>,
): { ok: false; rejection: DomainRejection<Code> } => ({
  ok: false,
  rejection: details ? { code, message, details } : { code, message },
});

export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State, DomainRejection>, 'evolve' | 'initialState'>,
  events: readonly Event[],
  from: State = decider.initialState,
): State {
  return events.reduce(decider.evolve, from);
}
