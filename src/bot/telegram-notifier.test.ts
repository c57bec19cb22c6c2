import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autoRetry } from '@grammyjs/auto-retry';
import { Api } from 'grammy';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from '../dev/telegram-emulator/index.js';
import { SendFailedError, type DeliveryTarget } from '../ports/user-notifier.js';
import { TelegramNotifier } from './telegram-notifier.js';
import { fakePng, fakeVideo } from '../testing/bot/fakes.js';
import { ListedProgressMessage, targetOf } from '../testing/bot/progress-message.js';

let emulator: TelegramEmulator;
let api: Api;
let dir: string;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  emulator = await startTelegramEmulator();
  api = new Api(emulator.token, { apiRoot: emulator.apiRoot });
  api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5 }));
  dir = await mkdtemp(join(tmpdir(), 'notifier-test-'));
});

afterAll(async () => {
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** One generation's target, its progress message carried from call to call as a run carries it. */
const runs = new Map<string, DeliveryTarget>();
function run(userId: number, generationId: string, language: 'ru' | 'en'): DeliveryTarget {
  const known = runs.get(generationId) ?? targetOf(userId, generationId, language);
  runs.set(generationId, known);
  return { ...known, language };
}

async function chattingUser(id: number) {
  const user = emulator.user({ id, languageCode: 'en' });
  await user.sendText('hi');
  return user;
}

describe('TelegramNotifier', () => {
  it('edits the progress message the events name (the bot’s "queued" confirmation), posting and recording none', async () => {
    const user = await chattingUser(8001);
    const queued = await api.sendMessage(8001, 'queued');
    const message = new ListedProgressMessage({ chatId: 8001, messageId: queued.message_id });
    const g1 = targetOf(8001, 'g1', 'en', message);
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ ...g1, stage: 'tts', elapsedSec: 1 });
    await notifier.progress({ ...g1, stage: 'video', elapsedSec: 7.4 });
    await notifier.progress({ ...g1, stage: 'video', elapsedSec: 7.4 }); // not modified: fine
    const bot = user.botMessages();
    expect(bot).toHaveLength(1);
    expect(bot[0]?.text).toBe('⏳ Animating the character…\nElapsed: 7 s');
    expect(bot[0]?.editCount).toBe(2);
    expect(message.recorded).toEqual([]);
  });

  it('with none named, posts one and has it recorded at once; concurrent calls do not double it', async () => {
    const user = await chattingUser(8002);
    const message = new ListedProgressMessage();
    const g2 = targetOf(8002, 'g2', 'ru', message);
    const notifier = new TelegramNotifier({ api, log });
    await Promise.all([
      notifier.progress({ ...g2, stage: 'overlay', elapsedSec: 20 }),
      notifier.progress({ ...g2, stage: 'subtitles', elapsedSec: 25 }),
    ]);
    const bot = user.botMessages();
    expect(bot).toHaveLength(1);
    expect(bot[0]?.text).toContain('Вшиваем субтитры');
    expect(message.recorded).toEqual([{ chatId: 8002, messageId: bot[0]?.messageId }]);
  });

  it('keeps no message of its own: another notifier given the recorded message edits it, and one that cannot be edited is replaced once', async () => {
    const user = await chattingUser(8006);
    const first = new ListedProgressMessage();
    await new TelegramNotifier({ api, log }).progress({
      ...targetOf(8006, 'g7', 'en', first),
      stage: 'tts',
      elapsedSec: 1,
    });
    // Another instance, or this one restarted: it knows the message only from what was recorded.
    const second = new ListedProgressMessage(first.recorded.at(-1) ?? null);
    const g7 = targetOf(8006, 'g7', 'en', second);
    const other = new TelegramNotifier({ api, log });
    await other.progress({ ...g7, stage: 'video', elapsedSec: 9 });
    expect(user.botMessages()).toHaveLength(1);
    expect(second.recorded).toEqual([]);
    // The recorded message is gone (deleted by the user): one replacement, recorded.
    await api.deleteMessage(8006, user.botMessages()[0]!.messageId);
    await other.progress({ ...g7, stage: 'render', elapsedSec: 20 });
    await other.progress({ ...g7, stage: 'delivery', elapsedSec: 25 });
    const left = user.botMessages();
    expect(left).toHaveLength(1);
    expect(left[0]?.text).toContain('Sending the video');
    expect(second.recorded).toEqual([{ chatId: 8006, messageId: left[0]?.messageId }]);
  });

  it('says the video waits for Telegram, and the stage ticks do not overwrite that', async () => {
    const user = await chattingUser(8007);
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ ...run(8007, 'g8', 'en'), stage: 'delivery', elapsedSec: 30 });
    await notifier.waitingToSend({ ...run(8007, 'g8', 'en'), waitSec: 70 });
    await notifier.progress({ ...run(8007, 'g8', 'en'), stage: 'delivery', elapsedSec: 35 });
    expect(user.botMessages()).toHaveLength(1);
    expect(user.botMessages()[0]?.text).toContain('Telegram asked me to wait 70 s');
  });

  it('never throws from progress, even when Telegram refuses', async () => {
    const notifier = new TelegramNotifier({ api, log });
    await expect(
      notifier.progress({ ...run(8999, 'gx', 'en'), stage: 'tts', elapsedSec: 0 }),
    ).resolves.toBeUndefined();
  });

  it('delivers the video with streaming, size, duration, thumbnail and an honest caption', async () => {
    const user = await chattingUser(8003);
    const video = join(dir, 'final.mp4');
    const thumb = join(dir, 'thumb.jpg');
    await writeFile(video, fakeVideo({ durationSec: 9.6 }));
    await writeFile(thumb, fakePng(180, 320));
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ ...run(8003, 'g3', 'en'), stage: 'delivery', elapsedSec: 30 });
    const delivered = await notifier.deliverVideo({
      ...run(8003, 'g3', 'en'),
      videoPath: video,
      thumbnailPath: thumb,
      width: 1080,
      height: 1920,
      durationSec: 9.6,
      providersNote: 'espeak-ng + local portrait (no lip-sync) <ffmpeg>',
    });
    const message = user.botMessages().find((m) => m.messageId === delivered.messageId);
    expect(message?.media).toMatchObject({
      kind: 'video',
      width: 1080,
      height: 1920,
      duration: 10,
    });
    expect(message?.media?.thumbnail).toBeDefined();
    expect(message?.sendOptions.supports_streaming).toBe(true);
    expect(message?.caption).toContain('espeak-ng + local portrait (no lip-sync) <ffmpeg>');
    await vi.waitFor(() =>
      expect(user.botMessages()[0]?.text).toBe('✅ Done — the video is below.'),
    );
  });

  it('failures are localized and say whether the credit came back', async () => {
    const user = await chattingUser(8004);
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ ...run(8004, 'g4', 'ru'), stage: 'tts', elapsedSec: 1 });
    await notifier.failed({
      ...run(8004, 'g4', 'ru'),
      notice: { kind: 'audio_too_long', durationSec: 17.24, maxDurationSec: 15 },
      refunded: true,
    });
    await user.waitFor('Речь получилась длиной 17.2 с, а можно не больше 15 с');
    expect(user.lastBotMessage()?.text).toContain('Кредит возвращён.');
    // The notice is read once: the progress message above it only gets an end mark.
    expect(user.botMessages().map((message) => message.text)).toEqual([
      '⛔ Остановлено — подробности ниже.',
      expect.stringContaining('Речь получилась'),
    ]);
    await notifier.failed({
      ...run(8004, 'g5', 'en'),
      notice: { kind: 'provider_failed', stage: 'video' },
      refunded: true,
    });
    await user.waitFor(
      'failed at the “Animating the character” stage. Your credit has been refunded.',
    );
  });

  it('sends the video once, without the auto-retry layer: flood, server error, lost answer and refusal come back typed', async () => {
    const user = await chattingUser(8008);
    const video = join(dir, 'once.mp4');
    await writeFile(video, fakeVideo({ durationSec: 3 }));
    const notifier = new TelegramNotifier({ api, log });
    const send = () =>
      notifier.deliverVideo({
        ...run(8008, 'g9', 'en'),
        videoPath: video,
        width: 1080,
        height: 1920,
        durationSec: 3,
        providersNote: 'x',
      });
    // retry_after 2 is under the plugin's 5 s limit: it would have slept and retried by itself.
    emulator.injectFault('sendVideo', { kind: 'flood', retryAfter: 2 });
    await expect(send()).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfterSec: 2,
      errorCode: 429,
      code: 'SEND_RATE_LIMITED',
      retryable: true,
    });
    emulator.injectFault('sendVideo', { kind: 'server-error', status: 502 });
    await expect(send()).rejects.toMatchObject({ kind: 'unavailable', errorCode: 502 });
    emulator.injectFault('sendVideo', { kind: 'lose-answer' });
    const lost = await send().catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(SendFailedError);
    expect(lost).toMatchObject({ kind: 'no_answer', retryable: true });
    // The plugin would have uploaded again after the lost answer; here the one upload stands.
    expect(user.botMessages().filter((message) => message.media?.kind === 'video')).toHaveLength(1);
    emulator.injectFault('sendVideo', {
      kind: 'error',
      errorCode: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await expect(send()).rejects.toMatchObject({
      kind: 'refused',
      errorCode: 403,
      retryable: false,
    });
    const delivered = await send();
    expect(delivered.fileId).toEqual(expect.any(String));
    expect(user.botMessages().filter((message) => message.media?.kind === 'video')).toHaveLength(2);
  });

  it('the link stand-in and the abandoned notice name the link and end the progress message', async () => {
    const user = await chattingUser(8009);
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ ...run(8009, 'g10', 'en'), stage: 'delivery', elapsedSec: 30 });
    await notifier.sendVideoLink({
      ...run(8009, 'g10', 'en'),
      url: 'https://files.example.test/v.mp4?sig=1',
      ttlHours: 24,
    });
    await vi.waitFor(() =>
      expect(user.botMessages()[0]?.text).toBe('✅ Done — the download link is below.'),
    );
    expect(user.botMessages().map((message) => message.text)).toEqual([
      '✅ Done — the download link is below.',
      expect.stringContaining("if it didn't arrive above, here it is"),
    ]);
    await notifier.progress({ ...run(8009, 'g11', 'ru'), stage: 'delivery', elapsedSec: 30 });
    await notifier.deliveryAbandoned({
      ...run(8009, 'g11', 'ru'),
      url: 'https://files.example.test/w.mp4?sig=2',
      ttlHours: 24,
    });
    expect(user.botMessages().at(-2)?.text).toContain('Telegram не принял');
    expect(user.botMessages().at(-1)?.text).toContain('«Мои видео»');
    expect(
      user
        .botMessages()
        .at(-1)
        ?.entities.find((entity) => entity.type === 'text_link')?.url,
    ).toBe('https://files.example.test/w.mp4?sig=2');
  });

  it('a progress edit held by flood control does not hold up the delivery it follows', async () => {
    const user = await chattingUser(8010);
    const video = join(dir, 'quick.mp4');
    await writeFile(video, fakeVideo({ durationSec: 2 }));
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ ...run(8010, 'g12', 'en'), stage: 'delivery', elapsedSec: 30 });
    emulator.injectFault('editMessageText', { kind: 'flood', retryAfter: 3 });
    const started = Date.now();
    await notifier.deliverVideo({
      ...run(8010, 'g12', 'en'),
      videoPath: video,
      width: 1080,
      height: 1920,
      durationSec: 2,
      providersNote: 'x',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    await vi.waitFor(
      () => expect(user.botMessages()[0]?.text).toBe('✅ Done — the video is below.'),
      { timeout: 6000 },
    );
  });

  it('retries a 429 from Telegram on progress messages (auto-retry)', async () => {
    const user = await chattingUser(8005);
    emulator.injectFault('sendMessage', { kind: 'flood', retryAfter: 1 });
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ ...run(8005, 'g6', 'en'), stage: 'queued', elapsedSec: 0 });
    expect(user.botMessages()).toHaveLength(1);
  });
});
