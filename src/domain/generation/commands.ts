import type { GenerationEventData, WordTiming } from '../events/generation-events.js';
import type { GenerationRequestedData } from '../events/user-events.js';
import type { FailureStage } from '../events/values.js';

type GenerationStartedData = GenerationEventData<'GenerationStarted'>;

export interface StartGeneration extends GenerationStartedData {
  readonly type: 'StartGeneration';
}

export interface RecordAudio {
  readonly type: 'RecordAudio';
  readonly audioKey: string;
  readonly durationSec: number;
  readonly maxDurationSec: number;
  readonly provider: string;
  readonly elapsedMs: number;
  readonly words: readonly WordTiming[];
}

export interface RecordTalkingHeadRequest {
  readonly type: 'RecordTalkingHeadRequest';
  readonly provider: string;
  readonly requestId: string;
}

export interface RecordTalkingHead {
  readonly type: 'RecordTalkingHead';
  readonly videoKey: string;
  readonly durationSec: number;
  readonly provider: string;
  readonly elapsedMs: number;
  readonly lipSync: boolean;
  readonly costUsd: number | null;
}

export interface RecordOverlayRequest {
  readonly type: 'RecordOverlayRequest';
  readonly provider: string;
  readonly requestId: string;
}

export interface RecordOverlay {
  readonly type: 'RecordOverlay';
  readonly videoKey: string;
  readonly provider: string;
  readonly elapsedMs: number;
}

export interface RecordSubtitles {
  readonly type: 'RecordSubtitles';
  readonly videoKey: string;
  readonly provider: string;
  readonly elapsedMs: number;
}

export interface CompleteGeneration {
  readonly type: 'CompleteGeneration';
  readonly videoKey: string;
  readonly durationSec: number;
  readonly width: number;
  readonly height: number;
  /** Overrides the talking-head provider's cost when the caller knows the total. */
  readonly costUsd?: number | null;
  /** Stages the domain does not see (e.g. `render`, `total`); merged over the recorded ones. */
  readonly timings?: Readonly<Record<string, number>>;
  readonly providers?: Readonly<Record<string, string>>;
}

export interface FailGeneration {
  readonly type: 'FailGeneration';
  readonly stage: FailureStage;
  readonly reason: string;
  readonly retryable: boolean;
  /** The error's stable code, when it had one (see GenerationFailed). */
  readonly code?: string;
}

export interface MarkDelivered {
  readonly type: 'MarkDelivered';
  readonly chatId: number;
  readonly messageId: number;
  readonly fileId?: string;
  /**
   * Default `video`; `link` when the download link stood in for an upload whose answer was lost.
   */
  readonly via?: 'video' | 'link';
}

/** About to upload the video; `at` starts the delivery's wait ceiling on the first attempt. */
export interface RecordSendAttempt {
  readonly type: 'RecordSendAttempt';
  readonly at: string;
}

/** Telegram answered the pending attempt with an error: it did not land, a new upload is safe. */
export interface RecordSendFailure {
  readonly type: 'RecordSendFailure';
  readonly errorCode: number | null;
  readonly reason: string;
  readonly retryAfterSec: number | null;
}

/** Give up sending (permanent refusal, or waiting past the ceiling); the video stays the user's. */
export interface AbandonDelivery {
  readonly type: 'AbandonDelivery';
  readonly reason: string;
  readonly errorCode: number | null;
}

export interface RecordProgressMessage {
  readonly type: 'RecordProgressMessage';
  readonly chatId: number;
  readonly messageId: number;
}

export type GenerationCommand =
  | StartGeneration
  | RecordAudio
  | RecordTalkingHeadRequest
  | RecordTalkingHead
  | RecordOverlayRequest
  | RecordOverlay
  | RecordSubtitles
  | CompleteGeneration
  | FailGeneration
  | MarkDelivered
  | RecordSendAttempt
  | RecordSendFailure
  | AbandonDelivery
  | RecordProgressMessage;

export type GenerationCommandType = GenerationCommand['type'];

/** The command a process manager sends on seeing GenerationRequested on the user stream. */
export function startGenerationFrom(
  userId: number,
  requested: GenerationRequestedData,
  requestedAt: string,
): StartGeneration {
  return {
    type: 'StartGeneration',
    generationId: requested.generationId,
    userId,
    format: requested.format,
    characterImageKey: requested.characterImageKey,
    voiceId: requested.voiceId,
    voiceProvider: requested.voiceProvider,
    speechText: requested.speechText,
    backgroundVideoKey: requested.backgroundVideoKey,
    overlayShape: requested.overlayShape,
    cost: requested.cost,
    requestedAt,
    ...(requested.progressMessage ? { progressMessage: requested.progressMessage } : {}),
    ...(requested.captionStyle ? { captionStyle: requested.captionStyle } : {}),
  };
}
