import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SendFailedError,
  type DeliveredVideo,
  type FailureNotice,
  type ProgressUpdate,
  type UserNotifier,
} from '../../ports/user-notifier.js';

type DeliverInput = Parameters<UserNotifier['deliverVideo']>[0];
type FailedInput = Parameters<UserNotifier['failed']>[0];
type LinkInput = Parameters<UserNotifier['sendVideoLink']>[0];
type WaitInput = Parameters<UserNotifier['waitingToSend']>[0];
type AbandonedInput = Parameters<UserNotifier['deliveryAbandoned']>[0];

/**
 * A UserNotifier that remembers every call; `deliverFailures` makes the next uploads throw (a
 * `SendFailedError` says what Telegram answered) and `linkFailures` the next link messages.
 * `lostAnswers` uploads succeed and then throw "no answer", as a reset after Telegram stored them.
 */
export class RecordingNotifier implements UserNotifier {
  readonly progressUpdates: ProgressUpdate[] = [];
  /** Uploads that reached the user (including those whose answer was lost). */
  readonly deliveries: DeliverInput[] = [];
  readonly failures: FailedInput[] = [];
  readonly links: LinkInput[] = [];
  readonly waits: WaitInput[] = [];
  readonly abandoned: AbandonedInput[] = [];
  /** Every upload tried, landed or not, with when it started (ms since the epoch). */
  readonly uploadAttempts: { readonly generationId: string; readonly at: number }[] = [];
  deliverFailures: Error[] = [];
  linkFailures: Error[] = [];
  lostAnswers = 0;
  private nextMessageId = 1000;
  /** Copies of what was sent (the pipeline deletes its work files afterwards), by generation id. */
  readonly kept = new Map<string, { video: string; thumbnail?: string }>();
  /** Where to keep those copies; none are kept unless set. */
  keepCopiesIn: string | undefined;
  /** Called after a send succeeds, before it returns (fault injection). */
  afterSend: ((input: DeliverInput) => Promise<void> | void) | undefined;

  async progress(update: ProgressUpdate): Promise<void> {
    this.progressUpdates.push(update);
  }

  async deliverVideo(input: DeliverInput): Promise<DeliveredVideo> {
    this.uploadAttempts.push({ generationId: input.generationId, at: Date.now() });
    const failure = this.deliverFailures.shift();
    if (failure) throw failure;
    this.deliveries.push(input);
    if (this.lostAnswers > 0) {
      this.lostAnswers -= 1;
      throw new SendFailedError('no_answer', 'no answer from Telegram: socket hang up');
    }
    if (this.keepCopiesIn) {
      const video = join(this.keepCopiesIn, `${input.generationId}.mp4`);
      await copyFile(input.videoPath, video);
      let thumbnail: string | undefined;
      if (input.thumbnailPath) {
        thumbnail = join(this.keepCopiesIn, `${input.generationId}.jpg`);
        await copyFile(input.thumbnailPath, thumbnail);
      }
      this.kept.set(input.generationId, thumbnail ? { video, thumbnail } : { video });
    }
    await this.afterSend?.(input);
    return {
      chatId: input.userId,
      messageId: this.nextMessageId++,
      fileId: `file-${input.generationId}`,
    };
  }

  async sendVideoLink(input: LinkInput): Promise<DeliveredVideo> {
    const failure = this.linkFailures.shift();
    if (failure) throw failure;
    this.links.push(input);
    return { chatId: input.userId, messageId: this.nextMessageId++ };
  }

  async waitingToSend(input: WaitInput): Promise<void> {
    this.waits.push(input);
  }

  async deliveryAbandoned(input: AbandonedInput): Promise<void> {
    this.abandoned.push(input);
  }

  async failed(input: FailedInput): Promise<void> {
    this.failures.push(input);
  }

  deliveriesOf(generationId: string): DeliverInput[] {
    return this.deliveries.filter((d) => d.generationId === generationId);
  }

  failuresOf(generationId: string): FailedInput[] {
    return this.failures.filter((f) => f.generationId === generationId);
  }

  linksOf(generationId: string): LinkInput[] {
    return this.links.filter((l) => l.generationId === generationId);
  }

  noticesOf(generationId: string): FailureNotice[] {
    return this.failuresOf(generationId).map((f) => f.notice);
  }
}
