import { Api, GrammyError, HttpError, InlineKeyboard, InputFile } from 'grammy';
import type { Logger } from '../logging/logger.js';
import {
  SendFailedError,
  type DeliveredVideo,
  type DeliveryTarget,
  type FailureNotice,
  type ProgressMessageRef,
  type ProgressUpdate,
  type UserNotifier,
} from '../ports/user-notifier.js';
import { cb } from './callback-data.js';
import { t } from './i18n/index.js';
import { scriptLanguageName } from './i18n/language-names.js';
import { isEditImpossible, isNotModified } from './ui.js';

export interface TelegramNotifierOptions {
  /** The bot's API (`bot.api`), with auto-retry installed by `createBot`. */
  readonly api: Api;
  readonly log: Logger;
}

type DeliverInput = Parameters<UserNotifier['deliverVideo']>[0];
type LinkInput = Parameters<UserNotifier['sendVideoLink']>[0];
type AbandonedInput = Parameters<UserNotifier['deliveryAbandoned']>[0];

/**
 * How the pipeline reaches the user in Telegram: one progress message per generation, edited in
 * place (each call names it, from the generation's events: this class keeps no message ids); the
 * finished video via sendVideo (streaming, dimensions, duration, thumbnail) with an honest note of
 * the providers; failures in the user's language, saying whether the credit came back.
 *
 * The video and the link stand-in go through an API without auto-retry: grammY's plugin re-sends
 * after a lost answer (HttpError, retried without limit) and sleeps through flood waits nobody can
 * interrupt. The delivery step decides instead, knowing what an upload without an answer means.
 */
export class TelegramNotifier implements UserNotifier {
  private readonly api: Api;
  private readonly sendApi: Api;
  private readonly log: Logger;
  /** Progress calls for one generation run one at a time, so the first send is never doubled. */
  private readonly queues = new Map<string, Promise<void>>();
  /** Until when the "waiting for Telegram" text stands: the stage ticker must not overwrite it. */
  private readonly waitingUntil = new Map<string, number>();

  constructor(options: TelegramNotifierOptions) {
    this.api = options.api;
    this.sendApi = new Api(options.api.token, options.api.options);
    this.log = options.log;
  }

  progress(update: ProgressUpdate): Promise<void> {
    return this.serialize(update.generationId, async () => {
      if ((this.waitingUntil.get(update.generationId) ?? 0) > Date.now()) return;
      const m = t(update.language);
      try {
        await this.showProgress(
          update,
          `${m.progress(update.stage, update.elapsedSec)}${update.resumed ? `\n${m.progressResumed}` : ''}`,
        );
      } catch (error) {
        this.log.warn(
          { err: error, generationId: update.generationId, stage: update.stage },
          'progress message failed',
        );
      }
    });
  }

  async deliverVideo(input: DeliverInput): Promise<DeliveredVideo> {
    const m = t(input.language);
    this.waitingUntil.delete(input.generationId);
    // Cosmetic, so without auto-retry: a flood wait here must not delay the upload or a stop.
    await this.sendApi
      .sendChatAction(input.userId, 'upload_video', undefined, apiSignal(input.signal))
      .catch(() => undefined);
    let sent;
    try {
      sent = await this.sendApi.sendVideo(
        input.userId,
        new InputFile(input.videoPath),
        {
          caption: m.deliveredCaption(input.providersNote),
          parse_mode: 'HTML',
          supports_streaming: true,
          width: input.width,
          height: input.height,
          duration: Math.max(1, Math.round(input.durationSec)),
          ...(input.thumbnailPath ? { thumbnail: new InputFile(input.thumbnailPath) } : {}),
        },
        apiSignal(input.signal),
      );
    } catch (error) {
      throw sendFailure(error);
    }
    // Not awaited: an edit stuck in flood control must not hold up recording the delivery.
    void this.serialize(input.generationId, () => this.finishProgress(input, m.progressDelivered));
    return {
      chatId: sent.chat.id,
      messageId: sent.message_id,
      ...(sent.video?.file_id ? { fileId: sent.video.file_id } : {}),
    };
  }

  async sendVideoLink(input: LinkInput): Promise<DeliveredVideo> {
    const m = t(input.language);
    this.waitingUntil.delete(input.generationId);
    let sent;
    try {
      sent = await this.sendApi.sendMessage(
        input.userId,
        m.videoLinkAnswerLost(input.url, input.ttlHours),
        { parse_mode: 'HTML' },
        apiSignal(input.signal),
      );
    } catch (error) {
      throw sendFailure(error);
    }
    void this.serialize(input.generationId, () => this.finishProgress(input, m.progressLinkSent));
    return { chatId: sent.chat.id, messageId: sent.message_id };
  }

  waitingToSend(input: Parameters<UserNotifier['waitingToSend']>[0]): Promise<void> {
    this.waitingUntil.set(input.generationId, Date.now() + input.waitSec * 1000);
    // Not awaited: the edit may itself be in flood control, and the wait it announces must not
    // grow.
    void this.serialize(input.generationId, async () => {
      try {
        await this.showProgress(input, t(input.language).progressWaitingForTelegram(input.waitSec));
      } catch (error) {
        this.log.warn(
          { err: error, generationId: input.generationId },
          'could not say the video waits for Telegram',
        );
      }
    });
    return Promise.resolve();
  }

