import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedUser } from '../dev/telegram-emulator/index.js';
import { ADMIN_CHAT_ID, BotWorld } from '../testing/bot/bot-world.js';
import { fakePng, fakeVideo, gifBytes } from '../testing/bot/fakes.js';

// Every bad input gets a clear answer in the user's language and changes nothing it should not:
// each test compares the user's event stream before and after.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open();
});

afterAll(async () => {
  await world?.close();
});

const MB = 1024 * 1024;
let nextId = 3000;

async function userAt(
  screen: 'background' | 'script',
  languageCode = 'en',
): Promise<SimulatedUser> {
  nextId += 1;
  const user = world.user({ id: nextId, firstName: `U${nextId}`, languageCode });
  await user.sendCommand('/start');
  await user.waitFor('UGC Studio');
  if (screen === 'background') {
    await user.sendCommand('/create_ads');
    await user.waitFor(/Step 1 · Format|Шаг 1 · Формат/);
    await user.pressCallbackData('v1|f|b');
    await user.waitFor(/Step 1b|Шаг 1б/);
    return user;
  }
  await user.pressCallbackData('v1|f|t');
  await user.waitFor(/Who should speak|Кто будет говорить/);
  await user.pressCallbackData('v1|g|f');
  await user.waitFor((m) => m.media?.kind === 'photo');
  await user.pressCallbackData('v1|c|f|0');
  await user.waitFor(/Step 2b|Шаг 2б/);
  await user.pressCallbackData(languageCode === 'ru' ? 'v1|vi|ru-f-1' : 'v1|vi|en-f-1');
  await user.waitFor(/Step 4 · Script|Шаг 4 · Текст/);
  return user;
}

async function unchanged(user: SimulatedUser, act: () => Promise<void>): Promise<void> {
  const before = await world.eventTypes(user.user.id);
  await act();
  expect(await world.eventTypes(user.user.id)).toEqual(before);
}

describe('background clip', () => {
  it('16 s: too long, with the limit named', async () => {
    const user = await userAt('background');
    await unchanged(user, async () => {
      await user.sendVideo(fakeVideo({ durationSec: 16 }), {
        fileName: 'long.mp4',
        mimeType: 'video/mp4',
        duration: 16,
      });
      await user.waitFor('This clip is 16.0 s long; the limit is 15 s');
    });
    expect((await world.users.state(user.user.id)).awaitedInput).toBe('background_video');
  });

  it('25 MB: refused from the declared size, before any download', async () => {
    const user = await userAt('background', 'ru');
    const getFileCalls = world.emulator.calls('getFile').length;
    await unchanged(user, async () => {
      await user.sendDocument(fakeVideo({ durationSec: 5, padTo: 25 * MB }), {
        fileName: 'big.mp4',
        mimeType: 'video/mp4',
      });
      await user.waitFor('Файл весит 25.0 МБ, а можно не больше 20 МБ');
    });
    expect(world.emulator.calls('getFile')).toHaveLength(getFileCalls);
  });

  it('a GIF renamed .mp4: not a supported video', async () => {
    const user = await userAt('background');
    await unchanged(user, async () => {
      await user.sendDocument(gifBytes(), { fileName: 'funny.mp4', mimeType: 'video/mp4' });
      await user.waitFor('not an MP4, MOV or AVI video (I see: gif)');
    });
  });

  it('a truncated MP4: damaged', async () => {
    const user = await userAt('background');
    await unchanged(user, async () => {
      await user.sendVideo(fakeVideo({ durationSec: 10, truncated: true }), {
        fileName: 'cut.mp4',
        mimeType: 'video/mp4',
      });
      await user.waitFor('looks damaged or incomplete');
    });
    expect(
      [...world.storage.objects.keys()].filter((key) => key.startsWith(`uploads/${user.user.id}/`)),
    ).toEqual([]);
  });

  it('a photo or a text where a video is expected: a hint', async () => {
    const user = await userAt('background', 'ru');
    await unchanged(user, async () => {
      await user.sendPhoto(fakePng(100, 100), { fileName: 'shot.png' });
      await user.waitFor('Я жду <b>видеоролик</b>'.replace(/<\/?b>/g, ''));
      await user.sendText('here is my video');
      await user.waitFor((m) => (m.text ?? '').includes('видеоролик') && m.revision > 0);
    });
    expect(
      user.botMessages().filter((m) => (m.text ?? '').includes('Фото или текст здесь не подойдут')),
    ).toHaveLength(2);
  });
});

