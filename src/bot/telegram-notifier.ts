import { InputFile, type Api } from 'grammy';
import type { Logger } from '../logging/logger.js';
import type { DeliveredVideo, FailureNotice, ProgressUpdate, UserNotifier } from '../ports/user-notifier.js';
import { t } from './i18n/index.js';
import { ProgressMessages } from './progress-messages.js';
import { isEditImpossible, isNotModified } from './ui.js';

export interface TelegramNotifierOptions {
  /** The bot's API (`bot.api`), with auto-retry installed by `createBot`. */
  readonly api: Api;
  readonly log: Logger;
  /**
   * Shared with the bot (`BotDeps.progressMessages`) so the "queued" message becomes the progress
   * message. After a restart the registry is empty and one fresh progress message is sent.
   */
  readonly progressMessages?: ProgressMessages;
}

/**
 * How the pipeline reaches the user in Telegram: one progress message per generation, edited in
 * place; the finished video via sendVideo (streaming, dimensions, duration, thumbnail) with an
 * honest note of the providers; failures in the user's language, saying whether the credit came back.
 */
export class TelegramNotifier implements UserNotifier {
  readonly progressMessages: ProgressMessages;
  private readonly api: Api;
  private readonly log: Logger;
  /** Progress calls for one generation run one at a time, so the first send is never doubled. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: TelegramNotifierOptions) {
    this.api = options.api;
    this.log = options.log;
    this.progressMessages = options.progressMessages ?? new ProgressMessages();
  }

  progress(update: ProgressUpdate): Promise<void> {
    return this.serialize(update.generationId, async () => {
      try {
        await this.showProgress(update.userId, update.generationId, `${t(update.language).progress(update.stage, update.elapsedSec)}${update.resumed ? `\n${t(update.language).progressResumed}` : ''}`);
      } catch (error) {
        this.log.warn({ err: error, generationId: update.generationId, stage: update.stage }, 'progress message failed');
      }
    });
  }

  async deliverVideo(input: Parameters<UserNotifier['deliverVideo']>[0]): Promise<DeliveredVideo> {
    const m = t(input.language);
    await this.api.sendChatAction(input.userId, 'upload_video').catch(() => undefined);
    const sent = await this.api.sendVideo(input.userId, new InputFile(input.videoPath), {
      caption: m.deliveredCaption(input.providersNote),
      parse_mode: 'HTML',
      supports_streaming: true,
      width: input.width,
      height: input.height,
      duration: Math.max(1, Math.round(input.durationSec)),
      ...(input.thumbnailPath ? { thumbnail: new InputFile(input.thumbnailPath) } : {}),
    });
    await this.serialize(input.generationId, async () => {
      await this.finishProgress(input.generationId, m.progressDelivered);
    });
    return { chatId: sent.chat.id, messageId: sent.message_id };
  }

  async failed(input: Parameters<UserNotifier['failed']>[0]): Promise<void> {
    const text = failureText(input.language, input.notice, input.refunded);
    await this.serialize(input.generationId, async () => {
      // The progress message gets a short end mark; the full notice is a new message, so the user
      // gets a notification and reads it once.
      await this.finishProgress(input.generationId, t(input.language).progressStopped);
      try {
        await this.api.sendMessage(input.userId, text, { parse_mode: 'HTML' });
      } catch (error) {
        this.log.warn({ err: error, generationId: input.generationId }, 'failure notice not delivered');
      }
    });
  }

  private async showProgress(userId: number, generationId: string, text: string): Promise<void> {
    const ref = this.progressMessages.get(generationId);
    if (ref) {
      try {
        await this.api.editMessageText(ref.chatId, ref.messageId, text, { parse_mode: 'HTML' });
        return;
      } catch (error) {
        if (isNotModified(error)) return;
        if (!isEditImpossible(error)) throw error;
      }
    }
    const sent = await this.api.sendMessage(userId, text, { parse_mode: 'HTML' });
    this.progressMessages.set(generationId, { chatId: sent.chat.id, messageId: sent.message_id });
  }

  private async finishProgress(generationId: string, text: string): Promise<void> {
    const ref = this.progressMessages.get(generationId);
    if (!ref) return;
    this.progressMessages.delete(generationId);
    await this.api.editMessageText(ref.chatId, ref.messageId, text, { parse_mode: 'HTML' }).catch(() => undefined);
  }

  private serialize(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.queues.set(key, next);
    void next.finally(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
    return next;
  }
}

export function failureText(language: 'ru' | 'en', notice: FailureNotice, refunded: boolean): string {
  const m = t(language);
  switch (notice.kind) {
    case 'audio_too_long':
      return m.failedAudioTooLong(notice.durationSec, notice.maxDurationSec, refunded);
    case 'provider_failed':
      return m.failedProvider(notice.stage, refunded);
    case 'delivery_failed':
      return m.failedDelivery(refunded);
    default:
      return m.failedDelivery(refunded);
  }
}
