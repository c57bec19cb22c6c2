import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autoRetry } from '@grammyjs/auto-retry';
import { Api } from 'grammy';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from '../dev/telegram-emulator/index.js';
import { ProgressMessages } from './progress-messages.js';
import { TelegramNotifier } from './telegram-notifier.js';
import { fakePng, fakeVideo } from './testing/fakes.js';

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

async function chattingUser(id: number) {
  const user = emulator.user({ id, languageCode: 'en' });
  await user.sendText('hi');
  return user;
}

describe('TelegramNotifier', () => {
  it('edits one progress message in place, starting from the bot’s "queued" message', async () => {
    const user = await chattingUser(8001);
    const registry = new ProgressMessages();
    const queued = await api.sendMessage(8001, 'queued');
    registry.set('g1', { chatId: 8001, messageId: queued.message_id });
    const notifier = new TelegramNotifier({ api, log, progressMessages: registry });
    await notifier.progress({ userId: 8001, generationId: 'g1', stage: 'tts', elapsedSec: 1, language: 'en' });
    await notifier.progress({ userId: 8001, generationId: 'g1', stage: 'video', elapsedSec: 7.4, language: 'en' });
    await notifier.progress({ userId: 8001, generationId: 'g1', stage: 'video', elapsedSec: 7.4, language: 'en' }); // not modified: fine
    const bot = user.botMessages();
    expect(bot).toHaveLength(1);
    expect(bot[0]?.text).toBe('⏳ Animating the character…\nElapsed: 7 s');
    expect(bot[0]?.editCount).toBe(2);
  });

  it('after a restart (empty registry) sends one fresh progress message, then edits it; concurrent calls do not double it', async () => {
    const user = await chattingUser(8002);
    const notifier = new TelegramNotifier({ api, log });
    await Promise.all([
      notifier.progress({ userId: 8002, generationId: 'g2', stage: 'overlay', elapsedSec: 20, language: 'ru' }),
      notifier.progress({ userId: 8002, generationId: 'g2', stage: 'render', elapsedSec: 25, language: 'ru' }),
    ]);
    const bot = user.botMessages();
    expect(bot).toHaveLength(1);
    expect(bot[0]?.text).toContain('Вшиваем субтитры');
  });

  it('never throws from progress, even when Telegram refuses', async () => {
    const notifier = new TelegramNotifier({ api, log });
    await expect(notifier.progress({ userId: 8999, generationId: 'gx', stage: 'tts', elapsedSec: 0, language: 'en' })).resolves.toBeUndefined();
  });

  it('delivers the video with streaming, size, duration, thumbnail and an honest caption', async () => {
    const user = await chattingUser(8003);
    const video = join(dir, 'final.mp4');
    const thumb = join(dir, 'thumb.jpg');
    await writeFile(video, fakeVideo({ durationSec: 9.6 }));
    await writeFile(thumb, fakePng(180, 320));
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ userId: 8003, generationId: 'g3', stage: 'delivery', elapsedSec: 30, language: 'en' });
    const delivered = await notifier.deliverVideo({
      userId: 8003,
      generationId: 'g3',
      language: 'en',
      videoPath: video,
      thumbnailPath: thumb,
      width: 1080,
      height: 1920,
      durationSec: 9.6,
      providersNote: 'espeak-ng + local portrait (no lip-sync) <ffmpeg>',
    });
    const message = user.botMessages().find((m) => m.messageId === delivered.messageId);
    expect(message?.media).toMatchObject({ kind: 'video', width: 1080, height: 1920, duration: 10 });
    expect(message?.media?.thumbnail).toBeDefined();
    expect(message?.sendOptions.supports_streaming).toBe(true);
    expect(message?.caption).toContain('espeak-ng + local portrait (no lip-sync) <ffmpeg>');
    expect(user.botMessages()[0]?.text).toBe('✅ Done — the video is below.');
  });

  it('failures are localized and say whether the credit came back', async () => {
    const user = await chattingUser(8004);
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ userId: 8004, generationId: 'g4', stage: 'tts', elapsedSec: 1, language: 'ru' });
    await notifier.failed({
      userId: 8004,
      generationId: 'g4',
      language: 'ru',
      notice: { kind: 'audio_too_long', durationSec: 17.24, maxDurationSec: 15 },
      refunded: true,
    });
    await user.waitFor('Речь получилась длиной 17.2 с, а можно не больше 15 с');
    expect(user.lastBotMessage()?.text).toContain('Кредит возвращён.');
    // The notice is read once: the progress message above it only gets an end mark.
    expect(user.botMessages().map((message) => message.text)).toEqual(['⛔ Остановлено — подробности ниже.', expect.stringContaining('Речь получилась')]);
    await notifier.failed({ userId: 8004, generationId: 'g5', language: 'en', notice: { kind: 'provider_failed', stage: 'video' }, refunded: true });
    await user.waitFor('failed at the “Animating the character” stage. Your credit has been refunded.');
  });

  it('retries a 429 from Telegram (auto-retry)', async () => {
    const user = await chattingUser(8005);
    emulator.injectFault('sendMessage', { kind: 'flood', retryAfter: 1 });
    const notifier = new TelegramNotifier({ api, log });
    await notifier.progress({ userId: 8005, generationId: 'g6', stage: 'queued', elapsedSec: 0, language: 'en' });
    expect(user.botMessages()).toHaveLength(1);
  });
});