describe('script', () => {
  it('empty (only spaces, emoji, zero-width characters): nothing to say', async () => {
    const user = await userAt('script');
    await unchanged(user, async () => {
      await user.sendText('   ');
      await user.waitFor('nothing to say in this text');
      await user.sendText('🎉🔥👍🏽 \u200b\u200d\u2060 !!!');
      await user.waitFor((m) => (m.text ?? '').includes('nothing to say') && m.revision > 0);
    });
    expect(
      user.botMessages().filter((m) => (m.text ?? '').includes('nothing to say')),
    ).toHaveLength(2);
  });

  it('3,000 characters: too long, with the limit named', async () => {
    const user = await userAt('script', 'ru');
    await unchanged(user, async () => {
      await user.sendText('а'.repeat(3000));
      await user.waitFor('В тексте 3000 символов, а можно не больше 1000');
    });
  });

  it('emoji, zero-width and right-to-left text: cleaned for speech, right-to-left kept', async () => {
    const user = await userAt('script');
    await user.sendText('שלום\u200b 🎉 עולם! مرحبا\u200f بكم');
    const confirm = await user.waitFor('Step 5');
    expect(confirm.text).toContain('The voice will read:\nשלום עולם! مرحبا بكم');
    const written = (await world.events(user.user.id)).filter(
      (event) => event.type === 'ScriptWritten',
    );
    expect(written.map((event) => event.data.speechText)).toEqual(['שלום עולם! مرحبا بكم']);
  });

  it('HTML and Markdown injection render literally', async () => {
    const user = await userAt('script');
    const script =
      '<b>bold</b> <script>alert(1)</script> & *stars* _under_ [click](https://evil.example) `code`';
    await user.sendText(script);
    const confirm = await user.waitFor('Step 5');
    expect(confirm.text).toContain(script);
    const spans = confirm.entities.map((entity) =>
      confirm.text?.slice(entity.offset, entity.offset + entity.length),
    );
    expect(spans).not.toContain('bold');
    expect(confirm.entities.some((entity) => entity.type === 'text_link')).toBe(false);
    const failures = world.emulator
      .calls()
      .filter((call) => !call.ok && /parse entities/.test(call.description ?? ''));
    expect(failures).toEqual([]);
  });
});

describe('feedback', () => {
  it('HTML injection in feedback renders literally for the admins', async () => {
    nextId += 1;
    const user = world.user({ id: nextId, firstName: '<b>Eve</b>', languageCode: 'en' });
    await user.sendCommand('/feedback');
    await user.waitFor('Write your message');
    const text = '<i>hi</i> & <a href="https://evil.example">click</a> **bold**';
    await user.sendText(text);
    await user.waitFor('Thank you');
    const forwarded = world.emulator.chatMessages(ADMIN_CHAT_ID).at(-1);
    expect(forwarded?.text).toContain(text);
    expect(forwarded?.text).toContain('<b>Eve</b>');
    expect(
      forwarded?.entities.some((entity) => entity.type === 'text_link' || entity.type === 'italic'),
    ).toBe(false);
  });
});

describe('buttons', () => {
  it('a stale or forged button: a polite answer and a fresh menu, nothing changes', async () => {
    nextId += 1;
    const user = world.user({ id: nextId, languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('UGC Studio');
    await unchanged(user, async () => {
      for (const data of [
        'v0|f|t',
        'garbage',
        'v1|f|z',
        'v1|c|f|007',
        'v1|d|../../etc/passwd',
        'v1|t|0',
      ]) {
        const press = await user.pressCallbackData(data);
        expect(await press.answer()).toMatchObject({
          text: 'This button is outdated. Here is a fresh menu.',
        });
      }
    });
    const menu = user.lastBotMessage();
    expect(menu?.text).toContain('This button is outdated');
    expect(menu?.inlineKeyboard?.flat().map((b) => b.text)).toContain('🎬 Create a video ad');
  });

  it("a forged button naming another user's generation: refused, nothing revealed", async () => {
    const owner = await userAt('script');
    await owner.sendText('Hello from the owner.');
    await owner.waitFor('Step 5');
    await owner.pressButton('🎬 Generate (1 credit)');
    await owner.waitFor('in the queue');
    const requested = (await world.events(owner.user.id)).find(
      (event) => event.type === 'GenerationRequested',
    );
    const generationId = String(requested?.data.generationId);

    nextId += 1;
    const intruder = world.user({ id: nextId, languageCode: 'en' });
    await intruder.sendCommand('/start');
    await intruder.waitFor('UGC Studio');
    await unchanged(intruder, async () => {
      const press = await intruder.pressCallbackData(`v1|d|${generationId}`);
      expect(await press.answer()).toMatchObject({
        text: 'This video is not available.',
        showAlert: true,
      });
      const unknown = await intruder.pressCallbackData('v1|d|g-1-1');
      expect(await unknown.answer()).toMatchObject({ text: 'This video is not available.' });
    });
    expect(
      intruder.botMessages().some((m) => (m.text ?? '').includes('Hello from the owner')),
    ).toBe(false);

    // The owner's own button is answered truthfully: not ready yet.
    const own = await owner.pressCallbackData(`v1|d|${generationId}`);
    expect(await own.answer()).toMatchObject({ text: 'This video is not ready yet.' });
  });
});

describe('admin commands from a non-admin', () => {
  it('/grant gets exactly the unknown-command reply and changes nothing', async () => {
    nextId += 1;
    const user = world.user({ id: nextId, languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('UGC Studio');
    await unchanged(user, async () => {
      await user.sendCommand('/grant', `${nextId} 100 free money`);
      const refused = await user.waitFor('I do not know this command');
      await user.sendCommand('/nosuchcommand');
      const unknown = await user.waitFor(
        (m) =>
          (m.text ?? '').includes('I do not know this command') &&
          m.messageId !== refused.messageId,
      );
      expect(refused.text).toBe(unknown.text);
      for (const command of ['/revoke 1 1 x', '/audit 1', '/stats', '/reply 1 hi']) {
        await user.sendText(command);
        await user.waitFor(
          (m) => (m.text ?? '') === unknown.text && m.messageId > unknown.messageId,
        );
      }
    });
    expect((await world.users.state(user.user.id)).balance).toBe(10);
  });
});
