import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedUser } from '../dev/telegram-emulator/index.js';
import { BotWorld } from '../testing/bot/bot-world.js';
import { fakePng, fakeVideo } from '../testing/bot/fakes.js';

// A user who types the unexpected: buttons of another step, old buttons, forged payloads, any kind
// of message at any step, edited messages. Each gets an answer in the user's language, and the
// user's event stream is compared before and after: nothing is appended.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open();
});

afterAll(async () => {
  await world?.close();
});

let nextId = 7000;
type Step = 'fresh' | 'gender' | 'background' | 'gallery' | 'voice' | 'script' | 'confirm';

/** A new user standing at `step`, reached through the real screens. */
async function userAt(step: Step, languageCode = 'en'): Promise<SimulatedUser> {
  nextId += 1;
  const user = world.user({ id: nextId, firstName: `U${nextId}`, languageCode });
  await user.sendCommand('/start');
  await user.waitFor('UGC Studio');
  if (step === 'fresh') return user;
  if (step === 'background') {
    await user.pressCallbackData('v1|f|b');
    await user.waitFor(/Step 1b|Шаг 1б/);
    return user;
  }
  await user.pressCallbackData('v1|f|t');
  await user.waitFor(/Who should speak|Кто будет говорить/);
  if (step === 'gender') return user;
  await user.pressCallbackData('v1|g|f');
  await user.waitFor((m) => m.media?.kind === 'photo');
  if (step === 'gallery') return user;
  await user.pressCallbackData('v1|c|f|0');
  await user.waitFor(/Step 2b|Шаг 2б/);
  if (step === 'voice') return user;
  await user.pressCallbackData(languageCode === 'ru' ? 'v1|vi|ru-f-1' : 'v1|vi|en-f-1');
  await user.waitFor(/Step 4 · Script|Шаг 4 · Текст/);
  if (step === 'script') return user;
  // A script the chosen voice can read (it is in the user's language).
  await user.sendText(languageCode === 'ru' ? RU_SCRIPT : EN_SCRIPT);
  await user.waitFor(/Step 5|Шаг 5/);
  return user;
}

const EN_SCRIPT = 'Fresh bread every morning.';
const RU_SCRIPT = 'Свежий хлеб каждое утро.';

async function unchanged(user: SimulatedUser, act: () => Promise<void>): Promise<void> {
  await world.settle();
  const before = await world.eventTypes(user.user.id);
  await act();
  await world.settle();
  expect(await world.eventTypes(user.user.id)).toEqual(before);
}

const OUT_OF_STEP = 'nothing in your draft has changed';

