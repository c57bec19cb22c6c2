/**
 * How the generation pipeline talks to the user, without knowing about Telegram. The bot
 * implements it with one progress message edited in place and `sendVideo`.
 */
export type ProgressStage = 'queued' | 'tts' | 'video' | 'overlay' | 'render' | 'delivery';

export interface ProgressUpdate {
  readonly userId: number;
  readonly generationId: string;
  readonly stage: ProgressStage;
  readonly elapsedSec: number;
  readonly language: 'ru' | 'en';
  /** This run took over after another was cut off (crash, hang, restart): the message says so. */
  readonly resumed?: boolean;
}

export interface DeliveredVideo {
  readonly chatId: number;
  readonly messageId: number;
}

export type FailureNotice =
  | { readonly kind: 'audio_too_long'; readonly durationSec: number; readonly maxDurationSec: number }
  | { readonly kind: 'provider_failed'; readonly stage: string }
  | { readonly kind: 'delivery_failed' };

export interface UserNotifier {
  /** Creates or edits the generation's single progress message. Best effort: never throws. */
  progress(update: ProgressUpdate): Promise<void>;
  /** Sends the finished video (streaming, with width, height, duration and a thumbnail). */
  deliverVideo(input: {
    readonly userId: number;
    readonly generationId: string;
    readonly language: 'ru' | 'en';
    readonly videoPath: string;
    readonly thumbnailPath?: string;
    readonly width: number;
    readonly height: number;
    readonly durationSec: number;
    /** Who made it, said honestly: e.g. "espeak-ng + local portrait (no lip-sync)". */
    readonly providersNote: string;
  }): Promise<DeliveredVideo>;
  /** Tells the user it failed and that the credit came back (or why it was not charged). */
  failed(input: { readonly userId: number; readonly generationId: string; readonly language: 'ru' | 'en'; readonly notice: FailureNotice; readonly refunded: boolean }): Promise<void>;
}
