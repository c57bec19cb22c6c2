import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/app/service.js';
import { placeTalkingHeadOrder } from '../../src/dev/demo/scripted-user.js';
import type { SimulatedUser, TelegramEmulator } from '../../src/dev/telegram-emulator/index.js';
import type { EventStore, RecordedEvent } from '../../src/ports/event-store/event-store.js';
import { creditAudit } from '../../src/queries/credit-audit.js';
import { startLocalService, type LocalServiceWorld } from './local-service.js';

/**
 * A rendered video through Telegram trouble, with the real service and the emulator's faults:
 * flood waits are honoured, a wait past the ceiling keeps the video (link, "My videos", no refund),
 * and an upload whose answer was lost is never uploaded again.
 */
describe('delivery end to end (emulated Telegram faults, local providers)', () => {
  let world: LocalServiceWorld | undefined;
  let emulator: TelegramEmulator;
  let service: RunningService | undefined;
  const token = '987654323:E2E-delivery-emulator-token-0000';
  // Telegram's waits are slept at this rate: a 70 s retry_after takes 0.7 s; the logic sees 70 s.
  const scale = 0.01;

  beforeAll(async () => {
    world = await startLocalService({
      name: 'delivery',
      token,
      env: { DELIVERY_MAX_WAIT_SECONDS: '900' },
      service: { pipeline: { deliveryTimeScale: scale } },
    });
    ({ emulator, service } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  const videosOf = (user: SimulatedUser) =>
    user
      .messages()
      .filter(
        (message) =>
          message.media?.kind === 'video' && !(message.caption ?? '').includes('Example'),
      );

  async function generationEvents(store: EventStore, userId: number): Promise<RecordedEvent[]> {
    const requested = (await store.readStream(`user-${userId}`)).filter(
      (event) => event.type === 'GenerationRequested',
    );
    const last = requested.at(-1)?.data as { generationId: string } | undefined;
    return last ? store.readStream(`generation-${last.generationId}`) : [];
  }

  async function until(
    probe: () => Promise<boolean> | boolean,
    what: string,
    timeoutMs = 240_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function order(id: number, firstName: string): Promise<SimulatedUser> {
    const user = emulator.user({ id, firstName, languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
    await placeTalkingHeadOrder(user, 'Fresh lemonade on the corner, two for one until Sunday.');
    return user;
  }

  async function expectSpentOnce(userId: number): Promise<void> {
    const audit = await creditAudit(service!.store, userId);
    expect(audit.entries.map((entry) => [entry.type, entry.delta])).toEqual([
      ['CreditsGranted', 10],
      ['CreditsSpent', -1],
    ]);
  }

  it('sendVideo answered 429 retry_after=70 three times: waits each time, one video, completed, no refund, the user told it waits', async () => {
    const user = await order(3201, 'Fay');
    emulator.injectFault('sendVideo', { kind: 'flood', retryAfter: 70 }, 3);
    await user.waitFor(
      (message) => message.media?.kind === 'video' && !(message.caption ?? '').includes('Example'),
      { timeoutMs: 240_000, since: 'last-action' },
    );
    await until(
      async () =>
        (await generationEvents(service!.store, 3201)).some(
          (event) => event.type === 'VideoDelivered',
        ),
      'VideoDelivered',
    );

    const events = await generationEvents(service!.store, 3201);
    const failures = events
      .filter((event) => event.type === 'VideoSendFailed')
      .map((event) => event.data);
    expect(failures).toEqual(
      [1, 2, 3].map((attempt) =>
        expect.objectContaining({ attempt, errorCode: 429, retryAfterSec: 70 }),
      ),
    );
    expect(events.filter((event) => event.type === 'VideoSendAttempted')).toHaveLength(4);
    expect(events.map((event) => event.type)).not.toContain('GenerationFailed');
    // Each upload came at least retry_after after the refused one (in the test's time scale).
    const uploads = emulator
      .calls('sendVideo')
      .filter((call) => Number(call.params.chat_id) === 3201)
      .map((call) => call.at);
    expect(uploads).toHaveLength(4);
    for (let i = 1; i < uploads.length; i += 1)
      expect(uploads[i]! - uploads[i - 1]!).toBeGreaterThanOrEqual(70_000 * scale - 5);
    const told = emulator
      .calls('editMessageText')
      .filter(
        (call) =>
          Number(call.params.chat_id) === 3201 &&
          String(call.params.text).includes('Telegram asked me to wait 70 s'),
      );
    expect(told.length).toBeGreaterThanOrEqual(1);
    expect(videosOf(user)).toHaveLength(1);
    await expectSpentOnce(3201);
  }, 300_000);

  it('retry_after beyond the ceiling: delivery given up, no refund, the user gets the link and finds the video in My videos', async () => {
    const user = await order(3202, 'Gus');
    emulator.injectFault('sendVideo', { kind: 'flood', retryAfter: 1000 });
    const notice = await user.waitFor('Telegram would not let me send it here', {
      timeoutMs: 240_000,
      since: 'last-action',
    });
    expect(notice.entities.find((entity) => entity.type === 'text_link')?.url).toMatch(/^http/);
    const events = await generationEvents(service!.store, 3202);
    expect(events.map((event) => event.type).slice(-3)).toEqual([
      'VideoSendAttempted',
      'VideoSendFailed',
      'VideoDeliveryAbandoned',
    ]);
    expect(videosOf(user)).toEqual([]);
    await expectSpentOnce(3202);

    await user.sendCommand('/history');
    const history = await user.waitFor('My videos', { timeoutMs: 20_000 });
    expect(history.text).toContain('done: 1');
    expect(history.text).toContain('not sent by Telegram, download it below');
    await user.pressButton('⬇️ 1');
    await user.waitFor('Download the video', { timeoutMs: 20_000 });
  }, 300_000);

  it('Telegram stored the video but the answer was lost: no second upload, the user has the video and the link', async () => {
    const user = await order(3203, 'Hal');
    emulator.injectFault('sendVideo', { kind: 'lose-answer' });
    await user.waitFor("if it didn't arrive above", { timeoutMs: 240_000, since: 'last-action' });
    await until(
      async () =>
        (await generationEvents(service!.store, 3203)).some(
          (event) => event.type === 'VideoDelivered',
        ),
      'VideoDelivered',
    );
    // Give a duplicate the time to show up, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(videosOf(user)).toHaveLength(1);
    expect(
      emulator.calls('sendVideo').filter((call) => Number(call.params.chat_id) === 3203),
    ).toHaveLength(1);
    const events = await generationEvents(service!.store, 3203);
    expect(events.at(-1)).toMatchObject({ type: 'VideoDelivered', data: { via: 'link' } });
    await expectSpentOnce(3203);
  }, 300_000);
});