  async deliveryAbandoned(input: AbandonedInput): Promise<void> {
    const m = t(input.language);
    this.waitingUntil.delete(input.generationId);
    await this.serialize(input.generationId, async () => {
      await this.finishProgress(input, m.progressUndelivered);
      try {
        await this.sendApi.sendMessage(
          input.userId,
          m.videoUndelivered(input.url, input.ttlHours),
          { parse_mode: 'HTML' },
        );
      } catch (error) {
        this.log.warn(
          { err: error, generationId: input.generationId },
          'the chat does not take the download link either',
        );
      }
    });
  }

  async failed(input: Parameters<UserNotifier['failed']>[0]): Promise<void> {
    const text = failureText(input.language, input.notice, input.refunded);
    const keyboard = failureKeyboard(input.language, input.notice);
    await this.serialize(input.generationId, async () => {
      // The progress message gets a short end mark; the full notice is a new message, so the user
      // gets a notification and reads it once.
      await this.finishProgress(input, t(input.language).progressStopped);
      try {
        await this.api.sendMessage(input.userId, text, {
          parse_mode: 'HTML',
          ...(keyboard ? { reply_markup: keyboard } : {}),
        });
      } catch (error) {
        this.log.warn(
          { err: error, generationId: input.generationId },
          'failure notice not delivered',
        );
      }
    });
  }

  /**
   * Edits the generation's progress message; posts a new one, and has it recorded, only when the
   * events name none or the one they name can no longer be edited.
   */
  private async showProgress(target: DeliveryTarget, text: string): Promise<void> {
    const known = target.progressMessage.current();
    if (known && (await this.edit(known, text))) return;
    const sent = await this.api.sendMessage(target.userId, text, { parse_mode: 'HTML' });
    await target.progressMessage
      .record({ chatId: sent.chat.id, messageId: sent.message_id })
      .catch((error: unknown) => {
        this.log.warn(
          { err: error, generationId: target.generationId },
          'could not record the progress message; a later run may post its own',
        );
      });
  }

  /** False when the message cannot be edited any more (deleted, too old, not text). */
  private async edit(ref: ProgressMessageRef, text: string): Promise<boolean> {
    try {
      await this.api.editMessageText(ref.chatId, ref.messageId, text, { parse_mode: 'HTML' });
      return true;
    } catch (error) {
      if (isNotModified(error)) return true;
      if (isEditImpossible(error)) return false;
      throw error;
    }
  }

  private async finishProgress(target: DeliveryTarget, text: string): Promise<void> {
    try {
      const ref = target.progressMessage.current();
      if (ref) await this.edit(ref, text);
    } catch (error) {
      this.log.debug(
        { err: error, generationId: target.generationId },
        'could not mark the progress message finished',
      );
    }
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

// grammY types its signal with a polyfill's AbortSignal; Node's own is what it uses at run time.
const apiSignal = (signal: AbortSignal | undefined) =>
  signal as unknown as Parameters<Api['sendMessage']>[3];

/**
 * Telegram's answer in the pipeline's terms. An error envelope means Telegram answered, so the
 * message was not stored; an HttpError (reset, timeout, abort) means the request may have arrived.
 */
export function sendFailure(error: unknown): SendFailedError {
  if (error instanceof GrammyError) {
    const message = `Telegram answered ${error.error_code}: ${error.description}`;
    if (error.error_code === 429)
      return new SendFailedError(
        'rate_limited',
        message,
        429,
        error.parameters.retry_after ?? null,
        { cause: error },
      );
    if (error.error_code >= 500)
      return new SendFailedError('unavailable', message, error.error_code, null, { cause: error });
    return new SendFailedError('refused', message, error.error_code, null, { cause: error });
  }
  const reason =
    error instanceof HttpError
      ? error.message
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
  return new SendFailedError('no_answer', `no answer from Telegram: ${reason}`, null, null, {
    cause: error,
  });
}

/** A way on from the notice, where there is one: a voice that can read the script. */
export function failureKeyboard(
  language: 'ru' | 'en',
  notice: FailureNotice,
): InlineKeyboard | undefined {
  if (notice.kind !== 'voice_cannot_read') return undefined;
  return new InlineKeyboard().text(
    t(language).btnPickVoiceForScript,
    cb({ kind: 'screen', screen: 'voices' }),
  );
}

export function failureText(
  language: 'ru' | 'en',
  notice: FailureNotice,
  refunded: boolean,
): string {
  const m = t(language);
  switch (notice.kind) {
    case 'audio_too_long':
      return m.failedAudioTooLong(notice.durationSec, notice.maxDurationSec, refunded);
    case 'provider_failed':
      return m.failedProvider(notice.stage, refunded);
    case 'delivery_failed':
      return m.failedDelivery(refunded);
    case 'voice_cannot_read':
      return m.failedVoiceCannotRead(
        notice.script ? scriptLanguageName(notice.script, language) : null,
        refunded,
      );
    default:
      return m.failedDelivery(refunded);
  }
}
