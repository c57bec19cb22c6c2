import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotWorld } from '../testing/bot/bot-world.js';

// A script the chosen voice cannot read, in Russian: noticed at the confirmation (no Generate
// button there), refused before charging when an older Generate button is pressed, and the way on
// leads to the voices that can read it.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open();
});

afterAll(async () => {
  await world?.close();
});

describe('a voice that cannot read the script (Russian user)', () => {
  it('is said at the confirmation, refused at Generate with nothing charged, and leads to the voices that can read it', async () => {
    const id = 7701;
    const user = world.user({ id, firstName: 'Ира', languageCode: 'ru' });
    await user.sendCommand('/start');
    await user.waitFor('UGC Studio');
    await user.pressCallbackData('v1|f|t');
    await user.waitFor('Кто будет говорить');
    await user.pressCallbackData('v1|g|f');
    await user.waitFor((m) => m.media?.kind === 'photo');
    await user.pressCallbackData('v1|c|f|0');
    await user.waitFor('Шаг 2б');
    await user.pressCallbackData('v1|vi|ru-f-1');
    await user.waitFor('Шаг 4 · Текст');
    const script = await user.sendText('Свежий хлеб каждое утро.');
    const first = await user.waitFor('Шаг 5');
    expect(first.inlineKeyboard?.flat().map((b) => b.text)).toContain(
      '🎬 Сгенерировать (1 кредит)',
    );

    await user.editText(script.message?.message_id ?? 0, '我们的新产品非常好');
    const warned = await user.waitFor(
      (m) => (m.text ?? '').includes('Шаг 5') && (m.text ?? '').includes('он не прочитает'),
    );
    expect(warned.text).toContain(
      'Выбранный голос говорит на языке: русский — этот сценарий (китайский) он не прочитает.',
    );
    expect(
      warned.inlineKeyboard
        ?.flat()
        .map((b) => b.text)
        .slice(0, 2),
    ).toEqual(['🎙 Голоса, которые прочитают', '✏️ Переписать']);

    await user.pressButton('🎬 Сгенерировать (1 кредит)', { messageId: first.messageId });
    const refusal = await user.waitFor((m) => (m.text ?? '').includes('Кредиты не списаны'));
    expect(refusal.text).toContain(
      'Ваш сценарий — китайский, а выбранный голос говорит на языке: русский. Он не сможет его прочитать.',
    );
    await world.settle();
    const types = await world.eventTypes(id);
    expect(types).not.toContain('GenerationRequested');
    expect(types).not.toContain('CreditsSpent');
    expect((await world.users.state(id)).balance).toBe(10);

    await user.pressButton('🎙 Голоса, которые прочитают', { messageId: refusal.messageId });
    const gallery = await user.waitFor(
      (m) =>
        (m.text ?? '').includes('Шаг 3 · Голос') &&
        (m.text ?? '').includes('Ваш сценарий — китайский'),
    );
    // The voice whose languages are unknown is not judged and comes first; the Russian one is
    // marked.
    const lines = (gallery.text ?? '').split('\n').filter((line) => line.startsWith('•'));
    expect(lines[0]).toBe('• Nova — мультиязычный, женский');
    expect(lines).toContain('• Alyona — русский, женский · ⚠️ не прочитает ваш сценарий');
  });
});
