import { accept, reject, type Decision } from '../decider.js';
import { defaultOverlayShape } from '../events/values.js';
import type {
  GenerationEvent,
  GenerationEventData,
  GenerationEventOf,
  GenerationEventType,
} from '../events/generation-events.js';
import { captionStyleOf, captionsAfterTalkingHead } from './caption-style.js';
import type * as C from './commands.js';
import type { GenerationRejection } from './rejections.js';
import type { GenerationState, GenerationStatus } from './state.js';

export type GenerationDecision = Decision<GenerationEvent, GenerationRejection>;

const event = <T extends GenerationEventType>(
  type: T,
  data: GenerationEventData<T>,
): GenerationEventOf<T> => ({
  type,
  data,
});

/** Where each command leads; a command is valid only from the statuses `allowedFrom` lists. */
const target: Readonly<Record<C.GenerationCommandType, GenerationStatus>> = {
  StartGeneration: 'started',
  RecordAudio: 'audio_ready',
  RecordTalkingHeadRequest: 'talking_head_requested',
  RecordTalkingHead: 'talking_head_ready',
  RecordOverlayRequest: 'overlay_requested',
  RecordOverlay: 'overlay_ready',
  RecordSubtitles: 'subtitled',
  CompleteGeneration: 'completed',
  FailGeneration: 'failed',
  MarkDelivered: 'delivered',
  // Sending and progress-message records keep the status they find.
  RecordSendAttempt: 'completed',
  RecordSendFailure: 'completed',
  AbandonDelivery: 'delivery_abandoned',
  RecordProgressMessage: 'started',
};

const IN_PROGRESS: readonly GenerationStatus[] = [
  'started',
  'audio_ready',
  'talking_head_requested',
  'talking_head_ready',
  'overlay_requested',
  'overlay_ready',
  'subtitled',
];

const ALL_STARTED: readonly GenerationStatus[] = [
  ...IN_PROGRESS,
  'audio_rejected',
  'completed',
  'delivered',
  'delivery_abandoned',
  'failed',
];

function allowedFrom(
  command: C.GenerationCommand,
  state: GenerationState,
): readonly GenerationStatus[] {
  const background = state.request?.format === 'background';
  switch (command.type) {
    case 'StartGeneration':
      return ['not_started'];
    case 'RecordAudio':
      return ['started'];
    // Resubmitting from *_requested covers a provider that lost the job; the new id replaces the
    // old.
    // Recording a result straight from the previous stage covers providers that answer
    // synchronously.
    case 'RecordTalkingHeadRequest':
      return ['audio_ready', 'talking_head_requested'];
    case 'RecordTalkingHead':
      return ['audio_ready', 'talking_head_requested'];
    case 'RecordOverlayRequest':
      return background ? ['talking_head_ready', 'overlay_requested'] : [];
    case 'RecordOverlay':
      return background ? ['talking_head_ready', 'overlay_requested'] : [];
    case 'RecordSubtitles':
      if (background) return ['overlay_ready'];
      return captionsAfterTalkingHead(state.request) ? ['talking_head_ready'] : [];
    case 'CompleteGeneration':
      if (background) return ['subtitled'];
      return captionsAfterTalkingHead(state.request) ? ['subtitled'] : ['talking_head_ready'];
    case 'FailGeneration':
      // A rendered video is never failed (and refunded) over a send problem: it is either
      // delivered or its delivery is abandoned, and it stays downloadable either way.
      return IN_PROGRESS;
    case 'MarkDelivered':
    case 'RecordSendAttempt':
    case 'RecordSendFailure':
    case 'AbandonDelivery':
      return ['completed'];
    case 'RecordProgressMessage':
      // Failure notices and the delivered mark edit it too, so it is recorded in any started state.
      return ALL_STARTED;
    default:
      return unreachable(command);
  }
}

function unreachable(command: never): never {
  throw new Error(`Unhandled generation command ${JSON.stringify(command)}`);
}

const isPositive = (n: number): boolean => Number.isFinite(n) && n > 0;
const isNonNegative = (n: number): boolean => Number.isFinite(n) && n >= 0;

