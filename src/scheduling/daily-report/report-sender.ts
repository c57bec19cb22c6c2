import { AppError } from '../../errors/app-error.js';
import { GrammyError, InputFile, type Api } from 'grammy';

export interface ReportMessage {
  readonly chatId: string;
  readonly png: Buffer;
  readonly fileName: string;
  /** Telegram HTML, at most 1024 characters. */
  readonly caption: string;
}

/**
 * Why a report could not be sent: `permanent` errors (a wrong or forbidden chat) are not retried.
 */
export class ReportSendError extends AppError {
  override readonly name = 'ReportSendError';
  readonly code = 'REPORT_SEND_FAILED';
  readonly retryable: boolean;
  constructor(message: string, permanent: boolean, options?: ErrorOptions) {
    super(message, options);
    this.retryable = !permanent;
  }
}

/** Posts a report image to the admin chat; the scheduler does not know about Telegram. */
export interface AdminReportSender {
  /** Resolves with the sent message's id; throws ReportSendError. */
  sendReport(message: ReportMessage): Promise<{ readonly messageId: number }>;
}

/** sendPhoto through the bot's API (`bot.api`, which already retries 429s and 5xx). */
export function telegramReportSender(api: Pick<Api, 'sendPhoto'>): AdminReportSender {
  return {
    async sendReport(message) {
      try {
        const sent = await api.sendPhoto(
          message.chatId,
          new InputFile(message.png, message.fileName),
          {
            caption: message.caption,
            parse_mode: 'HTML',
          },
        );
        return { messageId: sent.message_id };
      } catch (error) {
        // 400 (chat not found, bad caption) and 403 (bot removed from the chat) will not heal by
        // retrying.
        const permanent =
          error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403);
        throw new ReportSendError(
          `sendPhoto to the admin chat failed: ${(error as Error).message}`,
          permanent,
          { cause: error },
        );
      }
    },
  };
}
