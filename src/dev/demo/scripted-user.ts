import type { SimulatedUser } from '../telegram-emulator/index.js';

export interface VideoOutcome {
  readonly messageId: number;
  readonly caption: string;
}

export interface OrderOptions {
  /**
   * The caption style's button on the preview shown after the script ('Bold', 'No captions'…);
   * absent: the user goes straight on to Generate, and the format's default applies.
   */
  readonly captions?: string;
}

const generationTimeoutMs = 240_000;

/**
 * A scripted user clicking through the real bot: the same screens and buttons a person sees.
 * English texts; the Russian flow is covered by the bot's own tests.
 */
export async function orderTalkingHead(
  user: SimulatedUser,
  script: string,
  options: OrderOptions = {},
): Promise<VideoOutcome> {
  await placeTalkingHeadOrder(user, script, options);
  return awaitVideo(user);
}

/** Clicks through to "Generate" and waits for the queue notice, not for the video. */
export async function placeTalkingHeadOrder(
  user: SimulatedUser,
  script: string,
  options: OrderOptions = {},
): Promise<void> {
  await user.sendCommand('/create_ads');
  await user.waitFor('Step 1 · Format', { timeoutMs: 20_000 });
  await user.pressButton('🗣 Talking head');
  await pickCharacterVoiceAndScript(user, '👩 Woman', script, options);
}

export async function orderBackground(
  user: SimulatedUser,
  backgroundPath: string,
  script: string,
  shape: RegExp = /Circle/,
  options: OrderOptions = {},
): Promise<VideoOutcome> {
  await user.sendCommand('/create_ads');
  await user.waitFor('Step 1 · Format', { timeoutMs: 20_000 });
  await user.pressButton(/Character \+ background/);
  await user.waitFor('Step 1b', { timeoutMs: 20_000 });
  await user.sendVideo(backgroundPath, {
    fileName: 'background.mp4',
    mimeType: 'video/mp4',
    duration: 8,
    width: 1080,
    height: 1920,
  });
  await user.waitFor('Step 1c', { timeoutMs: 60_000 });
  await user.pressButton(shape);
  await pickCharacterVoiceAndScript(user, '👨 Man', script, options);
  return awaitVideo(user);
}

async function pickCharacterVoiceAndScript(
  user: SimulatedUser,
  gender: string,
  script: string,
  options: OrderOptions,
): Promise<void> {
  await user.waitFor('Who should speak', { timeoutMs: 20_000 });
  await user.pressButton(gender);
  await user.waitFor((message) => message.media?.kind === 'photo', { timeoutMs: 20_000 });
  await user.pressButton('✅ Choose');
  await user.waitFor('Step 2b', { timeoutMs: 20_000 });
  await user.pressButton(/Continue to the voice/);
  await user.waitFor('Step 3 · Voice', { timeoutMs: 20_000 });
  await user.pressButton(
    (button, message) => button.text === '✅' && (message.text ?? '').includes('Step 3'),
  );
  await user.waitFor('Step 4 · Script', { timeoutMs: 20_000 });
  await user.sendText(script);
  // The caption styles come as a picture first (its first render may take a few seconds; a text
  // with the same buttons if it cannot be drawn), then the confirmation.
  const preview = await user.waitFor(
    (message) => (message.caption ?? message.text ?? '').includes('Step 4b'),
    { timeoutMs: 60_000 },
  );
  await user.waitFor('Step 5', { timeoutMs: 20_000 });
  if (options.captions !== undefined) {
    const style = options.captions;
    await user.pressButton((button) => button.text.replace(/^✅ /u, '') === style, {
      messageId: preview.messageId,
    });
    await user.waitFor(
      (message) =>
        (message.text ?? '').includes('Step 5') &&
        (message.text ?? '').includes(`Captions: ${style}`),
      { timeoutMs: 20_000 },
    );
  }
  await user.pressButton(/Generate/);
  await user.waitFor('in the queue', { timeoutMs: 20_000 });
}

export async function awaitVideo(user: SimulatedUser): Promise<VideoOutcome> {
  const message = await user.waitFor(
    (m) => m.media?.kind === 'video' && !(m.caption ?? '').includes('Example'),
    {
      timeoutMs: generationTimeoutMs,
      since: 'last-action',
    },
  );
  return { messageId: message.messageId, caption: message.caption ?? '' };
}
