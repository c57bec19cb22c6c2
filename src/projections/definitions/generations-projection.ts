import { sql, type Transaction, type Updateable } from 'kysely';
import type { Projection } from '../projection.js';
import { generationIdOf, userIdOf } from '../projected-event.js';
import type { GenerationHistoryTable, ReadModelDatabase } from '../../database/schema.js';

/**
 * `generation_history` (one row per generation, its status and per-stage timings) and `assets`
 * (every file a user or a generation produced, for history, links and cleanup).
 */
export const generationsProjection: Projection = {
  name: 'generations',
  tables: ['generation_history', 'assets'],
  eventTypes: [
    'GenerationRequested',
    'CreditsRefunded',
    'BackgroundVideoUploaded',
    'CharacterEdited',
    'AudioSynthesized',
    'AudioRejected',
    'TalkingHeadRequested',
    'TalkingHeadGenerated',
    'OverlayRendered',
    'SubtitlesBurned',
    'GenerationCompleted',
    'GenerationFailed',
    'VideoDelivered',
    'VideoSendAttempted',
    'VideoSendFailed',
    'VideoDeliveryAbandoned',
  ],
  async apply(trx, events) {
    for (const { event, recorded, at } of events) {
      const generationId = generationIdOf(recorded);
      const update = (changes: Updateable<GenerationHistoryTable>) =>
        generationId
          ? updateGeneration(trx, generationId, { ...changes, updated_at: at })
          : Promise.resolve();
      switch (event.type) {
        case 'GenerationRequested': {
          const userId = userIdOf(recorded);
          if (userId === undefined) break;
          const d = event.data;
          await trx
            .insertInto('generation_history')
            .values({
              generation_id: d.generationId,
              user_id: userId,
              generation_type: d.format,
              status: 'requested',
              character_id: d.characterId,
              character_gender: d.characterGender,
              character_age: d.characterAge,
              voice_id: d.voiceId,
              overlay_shape: d.overlayShape,
              text_prompt: d.script,
              credits_spent: d.cost,
              image_key: d.characterImageKey,
              created_at: at,
              updated_at: at,
            })
            .execute();
          break;
        }
        case 'CreditsRefunded':
          if (event.data.generationId) {
            await trx
              .updateTable('generation_history')
              .set({
                credits_refunded: sql`credits_refunded + ${event.data.amount}`,
                updated_at: at,
              })
              .where('generation_id', '=', event.data.generationId)
              .execute();
          }
          break;
        case 'BackgroundVideoUploaded': {
          const userId = userIdOf(recorded);
          if (userId === undefined) break;
          const d = event.data;
          await addAsset(trx, {
            id: d.assetId,
            userId,
            type: 'background_video',
            key: d.storageKey,
            size: d.sizeBytes,
            generationId: null,
            meta: {
              durationSec: d.durationSec,
              width: d.width,
              height: d.height,
              mimeType: d.mimeType,
            },
            at,
          });
          break;
        }
        case 'CharacterEdited': {
          const userId = userIdOf(recorded);
          if (userId === undefined) break;
          await addAsset(trx, {
            id: `edit:${event.data.editId}`,
            userId,
            type: 'character_edit',
            key: event.data.imageKey,
            size: null,
            generationId: null,
            meta: { iteration: event.data.iteration, provider: event.data.provider },
            at,
          });
          break;
        }
        case 'AudioSynthesized':
          await update({
            status: 'audio_ready',
            audio_key: event.data.audioKey,
            audio_duration_sec: event.data.durationSec,
            timings_ms: mergeJson('timings_ms', { tts: event.data.elapsedMs }),
            providers: mergeJson('providers', { tts: event.data.provider }),
          });
          if (generationId)
            await addGenerationAsset(
              trx,
              generationId,
              'audio',
              event.data.audioKey,
              { durationSec: event.data.durationSec },
              at,
            );
          break;
        case 'AudioRejected':
          await update({
            status: 'audio_rejected',
            audio_duration_sec: event.data.durationSec,
            failure_stage: 'tts',
            failure_reason: `speech is ${event.data.durationSec.toFixed(1)} s, the limit is ${event.data.maxDurationSec} s`,
          });
          break;
        case 'TalkingHeadRequested':
          await update({
            status: 'video_pending',
            providers: mergeJson('providers', { video: event.data.provider }),
          });
          break;
        case 'TalkingHeadGenerated':
          await update({
            status: 'video_ready',
            timings_ms: mergeJson('timings_ms', { video: event.data.elapsedMs }),
            providers: mergeJson('providers', { video: event.data.provider }),
            cost_usd: event.data.costUsd,
          });
          if (generationId)
            await addGenerationAsset(
              trx,
              generationId,
              'talking_head',
              event.data.videoKey,
              { lipSync: event.data.lipSync },
              at,
            );
          break;
        case 'OverlayRendered':
          await update({
            status: 'overlay_ready',
            timings_ms: mergeJson('timings_ms', { overlay: event.data.elapsedMs }),
            providers: mergeJson('providers', { overlay: event.data.provider }),
          });
          break;
        case 'SubtitlesBurned':
          await update({
            status: 'subtitled',
            timings_ms: mergeJson('timings_ms', { render: event.data.elapsedMs }),
            providers: mergeJson('providers', { render: event.data.provider }),
          });
          break;
        case 'GenerationCompleted': {
          const d = event.data;
          await update({
            status: 'completed',
            video_key: d.videoKey,
            video_duration_sec: d.durationSec,
            width: d.width,
            height: d.height,
            timings_ms: mergeJson('timings_ms', d.timings),
            providers: mergeJson('providers', d.providers),
            cost_usd: d.costUsd,
            completed_at: at,
          });
          if (generationId)
            await addGenerationAsset(
              trx,
              generationId,
              'final_video',
              d.videoKey,
              { durationSec: d.durationSec, width: d.width, height: d.height },
              at,
            );
          break;
        }
        case 'GenerationFailed':
          await update({
            status: 'failed',
            failure_stage: event.data.stage,
            failure_reason: event.data.reason,
          });
          break;
        case 'VideoDelivered':
          await update({
            delivered_at: at,
            delivery_status: event.data.via ?? 'video',
            telegram_file_id: event.data.fileId ?? null,
          });
          break;
        case 'VideoSendAttempted':
          // Folded as a maximum, so a batch cut anywhere or a replay ends the same.
          await update({
            send_attempts: sql<number>`GREATEST(send_attempts, ${event.data.attempt})`,
          });
          break;
        case 'VideoSendFailed':
          await update({ delivery_note: event.data.reason });
          break;
        case 'VideoDeliveryAbandoned':
          // The status stays `completed`: the video exists and "My videos" offers it.
          await update({ delivery_status: 'abandoned', delivery_note: event.data.reason });
          break;
        default:
          break;
      }
    }
  },
};