describe('buttons of a step that is not open', () => {
  const cases: ReadonlyArray<[string, Step, string, string, string]> = [
    // [what, where the user is, callback data, the note on the button, the next step named]
    [
      'a voice before any character',
      'gallery',
      'v1|vi|en-f-1',
      'First choose a character.',
      'choose a character',
    ],
    [
      'a voice before a format',
      'fresh',
      'v1|vi|ru-m-1',
      'First choose a format.',
      'choose a format',
    ],
    [
      'an old-format voice button before a character',
      'gallery',
      'v1|v|0',
      'First choose a character.',
      'choose a character',
    ],
    [
      'a shape on a talking-head draft',
      'gender',
      'v1|s|c',
      'This is only for the “Character + background” format.',
      'choose a character',
    ],
    [
      'a shape before the clip',
      'background',
      'v1|s|x',
      'First send the background clip.',
      'send the background clip',
    ],
    [
      'a character before a format',
      'fresh',
      'v1|c|f|0',
      'First choose a format.',
      'choose a format',
    ],
    [
      'a character before the gender',
      'gender',
      'v1|c|m|0',
      'First choose who should speak.',
      'choose a character',
    ],
    ['a gender before a format', 'fresh', 'v1|g|m', 'First choose a format.', 'choose a format'],
    [
      'a gender before the clip',
      'background',
      'v1|g|f',
      'First send the background clip.',
      'send the background clip',
    ],
    [
      'an AI edit before a character',
      'gallery',
      'v1|e|o',
      'First choose a character.',
      'choose a character',
    ],
    [
      'a revert before a character',
      'gender',
      'v1|e|r',
      'First choose a character.',
      'choose a character',
    ],
    [
      'a forged accept of an edit',
      'fresh',
      'v1|ea|e-1-2',
      'First choose a format.',
      'choose a format',
    ],
    [
      'a voice page before a character',
      'gallery',
      'v1|vp|1',
      'First choose a character.',
      'choose a character',
    ],
    [
      'a voice preview before a character',
      'gender',
      'v1|vh|en-f-1',
      'First choose a character.',
      'choose a character',
    ],
    [
      'an old-format voice preview before a character',
      'gender',
      'v1|vl|0',
      'First choose a character.',
      'choose a character',
    ],
    [
      'a gallery page before a format',
      'fresh',
      'v1|cp|m|1',
      'First choose a format.',
      'choose a format',
    ],
    ['the script screen before a voice', 'voice', 'v1|n|sc', 'First pick a voice.', 'pick a voice'],
    [
      'the confirmation before a script',
      'script',
      'v1|n|ok',
      'First write the script.',
      'write the script',
    ],
    [
      'the clip screen on a talking-head draft',
      'gender',
      'v1|n|bg',
      'This is only for the “Character + background” format.',
      'choose a character',
    ],
    [
      'the voices screen before a character',
      'gender',
      'v1|n|vo',
      'First choose a character.',
      'choose a character',
    ],
    [
      'the look screen before a character',
      'background',
      'v1|n|ch',
      'First send the background clip.',
      'send the background clip',
    ],
  ];

  it.each(cases)(
    '%s: a polite answer, a way to the current step, nothing appended',
    async (_what, step, data, note, next) => {
      const user = await userAt(step);
      const awaited = (await world.users.state(user.user.id)).awaitedInput;
      await unchanged(user, async () => {
        const press = await user.pressCallbackData(data);
        expect(await press.answer()).toMatchObject({ text: note });
        const reply = await user.waitFor(OUT_OF_STEP);
        expect(reply.text).toContain(note);
        expect(reply.text).toContain(`Your next step: ${next}.`);
        const buttons = reply.inlineKeyboard?.flat().map((b) => b.text) ?? [];
        expect(buttons[0]).toBe(`⏩ ${next.charAt(0).toUpperCase()}${next.slice(1)}`);
      });
      // Not even the awaited input moved: a user typing their script can still send it.
      expect((await world.users.state(user.user.id)).awaitedInput).toBe(awaited);
    },
  );

  it('in Russian, and repeated presses are each answered and change nothing', async () => {
    const user = await userAt('gallery', 'ru');
    await unchanged(user, async () => {
      for (let i = 0; i < 3; i += 1) {
        const press = await user.pressCallbackData('v1|vi|ru-f-1');
        expect(await press.answer()).toMatchObject({ text: 'Сначала выберите персонажа.' });
      }
      await user.waitFor('в черновике ничего не изменилось');
    });
    expect(
      user.botMessages().filter((m) => (m.text ?? '').includes('в черновике ничего не изменилось')),
    ).toHaveLength(3);
    expect(user.lastBotMessage()?.text).toContain('Ваш следующий шаг: выбрать персонажа');
  });

  it('the button on the answer leads to the current step', async () => {
    const user = await userAt('gender');
    await user.pressCallbackData('v1|vi|en-f-1');
    await user.waitFor(OUT_OF_STEP);
    await user.pressButton('⏩ Choose a character');
    await user.waitFor('Who should speak');
  });

  it('a stale gallery button from an older message still goes back to that step when it is open', async () => {
    const user = await userAt('confirm');
    const gallery = user.botMessages().find((m) => m.media?.kind === 'photo');
    expect(gallery).toBeDefined();
    // Going back to change the character is legitimate; the voice and the script stay.
    await user.pressCallbackData('v1|c|f|1', gallery?.messageId);
    await user.waitFor('Step 2b');
    const draft = (await world.users.state(user.user.id)).draft;
    expect(draft.character?.characterId).not.toBe('f-young-1');
    expect(draft.voice).not.toBeNull();
    expect(draft.script?.text).toBe('Fresh bread every morning.');
  });

  it('switching the format back to background makes the clip the current step: later buttons wait for it', async () => {
    const user = await userAt('confirm');
    await user.pressCallbackData('v1|f|b');
    await user.waitFor('Step 1b');
    await unchanged(user, async () => {
      const press = await user.pressCallbackData('v1|vi|en-f-1');
      expect(await press.answer()).toMatchObject({ text: 'First send the background clip.' });
      await user.waitFor('Your next step: send the background clip.');
    });
  });
});

