import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedUser } from '../dev/telegram-emulator/index.js';
import { BotWorld } from '../testing/bot/bot-world.js';
import { fakePng } from '../testing/bot/fakes.js';

// Where the AI-edit prompt is awaited (a cloud image editor configured), anything but text is
// answered and changes nothing; so is an edit of an earlier message.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open({ imageEditorAvailable: true });
});

afterAll(async () => {
  await world?.close();
});

let nextId = 7600;

async function atEditPrompt(): Promise<SimulatedUser> {
  nextId += 1;
  const user = world.user({ id: nextId, firstName: `P${nextId}`, languageCode: 'en' });
  await user.sendCommand('/create_ads');
  await user.waitFor('Step 1 · Format');
  await user.pressButton('🗣 Talking head');
  await user.waitFor('Who should speak');
  await user.pressButton('👨 Man');
  await user.waitFor((m) => m.media?.kind === 'photo');
  await user.pressButton('✅ Choose');
  await user.waitFor('Step 2b');
  await user.pressButton('✏️ Edit with AI');
  await user.waitFor('Describe the change');
  return user;
}

const senders: ReadonlyArray<[string, (user: SimulatedUser) => Promise<unknown>]> = [
  ['a sticker', (user) => user.sendSticker()],
  ['a photo with a caption', (user) => user.sendPhoto(fakePng(64, 64), { caption: 'like this' })],
  ['a location', (user) => user.sendLocation(1, 2)],
  ['a poll', (user) => user.sendPoll('Hat?', ['yes', 'no'])],
];

describe('the AI-edit prompt', () => {
  it.each(senders)(
    '%s: asked for a text description, nothing appended, the prompt still awaited',
    async (_what, sendIt) => {
      const user = await atEditPrompt();
      await world.settle();
      const before = await world.eventTypes(user.user.id);
      await sendIt(user);
      await user.waitFor('Please describe the change in a text message.');
      await world.settle();
      expect(await world.eventTypes(user.user.id)).toEqual(before);
      expect((await world.users.state(user.user.id)).awaitedInput).toBe('edit_prompt');
    },
  );

  it('an edited earlier message: answered, nothing appended', async () => {
    const user = await atEditPrompt();
    const command = user.messages().find((m) => m.sender === 'user' && m.text === '/create_ads');
    await world.settle();
    const before = await world.eventTypes(user.user.id);
    await user.editText(command?.messageId ?? 0, 'a red hat');
    await user.waitFor('edits change nothing here');
    await world.settle();
    expect(await world.eventTypes(user.user.id)).toEqual(before);
  });
});
