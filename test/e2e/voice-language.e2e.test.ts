import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InlineKeyboardButton } from 'grammy/types';
import { sharedExecutable } from '../../src/adapters/local/binaries/media-binaries.js';
import { runBinary } from '../../src/adapters/local/binaries/run-binary.js';
import { EspeakSpeechSynthesizer } from '../../src/adapters/local/speech/espeak-speech.js';
import type { RunningService } from '../../src/app/service.js';
import { UserCommands } from '../../src/commands/user-commands.js';
import { generationStream, userStream } from '../../src/domain/events/streams.js';
import type {
  ChatMessage,
  SimulatedUser,
  TelegramEmulator,
} from '../../src/dev/telegram-emulator/index.js';
import { startLocalService, type LocalServiceWorld } from './local-service.js';

/**
 * The script's language against the voice's, through the real service (PGlite, projections, bot in
 * long polling, pipeline, eSpeak NG, the ffmpeg portrait renderer) and the Telegram emulator: a
 * Chinese script with an English voice is refused before any credit is spent and leads to the
 * voices that can read it; the Mandarin voice then really speaks it. Background clips are measured
 * by the real ffprobe on real files against the one clip rule (15 s, up to 15.5 s accepted).
 * Talking head only: the cut-out composite is not what is under test here.
 */
