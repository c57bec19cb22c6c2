import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLOOD_LIMIT } from './create-bot.js';
import { BotWorld } from '../testing/bot/bot-world.js';

// The middleware around every update, with the production flood limit.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open({ flood: DEFAULT_FLOOD_LIMIT });
});

afterAll(async () => {
  await world?.close();
});

describe('guards', () => {
  it('a group chat gets one polite line and nothing else happens', async () => {
    const user = world.user({ id: 4001, firstName: 'Grace', languageCode: 'en' });
    const groupId = -4_000_001;
    await user.sendInGroup('/start', { chatId: groupId });
    const line = await user.waitFor('private chats only', { chatId: groupId });
    expect(line.text).toContain('@ugc_studio_test_bot');
    await user.sendInGroup('/create_ads', { chatId: groupId });
    await world.settle();
    expect(user.messages({ chatId: groupId }).filter((m) => m.sender === 'bot')).toHaveLength(1);
    expect(await world.events(4001)).toEqual([]);
    expect(user.messages()).toEqual([]);
  });

  it('50 updates in one second from one user: a handful processed, one "slow down", nothing more', async () => {
    const user = world.user({ id: 4002, firstName: 'Flo', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('UGC Studio');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the bucket refills
    const before = (await world.eventTypes(4002)).length;
    // "In one second" on the bot's clock: however slow this machine is, the bucket cannot refill.
    world.frozenAt = Date.now();
    try {
      for (let i = 0; i < 50; i += 1) await user.pressCallbackData('v1|f|b');
      await world.settle();
    } finally {
      world.frozenAt = undefined;
    }
    const formats = (await world.eventTypes(4002))
      .slice(before)
      .filter((type) => type === 'FormatSelected');
    expect(formats.length).toBeGreaterThanOrEqual(1);
    expect(formats.length).toBeLessThanOrEqual(DEFAULT_FLOOD_LIMIT.capacity + 3);
    expect(user.botMessages().filter((m) => (m.text ?? '').includes('slow down'))).toHaveLength(1);

    // After a pause the user is served again.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await user.sendCommand('/help');
    await user.waitFor('How it works');
  });

  it('a repeated update_id is handled once', async () => {
    const user = world.user({ id: 4003, firstName: 'Rita', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('UGC Studio');
    await user.pressCallbackData('v1|f|t');
    await user.waitFor('Who should speak');
    const press = await user.pressCallbackData('v1|g|m');
    await user.waitFor((m) => m.media?.kind === 'photo');
    const photos = user.botMessages().filter((m) => m.media?.kind === 'photo').length;
    await user.sendRaw(press.update);
    await user.sendRaw(press.update);
    await world.settle();
    expect(
      (await world.eventTypes(4003)).filter((type) => type === 'CharacterGenderChosen'),
    ).toHaveLength(1);
    expect(user.botMessages().filter((m) => m.media?.kind === 'photo')).toHaveLength(photos);
  });

  it('an error: a short apology in the user language, the stack only in the operator log', async () => {
    const user = world.user({ id: 4004, firstName: 'Ира', languageCode: 'ru' });
    await user.sendCommand('/start');
    await user.waitFor('UGC Studio');
    await user.pressCallbackData('v1|f|t');
    await user.waitFor('Кто будет говорить');
    world.catalog.failNext = new Error('catalog exploded');
    const press = await user.pressCallbackData('v1|g|f');
    const apology = await user.waitFor('Извините, у меня что-то пошло не так');
    expect(apology.text).not.toMatch(/catalog exploded|at .*\.ts/);
    await press.answer(); // the button is answered too, no spinner left behind
    const logged = world.logLines.join('\n');
    expect(logged).toContain('catalog exploded');
    expect(logged).toMatch(/"stack":"Error: catalog exploded\\n\s+at /);
  });

  it('a 429 from Telegram is retried after retry_after (auto-retry)', async () => {
    const user = world.user({ id: 4005, firstName: 'Tim', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('UGC Studio');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    world.emulator.injectFault('sendMessage', { kind: 'flood', retryAfter: 1 });
    await user.sendCommand('/help');
    await user.waitFor('How it works');
    expect(world.emulator.calls('sendMessage').some((call) => call.errorCode === 429)).toBe(true);
  });
});
