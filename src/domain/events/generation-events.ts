import { z } from 'zod';
import type { DomainEvent } from '../decider.js';
import {
  captionStyleSchema,
  failureStageSchema,
  idSchema,
  isoTimestampSchema,
  overlayShapeSchema,
  positiveAmountSchema,
  progressMessageRefSchema,
  telegramIdSchema,
  videoFormatSchema,
} from './values.js';

// Events of the `generation-{id}` stream: one video's way through the pipeline. Provider request
// ids
// are stored before polling so a restarted process manager resumes instead of paying twice.

export const wordTimingSchema = z.object({
  word: z.string(),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
});

export const generationStartedV1 = z.object({
  generationId: idSchema,
  userId: telegramIdSchema,
  format: videoFormatSchema,
  characterImageKey: z.string().min(1),
  voiceId: idSchema,
  voiceProvider: z.string().min(1),
  speechText: z.string().min(1),
  backgroundVideoKey: z.string().min(1).nullable(),
  overlayShape: overlayShapeSchema.nullable(),
  cost: positiveAmountSchema,
  requestedAt: isoTimestampSchema,
  /**
   * The confirmation message the bot turned into the progress message; absent when it could not.
   */
  progressMessage: progressMessageRefSchema.optional(),
  /**
   * The captions to burn (optional: added after v1 shipped); absent: `defaultCaptionStyle` of the
   * format.
   */
  captionStyle: captionStyleSchema.optional(),
});

export const audioSynthesizedV1 = z.object({
  audioKey: z.string().min(1),
  durationSec: z.number().positive(),
  provider: z.string().min(1),
  elapsedMs: z.number().nonnegative(),
  words: z.array(wordTimingSchema),
});

export const audioRejectedV1 = z.object({
  durationSec: z.number().positive(),
  maxDurationSec: z.number().positive(),
});

export const talkingHeadRequestedV1 = z.object({
  provider: z.string().min(1),
  requestId: idSchema,
});

export const talkingHeadGeneratedV1 = z.object({
  videoKey: z.string().min(1),
  durationSec: z.number().positive(),
  provider: z.string().min(1),
  elapsedMs: z.number().nonnegative(),
  lipSync: z.boolean(),
  costUsd: z.number().nonnegative().nullable(),
});

export const overlayRequestedV1 = z.object({
  provider: z.string().min(1),
  requestId: idSchema,
  shape: overlayShapeSchema,
});

export const overlayRenderedV1 = z.object({
  videoKey: z.string().min(1),
  provider: z.string().min(1),
  elapsedMs: z.number().nonnegative(),
});

export const subtitlesBurnedV1 = z.object({
  videoKey: z.string().min(1),
  provider: z.string().min(1),
  elapsedMs: z.number().nonnegative(),
});

export const generationCompletedV1 = z.object({
  videoKey: z.string().min(1),
  durationSec: z.number().positive(),
  width: z.int().positive(),
  height: z.int().positive(),
  timings: z.record(z.string(), z.number().nonnegative()),
  providers: z.record(z.string(), z.string()),
  costUsd: z.number().nonnegative().nullable(),
});

export const generationFailedV1 = z.object({
  stage: failureStageSchema,
  reason: z.string(),
  retryable: z.boolean(),
  /**
   * The failing error's stable code (`VOICE_CANNOT_READ`), when it had one: what the user is told
   * depends on it. Added after v1 was first written; events without it stay valid.
   */
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .optional(),
});

// Optional fields were added after v1 was first written; events without them stay valid.
export const videoDeliveredV1 = z.object({
  chatId: z.int(),
  messageId: z.int(),
  /** Telegram's file_id of the video as stored, for re-sending without a second upload. */
  fileId: z.string().min(1).optional(),
  /**
   * `link`: the answer to an upload was lost, so the user got the download link instead of a second
   * copy.
   */
  via: z.enum(['video', 'link']).optional(),
});

/** Recorded BEFORE each upload: an attempt with no recorded answer may have reached the user. */
export const videoSendAttemptedV1 = z.object({
  attempt: z.int().positive(),
  at: isoTimestampSchema,
});

/** Telegram answered the attempt with an error, so it certainly did not reach the chat. */
export const videoSendFailedV1 = z.object({
  attempt: z.int().positive(),
  errorCode: z.int().nullable(),
  reason: z.string(),
  retryAfterSec: z.number().nonnegative().nullable(),
});

/**
 * The video exists but could not be sent (blocked bot, wait past the ceiling): kept, not refunded.
 */
export const videoDeliveryAbandonedV1 = z.object({
  reason: z.string(),
  errorCode: z.int().nullable(),
  attempts: z.int().nonnegative(),
});

/**
 * A progress message posted by the pipeline (the confirmation could not be edited), so no instance
 * posts another.
 */
export const progressMessagePostedV1 = progressMessageRefSchema;

export const generationEventSchemas = {
  GenerationStarted: generationStartedV1,
  AudioSynthesized: audioSynthesizedV1,
  AudioRejected: audioRejectedV1,
  TalkingHeadRequested: talkingHeadRequestedV1,
  TalkingHeadGenerated: talkingHeadGeneratedV1,
  OverlayRequested: overlayRequestedV1,
  OverlayRendered: overlayRenderedV1,
  SubtitlesBurned: subtitlesBurnedV1,
  GenerationCompleted: generationCompletedV1,
  GenerationFailed: generationFailedV1,
  VideoDelivered: videoDeliveredV1,
  VideoSendAttempted: videoSendAttemptedV1,
  VideoSendFailed: videoSendFailedV1,
  VideoDeliveryAbandoned: videoDeliveryAbandonedV1,
  ProgressMessagePosted: progressMessagePostedV1,
} as const;

export type GenerationEventType = keyof typeof generationEventSchemas;
export type GenerationEventData<T extends GenerationEventType> = z.infer<
  (typeof generationEventSchemas)[T]
>;
export type GenerationEventOf<T extends GenerationEventType> = DomainEvent<
  T,
  GenerationEventData<T>
>;
export type GenerationEvent = {
  [T in GenerationEventType]: GenerationEventOf<T>;
}[GenerationEventType];

export type WordTiming = z.infer<typeof wordTimingSchema>;
export type ProgressMessageRefData = z.infer<typeof progressMessageRefSchema>;
export type GenerationStarted = GenerationEventOf<'GenerationStarted'>;
export type AudioSynthesized = GenerationEventOf<'AudioSynthesized'>;
export type AudioRejected = GenerationEventOf<'AudioRejected'>;
export type TalkingHeadRequested = GenerationEventOf<'TalkingHeadRequested'>;
export type TalkingHeadGenerated = GenerationEventOf<'TalkingHeadGenerated'>;
export type OverlayRequested = GenerationEventOf<'OverlayRequested'>;
export type OverlayRendered = GenerationEventOf<'OverlayRendered'>;
export type SubtitlesBurned = GenerationEventOf<'SubtitlesBurned'>;
export type GenerationCompleted = GenerationEventOf<'GenerationCompleted'>;
export type GenerationFailed = GenerationEventOf<'GenerationFailed'>;
export type VideoDelivered = GenerationEventOf<'VideoDelivered'>;
export type VideoSendAttempted = GenerationEventOf<'VideoSendAttempted'>;
export type VideoSendFailed = GenerationEventOf<'VideoSendFailed'>;
export type VideoDeliveryAbandoned = GenerationEventOf<'VideoDeliveryAbandoned'>;
export type ProgressMessagePosted = GenerationEventOf<'ProgressMessagePosted'>;
