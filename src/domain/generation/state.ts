import type { GenerationEventData } from '../events/generation-events.js';

/**
 * Where one generation stands. The order for the talking-head format is
 * started → audio_ready → talking_head_requested → talking_head_ready → completed → delivered;
 * with captions it passes through subtitled (burned over the talking head) before completion.
 * The background format adds overlay_requested → overlay_ready → subtitled before completion.
 * audio_rejected, failed, delivered and delivery_abandoned are terminal. delivery_abandoned is a
 * completed video that Telegram would not take (blocked bot, a wait past the ceiling): it stays
 * the user's, downloadable, and is never refunded.
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
  | 'delivery_abandoned'
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

/**
 * Uploads of the finished video. `pending` is an attempt recorded with no answer recorded after
 * it: it may have reached the chat, so uploading again could send the video twice.
 */
export interface VideoSending {
  readonly attempts: number;
  readonly firstAttemptAt: string | null;
  readonly pending: boolean;
  readonly lastFailure: GenerationEventData<'VideoSendFailed'> | null;
}

export interface ProgressMessageRef {
  readonly chatId: number;
  readonly messageId: number;
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
  readonly sending: VideoSending;
  readonly deliveryAbandoned: GenerationEventData<'VideoDeliveryAbandoned'> | null;
  /** Where the progress message is, from the events: every instance edits this one. */
  readonly progressMessage: ProgressMessageRef | null;
}

export const noSending: VideoSending = {
  attempts: 0,
  firstAttemptAt: null,
  pending: false,
  lastFailure: null,
};

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
  sending: noSending,
  deliveryAbandoned: null,
  progressMessage: null,
};

const TERMINAL: ReadonlySet<GenerationStatus> = new Set([
  'audio_rejected',
  'failed',
  'delivered',
  'delivery_abandoned',
]);

export const isTerminal = (state: GenerationState): boolean => TERMINAL.has(state.status);

/**
 * The user paid and got no video: the credit goes back (the user decider makes it exactly once).
 */
export const needsRefund = (state: GenerationState): boolean =>
  state.status === 'failed' || state.status === 'audio_rejected';