describe('script language and voice, background clip length (emulated Telegram, real service)', () => {
  let world: LocalServiceWorld | undefined;
  let dir: string;
  let emulator: TelegramEmulator;
  let service: RunningService;
  const token = '987654323:E2E-voice-language-token-000000';
  const STEP_MS = 30_000;
  const VIDEO_MS = 300_000;
  const CHINESE = '我们的新产品非常好，快来试试吧！';

  beforeAll(async () => {
    world = await startLocalService({ name: 'voice', token });
    ({ dir, emulator, service } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  const hasData = (data: string) => (button: InlineKeyboardButton) =>
    'callback_data' in button && button.callback_data === data;
  const events = (id: number) => service.store.readStream(userStream(id));
  const eventTypes = async (id: number) => (await events(id)).map((event) => event.type);
  // Folded from the user's stream, as the decider sees it.
  const balance = async (id: number) =>
    (await new UserCommands({ store: service.store }).state(id)).balance;

  async function started(id: number): Promise<SimulatedUser> {
    const user = emulator.user({ id, firstName: `V${id}`, languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 60_000 });
    return user;
  }

  /** Talking head, a woman, to the voice gallery. */
  async function toVoices(user: SimulatedUser): Promise<ChatMessage> {
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format', { timeoutMs: STEP_MS });
    await user.pressButton('🗣 Talking head');
    await user.waitFor('Who should speak', { timeoutMs: STEP_MS });
    await user.pressButton('👩 Woman');
    await user.waitFor((m) => m.media?.kind === 'photo', { timeoutMs: STEP_MS });
    await user.pressButton('✅ Choose');
    await user.waitFor('Step 2b', { timeoutMs: STEP_MS });
    await user.pressButton(/Continue to the voice/);
    return user.waitFor('Step 3 · Voice', { timeoutMs: STEP_MS });
  }

  /** Pages through the gallery (as a person would) to the page with the voice, and picks it. */
  async function pickOnSomePage(
    user: SimulatedUser,
    gallery: ChatMessage,
    data: string,
  ): Promise<void> {
    for (let page = 1; page <= 10; page += 1) {
      const shown = user.botMessages().find((m) => m.messageId === gallery.messageId);
      if (shown?.inlineKeyboard?.flat().some(hasData(data))) {
        await user.pressButton(hasData(data), { messageId: gallery.messageId });
        return;
      }
      await user.pressButton('➡️', { messageId: gallery.messageId });
      await user.waitFor(
        (m) => m.messageId === gallery.messageId && (m.text ?? '').includes(`Page ${page + 1} /`),
        { timeoutMs: STEP_MS },
      );
    }
    throw new Error(`no gallery page has ${data}`);
  }

  it('a Chinese script with an English voice is refused before charging and leads to the Mandarin voice, which really speaks it', async () => {
    const id = 4101;
    const user = await started(id);
    const gallery = await toVoices(user);
    await user.pressButton(hasData('v1|vi|espeak-en-f1'), { messageId: gallery.messageId });
    await user.waitFor('Step 4 · Script', { timeoutMs: STEP_MS });
    const script = await user.sendText('Fresh bread every morning.');
    const firstConfirm = await user.waitFor('Step 5', { timeoutMs: STEP_MS });
    expect(firstConfirm.inlineKeyboard?.flat().map((b) => b.text)).toContain(
      '🎬 Generate (1 credit)',
    );

    // The script is edited into Chinese: the draft follows, and the new confirmation warns at once.
    await user.editText(script.message?.message_id ?? 0, CHINESE);
    const warned = await user.waitFor(
      (m) =>
        (m.text ?? '').includes('Step 5') && (m.text ?? '').includes('cannot read this script'),
      { timeoutMs: STEP_MS },
    );
    expect(warned.inlineKeyboard?.flat().map((b) => b.text)).not.toContain(
      '🎬 Generate (1 credit)',
    );

    // Generate on the first confirmation, still in the chat: refused, nothing charged or requested.
    await user.pressButton('🎬 Generate (1 credit)', { messageId: firstConfirm.messageId });
    const refusal = await user.waitFor(
      (m) => (m.text ?? '').includes('cannot read it. Nothing was charged.'),
      { timeoutMs: STEP_MS },
    );
    expect(refusal.text).toContain('Your script is Chinese, but the chosen voice speaks English');
    expect(refusal.inlineKeyboard?.flat().map((b) => b.text)).toContain(
      '🎙 Voices that can read it',
    );
    expect(await balance(id)).toBe(10);
    expect(await eventTypes(id)).not.toContain('GenerationRequested');
    expect(await eventTypes(id)).not.toContain('CreditsSpent');

    // The button leads to the gallery with the voices that can read the script first.
    await user.pressButton('🎙 Voices that can read it', { messageId: refusal.messageId });
    const readers = await user.waitFor(
      (m) =>
        (m.text ?? '').includes('Step 3 · Voice') &&
        (m.text ?? '').includes('Your script is Chinese'),
      {
        timeoutMs: STEP_MS,
      },
    );
    const picks = (readers.inlineKeyboard ?? [])
      .flat()
      .flatMap((b) =>
        'callback_data' in b && b.callback_data?.startsWith('v1|vi|') ? [b.callback_data] : [],
      );
    expect(picks.slice(0, 2)).toEqual(['v1|vi|espeak-cmn-f1', 'v1|vi|espeak-cmn-m1']);
    expect(readers.text).toContain('李娜 (普通话) — Mandarin Chinese, female');
    expect(readers.text).not.toContain('cannot read your script');

    await user.pressButton(hasData('v1|vi|espeak-cmn-f1'), { messageId: readers.messageId });
    const confirm = await user.waitFor(
      (m) => (m.text ?? '').includes('Step 5') && !(m.text ?? '').includes('cannot read'),
      { timeoutMs: STEP_MS },
    );
    await user.pressButton('🎬 Generate (1 credit)', { messageId: confirm.messageId });
    await user.waitFor('in the queue', { timeoutMs: STEP_MS });
    const video = await user.waitFor((m) => m.media?.kind === 'video', {
      timeoutMs: VIDEO_MS,
      since: 'last-action',
    });
    expect(video.caption).toContain('espeak');

    const userEvents = await events(id);
    expect(userEvents.filter((e) => e.type === 'CreditsSpent')).toHaveLength(1);
    expect(userEvents.filter((e) => e.type === 'GenerationRequested')).toHaveLength(1);
    expect(await balance(id)).toBe(9);
    const generationId = String(
      userEvents.find((e) => e.type === 'GenerationRequested')?.data.generationId,
    );
    const generation = await service.store.readStream(generationStream(generationId));
    expect(generation.find((e) => e.type === 'GenerationStarted')?.data).toMatchObject({
      voiceId: 'espeak-cmn-f1',
      speechText: CHINESE,
    });
    const audio = generation.find((e) => e.type === 'AudioSynthesized')?.data as {
      provider: string;
      durationSec: number;
    };
    expect(audio.provider).toBe('espeak-ng');
    // Real Mandarin speech: as long as eSpeak NG's Mandarin voice takes for the same text (it is
    // deterministic), and about 0.2–0.4 s a syllable; spelled-out letters ("Chinese letter…")
    // would take several times that.
    const direct = await new EspeakSpeechSynthesizer({
      logger: pino({ level: 'silent' }),
    }).synthesize({ text: CHINESE, voiceId: 'espeak-cmn-f1', outputPath: join(dir, 'direct.wav') });
    expect(Math.abs(audio.durationSec - direct.durationSec)).toBeLessThan(0.1);
    expect(audio.durationSec).toBeGreaterThan(13 * 0.15);
    expect(audio.durationSec).toBeLessThan(13 * 0.5);
  }, 420_000);

  it('a script no voice here can read (Japanese, local voices only) is answered with the languages the voices speak and a way to rewrite it, not with a gallery of voices that cannot', async () => {
    const id = 4104;
    const user = await started(id);
    const gallery = await toVoices(user);
    await user.pressButton(hasData('v1|vi|espeak-en-f1'), { messageId: gallery.messageId });
    await user.waitFor('Step 4 · Script', { timeoutMs: STEP_MS });
    const script = await user.sendText('Fresh bread every morning.');
    const firstConfirm = await user.waitFor('Step 5', { timeoutMs: STEP_MS });
    await user.editText(
      script.message?.message_id ?? 0,
      '新しいスニーカーが届きました。ぜひ試してください！',
    );
    const confirm = await user.waitFor(
      (m) =>
        (m.text ?? '').includes('Step 5') &&
        (m.text ?? '').includes('none of the voices here can read it'),
      {
        timeoutMs: STEP_MS,
      },
    );
    expect(confirm.text).toContain('Your script is Japanese');
    expect(confirm.text).toContain('Mandarin Chinese');
    expect(confirm.inlineKeyboard?.flat().map((b) => b.text)).toEqual([
      '✏️ Rewrite',
      '◀️ Back',
      '🏠 Main menu',
    ]);
    // The Generate button of the earlier confirmation: refused, nothing charged, the same way on.
    await user.pressButton('🎬 Generate (1 credit)', { messageId: firstConfirm.messageId });
    const refusal = await user.waitFor(
      (m) =>
        (m.text ?? '').includes('none of the voices here can read it') &&
        (m.text ?? '').includes('Nothing was charged'),
      {
        timeoutMs: STEP_MS,
      },
    );
    expect(refusal.inlineKeyboard?.flat().map((b) => b.text)).toContain('✏️ Rewrite');
    expect(await eventTypes(id)).not.toContain('GenerationRequested');
    expect(await balance(id)).toBe(10);
  }, 120_000);

  it('a character the Mandarin voice would spell out reaches the speech provider and is refused there: told so, refunded, a way to another voice', async () => {
    const id = 4102;
    const user = await started(id);
    const gallery = await toVoices(user);
    await pickOnSomePage(user, gallery, 'v1|vi|espeak-cmn-f1');
    await user.waitFor('Step 4 · Script', { timeoutMs: STEP_MS });
    // 𠮷 (U+20BB7) is Chinese, so the domain lets a Mandarin voice take it, but it lies beyond
    // eSpeak NG's dictionaries, which would read out its code point.
    await user.sendText('我们的新产品𠮷很好');
    const confirm = await user.waitFor('Step 5', { timeoutMs: STEP_MS });
    await user.pressButton('🎬 Generate (1 credit)', { messageId: confirm.messageId });
    await user.waitFor('in the queue', { timeoutMs: STEP_MS });
    const notice = await user.waitFor('cannot read some characters of your script', {
      timeoutMs: VIDEO_MS,
      since: 'last-action',
    });
    expect(notice.text).toContain('Your credit has been refunded.');
    expect(notice.text).not.toContain('failed at');
    expect(notice.inlineKeyboard?.flat().map((b) => b.text)).toEqual(['🎙 Pick a voice']);
    await expect.poll(async () => eventTypes(id), { timeout: 30_000 }).toContain('CreditsRefunded');
    expect(await balance(id)).toBe(10);
    const generationId = String(
      (await events(id)).find((e) => e.type === 'GenerationRequested')?.data.generationId,
    );
    const failure = (await service.store.readStream(generationStream(generationId))).find(
      (e) => e.type === 'GenerationFailed',
    )?.data;
    expect(failure).toMatchObject({ stage: 'tts', retryable: false, code: 'VOICE_CANNOT_READ' });

    await user.pressButton('🎙 Pick a voice', { messageId: notice.messageId });
    await user.waitFor(
      (m) => (m.text ?? '').includes('Step 3 · Voice') && m.messageId !== gallery.messageId,
      { timeoutMs: STEP_MS },
    );
  }, 300_000);

  it('background clips of 15.4 s are accepted and of 15.6 s refused with the 15 s limit named (real ffmpeg files, real ffprobe)', async () => {
    const id = 4103;
    const user = await started(id);
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format', { timeoutMs: STEP_MS });
    await user.pressButton(/Character \+ background/);
    await user.waitFor('Step 1b', { timeoutMs: STEP_MS });
    const ffmpeg = await sharedExecutable('ffmpeg');
    const clip = async (seconds: number) => {
      const path = join(dir, `clip-${seconds}.mp4`);
      await runBinary(ffmpeg.path, [
        '-y',
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=s=320x568:d=${seconds}:rate=30`,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        path,
      ]);
      return path;
    };
    const uploaded = async () =>
      (await events(id)).filter((e) => e.type === 'BackgroundVideoUploaded');

    // Telegram's own duration is whole seconds (15 for both): the file itself is what is measured.
    await user.sendVideo(await clip(15.6), {
      fileName: 'long.mp4',
      mimeType: 'video/mp4',
      duration: 15,
      width: 320,
      height: 568,
    });
    const refused = await user.waitFor(
      (m) => /This clip is 15\.6 s long; the limit is 15 s/.test(m.text ?? ''),
      { timeoutMs: 60_000 },
    );
    expect(refused.text).not.toContain('15.5 s');
    expect(await uploaded()).toEqual([]);

    await user.sendVideo(await clip(15.4), {
      fileName: 'fits.mp4',
      mimeType: 'video/mp4',
      duration: 15,
      width: 320,
      height: 568,
    });
    await user.waitFor('Clip accepted: 15.4 s', { timeoutMs: 60_000 });
    await user.waitFor('Step 1c', { timeoutMs: STEP_MS });
    const accepted = await uploaded();
    expect(accepted).toHaveLength(1);
    expect(Number(accepted[0]?.data.durationSec)).toBeCloseTo(15.4, 1);
  }, 180_000);
});
