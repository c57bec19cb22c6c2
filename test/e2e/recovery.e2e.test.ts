import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/app/service.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { awaitVideo, placeTalkingHeadOrder } from '../../src/dev/demo/scripted-user.js';
import { startTelegramEmulator, type TelegramEmulator } from '../../src/dev/telegram-emulator/index.js';
import type { EventStore } from '../../src/event-store/event-store.js';
import { creditAudit } from '../../src/queries/credit-audit.js';

/**
 * What users must be able to rely on when things go wrong, through the real service: speech over
 * the limit costs nothing, and a restart in the middle of a generation delivers the video once and
 * charges once.
 */
describe('recovery end to end (emulated Telegram, local providers)', () => {
  let dir: string;
  let emulator: TelegramEmulator;
  let config: Config;
  let service: RunningService | undefined;
  const token = '987654322:E2E-recovery-emulator-token-00000';
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ugc-e2e-recovery-'));
    emulator = await startTelegramEmulator({ token, fileDirectory: join(dir, 'tg') });
    config = loadConfig({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      DATA_DIR: join(dir, 'service'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    });
    service = await startService(config, log);
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function generationEvents(store: EventStore, userId: number): Promise<string[][]> {
    const requested = (await store.readStream(`user-${userId}`)).filter((event) => event.type === 'GenerationRequested');
    return Promise.all(
      requested.map(async (event) => (await store.readStream(`generation-${(event.data as { generationId: string }).generationId}`)).map((e) => e.type)),
    );
  }

  it('speech longer than 15 s: the user is told the length, nothing is rendered, the credit comes back', async () => {
    const user = emulator.user({ id: 3101, firstName: 'Lena', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
    const script = Array.from({ length: 7 }, () => 'Our bakery opens at seven every morning with warm bread, fresh croissants and strong coffee.').join(' ');
    await placeTalkingHeadOrder(user, script);
    const notice = await user.waitFor(/speech came out [\d.]+ s long; the limit is 15 s/, { timeoutMs: 120_000, since: 'last-action' });
    expect(notice.text).toMatch(/refunded/);
    const store = service!.store;
    expect(await generationEvents(store, 3101)).toEqual([['GenerationStarted', 'AudioRejected']]);
    const audit = await creditAudit(store, 3101);
    expect(audit.entries.map((entry) => [entry.type, entry.delta])).toEqual([
      ['CreditsGranted', 10],
      ['CreditsSpent', -1],
      ['CreditsRefunded', 1],
    ]);
    expect(user.messages().filter((message) => message.media?.kind === 'video' && !(message.caption ?? '').includes('Example'))).toEqual([]);
  }, 240_000);

  it('a restart in the middle of a generation: the video arrives once and one credit is spent', async () => {
    const user = emulator.user({ id: 3102, firstName: 'Mark', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
    await placeTalkingHeadOrder(user, 'Handmade soap with lavender and honey, now in our shop.');

    // Stop as soon as the speech is recorded: the talking head is being rendered at that moment.
    const deadline = Date.now() + 120_000;
    while (!(await generationEvents(service!.store, 3102)).flat().includes('AudioSynthesized')) {
      if (Date.now() > deadline) throw new Error('the speech stage never finished');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await service!.stop();
    service = undefined;
    service = await startService(config, log);

    const video = await awaitVideo(user);
    expect(video.caption.toLowerCase()).toContain('lip-sync');
    // VideoDelivered is recorded just after the send returns.
    const recorded = Date.now() + 30_000;
    while (!(await generationEvents(service.store, 3102)).flat().includes('VideoDelivered') && Date.now() < recorded) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [events] = await generationEvents(service.store, 3102);
    expect(events?.filter((type) => type === 'AudioSynthesized')).toHaveLength(1);
    expect(events?.filter((type) => type === 'TalkingHeadGenerated')).toHaveLength(1);
    expect(events?.filter((type) => type === 'VideoDelivered')).toHaveLength(1);
    // Give a duplicate the time to show up, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(user.messages().filter((message) => message.media?.kind === 'video' && !(message.caption ?? '').includes('Example'))).toHaveLength(1);
    const audit = await creditAudit(service.store, 3102);
    expect(audit.entries.map((entry) => [entry.type, entry.delta])).toEqual([
      ['CreditsGranted', 10],
      ['CreditsSpent', -1],
    ]);
  }, 300_000);
});
