import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GrammyError, InlineKeyboard, InputFile, InputMediaBuilder, type Bot } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from './index.js';
import { createSampleBot, fakePng, sha256 } from './sample-bot.js';

const AD_VIDEO = randomBytes(300 * 1024);
const AD_THUMBNAIL = fakePng(320, 180);

describe('telegram emulator with a long-polling grammY bot', () => {
  let emulator: TelegramEmulator;
  let bot: Bot;

  beforeAll(async () => {
    emulator = await startTelegramEmulator();
    bot = createSampleBot({
      apiRoot: emulator.apiRoot,
      token: emulator.token,
      adVideo: AD_VIDEO,
      adThumbnail: AD_THUMBNAIL,
      catchErrors: true,
    });
    await new Promise<void>((resolve, reject) => {
      bot.start({ onStart: () => resolve() }).catch(reject);
    });
  });

  afterAll(async () => {
    await bot.stop();
    await emulator.close();
  });

  it('runs /start → inline keyboard → button press → edited message', async () => {
    const alice = emulator.user({
      id: 1001,
      firstName: 'Alice',
      languageCode: 'en',
      username: 'alice',
    });
    await alice.sendCommand('/start');
    const menu = await alice.waitFor('Pick a style');
    expect(menu.inlineKeyboard?.[0]?.map((button) => button.text)).toEqual(['Energetic', 'Calm']);

    const press = await alice.pressButton('Calm');
    expect(await press.answer()).toMatchObject({
      text: 'Saved',
      showAlert: false,
      data: 'style:calm',
    });

    const edited = await alice.waitFor(
      (message) => message.messageId === menu.messageId && message.text === 'Style: calm',
    );
    expect(edited.editCount).toBe(1);
    expect(edited.previousVersions[0]?.text).toBe('Pick a style for your ad');
    // Editing the text without reply_markup removes the keyboard, as on Telegram.
    expect(edited.inlineKeyboard).toBeUndefined();
    expect(alice.callbackAnswers()).toHaveLength(1);
  });

  it('lets the bot download a video the user uploaded, byte for byte', async () => {
    const bob = emulator.user({ id: 1002, firstName: 'Bob' });
    const upload = randomBytes(512 * 1024);
    await bob.sendVideo(upload, {
      fileName: 'product.mp4',
      mimeType: 'video/mp4',
      duration: 7,
      width: 720,
      height: 1280,
    });
    const reply = await bob.waitFor(/^received/);
    expect(reply.text).toBe(`received product.mp4 ${upload.length} bytes ${sha256(upload)}`);
  });

  it('accepts a multipart sendVideo and keeps size, duration, thumbnail and streaming flag', async () => {
    const carol = emulator.user({ id: 1003, firstName: 'Carol' });
    await carol.sendCommand('/render');
    const video = await carol.waitFor((message) => message.media?.kind === 'video');
    expect(video.media).toMatchObject({
      width: 1080,
      height: 1920,
      duration: 12,
      fileName: 'ad.mp4',
      mimeType: 'video/mp4',
      fileSize: AD_VIDEO.length,
    });
    expect(video.media?.thumbnail).toMatchObject({ width: 320, height: 180 });
    expect(video.caption).toBe('Your ad is ready');
    expect(video.entities).toEqual([{ type: 'bold', offset: 11, length: 5 }]);
    expect(video.sendOptions).toMatchObject({ supports_streaming: true });
    expect(carol.chatActions().map((action) => action.action)).toContain('upload_video');

    expect(Buffer.compare(await carol.downloadMedia(video), AD_VIDEO)).toBe(0);
    const file = await bot.api.getFile(video.media?.fileId ?? '');
    const downloaded = Buffer.from(
      await (await fetch(emulator.fileUrl(file.file_path ?? ''))).arrayBuffer(),
    );
    expect(sha256(downloaded)).toBe(sha256(AD_VIDEO));
  });

  it('rejects malformed HTML and MarkdownV2 with GrammyError 400 "can\'t parse entities"', async () => {
    const dave = emulator.user({ id: 1004, firstName: 'Dave' });
    await dave.sendText('hi');

    const html = await bot.api
      .sendMessage(dave.chatId, 'Hello <b>Dave', { parse_mode: 'HTML' })
      .catch((error: unknown) => error);
    expect(html).toBeInstanceOf(GrammyError);
    expect(html).toMatchObject({
      error_code: 400,
      description:
        'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    });

    const markdown = await bot.api
      .sendMessage(dave.chatId, 'Price: 9.99', { parse_mode: 'MarkdownV2' })
      .catch((error: unknown) => error);
    expect(markdown).toMatchObject({
      error_code: 400,
      description:
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    });
    expect(dave.botMessages()).toHaveLength(0);
  });

  it('parses grammY multipart: odd file names, attach:// inside arrays, JSON-encoded fields', async () => {
    const gina = emulator.user({ id: 1007, firstName: 'Gina' });
    await gina.sendText('files please');
    const document = await bot.api.sendDocument(
      gina.chatId,
      new InputFile(Buffer.from('a;b'), 'price list; final.csv'),
      {
        caption: '*Prices*',
        parse_mode: 'MarkdownV2',
        reply_markup: new InlineKeyboard().text('Buy', 'buy:1'),
      },
    );
    expect(document.document).toMatchObject({
      file_name: 'price list; final.csv',
      mime_type: 'text/csv',
    });
    expect(document.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 6 }]);
    expect(document.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({
      callback_data: 'buy:1',
    });

    const album = await bot.api.sendMediaGroup(gina.chatId, [
      InputMediaBuilder.photo(new InputFile(fakePng(640, 480), 'frame.png'), { caption: 'frame' }),
      InputMediaBuilder.video(new InputFile(AD_VIDEO, 'cut.mp4'), {
        width: 720,
        height: 1280,
        duration: 5,
        supports_streaming: true,
      }),
    ]);
    expect(album).toHaveLength(2);
    expect(album[0]).toMatchObject({ photo: [{ width: 640, height: 480 }] });
    expect(album[1]).toHaveProperty('video');
    expect((album[1] as { video?: unknown }).video).toMatchObject({
      width: 720,
      height: 1280,
      duration: 5,
      file_name: 'cut.mp4',
    });
    expect(gina.messages().at(-1)?.sendOptions).toMatchObject({ supports_streaming: true });

    const swapped = await bot.api.editMessageMedia(
      gina.chatId,
      album[1]?.message_id ?? 0,
      InputMediaBuilder.video(new InputFile(Buffer.from('v2'), 'v2.mp4'), {
        caption: 'second cut',
      }),
    );
    expect(swapped).toMatchObject({ caption: 'second cut', video: { file_name: 'v2.mp4' } });
    expect((await gina.downloadMedia(album[1]?.message_id ?? 0)).toString()).toBe('v2');
  });

  it('hands a repeated update_id to the polling bot again', async () => {
    const hank = emulator.user({ id: 1008, firstName: 'Hank' });
    const seen: string[] = [];
    const stop = emulator.onMessage((message, change) => {
      if (message.chatId === hank.chatId && message.sender === 'bot')
        seen.push(`${change}:${message.text ?? ''}`);
    });
    const first = await hank.sendCommand('/start');
    await hank.waitFor('Pick a style');
    await hank.sendRaw(first.update);
    await hank.waitFor('Pick a style');
    stop();
    expect(hank.botMessages()).toHaveLength(2);
    expect(seen).toEqual(['created:Pick a style for your ad', 'created:Pick a style for your ad']);
  });

  it('refuses getFile above 20 MB', async () => {
    const erin = emulator.user({ id: 1005, firstName: 'Erin' });
    const sent = await erin.sendDocument(Buffer.alloc(20 * 1024 * 1024 + 1), {
      fileName: 'huge.mov',
    });
    const fileId = sent.message?.document?.file_id ?? '';
    await expect(bot.api.getFile(fileId)).rejects.toMatchObject({
      error_code: 400,
      description: 'Bad Request: file is too big',
    });
  });

  it('lets @grammyjs/auto-retry ride out an injected 429', async () => {
    const frank = emulator.user({ id: 1006, firstName: 'Frank' });
    await frank.sendText('hello');
    emulator.injectFault('sendMessage', { kind: 'flood', retryAfter: 1 });
    const started = Date.now();
    const sent = await bot.api.sendMessage(frank.chatId, 'after the flood');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sent.text).toBe('after the flood');
    const attempts = emulator.calls('sendMessage').slice(-2);
    expect(attempts.map((call) => call.errorCode ?? 200)).toEqual([429, 200]);
    expect(attempts[0]?.description).toBe('Too Many Requests: retry after 1');
  });

  it('keeps idle long polls waiting instead of busy-looping', async () => {
    await sleep(300); // let earlier replies settle into a fresh poll
    const before = emulator.calls('getUpdates').length;
    await sleep(1500);
    // grammY polls with timeout=30; an emulator that answered at once would log dozens of calls.
    expect(emulator.calls('getUpdates').length - before).toBeLessThanOrEqual(1);
  });
});
