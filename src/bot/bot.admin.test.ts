import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventIdFor } from '../commands/event-ids.js';
import { generationStream } from '../domain/events/streams.js';
import { ADMIN_CHAT_ID, ADMIN_ID, BotWorld } from '../testing/bot/bot-world.js';

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open({ adminRate: { capacity: 20, refillPerSec: 1 } });
});

afterAll(async () => {
  await world?.close();
});

async function registered(id: number, languageCode = 'en') {
  const user = world.user({ id, firstName: `User${id}`, username: `user${id}`, languageCode });
  await user.sendCommand('/start');
  await user.waitFor('UGC Studio');
  return user;
}

describe('admin', () => {
  it('grant and revoke name the admin as actor; the user hears about it; audit reads the event log', async () => {
    const user = await registered(5001, 'ru');
    const admin = world.admin();
    await admin.sendCommand('/grant', '5001 5 <b>promo</b> & thanks');
    await admin.waitFor('Granted 5 to 5001. Balance: 15.');
    const notice = await user.waitFor('🎁 Вам начислено');
    expect(notice.text).toContain('(<b>promo</b> & thanks)');

    await admin.sendCommand('/revoke', '5001 3 mistake');
    await admin.waitFor('Revoked 3 from 5001. Balance: 12.');
    await admin.sendCommand('/revoke', '5001 100 too much');
    await admin.waitFor('The user has only 12 credits.');
    await admin.sendCommand('/grant', '5001 -4 nope');
    await admin.waitFor('The amount must be a positive whole number.');
    await admin.sendCommand('/grant', '5001 4');
    await admin.waitFor('Please give a reason.');
    await admin.sendCommand('/grant', '777777 4 ghost');
    await admin.waitFor('User 777777 has not started the bot.');
    await admin.sendCommand('/grant', 'oops');
    await admin.waitFor('Usage: /grant <user id> <amount> <reason>');

    const credits = (await world.events(5001)).filter((event) => event.type.startsWith('Credits'));
    expect(
      credits.map((event) => [
        event.type,
        event.data.amount,
        (event.metadata.actor as { kind: string; id: string }).kind,
      ]),
    ).toEqual([
      ['CreditsGranted', 10, 'user'],
      ['CreditsGranted', 5, 'admin'],
      ['CreditsRevoked', 3, 'admin'],
    ]);
    expect((credits[1]?.metadata.actor as { id: string }).id).toBe(String(ADMIN_ID));

    await admin.sendCommand('/audit', '5001');
    const header = await admin.waitFor('Credit audit');
    expect(header.text).toContain(
      'Balance: 12 · granted 15 · spent 0 · refunded 0 · revoked 3 · 3 operations',
    );
    const table = await admin.waitFor(
      (m) => (m.text ?? '').includes('pos') && m.messageId > header.messageId,
    );
    expect(table.entities.some((entity) => entity.type === 'pre')).toBe(true);
    const rows = (table.text ?? '').split('\n');
    expect(rows[0]).toMatch(/pos\s+│ type\s+│ delta │ bal │ reason\s+│ actor\s+│ time \(UTC\)/);
    expect(rows[2]).toMatch(/│ grant\s+│\s+\+10 │\s+10 │ welcome\s+│ user:5001/);
    expect(rows[3]).toMatch(/│ grant\s+│\s+\+5 │\s+15 │ <b>promo<\/b> & thanks\s+│ admin:9000001/);
    expect(rows[4]).toMatch(/│ revoke\s+│\s+-3 │\s+12 │ mistake/);
  });

  it('/stats shows today and yesterday from daily_stats', async () => {
    await registered(5002);
    const admin = world.admin();
    await admin.sendCommand('/stats');
    const stats = await admin.waitFor('Today');
    expect(stats.text).toMatch(/users: new \d+, active \d+/);
    expect(stats.text).toContain('Yesterday');
    const newUsers = Number(/users: new (\d+)/.exec(stats.text ?? '')?.[1]);
    expect(newUsers).toBeGreaterThanOrEqual(2);
  });

  it('admin commands work in the admin chat and are rate limited per admin', async () => {
    await registered(5003);
    const admin = world.admin();
    await admin.sendInGroup('/grant 5003 1 from the admin chat', { chatId: ADMIN_CHAT_ID });
    await admin.waitFor('Granted 1 to 5003', { chatId: ADMIN_CHAT_ID });

    const limited = await BotWorld.open({ adminRate: { capacity: 2, refillPerSec: 0.01 } });
    try {
      await limited.user({ id: 5004, languageCode: 'en' }).sendCommand('/start');
      const boss = limited.admin();
      for (let i = 0; i < 3; i += 1) await boss.sendCommand('/audit', '5004');
      await boss.waitFor('Too many admin commands');
      await limited.settle();
      expect(
        boss.botMessages().filter((m) => (m.text ?? '').startsWith('Credit audit')),
      ).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });
});

describe('feedback round trip', () => {
  it('user → admin chat → admin reply to the message → user; events name the admin', async () => {
    const user = await registered(5101, 'ru');
    await user.pressCallbackData('v1|n|fb');
    await user.waitFor('Напишите сообщение для команды');
    await user.sendText('Где мои видео?');
    await user.waitFor('Спасибо!');
    const forwarded = await world
      .admin()
      .waitFor('Где мои видео?', { chatId: ADMIN_CHAT_ID, since: 'any' });
    expect(forwarded.text).toContain('id 5101');
    expect(forwarded.inlineKeyboard?.flat().map((b) => b.text)).toEqual(['↩️ Ответить']);

    // An admin replies to the forwarded message in the admin group.
    await world.admin().sendRaw({
      message: {
        message_id: 99_001,
        date: Math.floor(Date.now() / 1000),
        chat: { id: ADMIN_CHAT_ID, type: 'group', title: 'UGC admins' },
        from: world.admin().user,
        text: 'Уже в «Мои видео» <b>:)</b>',
        reply_to_message: forwarded.raw,
      },
    } as never);
    const answer = await user.waitFor('Ответ команды');
    expect(answer.text).toContain('Уже в «Мои видео» <b>:)</b>');
    await world.admin().waitFor('Answer delivered to 5101', { chatId: ADMIN_CHAT_ID });

    const events = await world.events(5101);
    const answered = events.find((event) => event.type === 'FeedbackAnswered');
    expect(answered?.data).toMatchObject({
      adminId: ADMIN_ID,
      text: 'Уже в «Мои видео» <b>:)</b>',
    });
    expect(answered?.metadata.actor).toEqual({ kind: 'admin', id: String(ADMIN_ID) });

    // A second answer to the same feedback is refused.
    await world.admin().sendInGroup('/reply 5101 again', { chatId: ADMIN_CHAT_ID });
    await world.admin().waitFor('has no unanswered feedback', { chatId: ADMIN_CHAT_ID });
  });

  it('/reply <user> <text> answers the latest open feedback; the Reply button asks for a reply', async () => {
    const user = await registered(5102);
    await user.sendCommand('/feedback');
    await user.waitFor('Write your message');
    await user.sendText('Please add Spanish voices');
    await user.waitFor('Thank you');
    await world.admin().sendCommand('/reply', '5102 Noted, thanks!');
    await user.waitFor('Answer from the team:\n\nNoted, thanks!');
    await world.admin().waitFor('Answer delivered to 5102');
    expect(
      (await world.eventTypes(5102)).filter((type) => type === 'FeedbackAnswered'),
    ).toHaveLength(1);
  });
});

describe('credits and history', () => {
  it('credits screen lists operations; a top-up request reaches the admins', async () => {
    const user = await registered(5201);
    await user.sendCommand('/credits');
    const screen = await user.waitFor('Recent operations');
    expect(screen.text).toContain('Balance: 10');
    expect(screen.text).toMatch(/\+10 · granted · welcome · \d{4}-\d{2}-\d{2}/);
    await user.pressButton('💳 Request a top-up');
    await user.waitFor('How many credits');
    await user.pressButton('25');
    await user.waitFor('Request for 25 credits sent');
    const request = await world
      .admin()
      .waitFor('Запрос пополнения', { chatId: ADMIN_CHAT_ID, since: 'any' });
    expect(request.text).toContain('/grant 5201 25 top-up');
    expect(
      (await world.events(5201)).find((event) => event.type === 'TopUpRequested')?.data,
    ).toMatchObject({ amount: 25 });
  });

  it('insufficient credits: told plainly, with the Stars packs and a top-up button, nothing spent; a pack can be bought right there', async () => {
    const user = await registered(5202);
    await world.admin().sendCommand('/revoke', '5202 10 test');
    await world.admin().waitFor('Revoked 10 from 5202');
    await user.pressCallbackData('v1|f|t');
    await user.waitFor('Who should speak');
    await user.pressCallbackData('v1|g|m');
    await user.waitFor((m) => m.media?.kind === 'photo');
    await user.pressCallbackData('v1|c|m|1');
    await user.waitFor('Step 2b');
    await user.pressCallbackData('v1|vi|en-m-1');
    await user.waitFor('Step 4');
    await user.sendText('Hello there');
    await user.waitFor('Step 5');
    await user.pressButton('🎬 Generate (1 credit)');
    const refusal = await user.waitFor('Not enough credits');
    expect(refusal.inlineKeyboard?.flat().map((b) => b.text)).toEqual(
      expect.arrayContaining(['10 credits · 50 ⭐', '50 credits · 200 ⭐', '💳 Request a top-up']),
    );
    expect(await world.eventTypes(5202)).not.toContain('GenerationRequested');

    await user.pressButton('10 credits · 50 ⭐', { messageId: refusal.messageId });
    const invoice = await user.waitFor((message) => message.invoice !== undefined);
    expect((await user.payInvoice(invoice)).status).toBe('paid');
    await user.waitFor('Payment received: 50 ⭐. +10 credits, balance: 10.');
    expect(await world.eventTypes(5202)).not.toContain('GenerationRequested');
  });

  it('history: own generations only, stats, and an expiring link for a finished video', async () => {
    const user = await registered(5203);
    await user.pressCallbackData('v1|f|t');
    await user.waitFor('Who should speak');
    await user.pressCallbackData('v1|g|f');
    await user.waitFor((m) => m.media?.kind === 'photo');
    await user.pressCallbackData('v1|c|f|2');
    await user.waitFor('Step 2b');
    // An English voice for the English script (buttons name their voice; the gallery's order is the
    // user's).
    await user.pressCallbackData('v1|vi|en-f-1');
    await user.waitFor('Step 4');
    await user.sendText('Fresh bread every morning.');
    await user.waitFor('Step 5');
    await user.pressButton('🎬 Generate (1 credit)');
    await user.waitFor('in the queue');
    const generationId = String(
      (await world.events(5203)).find((event) => event.type === 'GenerationRequested')?.data
        .generationId,
    );

    // The pipeline's part, written straight to the log: the video is done.
    const videoKey = `generations/${generationId}/final.mp4`;
    await world.storage.put(videoKey, Buffer.from('mp4'), 'video/mp4');
    await world.store.appendToStream(generationStream(generationId), [
      {
        id: eventIdFor(`test-complete-${generationId}`, 0),
        type: 'GenerationCompleted',
        data: {
          videoKey,
          durationSec: 4,
          width: 1080,
          height: 1920,
          timings: { tts: 100 },
          providers: { tts: 'espeak-ng' },
          costUsd: null,
        },
        metadata: {
          commandId: `test-complete-${generationId}`,
          causationId: 'test',
          correlationId: generationId,
          actor: { kind: 'system', id: 'pipeline' },
          timestamp: new Date().toISOString(),
          schemaVersion: 1,
        },
      },
    ]);

    await user.sendCommand('/history');
    const history = await user.waitFor('My videos');
    expect(history.text).toContain('Total: 1 · done: 1 · failed: 0 · credits spent: 1');
    expect(history.text).toContain('Fresh bread every morning.');
    await user.pressButton('⬇️ 1');
    const link = await user.waitFor('Download the video');
    const url = link.entities.find((entity) => entity.type === 'text_link')?.url ?? '';
    expect(url).toMatch(
      new RegExp(
        `^https://files\\.example\\.test/generations/${generationId}/final\\.mp4\\?expires=\\d+&sig=`,
      ),
    );
    const expires = Number(/expires=(\d+)/.exec(url)?.[1]);
    expect(expires - Date.now() / 1000).toBeGreaterThan(23 * 3600);
    expect(expires - Date.now() / 1000).toBeLessThanOrEqual(24 * 3600 + 5);

    // Another user's history shows none of it.
    const other = await registered(5204);
    await other.sendCommand('/history');
    await other.waitFor('You have no videos yet');
    // The confirmation was turned into the progress message, and its id recorded with the request.
    const requestedEvent = (await world.events(5203)).find(
      (event) => event.type === 'GenerationRequested',
    );
    expect(requestedEvent?.data.progressMessage).toMatchObject({ chatId: 5203 });
  });
});
