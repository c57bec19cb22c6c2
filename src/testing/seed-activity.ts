import { randomUUID } from 'node:crypto';
import { GenerationCommands } from '../commands/generation-commands.js';
import { UserCommands } from '../commands/user-commands.js';
import type { GenerationCommand } from '../domain/generation/commands.js';
import { startGenerationFrom } from '../domain/generation/commands.js';
import type { Actor } from '../domain/events/metadata.js';
import type { UserCommand } from '../domain/user/commands.js';
import type { EventStore } from '../ports/event-store/event-store.js';

/** A small deterministic PRNG, so a failing seed can be replayed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * Writes a realistic mix of activity through the real command handlers: registrations, wizard
 * steps, grants and revokes, generations that complete, fail (and get refunded) or are rejected
 * for long audio, across several days. Used by projection fault and rebuild tests.
 */
export async function seedActivity(
  store: EventStore,
  options: { users: number; seed: number; startDay?: string },
): Promise<void> {
  const random = prng(options.seed);
  const start = new Date(`${options.startDay ?? '2026-11-20'}T08:00:00Z`).getTime();
  for (let u = 0; u < options.users; u += 1) {
    const telegramId = 500_000 + options.seed * 1000 + u;
    const actor = { kind: 'user' as const, id: String(telegramId) };
    let clock = start + Math.floor(random() * 4) * 86_400_000 + u * 60_000;
    const at = () => new Date((clock += 30_000));
    const run = async (command: UserCommand, who: Actor = actor) => {
      const handler = new UserCommands({ store, now: at });
      return handler.execute(telegramId, command, { commandId: randomUUID(), actor: who });
    };
    await run({
      type: 'RegisterUser',
      telegramId,
      username: `user${u}`,
      firstName: `User ${u}`,
      language: u % 2 ? 'ru' : 'en',
      welcomeCredits: 3,
      grantId: `welcome-${telegramId}`,
    });
    const format = random() < 0.5 ? 'talking_head' : 'background';
    await run({ type: 'SelectFormat', format });
    if (format === 'background') {
      await run({
        type: 'UploadBackgroundVideo',
        assetId: randomUUID(),
        storageKey: `uploads/${telegramId}/bg.mp4`,
        durationSec: 9.5,
        sizeBytes: 2_000_000,
        width: 1080,
        height: 1920,
        mimeType: 'video/mp4',
        maxDurationSec: 15,
        maxSizeBytes: 20_000_000,
      });
      await run({ type: 'SelectOverlayShape', shape: random() < 0.5 ? 'circle' : 'rounded_rect' });
    }
    await run({ type: 'ChooseCharacterGender', gender: random() < 0.5 ? 'male' : 'female' });
    await run({
      type: 'SelectCharacter',
      characterId: `c-${u % 5}`,
      gender: 'female',
      age: ['young', 'adult', 'senior'][u % 3]!,
      imageKey: `catalog/c-${u % 5}.png`,
    });
    await run({ type: 'SelectVoice', voiceId: 'en-f', provider: 'espeak-ng' });
    if (random() < 0.3)
      await run(
        { type: 'GrantCredits', amount: 5, reason: 'promo', grantId: randomUUID() },
        { kind: 'admin', id: '1' },
      );
    const attempts = 1 + Math.floor(random() * 3);
    for (let g = 0; g < attempts; g += 1) {
      await run({ type: 'WriteScript', text: `Try our product, number ${g}!`, maxLength: 1000 });
      const generationId = randomUUID();
      const requested = await run({ type: 'RequestGeneration', generationId, cost: 1 });
      if (!requested.ok) continue;
      const request = requested.events.find((event) => event.type === 'GenerationRequested');
      if (!request || request.type !== 'GenerationRequested') continue;
      const system = { kind: 'system' as const, id: 'pipeline' };
      const step = async (command: GenerationCommand) => {
        const handler = new GenerationCommands({ store, now: at });
        const outcome = await handler.execute(generationId, command, {
          commandId: randomUUID(),
          actor: system,
          correlationId: generationId,
        });
        if (!outcome.ok)
          throw new Error(`seed: ${command.type} rejected: ${outcome.rejection.code}`);
      };
      await step(startGenerationFrom(telegramId, request.data, at().toISOString()));
      const outcome = random();
      const long = outcome < 0.15;
      await step({
        type: 'RecordAudio',
        audioKey: `gen/${generationId}/speech.wav`,
        durationSec: long ? 17 : 6 + random() * 6,
        maxDurationSec: 15,
        provider: 'espeak-ng',
        elapsedMs: 40 + Math.floor(random() * 100),
        words: [{ word: 'Try', start: 0, end: 0.4 }],
      });
      if (long) {
        await run(
          { type: 'RefundCredits', spendId: generationId, reason: 'audio too long' },
          system,
        );
        continue;
      }
      await step({
        type: 'RecordTalkingHeadRequest',
        provider: 'local-portrait',
        requestId: `local-${generationId}`,
      });
      if (outcome < 0.3) {
        await step({
          type: 'FailGeneration',
          stage: 'video',
          reason: 'renderer crashed',
          retryable: false,
        });
        await run(
          { type: 'RefundCredits', spendId: generationId, reason: 'generation failed' },
          system,
        );
        continue;
      }
      await step({
        type: 'RecordTalkingHead',
        videoKey: `gen/${generationId}/head.mp4`,
        durationSec: 8,
        provider: 'local-portrait',
        elapsedMs: 2000 + Math.floor(random() * 3000),
        lipSync: false,
        costUsd: null,
      });
      if (format === 'background') {
        await step({
          type: 'RecordOverlay',
          videoKey: `gen/${generationId}/overlay.mp4`,
          provider: 'local-ffmpeg',
          elapsedMs: 3000 + Math.floor(random() * 2000),
        });
        await step({
          type: 'RecordSubtitles',
          videoKey: `gen/${generationId}/final.mp4`,
          provider: 'local-ffmpeg',
          elapsedMs: 500 + Math.floor(random() * 500),
        });
      }
      await step({
        type: 'CompleteGeneration',
        videoKey: `gen/${generationId}/final.mp4`,
        durationSec: 8,
        width: 1080,
        height: 1920,
      });
      await step({ type: 'MarkDelivered', chatId: telegramId, messageId: 100 + g });
    }
    if (random() < 0.4)
      await run(
        { type: 'RevokeCredits', amount: 1, reason: 'abuse', revokeId: randomUUID() },
        { kind: 'admin', id: '1' },
      );
    // Every fourth user buys a Stars pack, every eighth has it refunded (no draw from `random`, so
    // the rest of the data stays what it was for a seed).
    if (u % 4 === 1) {
      const orderId = `o-${telegramId}`;
      await run({ type: 'IssueStarsInvoice', orderId, packId: '10', credits: 10, stars: 50 });
      await run({
        type: 'ReceiveStarsPayment',
        chargeId: `charge-${telegramId}`,
        orderId,
        currency: 'XTR',
        totalAmount: 50,
      });
      if (u % 8 === 1) {
        await run(
          {
            type: 'RefundStarsPayment',
            chargeId: `charge-${telegramId}`,
            refundedBy: { kind: 'admin', adminId: 1 },
          },
          { kind: 'admin', id: '1' },
        );
      }
    }
  }
}

/**
 * Waits until the visible head of `$all` stops moving: appends become visible only once older
 * transactions (the store's own notifications included) have ended.
 */
export async function settledHead(
  store: EventStore,
): Promise<Awaited<ReturnType<EventStore['headPosition']>>> {
  let previous = await store.headPosition();
  for (let i = 0; i < 100; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const current = await store.headPosition();
    if (current.commit === previous.commit && current.prepare === previous.prepare) return current;
    previous = current;
  }
  return previous;
}
