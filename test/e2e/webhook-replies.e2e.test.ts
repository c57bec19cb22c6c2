import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelegramEmulator } from '../../src/dev/telegram-emulator/index.js';
import { freePort } from '../../src/testing/free-port.js';
import { startLocalService, type LocalServiceWorld } from './local-service.js';

/**
 * In webhook mode a button's answer is the update's last Bot API call, carried by the reply to
 * the webhook delivery: one request fewer per press, and the update acknowledged only once all it
 * did is recorded.
 */
describe('webhook mode: button answers in the webhook reply (emulated Telegram, PGlite)', () => {
  let world: LocalServiceWorld | undefined;
  let emulator: TelegramEmulator;

  beforeAll(async () => {
    const port = await freePort();
    world = await startLocalService({
      name: 'webhook-reply',
      token: '987654324:E2E-webhook-reply-emulator-token-00',
      env: {
        WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
        WEBHOOK_SECRET_TOKEN: 'webhook-reply-secret',
        HTTP_PORT: String(port),
      },
    });
    emulator = world.emulator;
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  it('each press is answered once in the reply: after its screen, a toast too, before a slow clip', async () => {
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
    // Sending an example clip records nothing and may take a while: its answer goes first.
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format', { timeoutMs: 20_000, since: 'last-action' });
    await user.pressButton(/Example/);
    await user.waitFor((message) => message.media?.kind === 'video', { timeoutMs: 60_000 });
    await expect
      .poll(() => emulator.calls('answerCallbackQuery').length, { timeout: 10_000 })
      .toBe(3);
    const early = emulator.calls('answerCallbackQuery')[2]!;
    expect(early.via).toBe('webhook-reply');
    expect(early.at).toBeLessThanOrEqual(emulator.calls('sendVideo')[0]!.at);
    // Every other call was a request of its own.
    expect(
      emulator
        .calls()
        .filter((call) => call.method !== 'answerCallbackQuery')
        .every((call) => call.via === 'request'),
    ).toBe(true);
  }, 120_000);
});
