import { createHash } from 'node:crypto';
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, InlineKeyboard, InputFile } from 'grammy';

export interface SampleBotOptions {
  readonly apiRoot: string;
  readonly token: string;
  /** Bytes `/render` sends back as the "finished ad". */
  readonly adVideo: Uint8Array;
  readonly adThumbnail: Uint8Array;
  /**
   * Install bot.catch. Long polling needs it (an unhandled error stops bot.start); webhook tests
   * leave it out so a failing handler becomes a 500 and Telegram's re-delivery can be observed.
   */
  readonly catchErrors?: boolean;
}

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/**
 * A tiny real grammY bot for the emulator's own tests and as a usage example: a menu with an
 * inline keyboard, a video round trip in both directions, and auto-retry for flood limits.
 */
export function createSampleBot(options: SampleBotOptions): Bot {
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5 }));

  bot.command('start', (ctx) =>
    ctx.reply('Pick a style for your ad', {
      reply_markup: new InlineKeyboard()
        .text('Energetic', 'style:energetic')
        .text('Calm', 'style:calm'),
    }),
  );

  bot.callbackQuery(/^style:(.+)$/, async (ctx) => {
    await ctx.answerCallbackQuery({ text: 'Saved' });
    await ctx.editMessageText(`Style: ${ctx.match[1] ?? '?'}`);
  });

  bot.on('message:video', async (ctx) => {
    const file = await ctx.getFile();
    const response = await fetch(
      `${options.apiRoot}/file/bot${options.token}/${file.file_path ?? ''}`,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    await ctx.reply(
      `received ${ctx.message.video.file_name ?? '?'} ${bytes.length} bytes ${sha256(bytes)}`,
    );
  });

  bot.command('render', async (ctx) => {
    await ctx.replyWithChatAction('upload_video');
    await ctx.replyWithVideo(new InputFile(options.adVideo, 'ad.mp4'), {
      caption: 'Your ad is <b>ready</b>',
      parse_mode: 'HTML',
      width: 1080,
      height: 1920,
      duration: 12,
      supports_streaming: true,
      thumbnail: new InputFile(options.adThumbnail, 'thumb.png'),
    });
  });

  if (options.catchErrors) {
    bot.catch(() => {
      // Tests assert on chat contents; a crashing handler shows up there as a missing reply.
    });
  }
  return bot;
}

/** A PNG header is all the emulator reads to size an image. */
export function fakePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return header;
}
