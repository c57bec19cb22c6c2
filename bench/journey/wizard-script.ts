import type { InlineKeyboardButton } from 'grammy/types';
import { cb } from '../../src/bot/callback-data.js';
import type { SentUpdate, SimulatedUser } from '../../src/dev/telegram-emulator/index.js';

/** Updates one pass of the wizard sends; within the bot's per-user flood burst (20). */
export const WIZARD_UPDATES_PER_USER = 11;

const STEP_MS = 30_000;
/** An English voice of the local gallery (src/adapters/local/speech/espeak-voices.ts). */
const VOICE_ID = 'espeak-en-f1';
const hasCallbackData = (data: string) => (button: InlineKeyboardButton) =>
  'callback_data' in button && button.callback_data === data;

/**
 * One person clicking through the wizard up to the confirmation screen, never pressing Generate:
 * /start, /create_ads, talking head, woman, next portrait, choose, continue, next voice page, back
 * to the first, an English voice, the script. Each step waits for the screen it should bring, so a
 * bot that drops,
 * fails or answers with the wrong screen stops the benchmark instead of looking fast.
 * Returns the update ids it sent, to match them with the webhook deliveries.
 */
export async function runWizard(user: SimulatedUser, script: string): Promise<number[]> {
  const ids: number[] = [];
  const act = async (action: Promise<SentUpdate | { update: SentUpdate['update'] }>) => {
    ids.push((await action).update.update_id);
  };
  await act(user.sendCommand('/start'));
  await user.waitFor('What would you like to do?', { timeoutMs: STEP_MS });
  await act(user.sendCommand('/create_ads'));
  await user.waitFor('Step 1 · Format', { timeoutMs: STEP_MS });
  await act(user.pressButton('🗣 Talking head'));
  await user.waitFor('Who should speak', { timeoutMs: STEP_MS });
  await act(user.pressButton('👩 Woman'));
  const portrait = await user.waitFor((message) => message.media?.kind === 'photo', {
    timeoutMs: STEP_MS,
  });
  await act(user.pressButton('➡️', { messageId: portrait.messageId }));
  await user.waitFor(
    (message) =>
      message.messageId === portrait.messageId && /\n2 \/ \d+/.test(message.caption ?? ''),
    { timeoutMs: STEP_MS },
  );
  await act(user.pressButton('✅ Choose', { messageId: portrait.messageId }));
  await user.waitFor('Step 2b', { timeoutMs: STEP_MS });
  await act(user.pressButton(/Continue to the voice/));
  const voices = await user.waitFor('Step 3 · Voice', { timeoutMs: STEP_MS });
  await act(
    user.pressButton(hasCallbackData(cb({ kind: 'voices', page: 1 })), {
      messageId: voices.messageId,
    }),
  );
  await user.waitFor(
    (message) => message.messageId === voices.messageId && (message.text ?? '').includes('Page 2'),
    { timeoutMs: STEP_MS },
  );
  // Back to the first page, where an English user's gallery has the English voices.
  await act(
    user.pressButton(hasCallbackData(cb({ kind: 'voices', page: 0 })), {
      messageId: voices.messageId,
    }),
  );
  await user.waitFor(
    (message) => message.messageId === voices.messageId && (message.text ?? '').includes('Page 1'),
    { timeoutMs: STEP_MS },
  );
  await act(
    user.pressButton(hasCallbackData(cb({ kind: 'voice', voiceRef: VOICE_ID })), {
      messageId: voices.messageId,
    }),
  );
  await user.waitFor('Step 4 · Script', { timeoutMs: STEP_MS });
  await act(user.sendText(script));
  await user.waitFor('Step 5', { timeoutMs: STEP_MS });
  if (ids.length !== WIZARD_UPDATES_PER_USER)
    throw new Error(`the wizard sent ${ids.length} updates, expected ${WIZARD_UPDATES_PER_USER}`);
  return ids;
}
