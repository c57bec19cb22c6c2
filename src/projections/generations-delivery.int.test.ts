import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventIdFor } from '../commands/event-ids.js';
import type { JsonObject } from '../ports/event-store/event-store.js';
import { generationStream, userStream } from '../domain/events/streams.js';
import { openPgWorld, silentLogger, type PgWorld } from '../testing/pg-world.js';
import { skipWithoutPostgres } from '../testing/postgres.js';
import { ProjectionSet } from './projection-set.js';

const skip = await skipWithoutPostgres('generations projection, delivery outcome (PostgreSQL)');

type Raw = { readonly type: string; readonly data: JsonObject };

describe.skipIf(skip)('generations projection: how a finished video reached the user', () => {
  let world: PgWorld;
  let sequence = 0;

  const append = async (stream: string, events: readonly Raw[]) => {
    const commandId = `test-${(sequence += 1)}`;
    await world.store.appendToStream(
      stream,
      events.map((event, index) => ({
        id: eventIdFor(commandId, index),
        type: event.type,
        data: event.data,
        metadata: {
          commandId,
          causationId: commandId,
          correlationId: commandId,
          actor: { kind: 'system', id: 'test' },
          timestamp: new Date().toISOString(),
          schemaVersion: 1,
        },
      })),
    );
  };

  /** A generation up to GenerationCompleted, then the given delivery events. */
  const generation = async (userId: number, generationId: string, delivery: readonly Raw[]) => {
    await append(userStream(userId), [
      {
        type: 'GenerationRequested',
        data: {
          generationId,
          format: 'talking_head',
          characterId: 'c1',
          characterImageKey: 'catalog/c1.png',
          characterGender: 'female',
          characterAge: 'adult',
          voiceId: 'v1',
          voiceProvider: 'espeak-ng',
          script: 'Hello',
          speechText: 'Hello',
          backgroundVideoKey: null,
          overlayShape: null,
          cost: 1,
          progressMessage: { chatId: userId, messageId: 7 },
        },
      },
    ]);
    const at = new Date().toISOString();
    await append(generationStream(generationId), [
      {
        type: 'GenerationStarted',
        data: {
          generationId,
          userId,
          format: 'talking_head',
          characterImageKey: 'catalog/c1.png',
          voiceId: 'v1',
          voiceProvider: 'espeak-ng',
          speechText: 'Hello',
          backgroundVideoKey: null,
          overlayShape: null,
          cost: 1,
          requestedAt: at,
          progressMessage: { chatId: userId, messageId: 7 },
        },
      },
      {
        type: 'GenerationCompleted',
        data: {
          videoKey: `generations/${generationId}/final.mp4`,
          durationSec: 3,
          width: 1080,
          height: 1920,
          timings: {},
          providers: {},
          costUsd: null,
        },
      },
      ...delivery,
    ]);
  };

  beforeAll(async () => {
    world = await openPgWorld();
    const attempt = (n: number): Raw => ({
      type: 'VideoSendAttempted',
      data: { attempt: n, at: new Date().toISOString() },
    });
    const flood: Raw = {
      type: 'VideoSendFailed',
      data: {
        attempt: 1,
        errorCode: 429,
        reason: 'Telegram answered 429: Too Many Requests: retry after 70',
        retryAfterSec: 70,
      },
    };
    await generation(7001, 'g-video', [
      attempt(1),
      flood,
      attempt(2),
      {
        type: 'VideoDelivered',
        data: { chatId: 7001, messageId: 9, fileId: 'BAAC-1', via: 'video' },
      },
    ]);
    await generation(7001, 'g-link', [
      attempt(1),
      { type: 'VideoDelivered', data: { chatId: 7001, messageId: 10, via: 'link' } },
    ]);
    await generation(7001, 'g-abandoned', [
      attempt(1),
      {
        type: 'VideoDeliveryAbandoned',
        data: {
          reason: 'Telegram answered 403: Forbidden: bot was blocked by the user',
          errorCode: 403,
          attempts: 1,
        },
      },
    ]);
    // Written before send attempts were recorded: no delivery fields at all.
    await generation(7001, 'g-old', [
      { type: 'VideoDelivered', data: { chatId: 7001, messageId: 11 } },
    ]);
    await new ProjectionSet({
      store: world.store,
      readModels: world.readModels,
      log: silentLogger,
      batchSize: 3,
    }).catchUpOnce();
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('records the way, the file id and the attempts; an abandoned delivery stays completed and unrefunded', async () => {
    const rows = await world.readModels.db
      .selectFrom('generation_history')
      .select([
        'generation_id',
        'status',
        'delivery_status',
        'delivery_note',
        'telegram_file_id',
        'send_attempts',
        'credits_refunded',
        'video_key',
      ])
      .where('user_id', '=', '7001')
      .orderBy('generation_id')
      .execute();
    const byId = Object.fromEntries(rows.map((row) => [row.generation_id, row]));
    expect(byId['g-video']).toMatchObject({
      status: 'completed',
      delivery_status: 'video',
      telegram_file_id: 'BAAC-1',
      send_attempts: 2,
      delivery_note: expect.stringContaining('429'),
    });
    expect(byId['g-link']).toMatchObject({
      status: 'completed',
      delivery_status: 'link',
      telegram_file_id: null,
      send_attempts: 1,
    });
    expect(byId['g-abandoned']).toMatchObject({
      status: 'completed',
      delivery_status: 'abandoned',
      delivery_note: expect.stringContaining('blocked'),
      credits_refunded: 0,
      video_key: 'generations/g-abandoned/final.mp4',
    });
    expect(byId['g-old']).toMatchObject({
      status: 'completed',
      delivery_status: 'video',
      send_attempts: 0,
    });
  });
});