function invalidResult(command: C.GenerationCommand): GenerationDecision | null {
  const bad = (field: string, value: unknown) =>
    reject('invalid_result', `${command.type} carries an unusable ${field}`, { field, value });
  switch (command.type) {
    case 'RecordAudio':
      if (!isPositive(command.durationSec)) return bad('durationSec', command.durationSec);
      if (!isPositive(command.maxDurationSec)) return bad('maxDurationSec', command.maxDurationSec);
      if (!isNonNegative(command.elapsedMs)) return bad('elapsedMs', command.elapsedMs);
      return null;
    case 'RecordTalkingHead':
      if (!isPositive(command.durationSec)) return bad('durationSec', command.durationSec);
      if (!isNonNegative(command.elapsedMs)) return bad('elapsedMs', command.elapsedMs);
      return null;
    case 'RecordOverlay':
    case 'RecordSubtitles':
      return isNonNegative(command.elapsedMs) ? null : bad('elapsedMs', command.elapsedMs);
    case 'RecordSendFailure':
      return command.retryAfterSec === null || isNonNegative(command.retryAfterSec)
        ? null
        : bad('retryAfterSec', command.retryAfterSec);
    case 'RecordProgressMessage':
      return Number.isSafeInteger(command.messageId) && command.messageId > 0
        ? null
        : bad('messageId', command.messageId);
    case 'CompleteGeneration':
      if (!isPositive(command.durationSec)) return bad('durationSec', command.durationSec);
      if (!Number.isSafeInteger(command.width) || command.width <= 0)
        return bad('width', command.width);
      if (!Number.isSafeInteger(command.height) || command.height <= 0)
        return bad('height', command.height);
      return null;
    default:
      return null;
  }
}

export function decideGeneration(
  command: C.GenerationCommand,
  state: GenerationState,
): GenerationDecision {
  if (command.type === 'StartGeneration' && state.status !== 'not_started') {
    return reject('already_started', 'This generation has already started', {
      generationId: state.request?.generationId ?? command.generationId,
      status: state.status,
    });
  }
  if (!allowedFrom(command, state).includes(state.status)) {
    return reject(
      'invalid_transition',
      `${command.type} is not valid when the generation is ${state.status}`,
      {
        from: state.status,
        to: target[command.type],
        command: command.type,
        format: state.request?.format ?? null,
      },
    );
  }
  const invalid = invalidResult(command);
  if (invalid) return invalid;

  switch (command.type) {
    case 'StartGeneration':
      return start(command);
    case 'RecordAudio':
      // The domain rule "audio over the limit is rejected": the user shortens the script, unpaid.
      return command.durationSec > command.maxDurationSec
        ? accept(
            event('AudioRejected', {
              durationSec: command.durationSec,
              maxDurationSec: command.maxDurationSec,
            }),
          )
        : accept(
            event('AudioSynthesized', {
              audioKey: command.audioKey,
              durationSec: command.durationSec,
              provider: command.provider,
              elapsedMs: command.elapsedMs,
              words: command.words.map((w) => ({ word: w.word, start: w.start, end: w.end })),
            }),
          );
    case 'RecordTalkingHeadRequest':
      return accept(
        event('TalkingHeadRequested', { provider: command.provider, requestId: command.requestId }),
      );
    case 'RecordTalkingHead':
      return accept(
        event('TalkingHeadGenerated', {
          videoKey: command.videoKey,
          durationSec: command.durationSec,
          provider: command.provider,
          elapsedMs: command.elapsedMs,
          lipSync: command.lipSync,
          costUsd: command.costUsd,
        }),
      );
    case 'RecordOverlayRequest':
      return accept(
        event('OverlayRequested', {
          provider: command.provider,
          requestId: command.requestId,
          shape: state.request?.overlayShape ?? defaultOverlayShape,
        }),
      );
    case 'RecordOverlay':
      return accept(
        event('OverlayRendered', {
          videoKey: command.videoKey,
          provider: command.provider,
          elapsedMs: command.elapsedMs,
        }),
      );
    case 'RecordSubtitles':
      return accept(
        event('SubtitlesBurned', {
          videoKey: command.videoKey,
          provider: command.provider,
          elapsedMs: command.elapsedMs,
        }),
      );
    case 'CompleteGeneration':
      return complete(command, state);
    case 'FailGeneration':
      return accept(
        event('GenerationFailed', {
          stage: command.stage,
          reason: command.reason,
          retryable: command.retryable,
          ...(command.code === undefined ? {} : { code: command.code }),
        }),
      );
    case 'MarkDelivered':
      return accept(
        event('VideoDelivered', {
          chatId: command.chatId,
          messageId: command.messageId,
          ...(command.fileId ? { fileId: command.fileId } : {}),
          ...(command.via ? { via: command.via } : {}),
        }),
      );
    case 'RecordSendAttempt':
      return sendAttempt(command, state);
    case 'RecordSendFailure':
      if (!state.sending.pending)
        return reject('no_pending_send', 'There is no upload waiting for its answer', {
          attempts: state.sending.attempts,
        });
      return accept(
        event('VideoSendFailed', {
          attempt: state.sending.attempts,
          errorCode: command.errorCode,
          reason: command.reason,
          retryAfterSec: command.retryAfterSec,
        }),
      );
    case 'AbandonDelivery':
      return accept(
        event('VideoDeliveryAbandoned', {
          reason: command.reason,
          errorCode: command.errorCode,
          attempts: state.sending.attempts,
        }),
      );
    case 'RecordProgressMessage': {
      const current = state.progressMessage;
      // Same message again (a retried record): nothing new to say.
      if (current && current.chatId === command.chatId && current.messageId === command.messageId)
        return accept();
      return accept(
        event('ProgressMessagePosted', { chatId: command.chatId, messageId: command.messageId }),
      );
    }
    default:
      return unreachable(command);
  }
}

