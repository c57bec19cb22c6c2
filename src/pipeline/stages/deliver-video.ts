import type { GenerationState } from '../../domain/generation/state.js';
import type { DeliveredVideo } from '../../ports/user-notifier.js';
import { CommandRejectedError, PipelineError } from '../pipeline-errors.js';
import { providersNote } from '../providers-note.js';
import { retryDelayMs } from '../retry-delay.js';
import { elapsedSince, type StageContext, type StageStep } from '../stage-context.js';

/**
 * The video reached the user but MarkDelivered could not be recorded. Not a delivery failure:
 * the run must neither count it as one nor refund; the job is retried, and that retry sends again
 * (the documented at-least-once window, see generation-pipeline.ts).
 */
export class DeliveryUnrecordedError extends PipelineError {
  override readonly name = 'DeliveryUnrecordedError';
  readonly code = 'DELIVERY_UNRECORDED';
}

const recordAttempts = 6;

/** Sends the finished video with a cover and an honest provider note, then records the delivery. */
export const deliverVideo: StageStep = async (ctx, state) => {
  const result = state.result;
  if (!result) throw new Error('delivery before completion');
  const videoPath = await ctx.files.fetch(result.videoKey, 'final-video');
  let thumbnailPath: string | undefined;
  try {
    thumbnailPath = await ctx.deps.thumbnails.extract(videoPath, await ctx.files.path('thumbnail.jpg'), result.durationSec, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // A missing cover is cosmetic; the video still goes out.
    ctx.log.warn({ stage: 'render', err: error }, 'thumbnail extraction failed; sending without one');
  }
  const startedAt = performance.now();
  const delivered = await ctx.deps.notifier.deliverVideo({
    userId: ctx.userId,
    generationId: ctx.generationId,
    language: ctx.language,
    videoPath,
    ...(thumbnailPath ? { thumbnailPath } : {}),
    width: result.width,
    height: result.height,
    durationSec: result.durationSec,
    providersNote: providersNote(state, ctx.language),
  });
  ctx.log.info({ stage: 'render', step: 'deliver', elapsedMs: elapsedSince(startedAt), messageId: delivered.messageId }, 'video sent');
  return recordDelivery(ctx, state, delivered);
};

// Sent: from here only the record is retried, never the send, and the abort signal is ignored,
// because a graceful stop must not turn a delivered video into an unrecorded one.
async function recordDelivery(ctx: StageContext, state: GenerationState, delivered: DeliveredVideo): Promise<GenerationState> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ctx.record({ type: 'MarkDelivered', chatId: delivered.chatId, messageId: delivered.messageId }, state);
    } catch (error) {
      if (error instanceof CommandRejectedError || attempt >= recordAttempts) {
        throw new DeliveryUnrecordedError(`video ${ctx.generationId} was sent but its delivery could not be recorded`, { cause: error });
      }
      ctx.log.warn({ stage: 'render', err: error, attempt }, 'recording the delivery failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, { baseMs: 200, maxMs: 5000 })));
    }
  }
}
