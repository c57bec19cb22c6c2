import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedUser } from '../dev/telegram-emulator/index.js';
import { BotWorld } from '../testing/bot/bot-world.js';
import { fakeVideo } from '../testing/bot/fakes.js';

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open();
});

afterAll(async () => {
  await world?.close();
});

const pickVoiceButton = (user: SimulatedUser) =>
  user.pressButton(
    (button, message) => button.text === '✅' && (message.text ?? '').includes('Step 3'),
  );

describe('start', () => {
  it('/start registers once with the welcome credits, in the language of the Telegram client', async () => {
    const user = world.user({ id: 101, firstName: 'Ольга', languageCode: 'ru' });
    await user.sendCommand('/start');
    await user.waitFor('Добро пожаловать');
    const menu = await user.waitFor('UGC Studio');
    expect(menu.text).toContain('Баланс: 10');
    await user.sendCommand('/start');
    await user.waitFor('UGC Studio');
    const types = await world.eventTypes(101);
    expect(types.filter((type) => type === 'UserRegistered')).toHaveLength(1);
    const grants = (await world.events(101)).filter((event) => event.type === 'CreditsGranted');
    expect(grants.map((event) => event.data)).toEqual([
      { amount: 10, reason: 'welcome', grantId: 'welcome-101' },
    ]);
    expect(user.messages().filter((m) => m.text?.includes('Добро пожаловать'))).toHaveLength(1);
  });

  it('shows help, the profile, and switches the language with a command', async () => {
    const user = world.user({ id: 102, firstName: 'Bob', languageCode: 'en-US' });
    await user.sendCommand('/help');
    await user.waitFor('How it works');
    await user.sendCommand('/profile');
    const profile = await user.waitFor('Your profile');
    expect(profile.text).toMatch(/Balance: 10/);
    expect(profile.text).toMatch(/Member since: \d{4}-\d{2}-\d{2}/);
    await user.pressButton('🇷🇺 Русский');
    await user.waitFor('Ваш профиль');
    expect(await world.eventTypes(102)).toContain('LanguageChanged');
    await user.sendCommand('/main');
    await user.waitFor('Что делаем?');
  });

  it('registers the command menu in both languages', async () => {
    const { setBotCommands } = await import('./modules/navigation.js');
    await setBotCommands(world.bot.api);
    expect(world.emulator.commands().map((c) => c.command)).toEqual([
      'start',
      'main',
      'create_ads',
      'history',
      'credits',
      'feedback',
      'help',
      'paysupport',
      'terms',
    ]);
    expect(world.emulator.commands(undefined, 'ru')[2]?.description).toBe('Создать рекламу');
  });
});

