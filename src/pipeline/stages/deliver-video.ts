import { randomUUID } from 'node:crypto';
import type { GenerationState } from '../../domain/generation/state.js';
import { SendFailedError, type DeliveredVideo, type VideoLink } from '../../ports/user-notifier.js';
import { describeFailure } from '../classify-failure.js';
import { CommandRejectedError, PipelineError } from '../pipeline-errors.js';
import { providersNote } from '../providers-note.js';
import { backoffDelayMs } from '../../resilience/backoff.js';
import {
  deliveryTarget,
  elapsedSince,
  type StageContext,
  type StageStep,
} from '../stage-context.js';
import { abortAfterGrace, abortableSleep } from './abortable-sleep.js';

/**
 * The video reached the user but MarkDelivered could not be recorded. Not a delivery failure:
 * the run must neither count it as one nor refund; the job is retried, and that retry finds the
 * upload recorded without an answer, so it sends the download link, never a second copy.
 */
export class DeliveryUnrecordedError extends PipelineError {
  override readonly name = 'DeliveryUnrecordedError';
  readonly code = 'DELIVERY_UNRECORDED';
  // The retry finds the upload recorded and sends the link instead of a second copy.
  readonly retryable = true;
}

const recordAttempts = 6;
// How long an upload in flight may finish after a stop before it is cut off (its outcome then
// unknown).
const uploadGraceMs = 10_000;
// Server errors carry no retry_after: back off, bounded by the same ceiling as flood waits.
const serverErrorBackoff = { baseMs: 2000, maxMs: 60_000 };

type SendFailure = Pick<SendFailedError, 'kind' | 'errorCode' | 'retryAfterSec'> & {
  readonly reason: string;
};

/**
 * Sends the finished video with a cover and an honest provider note, then records the delivery.
 *
 * A rendered video is never thrown away over a send problem that passes: flood waits are honoured
 * however long (up to `deliveryMaxWaitMs` from the first attempt, across restarts, since that time
 * is in the events), server errors are retried, and nothing is refunded. Each upload is recorded
 * (`VideoSendAttempted`) before it starts; an upload with no answer may be in the chat, so it is
 * never repeated: the user gets the download link instead ("if it didn't arrive above…"). A final
 * refusal (bot blocked, chat gone) or the ceiling abandons the delivery: the generation stays
 * completed, its video in "My videos".
 */
export const deliverVideo: StageStep = async (ctx, initial) => {
  let state = initial;
  const result = state.result;
  if (!result) throw new Error('delivery before completion');
  const target = deliveryTarget(ctx);
  let prepared: { videoPath: string; thumbnailPath?: string } | undefined;
  // The attempt's command id names this run: another run that reached the same attempt number from
  // the same state (a lease taken over under a live worker) must meet the decider's refusal of a
  // second open upload, not be answered as a repeat of this run's command and upload again.
  const run = randomUUID().slice(0, 8);
  for (;;) {
    throwIfAborted(ctx.signal);
    if (state.sending.pending) return deliverLink(ctx, state);
    prepared ??= await prepareVideo(ctx, state);
    const attempt = state.sending.attempts + 1;
    try {
      state = await ctx.record(
        { type: 'RecordSendAttempt', at: ctx.deps.now().toISOString() },
        state,
        `attempt-${attempt}-${run}`,
      );
    } catch (error) {
      if (!(
        error instanceof CommandRejectedError && error.rejection.code === 'send_outcome_unknown'
      ))
        throw error;
      // Another run has an upload open: it may land, so this one only ever sends the link.
      const latest = await ctx.deps.generations.state(ctx.generationId);
      return latest.status === 'completed' ? deliverLink(ctx, latest) : latest;
    }
    if (state.status !== 'completed') return state;
    throwIfAborted(ctx.signal);
    const startedAt = performance.now();
    let delivered: DeliveredVideo;
    const upload = abortAfterGrace(ctx.signal, uploadGraceMs);
    try {
      delivered = await ctx.deps.notifier.deliverVideo({
        ...target,
        ...prepared,
        width: result.width,
        height: result.height,
        durationSec: result.durationSec,
        providersNote: providersNote(state, ctx.language),
        signal: upload.signal,
      });
    } catch (error) {
      // Cut off mid-upload: its outcome is unknown, so the attempt stays open and the next run
      // sends the link.
      if (upload.signal.aborted) throw ctx.signal.reason;
      const failure = sendFailureOf(error);
      ctx.log.warn(
        {
          stage: 'render',
          step: 'deliver',
          attempt,
          kind: failure.kind,
          errorCode: failure.errorCode,
          retryAfterSec: failure.retryAfterSec,
          reason: failure.reason,
        },
        'sending the video failed',
      );
      // No answer: it may have landed. The loop turns to the link, never to a second upload.
      if (failure.kind === 'no_answer') continue;
      state = await ctx.record(
        {
          type: 'RecordSendFailure',
          errorCode: failure.errorCode,
          reason: failure.reason,
          retryAfterSec: failure.retryAfterSec,
        },
        state,
        `attempt-${attempt}-${run}`,
      );
      if (state.status !== 'completed') return state;
      const settled = await waitOrAbandon(ctx, state, failure, attempt);
      if (settled) return settled;
      continue;
    } finally {
      upload.dispose();
    }
    ctx.log.info(
      {
        stage: 'render',
        step: 'deliver',
        attempt,
        elapsedMs: elapsedSince(startedAt),
        messageId: delivered.messageId,
      },
      'video sent',
    );
    return recordDelivery(ctx, state, delivered, 'video');
  }
};

