import { Api } from 'grammy';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramNotifier } from '../bot/telegram-notifier.js';
import { startTelegramEmulator, type TelegramEmulator } from '../dev/telegram-emulator/index.js';
import { PipelineWorld, until } from '../testing/pipeline/pipeline-world.js';

let world: PipelineWorld;
let emulator: TelegramEmulator;
let api: Api;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  world = await PipelineWorld.pglite();
  emulator = await startTelegramEmulator();
  api = new Api(emulator.token, { apiRoot: emulator.apiRoot });
});

afterAll(async () => {
  await world?.close();
  await emulator?.close();
});

/**
 * A pipeline instance as a service starts one: its own notifier (no memory shared with any other)
 * and its own command handlers, so all it knows of a generation is what the event store says.
 */
const instance = () => world.pipeline({ notifier: new TelegramNotifier({ api, log }) });

const progressTexts = /in the queue|⏳|✅ Done|Resumed/;

async function chattingUser(id: number) {
  const user = emulator.user({ id, languageCode: 'en' });
  await user.sendText('hi');
  return user;
}

describe('the progress message, from the generation’s events only', () => {
  it('requested where the click landed, run by an instance that never saw it: the confirmation is edited through to done', async () => {
    const user = await chattingUser(9301);
    const confirmation = await api.sendMessage(9301, '✅ Your video is in the queue.');
    const requested = await world.request({
      format: 'talking_head',
      userId: 9301,
      progressMessage: { chatId: 9301, messageId: confirmation.message_id },
    });
    const runner = instance();
    runner.start();
    expect(await world.settled(requested.generationId)).toBe('delivered');
    await runner.stop();

    await until(
      () =>
        user.botMessages().find((m) => m.messageId === confirmation.message_id)?.text ===
        '✅ Done — the video is below.',
      5000,
      'the done mark',
    );
    const progress = user.botMessages().filter((message) => progressTexts.test(message.text ?? ''));
    expect(progress.map((message) => message.messageId)).toEqual([confirmation.message_id]);
    expect(progress[0]?.editCount).toBeGreaterThanOrEqual(2);
    expect(await world.generationEventTypes(requested.generationId)).not.toContain(
      'ProgressMessagePosted',
    );
  });

  it('an old request that named no message: the first run posts one and records it; after a crash the next instance edits that one', async () => {
    const user = await chattingUser(9302);
    world.providers.talkingHead.script = ['block'];
    const first = instance();
    first.start();
    const requested = await world.request({ format: 'talking_head', userId: 9302 });
    await until(
      () => world.providers.talkingHead.count(requested.text) === 1,
      10_000,
      'the talking head to start',
    );
    await until(
      async () =>
        (await world.generationEventTypes(requested.generationId)).includes(
          'ProgressMessagePosted',
        ),
      5000,
      'the posted message to be recorded',
    );
    first.halt();
    const posted = user.botMessages().filter((message) => progressTexts.test(message.text ?? ''));
    expect(posted).toHaveLength(1);

    const second = instance();
    second.start();
    expect(await world.settled(requested.generationId)).toBe('delivered');
    await second.stop();

    await until(
      () =>
        user.botMessages().find((m) => m.messageId === posted[0]!.messageId)?.text ===
        '✅ Done — the video is below.',
      5000,
      'the done mark',
    );
    const progress = user.botMessages().filter((message) => progressTexts.test(message.text ?? ''));
    expect(progress.map((message) => message.messageId)).toEqual([posted[0]!.messageId]);
    const events = await world.generationEvents(requested.generationId);
    expect(
      events.filter((event) => event.type === 'ProgressMessagePosted').map((event) => event.data),
    ).toEqual([{ chatId: 9302, messageId: posted[0]!.messageId }]);
  });
});
