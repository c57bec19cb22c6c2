import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeliveredVideo, FailureNotice, ProgressUpdate, UserNotifier } from '../../ports/user-notifier.js';

type DeliverInput = Parameters<UserNotifier['deliverVideo']>[0];
type FailedInput = Parameters<UserNotifier['failed']>[0];

/** A UserNotifier that remembers every call; `deliverFailures` makes the next sends throw. */
export class RecordingNotifier implements UserNotifier {
  readonly progressUpdates: ProgressUpdate[] = [];
  readonly deliveries: DeliverInput[] = [];
  readonly failures: FailedInput[] = [];
  deliverFailures: Error[] = [];
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
    const failure = this.deliverFailures.shift();
    if (failure) throw failure;
    this.deliveries.push(input);
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
    return { chatId: input.userId, messageId: this.nextMessageId++ };
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

  noticesOf(generationId: string): FailureNotice[] {
    return this.failuresOf(generationId).map((f) => f.notice);
  }
}
