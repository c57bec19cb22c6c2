import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import { eventCatalog, type EventType } from '../../domain/events/catalog.js';
import type { Projection } from '../projection.js';
import { userIdOf, utcDay } from '../projected-event.js';
import type { ReadModelDatabase, UserStateTable, UsersTable } from '../../database/schema.js';

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
    // A burst of wizard clicks from many users lands in one batch, and each statement is a round
    // trip that costs the bot's process and PostgreSQL more than the row it writes. So the batch
    // is folded in memory first (later changes override earlier ones, as sequential statements
    // would) and written as at most five statements, however many users and events it holds.
    const registered: Insertable<UsersTable>[] = [];
    const stateChanges = new Map<number, Updateable<UserStateTable>>();
    const users = new UserChanges();
    for (const { event, recorded, at, actor } of events) {
      const userId = userIdOf(recorded);
      if (userId === undefined) continue;
      const state = (changes: Updateable<UserStateTable>) => {
        stateChanges.set(userId, { ...stateChanges.get(userId), ...changes, updated_at: at });
      };
      switch (event.type) {
        case 'UserRegistered':
          registered.push({
            telegram_id: userId,
            username: event.data.username,
            first_name: event.data.firstName,
            language: event.data.language,
            registered_at: at,
            last_activity_at: at,
          });
          break;
        case 'LanguageChanged':
          users.language(userId, event.data.language);
          break;
        case 'InputAwaited':
          state({ awaited_input: event.data.input });
          break;
        case 'FormatSelected':
          state(
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
          state({
            background_video_key: event.data.storageKey,
            background_video_duration_sec: event.data.durationSec,
          });
          break;
        case 'OverlayShapeSelected':
          state({ overlay_shape: event.data.shape });
          break;
        case 'CharacterGenderChosen':
          state({ character_gender: event.data.gender, ...clearedCharacter });
          break;
        case 'CharacterSelected':
          state({
            ...clearedCharacter,
            character_gender: event.data.gender,
            character_id: event.data.characterId,
            character_age: event.data.age,
            original_character_key: event.data.imageKey,
          });
          break;
        case 'CharacterEdited':
          state({
            edited_character_key: event.data.imageKey,
            edit_iteration_count: event.data.iteration,
          });
          break;
        case 'CharacterEditReverted':
          state({ edited_character_key: null });
          break;
        case 'VoiceSelected':
          state({ voice_id: event.data.voiceId });
          break;
        case 'ScriptWritten':
          state({ character_text: event.data.text });
          break;
        case 'GenerationRequested':
          state({ character_text: null });
          users.generationRequested(userId);
          break;
        default:
          break;
      }
      // Activity is what the user did, not what an admin or the system did to their account.
      if (actor.kind === 'user') users.active(userId, at);
    }
    if (registered.length > 0) {
      await trx.insertInto('users').values(registered).execute();
      await trx
        .insertInto('user_state')
        .values(
          registered.map((user) => ({ user_id: user.telegram_id, updated_at: user.registered_at })),
        )
        .execute();
    }
    await users.write(trx);
    await writeStateChanges(trx, stateChanges);
    await users.writeActivity(trx);
  },
};

/**
 * Every user's draft changes of a batch in one UPDATE. Users change different columns, so each
 * row travels as a JSON object of just its changes: a column takes the object's value when the
 * object names it (null included) and keeps its own otherwise; `jsonb_populate_record` gives each
 * value its column's type.
 */
async function writeStateChanges(
  trx: Transaction<ReadModelDatabase>,
  changes: ReadonlyMap<number, Updateable<UserStateTable>>,
): Promise<void> {
  if (changes.size === 0) return;
  const columns = new Set<string>();
  const rows = [...changes].map(([userId, change]) => {
    for (const column of Object.keys(change)) columns.add(column);
    return { ...change, user_id: String(userId) };
  });
  const assignments = [...columns].map(
    (column) =>
      sql`${sql.id(column)} = CASE WHEN v.doc ? ${column} THEN r.${sql.id(column)} ELSE s.${sql.id(column)} END`,
  );
  await sql`UPDATE user_state AS s SET ${sql.join(assignments)}
    FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) AS v(doc)
    CROSS JOIN LATERAL jsonb_populate_record(NULL::user_state, v.doc) AS r
    WHERE s.user_id = r.user_id`.execute(trx);
}

/**
 * What a batch changes in `users` (language, generations requested, last activity) and in
 * `user_activity` (events per user and day), summed so each table gets one statement.
 */
class UserChanges {
  private readonly rows = new Map<
    number,
    { language: string | null; requested: number; lastAt: Date | null }
  >();
  private readonly days = new Map<
    string,
    { userId: number; day: string; events: number; firstAt: Date; lastAt: Date }
  >();

  language(userId: number, language: string): void {
    this.row(userId).language = language;
  }

  generationRequested(userId: number): void {
    this.row(userId).requested += 1;
  }

  active(userId: number, at: Date): void {
    const row = this.row(userId);
    if (!row.lastAt || at > row.lastAt) row.lastAt = at;
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
    if (this.rows.size === 0) return;
    const values = [...this.rows].map(
      ([userId, row]) =>
        sql`(${String(userId)}::bigint, ${row.language}::text, ${row.requested}::int, ${row.lastAt?.toISOString() ?? null}::timestamptz)`,
    );
    // GREATEST (which skips a NULL) keeps the result independent of how events were cut into
    // batches (live or rebuild).
    await sql`UPDATE users AS u SET
        language = COALESCE(v.language, u.language),
        generations_requested = u.generations_requested + v.requested,
        last_activity_at = GREATEST(u.last_activity_at, v.at)
      FROM (VALUES ${sql.join(values)}) AS v(id, language, requested, at)
      WHERE u.telegram_id = v.id`.execute(trx);
  }

  async writeActivity(trx: Transaction<ReadModelDatabase>): Promise<void> {
    if (this.days.size === 0) return;
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

  private row(userId: number) {
    let row = this.rows.get(userId);
    if (!row) {
      row = { language: null, requested: 0, lastAt: null };
      this.rows.set(userId, row);
    }
    return row;
  }
}