describe('the wizard', () => {
  it('talking head: format → character gallery → voice → script → queued, one credit spent once', async () => {
    const user = world.user({ id: 201, firstName: 'Ann', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?');
    await user.pressButton('🎬 Create a video ad');
    await user.waitFor('Step 1 · Format');

    await user.pressButton('▶️ Example: talking head');
    const example = await user.waitFor((m) => m.media?.kind === 'video');
    expect(example.media).toMatchObject({ width: 1080, height: 1920, duration: 8 });
    expect(example.sendOptions.supports_streaming).toBe(true);

    await user.pressButton('🗣 Talking head');
    await user.waitFor('Who should speak');
    await user.pressButton('👩 Woman');
    const gallery = await user.waitFor((m) => m.media?.kind === 'photo');
    expect(gallery.caption).toContain('Anna · young');
    expect(gallery.caption).toContain('1 / 3');
    await user.pressButton('➡️');
    const paged = await user.waitFor(
      (m) => m.messageId === gallery.messageId && (m.caption ?? '').includes('Maria'),
    );
    expect(paged.caption).toContain('adult');
    expect(paged.caption).toContain('2 / 3');
    await user.pressButton('✅ Choose');
    await user.waitFor('Step 2b · Look');

    // The local build has no image editor: the button explains it.
    await user.pressButton('✏️ Edit with AI');
    await user.waitFor('fal.ai');
    await user.pressButton('➡️ Continue to the voice');
    await user.waitFor('Step 3 · Voice');
    await user.pressButton('▶️ Alyona');
    const preview = await user.waitFor((m) => m.media?.kind === 'voice');
    expect(preview.caption).toContain('Alyona');
    await pickVoiceButton(user);
    await user.waitFor('Step 4 · Script');

    await user.sendText('Our **new** coffee is here! ☕ Try it today.');
    const confirm = await user.waitFor('Step 5');
    expect(confirm.text).toContain('Our **new** coffee is here! ☕ Try it today.');
    expect(confirm.text).toContain('The voice will read:\nOur new coffee is here! Try it today.');
    expect(confirm.text).toContain('without lip-sync');
    await user.pressButton('🎬 Generate (1 credit)');
    await user.waitFor('in the queue');

    const events = await world.events(201);
    const requested = events.filter((event) => event.type === 'GenerationRequested');
    expect(requested).toHaveLength(1);
    expect(requested[0]?.data).toMatchObject({
      format: 'talking_head',
      characterId: 'f-adult-1',
      characterAge: 'adult',
      voiceId: 'en-f-1', // an English user's gallery starts with the English voices
      speechText: 'Our new coffee is here! Try it today.',
      backgroundVideoKey: null,
      cost: 1,
    });
    expect(events.filter((event) => event.type === 'CreditsSpent')).toHaveLength(1);
    expect((await world.users.state(201)).balance).toBe(9);
    // The confirmation itself became the progress message, named in the event for whichever
    // instance runs it.
    expect(requested[0]?.data.progressMessage).toEqual({
      chatId: 201,
      messageId: confirm.messageId,
    });
    const progress = user.messages().find((message) => message.messageId === confirm.messageId);
    expect(progress?.text).toContain('in the queue');
    expect(progress?.inlineKeyboard ?? []).toEqual([]);
    expect(
      user.messages().filter((message) => (message.text ?? '').includes('in the queue')),
    ).toHaveLength(1);

    // The confirmation's button pressed again (a double click): the script is used up, nothing is
    // spent.
    await user.pressCallbackData('v1|go', confirm.messageId);
    const refusal = await user.waitFor('still missing: a script');
    // Said below, not over the progress message the confirmation has become.
    expect(refusal.messageId).not.toBe(confirm.messageId);
    expect(
      user.messages().find((message) => message.messageId === confirm.messageId)?.text,
    ).toContain('in the queue');
    expect(
      (await world.eventTypes(201)).filter((type) => type === 'GenerationRequested'),
    ).toHaveLength(1);
    expect((await world.users.state(201)).balance).toBe(9);
  });

  it('character with background: upload, shape, character, voice, script → queued', async () => {
    const user = world.user({ id: 202, firstName: 'Пётр', languageCode: 'ru' });
    await user.sendCommand('/create_ads');
    await user.waitFor('Шаг 1 · Формат');
    await user.pressButton('🎞 Персонаж + фон');
    await user.waitFor('Шаг 1б');
    await user.sendVideo(fakeVideo({ durationSec: 8, width: 1080, height: 1920 }), {
      fileName: 'clip.mp4',
      mimeType: 'video/mp4',
      duration: 8,
      width: 1080,
      height: 1920,
    });
    await user.waitFor('Ролик принят: 8.0 с, 1080×1920');
    await user.waitFor('Шаг 1в');
    await user.pressButton('▢ Скруглённый прямоугольник');
    await user.waitFor('Кто будет говорить');
    await user.pressButton('👨 Мужчина');
    await user.waitFor((m) => (m.caption ?? '').includes('Ivan'));
    await user.pressButton('✅ Выбрать');
    await user.waitFor('Шаг 2б');
    await user.pressButton('➡️ Дальше — голос');
    await user.waitFor('Шаг 3 · Голос');
    await user.pressButton('➡️');
    await user.waitFor('Страница 2 / 2');
    await user.pressButton(
      (button, message) => button.text === '✅' && (message.text ?? '').includes('Шаг 3'),
    );
    await user.waitFor('Шаг 4 · Текст');
    await user.sendText('Привет! Это наш новый магазин.');
    await user.waitFor('Шаг 5');
    await user.pressButton(/Сгенерировать/);
    await user.waitFor('Видео в очереди');

    const events = await world.events(202);
    const uploaded = events.find((event) => event.type === 'BackgroundVideoUploaded');
    expect(uploaded?.data).toMatchObject({
      durationSec: 8,
      width: 1080,
      height: 1920,
      mimeType: 'video/mp4',
    });
    const key = String(uploaded?.data.storageKey);
    expect(key).toMatch(/^uploads\/202\/bg-202-\d+\.mp4$/);
    expect(await world.storage.exists(key)).toBe(true);
    const requested = events.filter((event) => event.type === 'GenerationRequested');
    expect(requested).toHaveLength(1);
    expect(requested[0]?.data).toMatchObject({
      format: 'background',
      backgroundVideoKey: key,
      overlayShape: 'rounded_rect',
      characterId: 'm-young-1',
      voiceId: 'multi-f-1',
    });
    expect(events.filter((event) => event.type === 'CreditsSpent')).toHaveLength(1);
  });
});