describe('any kind of message at any step', () => {
  const senders: ReadonlyArray<[string, (user: SimulatedUser) => Promise<unknown>]> = [
    ['a sticker', (user) => user.sendSticker()],
    [
      'a photo with a caption',
      (user) => user.sendPhoto(fakePng(64, 64), { caption: 'my script is in the picture' }),
    ],
    ['a voice note', (user) => user.sendVoice(Buffer.from('OggS voice'), { duration: 3 })],
    ['a location', (user) => user.sendLocation(55.75, 37.62)],
    ['a contact', (user) => user.sendContact('+10000000000', 'Bob')],
    ['a poll', (user) => user.sendPoll('Which ad?', ['A', 'B'])],
    [
      'a PDF document',
      (user) =>
        user.sendDocument(Buffer.from('%PDF-1.4'), {
          fileName: 'script.pdf',
          mimeType: 'application/pdf',
        }),
    ],
  ];

  it.each(senders)(
    '%s where the script is awaited: asked for text, nothing appended',
    async (_what, sendIt) => {
      const user = await userAt('script');
      await unchanged(user, async () => {
        await sendIt(user);
        await user.waitFor('Please send the script as a text message.');
      });
    },
  );

  it.each(senders.filter(([what]) => what !== 'a PDF document'))(
    '%s where the clip is awaited: asked for a video, nothing appended',
    async (_what, sendIt) => {
      const user = await userAt('background', 'ru');
      await unchanged(user, async () => {
        await sendIt(user);
        await user.waitFor('Я жду видеоролик');
      });
    },
  );

  it.each(senders)(
    '%s where nothing is awaited: pointed to the current step, nothing appended',
    async (_what, sendIt) => {
      const user = await userAt('gallery');
      await unchanged(user, async () => {
        await sendIt(user);
        const reply = await user.waitFor('I did not expect that here');
        expect(reply.inlineKeyboard?.flat().map((b) => b.text)).toContain('⏩ Choose a character');
      });
    },
  );

  it('a photo where feedback is awaited: asked for text, nothing appended', async () => {
    const user = await userAt('fresh');
    await user.sendCommand('/feedback');
    await user.waitFor('Write your message');
    await unchanged(user, async () => {
      await user.sendSticker();
      await user.waitFor('Please write your feedback as a text message.');
    });
  });

  it('an unknown command in the middle of the script: answered, the script is still awaited', async () => {
    const user = await userAt('script');
    await unchanged(user, async () => {
      await user.sendCommand('/nosuchcommand');
      await user.waitFor('I do not know this command');
    });
    await user.sendText('Still my script.');
    const confirm = await user.waitFor('Step 5');
    expect(confirm.text).toContain('Still my script.');
  });

  it('a forwarded text where the script is awaited is taken as the script', async () => {
    const user = await userAt('script');
    await user.forwardText('Forwarded ad copy.');
    const confirm = await user.waitFor('Step 5');
    expect(confirm.text).toContain('Forwarded ad copy.');
  });

  it('a video where nothing is awaited uploads nothing', async () => {
    const user = await userAt('voice');
    await unchanged(user, async () => {
      await user.sendVideo(fakeVideo({ durationSec: 5 }), {
        fileName: 'clip.mp4',
        mimeType: 'video/mp4',
        duration: 5,
      });
      await user.waitFor('I did not expect that here');
    });
    expect(
      [...world.storage.objects.keys()].filter((key) => key.startsWith(`uploads/${user.user.id}/`)),
    ).toEqual([]);
  });
});

describe('input a screen from before the step order still awaits', () => {
  // Streams recorded before these rules may await an input whose step is not open; the decider
  // refuses the command and the bot gives the same answer as for a button.
  const awaitInput = (user: SimulatedUser, input: 'script' | 'background_video') =>
    world.users.execute(
      user.user.id,
      { type: 'AwaitInput', input },
      { commandId: `test-await-${user.user.id}`, actor: { kind: 'system', id: 'test' } },
    );

  it('a script typed before any voice: refused out of step, nothing appended', async () => {
    const user = await userAt('gender');
    await awaitInput(user, 'script');
    await unchanged(user, async () => {
      await user.sendText('My script, too early.');
      const reply = await user.waitFor(OUT_OF_STEP);
      expect(reply.text).toContain('First choose a character.');
    });
  });

  it('a clip sent on a talking-head draft: refused out of step, the stored file removed', async () => {
    const user = await userAt('gender', 'ru');
    await awaitInput(user, 'background_video');
    await unchanged(user, async () => {
      await user.sendVideo(fakeVideo({ durationSec: 5 }), {
        fileName: 'clip.mp4',
        mimeType: 'video/mp4',
        duration: 5,
      });
      const reply = await user.waitFor('в черновике ничего не изменилось');
      expect(reply.text).toContain('Это только для формата «Персонаж + фон».');
      await user.waitFor('Этот ролик не использован');
    });
    expect(
      [...world.storage.objects.keys()].filter((key) => key.startsWith(`uploads/${user.user.id}/`)),
    ).toEqual([]);
  });
});

