import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedUser } from '../dev/telegram-emulator/index.js';
import { BotWorld } from '../testing/bot/bot-world.js';

// Step 4b: after the script the user gets the caption styles as one picture with a button each,
// and the confirmation under it. Generate needs no pick (the format's default applies); a pick
// is recorded, moves the tick, and shows the confirmation again with the style.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open();
});

afterAll(async () => {
  await world?.close();
});

async function toScript(user: SimulatedUser): Promise<void> {
  await user.sendCommand('/create_ads');
  await user.waitFor(/Step 1 · Format|Шаг 1 · Формат/);
  await user.pressButton(/Talking head|Говорящая голова/);
  await user.waitFor((m) => (m.text ?? '').includes('Step 2') || (m.text ?? '').includes('Шаг 2'));
  await user.pressButton(/Woman|Женщина/);
  await user.waitFor((m) => m.media?.kind === 'photo');
  await user.pressButton(/Choose|Выбрать/);
  await user.waitFor(/Step 2b|Шаг 2б/);
  await user.pressButton(/Continue to the voice|Дальше — голос/);
  await user.waitFor(/Step 3|Шаг 3/);
  await user.pressButton(
    (button, message) => button.text === '✅' && /Step 3|Шаг 3/.test(message.text ?? ''),
  );
  await user.waitFor(/Step 4|Шаг 4/);
}

describe('caption styles', () => {
  it('shows the styles as a picture with buttons after the script, then the confirmation; a pick reaches the generation', async () => {
    const user = world.user({ id: 7101, firstName: 'Cap', languageCode: 'en' });
    await toScript(user);
    await user.sendText('Fresh coffee every morning.');
    const preview = await user.waitFor(
      (m) => m.media?.kind === 'photo' && (m.caption ?? '').includes('Step 4b'),
    );
    const firstConfirm = await user.waitFor('Step 5');
    expect(firstConfirm.messageId).toBeGreaterThan(preview.messageId);
    // A talking head had no captions before the choice existed: that is the default, ticked.
    expect(preview.caption).toContain('Now: No captions');
    const buttons = (preview.inlineKeyboard ?? []).flat().map((button) => button.text);
    expect(buttons).toEqual(expect.arrayContaining(['Classic', 'Bold', 'Boxed', '✅ No captions']));
    expect(firstConfirm.text).toContain('Captions: No captions');

    await user.pressButton('Bold', { messageId: preview.messageId });
    const confirm = await user.waitFor(
      (m) => (m.text ?? '').includes('Step 5') && (m.text ?? '').includes('Captions: Bold'),
    );
    const ticked = await user.waitFor(
      (m) => m.messageId === preview.messageId && (m.caption ?? '').includes('Now: Bold'),
    );
    expect((ticked.inlineKeyboard ?? []).flat().map((button) => button.text)).toContain('✅ Bold');
    expect(await world.eventTypes(7101)).toContain('CaptionStyleSelected');

    await user.pressButton('🎬 Generate (1 credit)', { messageId: confirm.messageId });
    await user.waitFor('in the queue');
    const requested = (await world.events(7101)).find(
      (event) => event.type === 'GenerationRequested',
    );
    expect(requested?.data).toMatchObject({ format: 'talking_head', captionStyle: 'bold' });
  });

  it('generates with the default when the user never picks, and the confirmation reopens the styles', async () => {
    const user = world.user({ id: 7102, firstName: 'Def', languageCode: 'ru' });
    await toScript(user);
    await user.sendText('Свежий кофе каждое утро.');
    const confirm = await user.waitFor('Шаг 5');
    expect(confirm.text).toContain('Субтитры: Без субтитров');
    await user.pressButton('🔤 Субтитры', { messageId: confirm.messageId });
    const preview = await user.waitFor(
      (m) => m.media?.kind === 'photo' && (m.caption ?? '').includes('Шаг 4б'),
      { since: 'last-action' },
    );
    expect((preview.inlineKeyboard ?? []).flat().map((button) => button.text)).toEqual(
      expect.arrayContaining(['Классика', 'Крупно', 'На плашке']),
    );
    await user.pressButton(/Сгенерировать/, { messageId: confirm.messageId });
    await user.waitFor('в очереди');
    const requested = (await world.events(7102)).find(
      (event) => event.type === 'GenerationRequested',
    );
    expect(requested?.data).toMatchObject({ captionStyle: 'none' });
    expect(await world.eventTypes(7102)).not.toContain('CaptionStyleSelected');
  });

  it('refuses a style button before the script, saying what is missing', async () => {
    const user = world.user({ id: 7103, firstName: 'Early', languageCode: 'en' });
    await toScript(user);
    await user.sendText('First script.');
    const preview = await user.waitFor(
      (m) => m.media?.kind === 'photo' && (m.caption ?? '').includes('Step 4b'),
    );
    await user.waitFor('Step 5');
    await user.pressButton(/Generate/);
    await user.waitFor('in the queue');
    // The script is used up by the generation: the old preview's buttons wait for a new one.
    await user.pressButton('Boxed', { messageId: preview.messageId });
    await user.waitFor('nothing in your draft has changed', { since: 'last-action' });
    expect(await world.eventTypes(7103)).not.toContain('CaptionStyleSelected');
  });
});