/**
 * The rule against duplicate videos: an upload whose answer never came may be in the chat already,
 * so no new upload starts until that attempt is settled (its failure recorded, or the video
 * delivered another way).
 */
function sendAttempt(command: C.RecordSendAttempt, state: GenerationState): GenerationDecision {
  if (state.sending.pending) {
    return reject(
      'send_outcome_unknown',
      'The previous upload may have reached the chat; it must not be repeated blindly',
      {
        attempt: state.sending.attempts,
      },
    );
  }
  return accept(
    event('VideoSendAttempted', { attempt: state.sending.attempts + 1, at: command.at }),
  );
}

function start(command: C.StartGeneration): GenerationDecision {
  if (command.format === 'background' && command.backgroundVideoKey === null) {
    return reject('invalid_request', 'A background generation needs a background video', {
      generationId: command.generationId,
    });
  }
  const background = command.format === 'background';
  return accept(
    event('GenerationStarted', {
      generationId: command.generationId,
      userId: command.userId,
      format: command.format,
      characterImageKey: command.characterImageKey,
      voiceId: command.voiceId,
      voiceProvider: command.voiceProvider,
      speechText: command.speechText,
      backgroundVideoKey: background ? command.backgroundVideoKey : null,
      overlayShape: background ? (command.overlayShape ?? defaultOverlayShape) : null,
      cost: command.cost,
      requestedAt: command.requestedAt,
      ...(command.progressMessage
        ? {
            progressMessage: {
              chatId: command.progressMessage.chatId,
              messageId: command.progressMessage.messageId,
            },
          }
        : {}),
      // Recorded whole, so the pipeline never has to know which default applied when.
      captionStyle: captionStyleOf(command),
    }),
  );
}

function complete(command: C.CompleteGeneration, state: GenerationState): GenerationDecision {
  // Timings and providers come from what was recorded, so the report cannot disagree with the log.
  const stages: [string, { provider: string; elapsedMs: number } | null | undefined][] = [
    ['tts', state.audio],
    ['talking_head', state.talkingHead?.result],
    ['overlay', state.overlay?.result],
    ['subtitles', state.subtitles],
  ];
  const timings: Record<string, number> = {};
  const providers: Record<string, string> = {};
  for (const [stage, recorded] of stages) {
    if (!recorded) continue;
    timings[stage] = recorded.elapsedMs;
    providers[stage] = recorded.provider;
  }
  return accept(
    event('GenerationCompleted', {
      videoKey: command.videoKey,
      durationSec: command.durationSec,
      width: command.width,
      height: command.height,
      timings: { ...timings, ...command.timings },
      providers: { ...providers, ...command.providers },
      costUsd:
        command.costUsd !== undefined
          ? command.costUsd
          : (state.talkingHead?.result?.costUsd ?? null),
    }),
  );
}