describe('edited messages', () => {
  const scriptMessageId = (user: SimulatedUser, text: string): number => {
    const message = user.messages().find((m) => m.sender === 'user' && m.text === text);
    if (!message) throw new Error(`no user message "${text}"`);
    return message.messageId;
  };

  it('the script edited after the confirmation: the draft takes it, says so, and Generate uses the new text', async () => {
    const user = await userAt('confirm');
    await user.editText(scriptMessageId(user, EN_SCRIPT), 'Hot coffee all day long.');
    await user.waitFor('Script updated');
    const confirm = await user.waitFor(
      (m) =>
        (m.text ?? '').includes('Step 5') && (m.text ?? '').includes('Hot coffee all day long.'),
    );
    await user.pressButton('🎬 Generate (1 credit)', { messageId: confirm.messageId });
    await user.waitFor('in the queue');
    const requested = (await world.events(user.user.id)).filter(
      (event) => event.type === 'GenerationRequested',
    );
    expect(requested.map((event) => event.data.speechText)).toEqual(['Hot coffee all day long.']);
  });

  it("the old confirmation's Generate also uses the edited text (the draft, not the message, is what counts)", async () => {
    const user = await userAt('confirm');
    const oldConfirm = user
      .botMessages()
      .filter((m) => (m.text ?? '').includes('Step 5'))
      .at(-1);
    await user.editText(scriptMessageId(user, EN_SCRIPT), 'Edited before generating.');
    await user.waitFor('Script updated');
    await user.pressCallbackData('v1|go', oldConfirm?.messageId);
    await user.waitFor('in the queue');
    const requested = (await world.events(user.user.id)).find(
      (event) => event.type === 'GenerationRequested',
    );
    expect(requested?.data.script).toBe('Edited before generating.');
  });

  it('the script edited after Generate: answered, the generation keeps its text, nothing appended', async () => {
    const user = await userAt('confirm', 'ru');
    await user.pressButton(/Сгенерировать/);
    await user.waitFor('Видео в очереди');
    const id = scriptMessageId(user, RU_SCRIPT);
    await unchanged(user, async () => {
      await user.editText(id, 'Поздно менять этот текст.');
      const reply = await user.waitFor('уже в работе');
      expect(reply.inlineKeyboard?.flat().map((b) => b.text)).toContain('🎬 Сделать новое видео');
    });
    const requested = (await world.events(user.user.id)).filter(
      (event) => event.type === 'GenerationRequested',
    );
    expect(requested.map((event) => event.data.script)).toEqual([RU_SCRIPT]);
  });

  it('the script edited while the user is back at an earlier step: updated, and that step keeps waiting', async () => {
    const user = await userAt('confirm');
    await user.pressCallbackData('v1|f|b');
    await user.waitFor('Step 1b');
    await user.editText(scriptMessageId(user, EN_SCRIPT), 'A script for the clip.');
    const reply = await user.waitFor('Script updated');
    expect(reply.inlineKeyboard?.flat()[0]?.text).toBe('⏩ Send the background clip');
    const state = await world.users.state(user.user.id);
    expect(state.draft.script?.text).toBe('A script for the clip.');
    expect(state.awaitedInput).toBe('background_video');
  });

  it('an edit that breaks the script is refused and the previous script kept', async () => {
    const user = await userAt('confirm');
    await unchanged(user, async () => {
      await user.editText(scriptMessageId(user, EN_SCRIPT), 'x'.repeat(1200));
      const reply = await user.waitFor('Your previous script is kept.');
      expect(reply.text).toContain('1200 characters; the limit is 1000');
    });
    expect((await world.users.state(user.user.id)).draft.script?.text).toBe(
      'Fresh bread every morning.',
    );
  });

  it('a too-long script, then its message shortened while the script is awaited: taken as the script', async () => {
    const user = await userAt('script');
    const sent = await user.sendText('y'.repeat(1100));
    await user.waitFor('the limit is 1000');
    await user.editText(sent.message?.message_id ?? 0, 'Short and sweet.');
    const confirm = await user.waitFor('Step 5');
    expect(confirm.text).toContain('Short and sweet.');
  });

  it('other edited messages (an old command, a feedback text, a caption) are answered and change nothing', async () => {
    const user = await userAt('gallery');
    const start = user.messages().find((m) => m.sender === 'user' && m.text === '/start');
    await unchanged(user, async () => {
      await user.editText(start?.messageId ?? 0, '/start again');
      await user.waitFor('edits change nothing here');
    });
    const photo = await user.sendPhoto(fakePng(32, 32), { caption: 'first caption' });
    await user.waitFor('I did not expect that here');
    await unchanged(user, async () => {
      await user.editCaption(photo.message?.message_id ?? 0, 'second caption');
      const reply = await user.waitFor('edits change nothing here');
      expect(reply.inlineKeyboard?.flat().map((b) => b.text)).toContain('⏩ Choose a character');
    });
    await user.sendCommand('/feedback');
    await user.waitFor('Write your message');
    const feedback = await user.sendText('The gallery is great.');
    await user.waitFor('Thank you');
    await unchanged(user, async () => {
      await user.editText(feedback.message?.message_id ?? 0, 'The gallery is great!!');
      await user.waitFor('edits change nothing here');
    });
  });
});
