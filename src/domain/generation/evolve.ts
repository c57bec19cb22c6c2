import type { GenerationEvent } from '../events/generation-events.js';
import type { GenerationState } from './state.js';

export function evolveGeneration(state: GenerationState, event: GenerationEvent): GenerationState {
  switch (event.type) {
    case 'GenerationStarted':
      return {
        ...state,
        status: 'started',
        request: event.data,
        progressMessage: event.data.progressMessage ?? state.progressMessage,
      };
    case 'AudioSynthesized':
      return { ...state, status: 'audio_ready', audio: event.data };
    case 'AudioRejected':
      return { ...state, status: 'audio_rejected', audioRejection: event.data };
    case 'TalkingHeadRequested':
      return {
        ...state,
        status: 'talking_head_requested',
        talkingHead: {
          provider: event.data.provider,
          requestId: event.data.requestId,
          result: null,
        },
      };
    case 'TalkingHeadGenerated':
      return {
        ...state,
        status: 'talking_head_ready',
        talkingHead: {
          provider: event.data.provider,
          requestId: state.talkingHead?.requestId ?? null,
          result: event.data,
        },
      };
    case 'OverlayRequested':
      return {
        ...state,
        status: 'overlay_requested',
        overlay: {
          provider: event.data.provider,
          requestId: event.data.requestId,
          shape: event.data.shape,
          result: null,
        },
      };
    case 'OverlayRendered':
      return {
        ...state,
        status: 'overlay_ready',
        overlay: {
          provider: event.data.provider,
          requestId: state.overlay?.requestId ?? null,
          shape: state.overlay?.shape ?? state.request?.overlayShape ?? 'circle',
          result: event.data,
        },
      };
    case 'SubtitlesBurned':
      return { ...state, status: 'subtitled', subtitles: event.data };
    case 'GenerationCompleted':
      return { ...state, status: 'completed', result: event.data };
    case 'GenerationFailed':
      return { ...state, status: 'failed', failure: event.data };
    case 'VideoDelivered':
      return {
        ...state,
        status: 'delivered',
        delivery: event.data,
        sending: { ...state.sending, pending: false },
      };
    case 'VideoSendAttempted':
      return {
        ...state,
        sending: {
          attempts: Math.max(state.sending.attempts, event.data.attempt),
          firstAttemptAt: state.sending.firstAttemptAt ?? event.data.at,
          pending: true,
          lastFailure: state.sending.lastFailure,
        },
      };
    case 'VideoSendFailed':
      return { ...state, sending: { ...state.sending, pending: false, lastFailure: event.data } };
    case 'VideoDeliveryAbandoned':
      return { ...state, status: 'delivery_abandoned', deliveryAbandoned: event.data };
    case 'ProgressMessagePosted':
      return {
        ...state,
        progressMessage: { chatId: event.data.chatId, messageId: event.data.messageId },
      };
    default:
      return unreachable(event);
  }
}

function unreachable(event: never): never {
  throw new Error(`Unhandled generation event ${JSON.stringify(event)}`);
}