/** Sleeps what Telegram asked (or a backoff), or abandons when that would pass the ceiling. */
async function waitOrAbandon(
  ctx: StageContext,
  state: GenerationState,
  failure: SendFailure,
  tries: number,
): Promise<GenerationState | undefined> {
  if (failure.kind === 'refused') return abandon(ctx, state, failure);
  const waitMs =
    failure.kind === 'rate_limited' && failure.retryAfterSec !== null
      ? failure.retryAfterSec * 1000
      : backoffDelayMs(tries, serverErrorBackoff);
  const { deliveryMaxWaitMs } = ctx.deps.config;
  const elapsedMs = deliveryElapsedMs(ctx, state);
  if (elapsedMs + waitMs > deliveryMaxWaitMs) {
    const why = `${describeWait(failure, waitMs)} would pass the ${Math.round(deliveryMaxWaitMs / 1000)} s delivery ceiling (${Math.round(elapsedMs / 1000)} s spent)`;
    return abandon(ctx, state, { ...failure, reason: `${why}: ${failure.reason}` });
  }
  if (failure.kind === 'rate_limited')
    await ctx.deps.notifier.waitingToSend({ ...deliveryTarget(ctx), waitSec: waitMs / 1000 });
  ctx.log.info(
    { stage: 'render', step: 'deliver', waitMs, elapsedMs, kind: failure.kind },
    'waiting before sending again',
  );
  await abortableSleep(waitMs * ctx.deps.config.deliveryTimeScale, ctx.signal);
  return undefined;
}

/**
 * An upload went out and its answer never came: the video may be in the chat already. A short
 * message with the download link makes sure the user has it, without risking a second copy.
 */
async function deliverLink(ctx: StageContext, initial: GenerationState): Promise<GenerationState> {
  let state = initial;
  ctx.log.warn(
    { stage: 'render', step: 'deliver', attempt: state.sending.attempts },
    'an upload has no answer and may have landed; sending the download link instead of a second upload',
  );
  for (let tries = 1; ; tries += 1) {
    throwIfAborted(ctx.signal);
    try {
      const sent = await ctx.deps.notifier.sendVideoLink({
        ...(await videoLink(ctx, state)),
        signal: ctx.signal,
      });
      return recordDelivery(ctx, state, sent, 'link');
    } catch (error) {
      throwIfAborted(ctx.signal);
      const failure = sendFailureOf(error);
      ctx.log.warn(
        {
          stage: 'render',
          step: 'deliver',
          kind: failure.kind,
          errorCode: failure.errorCode,
          reason: failure.reason,
        },
        'sending the download link failed',
      );
      // A lost answer here costs at most a second short text: the link is simply tried again.
      const settled = await waitOrAbandon(
        ctx,
        state,
        failure.kind === 'no_answer' ? { ...failure, kind: 'unavailable' } : failure,
        tries,
      );
      if (settled) return settled;
      state = await ctx.deps.generations.state(ctx.generationId);
      if (state.status !== 'completed') return state;
    }
  }
}

