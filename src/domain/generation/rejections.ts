import type { DomainRejection } from '../decider.js';

/**
 * Stable codes; a process manager treats `invalid_transition` on a replayed step as "already done".
 */
export type GenerationRejectionCode =
  | 'already_started'
  | 'invalid_request'
  | 'invalid_result'
  | 'invalid_transition'
  /** An upload is recorded with no answer: a new one could send the video twice. */
  | 'send_outcome_unknown'
  | 'no_pending_send';

export type GenerationRejection = DomainRejection<GenerationRejectionCode>;
