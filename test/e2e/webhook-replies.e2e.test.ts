import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/app/service.js';
import { loadConfig } from '../../src/config/config.js';
import {
  startTelegramEmulator,
  type TelegramEmulator,
} from '../../src/dev/telegram-emulator/index.js';
import { freePort } from '../../src/testing/free-port.js';

/**
 * In webhook mode a button's answer is the update's last Bot API call, carried by the reply to
 * the webhook delivery: one request fewer per press, and the update acknowledged only once all it
 * did is recorded.
 */
describe('webhook mode: button answers in the webhook reply (emulated Telegram, PGlite)', () => {
  let dir: string;
  let emulator: TelegramEmulator;
  let service: RunningService | undefined;
  const token = '987654324:E2E-webhook-reply-emulator-token-00';
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ugc-e2e-webhook-reply-'));
    emulator = await startTelegramEmulator({ token, fileDirectory: join(dir, 'tg') });
    const port = await freePort();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
      WEBHOOK_SECRET_TOKEN: 'webhook-reply-secret',
      DATA_DIR: join(dir, 'service'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
    });
    service = await startService(config, log);
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('each press is answered once, after its screen, in the reply, a toast too', async () => {
    const user = emulator.user({ id: 3301, firstName: 'Wren', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format', { timeoutMs: 20_000 });
    await user.pressButton('🗣 Talking head');
    await user.waitFor('Who should speak', { timeoutMs: 20_000 });
    // A button of an older version: a toast saying so, and a fresh menu.
    await user.pressCallbackData('v0|gone');
    await user.waitFor(/What would you like to do\?/, { timeoutMs: 20_000, since: 'last-action' });

    await expect
      .poll(() => emulator.calls('answerCallbackQuery').length, { timeout: 10_000 })
      .toBe(2);
    const answers = emulator.calls('answerCallbackQuery');
    expect(answers.map((call) => [call.via, call.ok])).toEqual([
      ['webhook-reply', true],
      ['webhook-reply', true],
    ]);
    expect(answers[0]!.params.text).toBeUndefined();
    expect(String(answers[1]!.params.text)).toMatch(/outdated|no longer/i);
    // The screen came first: the answer closes the update.
    const edit = emulator.calls('editMessageText')[0]!;
    expect(answers[0]!.at).toBeGreaterThanOrEqual(edit.at);
    // Every other call was a request of its own.
    expect(
      emulator
        .calls()
        .filter((call) => call.method !== 'answerCallbackQuery')
        .every((call) => call.via === 'request'),
    ).toBe(true);
  }, 120_000);
});
