import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotWorld } from '../testing/bot/bot-world.js';

// All state lives in events: a new bot process on the same store continues at any screen.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open();
});

afterAll(async () => {
  await world?.close();
});

describe('restart', () => {
  it('continues mid-wizard: old buttons work, the awaited script is still awaited, the credit is spent once', async () => {
    const user = world.user({ id: 6001, firstName: 'Rea', languageCode: 'en' });
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format');
    await user.pressButton('🗣 Talking head');
    await user.waitFor('Who should speak');
    await user.pressButton('👩 Woman');
    const gallery = await user.waitFor((m) => m.media?.kind === 'photo');

    await world.restart();

    // A gallery button from before the restart still pages.
    await user.pressButton('➡️', { messageId: gallery.messageId });
    await user.waitFor(
      (m) => m.messageId === gallery.messageId && (m.caption ?? '').includes('2 / 3'),
    );
    await user.pressButton('✅ Choose');
    await user.waitFor('Step 2b');
    await user.pressButton('➡️ Continue to the voice');
    await user.waitFor('Step 3 · Voice');
    await user.pressButton(
      (button, message) => button.text === '✅' && (message.text ?? '').includes('Step 3'),
    );
    await user.waitFor('Step 4 · Script');

    await world.restart();

    // The script prompt was recorded as an event: the text is taken as the script.
    await user.sendText('Restart-proof ads, made in minutes.');
    const confirm = await user.waitFor('Step 5');
    expect(confirm.text).toContain('Restart-proof ads, made in minutes.');

    await world.restart();

    const press = await user.pressButton('🎬 Generate (1 credit)');
    await user.waitFor('in the queue');
    expect((await world.users.state(6001)).balance).toBe(9);

    // Telegram redelivers the press to a fresh process (its in-memory dedupe is empty): the
    // command id derived from the update makes it a no-op.
    await world.restart();
    await user.sendRaw(press.update);
    await world.settle();
    const types = await world.eventTypes(6001);
    expect(types.filter((type) => type === 'GenerationRequested')).toHaveLength(1);
    expect(types.filter((type) => type === 'CreditsSpent')).toHaveLength(1);
    expect((await world.users.state(6001)).balance).toBe(9);
  });

  it('a background upload prompt survives a restart, and stale buttons still get a polite answer', async () => {
    const user = world.user({ id: 6002, firstName: 'Sam', languageCode: 'en' });
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format');
    await user.pressButton('🎞 Character + background');
    await user.waitFor('Step 1b');
    await world.restart();
    await user.sendPhoto(Buffer.from('not a video'), { fileName: 'x.jpg' });
    await user.waitFor('waiting for a video clip');
    const stale = await user.pressCallbackData('v0|menu');
    expect(await stale.answer()).toMatchObject({
      text: 'This button is outdated. Here is a fresh menu.',
    });
    await user.waitFor('What would you like to do?');
  });
});