function mergeJson(column: 'timings_ms' | 'providers', value: Record<string, unknown>) {
  return sql<string>`${sql.ref(column)} || ${JSON.stringify(value)}::jsonb`;
}

async function updateGeneration(
  trx: Transaction<ReadModelDatabase>,
  generationId: string,
  changes: Updateable<GenerationHistoryTable>,
): Promise<void> {
  await trx
    .updateTable('generation_history')
    .set(changes)
    .where('generation_id', '=', generationId)
    .execute();
}

interface AssetRow {
  id: string;
  userId: number | string;
  type: string;
  key: string;
  size: number | null;
  generationId: string | null;
  meta: Record<string, unknown>;
  at: Date;
}

async function addAsset(trx: Transaction<ReadModelDatabase>, asset: AssetRow): Promise<void> {
  await trx
    .insertInto('assets')
    .values({
      id: asset.id,
      user_id: asset.userId,
      type: asset.type,
      storage_key: asset.key,
      file_size: asset.size,
      generation_id: asset.generationId,
      meta_json: JSON.stringify(asset.meta),
      created_at: asset.at,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
}

async function addGenerationAsset(
  trx: Transaction<ReadModelDatabase>,
  generationId: string,
  type: string,
  key: string,
  meta: Record<string, unknown>,
  at: Date,
): Promise<void> {
  const owner = await trx
    .selectFrom('generation_history')
    .select('user_id')
    .where('generation_id', '=', generationId)
    .executeTakeFirst();
  if (!owner) return;
  await addAsset(trx, {
    id: `${generationId}:${type}`,
    userId: owner.user_id,
    type,
    key,
    size: null,
    generationId,
    meta,
    at,
  });
}
