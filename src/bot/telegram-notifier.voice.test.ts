import { Api } from 'grammy';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from '../dev/telegram-emulator/index.js';
import { failureKeyboard, failureText, TelegramNotifier } from './telegram-notifier.js';
import { targetOf } from '../testing/bot/progress-message.js';

let emulator: TelegramEmulator;
let api: Api;

beforeAll(async () => {
  emulator = await startTelegramEmulator();
  api = new Api(emulator.token, { apiRoot: emulator.apiRoot });
});

afterAll(async () => {
  await emulator?.close();
});

const chinese = { system: 'han', likely: 'cmn', identified: false } as const;

describe('the notice for a voice that cannot read the script', () => {
  it('says so in the user’s language, names the script, says the credit came back, and offers the voices', async () => {
    const user = emulator.user({ id: 8101, languageCode: 'en' });
    await user.sendText('hi');
    const notifier = new TelegramNotifier({ api, log: pino({ level: 'silent' }) });
    await notifier.failed({
      ...targetOf(8101, 'gv1', 'en'),
      notice: { kind: 'voice_cannot_read', script: chinese },
      refunded: true,
    });
    const notice = await user.waitFor('cannot read your script');
    expect(notice.text).toBe(
      '⚠️ The chosen voice cannot read your script (Chinese): it would only spell out the letters, so no video was made. Your credit has been refunded. Please pick a voice that speaks this language and send the script again.',
    );
    expect(notice.text).not.toContain('failed at');
    expect(
      notice.inlineKeyboard
        ?.flat()
        .map((b) => [b.text, 'callback_data' in b ? b.callback_data : undefined]),
    ).toEqual([['🎙 Pick a voice', 'v1|n|vo']]);
  });

  it('in Russian, for a script the voice speaks but some characters of which it cannot read, and when nothing was charged', () => {
    expect(failureText('ru', { kind: 'voice_cannot_read', script: chinese }, true)).toBe(
      '⚠️ Выбранный голос не может прочитать ваш сценарий (<b>китайский</b>): он бы только называл буквы, поэтому видео не сделано. Кредит возвращён. Выберите голос, который говорит на этом языке, и пришлите сценарий снова.',
    );
    expect(
      failureText(
        'en',
        {
          kind: 'voice_cannot_read',
          script: { system: 'cyrillic', likely: 'ru', identified: true },
        },
        false,
      ),
    ).toContain('cannot read your script (<b>Russian</b>)');
    expect(failureText('en', { kind: 'voice_cannot_read', script: null }, false)).toContain(
      'some characters of your script',
    );
    expect(failureText('en', { kind: 'voice_cannot_read', script: null }, false)).toContain(
      'You were not charged.',
    );
    expect(failureText('ru', { kind: 'voice_cannot_read', script: null }, true)).toContain(
      'некоторые символы вашего сценария',
    );
    expect(
      failureKeyboard('ru', { kind: 'voice_cannot_read', script: null })
        ?.inline_keyboard.flat()
        .map((b) => b.text),
    ).toEqual(['🎙 Выбрать голос']);
  });

  it('other failures keep their text and get no voice button', () => {
    expect(failureKeyboard('en', { kind: 'provider_failed', stage: 'tts' })).toBeUndefined();
    expect(failureText('en', { kind: 'provider_failed', stage: 'tts' }, true)).toContain(
      'failed at the “Synthesising speech” stage',
    );
  });
});
