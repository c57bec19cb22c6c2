import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, SimulatedUser } from '../dev/telegram-emulator/index.js';
import { BotWorld } from '../testing/bot/bot-world.js';

// Voice buttons name their voice by id: the gallery's order changes with the script (voices that
// can read it first), so a button shown before the script changed must still pick the voice it
// showed, not whatever stands at its old place now.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open();
});

afterAll(async () => {
  await world?.close();
});

let nextId = 7600;

/** An English user at the voice gallery, before any script. */
async function atGallery(): Promise<{ user: SimulatedUser; gallery: ChatMessage }> {
  nextId += 1;
  const user = world.user({ id: nextId, firstName: `U${nextId}`, languageCode: 'en' });
  await user.sendCommand('/start');
  await user.waitFor('UGC Studio');
  await user.pressCallbackData('v1|f|t');
  await user.waitFor('Who should speak');
  await user.pressCallbackData('v1|g|f');
  await user.waitFor((m) => m.media?.kind === 'photo');
  await user.pressCallbackData('v1|c|f|0');
  await user.waitFor('Step 2b');
  await user.pressButton('➡️ Continue to the voice');
  const gallery = await user.waitFor('Step 3 · Voice');
  return { user, gallery };
}

/** The ✅ buttons of a gallery message, in the order shown, as [voice name, callback data]. */
function pickButtons(gallery: ChatMessage): [string, string][] {
  return (gallery.inlineKeyboard ?? [])
    .filter((row) => row.length === 2 && row[1]?.text === '✅')
    .map((row) => [
      row[0]!.text.replace('▶️ ', ''),
      'callback_data' in row[1]! ? String(row[1].callback_data) : '',
    ]);
}

describe('voice buttons', () => {
  it('a button from before the script changed the gallery order still picks the voice it showed', async () => {
    const { user, gallery } = await atGallery();
    const before = pickButtons(gallery);
    // An English user sees the English voices first.
    expect(before.map(([name]) => name)).toEqual(['Emma', 'James', 'Alyona', 'Dmitry']);
    const dmitryBefore = before.find(([name]) => name === 'Dmitry')?.[1];
    expect(dmitryBefore).toBe('v1|vi|ru-m-1');

    await user.pressCallbackData(before[0]![1], gallery.messageId); // Emma
    await user.waitFor('Step 4 · Script');
    await user.sendText('Свежий хлеб каждое утро.');
    await user.waitFor('cannot read this script');

    // With a Russian script the Russian voices come first: Dmitry's place is another voice's now.
    await user.pressCallbackData('v1|n|vo');
    const reordered = await user.waitFor(
      (m) => (m.text ?? '').includes('Step 3 · Voice') && (m.text ?? '').includes('Russian'),
    );
    const after = pickButtons(reordered).map(([name]) => name);
    expect(after.slice(0, 2)).toEqual(['Alyona', 'Dmitry']);
    expect(after.indexOf('Dmitry')).not.toBe(before.findIndex(([name]) => name === 'Dmitry'));

    // The old message's Dmitry button: Dmitry is chosen, and he can read the script.
    await user.pressCallbackData(dmitryBefore!, gallery.messageId);
    const confirm = await user.waitFor('Step 5');
    expect(confirm.text).not.toContain('cannot read');
    expect((await world.users.state(user.user.id)).draft.voice?.voiceId).toBe('ru-m-1');
    const selected = (await world.events(user.user.id))
      .filter((e) => e.type === 'VoiceSelected')
      .map((e) => e.data.voiceId);
    expect(selected).toEqual(['en-f-1', 'ru-m-1']);
  });

  it('a preview button plays the voice it names, and the pick under it chooses that voice', async () => {
    const { user, gallery } = await atGallery();
    await user.pressCallbackData('v1|vh|ru-m-1', gallery.messageId);
    const preview = await user.waitFor(
      (m) => m.media?.kind === 'voice' || m.media?.kind === 'audio',
    );
    expect(preview.caption).toContain('Dmitry');
    const pick = preview.inlineKeyboard?.flat()[0];
    expect(pick && 'callback_data' in pick ? pick.callback_data : undefined).toBe('v1|vi|ru-m-1');
    await user.pressButton(/✅ Dmitry/);
    await user.waitFor('Step 4 · Script');
    expect((await world.users.state(user.user.id)).draft.voice?.voiceId).toBe('ru-m-1');
  });

  it.each(['v1|v|1', 'v1|vl|0'])(
    'an old-format button (%s, a place in an order) is answered with the gallery and chooses nothing',
    async (data) => {
      const { user, gallery } = await atGallery();
      const eventsBefore = await world.eventTypes(user.user.id);
      const press = await user.pressCallbackData(data, gallery.messageId);
      expect(await press.answer()).toMatchObject({
        text: 'The voice list has changed since that button. Here it is again.',
      });
      await world.settle();
      // The gallery as it is now, with buttons that name their voices (here the pressed message
      // itself).
      const shown = user.lastBotMessage();
      expect(shown?.text).toContain('Step 3 · Voice');
      expect(pickButtons(shown!).map(([, callback]) => callback)).toEqual([
        'v1|vi|en-f-1',
        'v1|vi|en-m-1',
        'v1|vi|ru-f-1',
        'v1|vi|ru-m-1',
      ]);
      expect(await world.eventTypes(user.user.id)).toEqual(eventsBefore);
      expect((await world.users.state(user.user.id)).draft.voice).toBeNull();
    },
  );

  it('a button naming a voice the catalog no longer has is answered as outdated, nothing chosen', async () => {
    const { user, gallery } = await atGallery();
    const press = await user.pressCallbackData('v1|vi|gone-voice-1', gallery.messageId);
    expect(await press.answer()).toMatchObject({
      text: 'This button is outdated. Here is a fresh menu.',
    });
    await world.settle();
    expect(user.lastBotMessage()?.text).toContain('Step 3 · Voice');
    expect((await world.users.state(user.user.id)).draft.voice).toBeNull();
  });
});
