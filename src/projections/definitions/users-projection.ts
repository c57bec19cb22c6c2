import { sql, type Transaction, type Updateable } from 'kysely';
import { eventCatalog, type EventType } from '../../domain/events/catalog.js';
import type { Projection } from '../projection.js';
import { userIdOf, utcDay } from '../projected-event.js';
import type { ReadModelDatabase, UserStateTable } from '../read-models/database.js';

const userEventTypes = (Object.keys(eventCatalog) as EventType[]).filter((type) => eventCatalog[type].stream === 'user');

const clearedCharacter = {
  character_id: null,
  character_age: null,
  original_character_key: null,
  edited_character_key: null,
  edit_iteration_count: 0,
} as const;

/** `users`, `user_state` (the wizard as the seed stored it) and `user_activity` (one row a day). */
export const usersProjection: Projection = {
  name: 'users',
  tables: ['users', 'user_state', 'user_activity'],
  // Every user-stream event counts as activity, so the projection reads them all.
  eventTypes: userEventTypes,
  async apply(trx, events) {
    for (const { event, recorded, at, actor } of events) {
      const userId = userIdOf(recorded);
      if (userId === undefined) continue;
      const state = (changes: Updateable<UserStateTable>) => updateState(trx, userId, { ...changes, updated_at: at });
      switch (event.type) {
        case 'UserRegistered':
          await trx
            .insertInto('users')
            .values({
              telegram_id: userId,
              username: event.data.username,
              first_name: event.data.firstName,
              language: event.data.language,
              registered_at: at,
              last_activity_at: at,
            })
            .execute();
          await trx.insertInto('user_state').values({ user_id: userId, updated_at: at }).execute();
          break;
        case 'LanguageChanged':
          await trx.updateTable('users').set({ language: event.data.language }).where('telegram_id', '=', String(userId)).execute();
          break;
        case 'InputAwaited':
          await state({ awaited_input: event.data.input });
          break;
        case 'FormatSelected':
          await state(
            event.data.format === 'talking_head'
              ? { video_format: event.data.format, background_video_key: null, background_video_duration_sec: null }
              : { video_format: event.data.format },
          );
          break;
        case 'BackgroundVideoUploaded':
          await state({ background_video_key: event.data.storageKey, background_video_duration_sec: event.data.durationSec });
          break;
        case 'OverlayShapeSelected':
          await state({ overlay_shape: event.data.shape });
          break;
        case 'CharacterGenderChosen':
          await state({ character_gender: event.data.gender, ...clearedCharacter });
          break;
        case 'CharacterSelected':
          await state({
            ...clearedCharacter,
            character_gender: event.data.gender,
            character_id: event.data.characterId,
            character_age: event.data.age,
            original_character_key: event.data.imageKey,
          });
          break;
        case 'CharacterEdited':
          await state({ edited_character_key: event.data.imageKey, edit_iteration_count: event.data.iteration });
          break;
        case 'CharacterEditReverted':
          await state({ edited_character_key: null });
          break;
        case 'VoiceSelected':
          await state({ voice_id: event.data.voiceId });
          break;
        case 'ScriptWritten':
          await state({ character_text: event.data.text });
          break;
        case 'GenerationRequested':
          await state({ character_text: null });
          await trx
            .updateTable('users')
            .set({ generations_requested: sql`generations_requested + 1` })
            .where('telegram_id', '=', String(userId))
            .execute();
          break;
        default:
          break;
      }
      // Activity is what the user did, not what an admin or the system did to their account.
      if (actor.kind === 'user') {
        await trx.updateTable('users').set({ last_activity_at: at }).where('telegram_id', '=', String(userId)).execute();
        await trx
          .insertInto('user_activity')
          .values({ user_id: userId, activity_date: utcDay(at), events: 1, first_at: at, last_at: at })
          .onConflict((conflict) =>
            conflict.columns(['user_id', 'activity_date']).doUpdateSet({ events: sql`user_activity.events + 1`, last_at: at }),
          )
          .execute();
      }
    }
  },
};

async function updateState(trx: Transaction<ReadModelDatabase>, userId: number, changes: Updateable<UserStateTable>): Promise<void> {
  await trx.updateTable('user_state').set(changes).where('user_id', '=', String(userId)).execute();
}
