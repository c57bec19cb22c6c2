import { expect } from 'vitest';
import {
  fold,
  type Decider,
  type DomainEvent,
  type DomainRejection,
} from '../../domain/decider.js';
import { validateEvent } from '../../domain/events/catalog.js';

export interface Then<Event, State, Code extends string> {
  /** Expects exactly these events (or, given a code, that rejection); returns the state after. */
  then(expected: readonly Event[] | Code): State;
  /** Expects a rejection with this code and, when given, details containing these entries. */
  thenRejects(code: Code, details?: Readonly<Record<string, unknown>>): State;
}

/**
 * `given(events).when(command).then(events | code)` for one decider. Accepted events are also
 * checked against the catalog, so a decider can never emit what the store would refuse.
 * Never `await` or return `when(...)` itself: its `then` method makes it look like a promise.
 */
export function givenFor<
  Command,
  Event extends DomainEvent,
  State,
  Rejection extends DomainRejection,
>(decider: Decider<Command, Event, State, Rejection>) {
  return (history: readonly Event[] = []) => ({
    state: fold(decider, history),
    when(command: Command): Then<Event, State, Rejection['code']> {
      const before = fold(decider, history);
      const decision = decider.decide(command, before);
      const after = decision.ok ? fold(decider, decision.events, before) : before;
      const expectRejection = (
        code: Rejection['code'],
        details?: Readonly<Record<string, unknown>>,
      ): State => {
        expect(decision.ok ? { acceptedEvents: decision.events } : decision.rejection.code).toEqual(
          code,
        );
        if (details && !decision.ok) expect(decision.rejection.details).toMatchObject(details);
        return after;
      };
      return {
        then(expected) {
          if (typeof expected === 'string') return expectRejection(expected);
          expect(decision.ok ? decision.events : { rejected: decision.rejection }).toEqual(
            expected,
          );
          if (decision.ok) for (const event of decision.events) validateEvent(event);
          return after;
        },
        thenRejects: expectRejection,
      };
    },
  });
}
