import type { DomainRejection } from '../decider.js';

/** Stable codes; a process manager treats `invalid_transition` on a replayed step as "already done". */
export type GenerationRejectionCode = 'already_started' | 'invalid_request' | 'invalid_result' | 'invalid_transition';

export type GenerationRejection = DomainRejection<GenerationRejectionCode>;
