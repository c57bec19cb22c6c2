import { sql, type Transaction, type Updateable } from 'kysely';
import { eventCatalog, type EventType } from '../../domain/events/catalog.js';
import type { Projection } from '../projection.js';
import { userIdOf, utcDay } from '../projected-event.js';
import type { ReadModelDatabase, UserStateTable } from '../../database/schema.js';

const userEventTypes = (Object.keys(eventCatalog) as EventType[]).filter(
  (type) => eventCatalog[type].stream === 'user',
);

const clearedCharacter = {
  character_id: null,
  character_age: null,
  original_character_key: null,
  edited_character_key: null,
  edit_iteration_count: 0,
} as const;

/** `users`, `user_state` (the wizard's current draft) and `user_activity` (one row a day). */
export const usersProjection: Projection = {
  name: 'users',
  tables: ['users', 'user_state', 'user_activity'],
  // Every user-stream event counts as activity, so the projection reads them all.
  eventTypes: userEventTypes,
  async apply(trx, events) {
    // A burst of wizard clicks from many users lands in one batch. Each user's wizard changes fold
    // into one UPDATE (later changes override earlier ones, as sequential updates would), and the
    // activity of the whole batch is two multi-row statements instead of two per event.
    const stateChanges = new Map<number, Updateable<UserStateTable>>();
    const activity = new Activity();
    for (const { event, recorded, at, actor } of events) {
      const userId = userIdOf(recorded);
      if (userId === undefined) continue;
      const state = async (changes: Updateable<UserStateTable>) => {
        stateChanges.set(userId, { ...stateChanges.get(userId), ...changes, updated_at: at });
      };
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
          await trx
            .updateTable('users')
            .set({ language: event.data.language })
            .where('telegram_id', '=', String(userId))
            .execute();
          break;
        case 'InputAwaited':
          await state({ awaited_input: event.data.input });
          break;
        case 'FormatSelected':
          await state(
            event.data.format === 'talking_head'
              ? {
                  video_format: event.data.format,
                  background_video_key: null,
                  background_video_duration_sec: null,
                }
              : { video_format: event.data.format },
          );
          break;
        case 'BackgroundVideoUploaded':
          await state({
            background_video_key: event.data.storageKey,
            background_video_duration_sec: event.data.durationSec,
          });
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
          await state({
            edited_character_key: event.data.imageKey,
            edit_iteration_count: event.data.iteration,
          });
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
      if (actor.kind === 'user') activity.add(userId, at);
    }
    for (const [userId, changes] of stateChanges) {
      await trx
        .updateTable('user_state')
        .set(changes)
        .where('user_id', '=', String(userId))
        .execute();
    }
    await activity.write(trx);
  },
};

/** Last activity per user and events per user and day, summed over a batch. */
class Activity {
  private readonly lastAt = new Map<number, Date>();
  private readonly days = new Map<
    string,
    { userId: number; day: string; events: number; firstAt: Date; lastAt: Date }
  >();

  add(userId: number, at: Date): void {
    const last = this.lastAt.get(userId);
    if (!last || at > last) this.lastAt.set(userId, at);
    const day = utcDay(at);
    const key = `${userId}|${day}`;
    const entry = this.days.get(key);
    if (!entry) this.days.set(key, { userId, day, events: 1, firstAt: at, lastAt: at });
    else {
      entry.events += 1;
      if (at < entry.firstAt) entry.firstAt = at;
      if (at > entry.lastAt) entry.lastAt = at;
    }
  }

  async write(trx: Transaction<ReadModelDatabase>): Promise<void> {
    if (this.lastAt.size === 0) return;
    // GREATEST keeps the result independent of how events were cut into batches (live or rebuild).
    const latest = [...this.lastAt].map(
      ([userId, at]) => sql`(${String(userId)}::bigint, ${at.toISOString()}::timestamptz)`,
    );
    await sql`UPDATE users AS u SET last_activity_at = GREATEST(u.last_activity_at, v.at)
      FROM (VALUES ${sql.join(latest)}) AS v(id, at) WHERE u.telegram_id = v.id`.execute(trx);
    await trx
      .insertInto('user_activity')
      .values(
        [...this.days.values()].map((d) => ({
          user_id: d.userId,
          activity_date: d.day,
          events: d.events,
          first_at: d.firstAt,
          last_at: d.lastAt,
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['user_id', 'activity_date']).doUpdateSet({
          events: sql`user_activity.events + excluded.events`,
          first_at: sql`LEAST(user_activity.first_at, excluded.first_at)`,
          last_at: sql`GREATEST(user_activity.last_at, excluded.last_at)`,
        }),
      )
      .execute();
  }
}
