import { captionsAfterTalkingHead } from './caption-style.js';
import type { GenerationState } from './state.js';

/**
 * What a process manager must do next for a generation, derived from its events alone so that a
 * restart resumes where the log says, never where memory said. The `await_*` steps mean a provider
 * request id is stored and only its result is missing: poll it, do not submit again.
 */
export type GenerationStep =
  | 'start'
  | 'synthesize'
  | 'request_talking_head'
  | 'await_talking_head'
  | 'overlay'
  | 'await_overlay'
  | 'subtitles'
  | 'complete'
  | 'deliver'
  | 'refund'
  | 'done';

export function nextStep(state: GenerationState): GenerationStep {
  switch (state.status) {
    case 'not_started':
      return 'start';
    case 'started':
      return 'synthesize';
    case 'audio_ready':
      return 'request_talking_head';
    case 'talking_head_requested':
      return 'await_talking_head';
    case 'talking_head_ready':
      if (state.request?.format === 'background') return 'overlay';
      return captionsAfterTalkingHead(state.request) ? 'subtitles' : 'complete';
    case 'overlay_requested':
      return 'await_overlay';
    case 'overlay_ready':
      return 'subtitles';
    case 'subtitled':
      return 'complete';
    case 'completed':
      return 'deliver';
    case 'delivered':
    case 'delivery_abandoned':
      return 'done';
    case 'failed':
    case 'audio_rejected':
      // Stays 'refund' after refunding: the user stream, not this one, records the refund, and its
      // decider rejects a second one (`already_refunded`), which the process manager reads as done.
      return 'refund';
    default:
      return unreachable(state.status);
  }
}

function unreachable(status: never): never {
  throw new Error(`Unknown generation status ${String(status)}`);
}
