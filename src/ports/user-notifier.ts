import type { GenerationStage } from '../domain/generation/stages.js';
import type { ProgressMessageRef } from '../domain/generation/state.js';
import { AppError } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import type { WritingSystem } from '../domain/language/writing-system.js';

export type { ProgressMessageRef } from '../domain/generation/state.js';

/**
 * A generation's progress message, as the caller knows it from the generation's events: the
 * confirmation the request named, or the last message recorded as posted. The notifier keeps no
 * message ids of its own, so whichever instance runs the generation, before or after a restart,
 * edits the same message.
 */
export interface ProgressMessage {
  /** The message to edit; null when the events name none yet (the notifier then posts one). */
  current(): ProgressMessageRef | null;
  /**
   * Records a message the notifier had to post, in the generation's events, so no run posts
   * another.
   */
  record(ref: ProgressMessageRef): Promise<void>;
}

export interface DeliveryTarget {
  readonly userId: number;
  readonly generationId: string;
  readonly language: 'ru' | 'en';
  readonly progressMessage: ProgressMessage;
}

export interface ProgressUpdate extends DeliveryTarget {
  readonly stage: GenerationStage;
  readonly elapsedSec: number;
  /** This run took over after another was cut off (crash, hang, restart): the message says so. */
  readonly resumed?: boolean;
}

export interface DeliveredVideo {
  readonly chatId: number;
  readonly messageId: number;
  /** The messenger's id of the stored video, when it says (Telegram's `file_id`). */
  readonly fileId?: string;
}

/** A script's language as a message names it (see src/bot/i18n/language-names.ts). */
export interface ScriptLanguageRef {
  readonly system: WritingSystem;
  readonly likely: string;
  readonly identified: boolean;
}

export type FailureNotice =
  | {
      readonly kind: 'audio_too_long';
      readonly durationSec: number;
      readonly maxDurationSec: number;
    }
  /**
   * The speech provider refused to read the script with the chosen voice (it would have spelled
   * the letters out). `script`: the part of it the voice does not speak; null when the voice
   * speaks its language but not some of its characters.
   */
  | { readonly kind: 'voice_cannot_read'; readonly script: ScriptLanguageRef | null }
  | { readonly kind: 'provider_failed'; readonly stage: GenerationStage }
  | { readonly kind: 'delivery_failed' };

/**
 * Why a send did not go through, in the terms the pipeline decides on:
 * - `rate_limited`: the messenger refused for now and said how long to wait; nothing was sent.
 * - `unavailable`: the messenger answered with a server error; nothing was sent.
 * - `no_answer`: the request left but no answer came (reset, timeout): it MAY have been delivered.
 * - `refused`: a final answer (bot blocked, chat not found); trying again will not help.
 */
export type SendFailureKind = 'rate_limited' | 'unavailable' | 'no_answer' | 'refused';

const sendFailureCodes: Readonly<Record<SendFailureKind, ErrorCode>> = {
  rate_limited: 'SEND_RATE_LIMITED',
  unavailable: 'SEND_UNAVAILABLE',
  no_answer: 'SEND_NO_ANSWER',
  refused: 'SEND_REFUSED',
};

export class SendFailedError extends AppError {
  override readonly name = 'SendFailedError';
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(
    readonly kind: SendFailureKind,
    message: string,
    /** The messenger's error code (HTTP-like), when it answered. */
    readonly errorCode: number | null = null,
    /** How long the messenger asked to wait, for `rate_limited`. */
    readonly retryAfterSec: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = sendFailureCodes[kind];
    this.retryable = kind !== 'refused';
  }
}

export interface VideoLink extends DeliveryTarget {
  readonly url: string;
  readonly ttlHours: number;
}

/**
 * How the generation pipeline talks to the user, without knowing about Telegram. The bot
 * implements it with one progress message edited in place and `sendVideo`.
 */
export interface UserNotifier {
  /** Creates or edits the generation's single progress message. Best effort: never throws. */
  progress(update: ProgressUpdate): Promise<void>;
  /**
   * Sends the finished video (streaming, with width, height, duration and a thumbnail), once: no
   * retry inside, so the caller alone decides whether a second upload is safe. Throws
   * `SendFailedError`. `signal` aborts the upload (its outcome is then unknown).
   */
  deliverVideo(
    input: DeliveryTarget & {
      readonly videoPath: string;
      readonly thumbnailPath?: string;
      readonly width: number;
      readonly height: number;
      readonly durationSec: number;
      /** Who made it, said honestly: e.g. "espeak-ng + local portrait (no lip-sync)". */
      readonly providersNote: string;
      readonly signal?: AbortSignal;
    },
  ): Promise<DeliveredVideo>;
  /**
   * Stands in for a second upload when the first one's answer was lost: "if it didn't arrive
   * above, here is the link". Throws `SendFailedError`.
   */
  sendVideoLink(input: VideoLink & { readonly signal?: AbortSignal }): Promise<DeliveredVideo>;
  /** The video is ready and waits for the messenger's flood control. Best effort: never throws. */
  waitingToSend(input: DeliveryTarget & { readonly waitSec: number }): Promise<void>;
  /**
   * The video could not be sent and never will be by us: say where it is, if the chat takes it.
   * Never throws.
   */
  deliveryAbandoned(input: VideoLink): Promise<void>;
  /** Tells the user it failed and that the credit came back (or why it was not charged). */
  failed(
    input: DeliveryTarget & { readonly notice: FailureNotice; readonly refunded: boolean },
  ): Promise<void>;
}
