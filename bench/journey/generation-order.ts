import type { InlineKeyboardButton } from 'grammy/types';
import { cb } from '../../src/bot/callback-data.js';
import type {
  ChatMessage,
  SimulatedUser,
  TelegramEmulator,
} from '../../src/dev/telegram-emulator/index.js';

export type VideoFormat = 'talking-head' | 'background';

export interface TimedGeneration {
  readonly format: VideoFormat;
  /**
   * From the Generate press (the callback update queued at the emulator) to sendVideo stored by it.
   */
  readonly generateToDeliveredMs: number;
  /** Epoch milliseconds of the press and the delivery, to line up with the service's log times. */
  readonly pressedAt: number;
  readonly deliveredAt: number;
  readonly videoMessageId: number;
  readonly videoDurationSec: number;
}

const STEP_MS = 30_000;
/**
 * English voices of the local gallery (src/adapters/local/speech/espeak-voices.ts): an English
 * user's first page.
 */
const VOICE_ID: Record<'female' | 'male', string> = {
  female: 'espeak-en-f1',
  male: 'espeak-en-m1',
};

const hasCallbackData = (data: string) => (button: InlineKeyboardButton) =>
  'callback_data' in button && button.callback_data === data;

/**
 * One order through the real bot, clicking like a person (the scripted demo user's path), with an
 * English voice picked on the second voice page. The clock starts when Generate is pressed and
 * stops when the emulator stores the bot's sendVideo in the user's chat.
 */
export async function orderTimedVideo(
  emulator: TelegramEmulator,
  user: SimulatedUser,
  options: {
    format: VideoFormat;
    script: string;
    backgroundPath?: string;
    generationTimeoutMs: number;
  },
): Promise<TimedGeneration> {
  await user.sendCommand('/create_ads');
  await user.waitFor('Step 1 · Format', { timeoutMs: STEP_MS });
  const gender = options.format === 'talking-head' ? 'female' : 'male';
  if (options.format === 'talking-head') {
    await user.pressButton('🗣 Talking head');
  } else {
    if (!options.backgroundPath) throw new Error('the background format needs a background clip');
    await user.pressButton(/Character \+ background/);
    await user.waitFor('Step 1b', { timeoutMs: STEP_MS });
    await user.sendVideo(options.backgroundPath, {
      fileName: 'background.mp4',
      mimeType: 'video/mp4',
      duration: 12,
      width: 1080,
      height: 1920,
    });
    await user.waitFor('Step 1c', { timeoutMs: STEP_MS * 2 });
    await user.pressButton(/Circle/);
  }
  await user.waitFor('Who should speak', { timeoutMs: STEP_MS });
  await user.pressButton(gender === 'female' ? '👩 Woman' : '👨 Man');
  await user.waitFor((message) => message.media?.kind === 'photo', { timeoutMs: STEP_MS });
  await user.pressButton('✅ Choose');
  await user.waitFor('Step 2b', { timeoutMs: STEP_MS });
  await user.pressButton(/Continue to the voice/);
  const voices = await user.waitFor('Step 3 · Voice', { timeoutMs: STEP_MS });
  await user.pressButton(hasCallbackData(cb({ kind: 'voice', voiceRef: VOICE_ID[gender] })), {
    messageId: voices.messageId,
  });
  await user.waitFor('Step 4 · Script', { timeoutMs: STEP_MS });
  await user.sendText(options.script);
  await user.waitFor('Step 5', { timeoutMs: STEP_MS });

  const delivered = new Promise<{ message: ChatMessage; at: number; atMono: number }>(
    (resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(
          new Error(
            `no video within ${options.generationTimeoutMs} ms of pressing Generate\n${user.transcript()}`,
          ),
        );
      }, options.generationTimeoutMs);
      const unsubscribe = emulator.onMessage((message, change) => {
        if (change !== 'created' || message.chatId !== user.chatId || message.sender !== 'bot')
          return;
        if (message.media?.kind !== 'video' || (message.caption ?? '').includes('Example')) return;
        const atMono = performance.now();
        clearTimeout(timer);
        unsubscribe();
        resolve({ message, at: Date.now(), atMono });
      });
    },
  );
  const pressedAt = Date.now();
  const pressedMono = performance.now();
  await user.pressButton(/Generate/);
  const { message, at, atMono } = await delivered;
  return {
    format: options.format,
    generateToDeliveredMs: atMono - pressedMono,
    pressedAt,
    deliveredAt: at,
    videoMessageId: message.messageId,
    videoDurationSec: message.media?.duration ?? Number.NaN,
  };
}
