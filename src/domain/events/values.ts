import { z } from 'zod';
import { workStages } from '../generation/stages.js';

// Value schemas shared by both streams, so a GenerationRequested and the GenerationStarted built
// from it can never disagree about what a format or a shape is.

export const languageSchema = z.enum(['ru', 'en']);
export type Language = z.infer<typeof languageSchema>;

export const videoFormatSchema = z.enum(['talking_head', 'background']);
export type VideoFormat = z.infer<typeof videoFormatSchema>;

export const overlayShapeSchema = z.enum(['circle', 'rounded_rect', 'cutout']);
export type OverlayShape = z.infer<typeof overlayShapeSchema>;
/**
 * The shape a background video gets unless the user picks another: the person cut out of their
 * backdrop, which the local compositor makes faster than real time on two cores (`bench:render`).
 * Recorded in GenerationRequested, so changing it never changes a past generation.
 */
export const defaultOverlayShape: OverlayShape = 'cutout';

export const genderSchema = z.enum(['male', 'female']);
export type Gender = z.infer<typeof genderSchema>;

export const awaitedInputSchema = z.enum([
  'script',
  'feedback',
  'edit_prompt',
  'background_video',
  'topup_note',
]);
export type AwaitedInputKind = z.infer<typeof awaitedInputSchema>;

/**
 * Where a generation failed: one of its work stages. Events written before `subtitles` was a stage
 * of its own name `overlay` for a failure to burn subtitles.
 */
export const failureStageSchema = z.enum(workStages);
export type FailureStage = z.infer<typeof failureStageSchema>;

export const idSchema = z.string().min(1);
export const telegramIdSchema = z.int().positive();
export const positiveAmountSchema = z.int().positive();
export const isoTimestampSchema = z.iso.datetime({ offset: true });

/** A Telegram message the bot edits in place to show a generation's progress. */
export const progressMessageRefSchema = z.object({
  chatId: z.int(),
  messageId: z.int().positive(),
});

/**
 * How the word-by-word captions look, or `none` for a video without them. Every style burns the
 * words as they are spoken; they differ in size, colour and backing (see docs/captions.md).
 */
export const captionStyleSchema = z.enum(['none', 'classic', 'bold', 'boxed']);
export type CaptionStyle = z.infer<typeof captionStyleSchema>;

/**
 * The captions a generation gets when the user never picked a style (drafts and requests from
 * before the choice existed): the background format always had the classic captions, the talking
 * head had none. Recorded in GenerationRequested, so changing it never changes a past generation.
 */
export function defaultCaptionStyle(format: VideoFormat): CaptionStyle {
  return format === 'background' ? 'classic' : 'none';
}
