import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/app/service.js';
import { generationStream, userStream } from '../../src/domain/events/streams.js';
import type { SimulatedUser, TelegramEmulator } from '../../src/dev/telegram-emulator/index.js';
import { startLocalService, type LocalServiceWorld } from './local-service.js';

/**
 * A user who presses and types the unexpected, against the real service (PGlite, projections,
 * bot in long polling, pipeline, local providers) and the Telegram emulator: every out-of-step
 * button is answered and appends nothing to the user's stream; an edited script before Generate
 * is what the generation speaks, an edit after Generate is answered and changes nothing.
 */
describe('wizard step order end to end (emulated Telegram, real service)', () => {
  let world: LocalServiceWorld | undefined;
  let emulator: TelegramEmulator;
  let service: RunningService;
  const token = '987654322:E2E-step-order-token-000000000';
  const STEP_MS = 20_000;

  beforeAll(async () => {
    // What is checked here is the text a generation is ordered with, not the video: a 1 s speech
    // limit lets the pipeline stop (and refund) right after the speech instead of rendering.
    world = await startLocalService({ name: 'steps', token, env: { MAX_AUDIO_DURATION: '1' } });
    ({ emulator, service } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  const streamLength = async (user: SimulatedUser) =>
    (await service.store.readStream(userStream(user.user.id))).length;

  async function started(id: number): Promise<SimulatedUser> {
    const user = emulator.user({ id, firstName: `E${id}`, languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 60_000 });
    return user;
  }

  /**
   * Presses a button that is out of step and checks the answer, the reply and the unchanged stream.
   */
  async function refused(user: SimulatedUser, data: string, note: string): Promise<void> {
    const before = await streamLength(user);
    const press = await user.pressCallbackData(data);
    expect(await press.answer(STEP_MS)).toMatchObject({ text: note });
    const reply = await user.waitFor(
      (m) => (m.text ?? '').includes('nothing in your draft has changed'),
      { timeoutMs: STEP_MS },
    );
    expect(reply.text).toContain(note);
    expect(reply.inlineKeyboard?.flat()[0]?.text).toMatch(/^⏩ /);
    expect(await streamLength(user)).toBe(before);
  }

  it("the testers' examples and other out-of-step buttons: answered, nothing appended", async () => {
    const fresh = await started(3101);
    await refused(fresh, 'v1|c|f|0', 'First choose a format.'); // a character before a format
    await refused(fresh, 'v1|vi|espeak-en-f1', 'First choose a format.');
    await refused(fresh, 'v1|g|m', 'First choose a format.');
    await refused(fresh, 'v1|ea|e-3101-1', 'First choose a format.');

    const talkingHead = await started(3102);
    await talkingHead.pressButton('🎬 Create a video ad');
    await talkingHead.waitFor('Step 1 · Format', { timeoutMs: STEP_MS });
    await talkingHead.pressButton('🗣 Talking head');
    await talkingHead.waitFor('Who should speak', { timeoutMs: STEP_MS });
    await refused(talkingHead, 'v1|s|c', 'This is only for the “Character + background” format.'); // a shape without the format
    await refused(talkingHead, 'v1|n|bg', 'This is only for the “Character + background” format.');
    await talkingHead.pressButton('👩 Woman');
    await talkingHead.waitFor((m) => m.media?.kind === 'photo', { timeoutMs: STEP_MS });
    await refused(talkingHead, 'v1|vi|espeak-en-f1', 'First choose a character.'); // a voice before any character
    await refused(talkingHead, 'v1|v|0', 'First choose a character.'); // the same, from an old-format button
    await refused(talkingHead, 'v1|e|o', 'First choose a character.');
    await refused(talkingHead, 'v1|n|sc', 'First choose a character.');

    const background = await started(3103);
    await background.pressCallbackData('v1|f|b');
    await background.waitFor('Step 1b', { timeoutMs: STEP_MS });
    await refused(background, 'v1|g|f', 'First send the background clip.');
    await refused(background, 'v1|s|x', 'First send the background clip.');
    // A sticker where the clip is awaited: a hint, nothing appended.
    const before = await streamLength(background);
    await background.sendSticker();
    await background.waitFor('I am waiting for a video clip', { timeoutMs: STEP_MS });
    expect(await streamLength(background)).toBe(before);
  }, 300_000);

  it('an edited script before Generate is what the generation speaks; an edit after Generate is answered and changes nothing', async () => {
    const user = await started(3104);
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format', { timeoutMs: STEP_MS });
    await user.pressButton('🗣 Talking head');
    await user.waitFor('Who should speak', { timeoutMs: STEP_MS });
    await user.pressButton('👩 Woman');
    await user.waitFor((m) => m.media?.kind === 'photo', { timeoutMs: STEP_MS });
    await user.pressButton('✅ Choose');
    await user.waitFor('Step 2b', { timeoutMs: STEP_MS });
    await user.pressButton(/Continue to the voice/);
    await user.waitFor('Step 3 · Voice', { timeoutMs: STEP_MS });
    await user.pressButton(
      (button, message) => button.text === '✅' && (message.text ?? '').includes('Step 3'),
    );
    await user.waitFor('Step 4 · Script', { timeoutMs: STEP_MS });
    const script = await user.sendText('Old text about bread.');
    await user.waitFor('Step 5', { timeoutMs: STEP_MS });

    await user.editText(script.message?.message_id ?? 0, 'New text about coffee.');
    await user.waitFor('Script updated', { timeoutMs: STEP_MS });
    const confirm = await user.waitFor(
      (m) => (m.text ?? '').includes('Step 5') && (m.text ?? '').includes('New text about coffee.'),
      {
        timeoutMs: STEP_MS,
      },
    );
    await user.pressButton(/Generate/, { messageId: confirm.messageId });
    await user.waitFor('in the queue', { timeoutMs: STEP_MS });

    const userEvents = async () => service.store.readStream(userStream(3104));
    const requested = (await userEvents()).filter((event) => event.type === 'GenerationRequested');
    expect(requested.map((event) => event.data.speechText)).toEqual(['New text about coffee.']);
    const generationId = String(requested[0]?.data.generationId);
    const startedEvent = async () =>
      (await service.store.readStream(generationStream(generationId))).find(
        (e) => e.type === 'GenerationStarted',
      );
    await expect.poll(startedEvent, { timeout: 60_000 }).toBeDefined();
    expect((await startedEvent())?.data).toMatchObject({ speechText: 'New text about coffee.' });

    // The pipeline's own part (speech over the 1 s limit: stopped, refunded, told) ends first, so
    // what follows is measured on streams nothing else writes to.
    await user.waitFor('The speech came out', { timeoutMs: 120_000, since: 'any' });
    await expect
      .poll(async () => (await userEvents()).some((event) => event.type === 'CreditsRefunded'), {
        timeout: 30_000,
      })
      .toBe(true);

    // After Generate: answered, and neither the user's stream nor the generation changes.
    const before = (await userEvents()).length;
    const generationBefore = (await service.store.readStream(generationStream(generationId)))
      .length;
    await user.editText(script.message?.message_id ?? 0, 'Changed my mind again.');
    await user.waitFor('already in production', { timeoutMs: STEP_MS });
    expect((await userEvents()).length).toBe(before);
    const generation = await service.store.readStream(generationStream(generationId));
    expect(generation).toHaveLength(generationBefore);
    expect(generation.filter((e) => e.type === 'GenerationStarted').map((e) => e.data)).toEqual([
      expect.objectContaining({ speechText: 'New text about coffee.' }),
    ]);
  }, 300_000);
});