/**
 * The end without a send: recorded first (the video is never refunded), then the user is told if
 * the chat takes it.
 */
async function abandon(
  ctx: StageContext,
  state: GenerationState,
  failure: SendFailure,
): Promise<GenerationState> {
  ctx.log.error(
    {
      stage: 'render',
      step: 'deliver',
      errorCode: failure.errorCode,
      reason: failure.reason,
      attempts: state.sending.attempts,
    },
    'delivery abandoned; the video stays in My videos',
  );
  const abandoned = await ctx.record(
    { type: 'AbandonDelivery', reason: failure.reason.slice(0, 400), errorCode: failure.errorCode },
    state,
  );
  try {
    await ctx.deps.notifier.deliveryAbandoned(await videoLink(ctx, state));
  } catch (error) {
    ctx.log.warn(
      { stage: 'render', err: error },
      'could not tell the user where the undelivered video is',
    );
  }
  return abandoned;
}

async function prepareVideo(
  ctx: StageContext,
  state: GenerationState,
): Promise<{ videoPath: string; thumbnailPath?: string }> {
  const result = state.result!;
  const videoPath = await ctx.files.fetch(result.videoKey, 'final-video');
  try {
    const thumbnailPath = await ctx.deps.thumbnails.extract(
      videoPath,
      await ctx.files.path('thumbnail.jpg'),
      result.durationSec,
      ctx.signal,
    );
    return { videoPath, thumbnailPath };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // A missing cover is cosmetic; the video still goes out.
    ctx.log.warn(
      { stage: 'render', err: error },
      'thumbnail extraction failed; sending without one',
    );
    return { videoPath };
  }
}

async function videoLink(ctx: StageContext, state: GenerationState): Promise<VideoLink> {
  const hours = ctx.deps.config.downloadLinkTtlHours;
  const url = await ctx.deps.storage.signedUrl(state.result!.videoKey, hours * 3600, {
    downloadName: `ugc-${ctx.generationId}.mp4`,
  });
  return { ...deliveryTarget(ctx), url, ttlHours: hours };
}

// Sent: from here only the record is retried, never the send, and the abort signal is ignored,
// because a graceful stop must not turn a delivered video into an unrecorded one.
async function recordDelivery(
  ctx: StageContext,
  state: GenerationState,
  delivered: DeliveredVideo,
  via: 'video' | 'link',
): Promise<GenerationState> {
  const command = {
    type: 'MarkDelivered',
    chatId: delivered.chatId,
    messageId: delivered.messageId,
    ...(delivered.fileId ? { fileId: delivered.fileId } : {}),
    via,
  } as const;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ctx.record(command, state);
    } catch (error) {
      if (error instanceof CommandRejectedError || attempt >= recordAttempts) {
        throw new DeliveryUnrecordedError(
          `video ${ctx.generationId} was sent but its delivery could not be recorded`,
          { cause: error },
        );
      }
      ctx.log.warn(
        { stage: 'render', err: error, attempt },
        'recording the delivery failed; retrying',
      );
      await new Promise((resolve) =>
        setTimeout(resolve, backoffDelayMs(attempt, { baseMs: 200, maxMs: 5000 })),
      );
    }
  }
}

/**
 * An error the notifier did not classify is treated as a send that may have landed: never a blind
 * resend.
 */
function sendFailureOf(error: unknown): SendFailure {
  if (error instanceof SendFailedError) {
    return {
      kind: error.kind,
      errorCode: error.errorCode,
      retryAfterSec: error.retryAfterSec,
      reason: describeFailure(error),
    };
  }
  return {
    kind: 'no_answer',
    errorCode: null,
    retryAfterSec: null,
    reason: describeFailure(error),
  };
}

/** Virtual time since the first upload attempt, in the scale the waits are slept in. */
function deliveryElapsedMs(ctx: StageContext, state: GenerationState): number {
  const first = state.sending.firstAttemptAt;
  if (!first) return 0;
  return Math.max(
    0,
    (ctx.deps.now().getTime() - Date.parse(first)) / ctx.deps.config.deliveryTimeScale,
  );
}

function describeWait(failure: SendFailure, waitMs: number): string {
  return failure.kind === 'rate_limited'
    ? `Telegram asked to wait ${Math.round(waitMs / 1000)} s, which`
    : `retrying in ${Math.round(waitMs / 1000)} s`;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}
