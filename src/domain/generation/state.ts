import type { GenerationEventData } from '../events/generation-events.js';

/**
 * Where one generation stands. The order for the talking-head format is
 * started → audio_ready → talking_head_requested → talking_head_ready → completed → delivered;
 * the background format adds overlay_requested → overlay_ready → subtitled before completion.
 * audio_rejected, failed and delivered are terminal.
 */
export type GenerationStatus =
  | 'not_started'
  | 'started'
  | 'audio_ready'
  | 'audio_rejected'
  | 'talking_head_requested'
  | 'talking_head_ready'
  | 'overlay_requested'
  | 'overlay_ready'
  | 'subtitled'
  | 'completed'
  | 'delivered'
  | 'failed';

export interface TalkingHeadProgress {
  readonly provider: string;
  /** Stored before polling, so a restarted process manager polls instead of paying twice. */
  readonly requestId: string | null;
  readonly result: GenerationEventData<'TalkingHeadGenerated'> | null;
}

export interface OverlayProgress {
  readonly provider: string;
  readonly requestId: string | null;
  readonly shape: GenerationEventData<'OverlayRequested'>['shape'];
  readonly result: GenerationEventData<'OverlayRendered'> | null;
}

export interface GenerationState {
  readonly status: GenerationStatus;
  readonly request: GenerationEventData<'GenerationStarted'> | null;
  readonly audio: GenerationEventData<'AudioSynthesized'> | null;
  readonly audioRejection: GenerationEventData<'AudioRejected'> | null;
  readonly talkingHead: TalkingHeadProgress | null;
  readonly overlay: OverlayProgress | null;
  readonly subtitles: GenerationEventData<'SubtitlesBurned'> | null;
  readonly result: GenerationEventData<'GenerationCompleted'> | null;
  readonly failure: GenerationEventData<'GenerationFailed'> | null;
  readonly delivery: GenerationEventData<'VideoDelivered'> | null;
}

export const initialGenerationState: GenerationState = {
  status: 'not_started',
  request: null,
  audio: null,
  audioRejection: null,
  talkingHead: null,
  overlay: null,
  subtitles: null,
  result: null,
  failure: null,
  delivery: null,
};

const TERMINAL: ReadonlySet<GenerationStatus> = new Set(['audio_rejected', 'failed', 'delivered']);

export const isTerminal = (state: GenerationState): boolean => TERMINAL.has(state.status);

/** The user paid and got no video: the credit goes back (the user decider makes it exactly once). */
export const needsRefund = (state: GenerationState): boolean =>
  state.status === 'failed' || state.status === 'audio_rejected';
