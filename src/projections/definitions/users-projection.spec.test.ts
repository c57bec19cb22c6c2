import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDomainEvent } from '../../domain/events/catalog.js';
import { generationRequested, projectionSpec, userEvent } from '../../testing/projection-spec.js';
import { usersProjection } from './users-projection.js';

const registered = (telegramId: number, language: 'en' | 'ru' = 'en'): AnyDomainEvent => ({
  type: 'UserRegistered',
  data: { telegramId, username: `user${telegramId}`, firstName: 'Ann', language },
});

describe('users projection (PGlite)', () => {
  const spec = projectionSpec(usersProjection);
  beforeAll(spec.open);
  afterAll(spec.close);

  it('a registration adds the user, an empty wizard and a day of activity', () =>
    spec
      .given()
      .when(userEvent(7, registered(7), { at: '2026-04-01T08:00:00.000Z' }))
      .then({
        users: [
          {
            telegram_id: '7',
            username: 'user7',
            first_name: 'Ann',
            language: 'en',
            registered_at: new Date('2026-04-01T08:00:00.000Z'),
            last_activity_at: new Date('2026-04-01T08:00:00.000Z'),
            generations_requested: 0,
          },
        ],
        user_state: [
          {
            user_id: '7',
            video_format: null,
            character_id: null,
            voice_id: null,
            character_text: null,
            edit_iteration_count: 0,
          },
        ],
        user_activity: [{ user_id: '7', activity_date: '2026-04-01', events: 1 }],
      }));

  it('the wizard draft follows the choices, the last one winning', () =>
    spec
      .given(userEvent(7, registered(7)))
      .when(
        userEvent(7, { type: 'FormatSelected', data: { format: 'background' } }),
        userEvent(7, {
          type: 'BackgroundVideoUploaded',
          data: {
            assetId: 'bg-1',
            storageKey: 'uploads/7/bg.mp4',
            durationSec: 12.5,
            sizeBytes: 1000,
            width: 1080,
            height: 1920,
            mimeType: 'video/mp4',
          },
        }),
        userEvent(7, { type: 'OverlayShapeSelected', data: { shape: 'circle' } }),
        userEvent(7, { type: 'CharacterGenderChosen', data: { gender: 'male' } }),
        userEvent(7, {
          type: 'CharacterSelected',
          data: { characterId: 'max', gender: 'male', age: '30-40', imageKey: 'catalog/max.png' },
        }),
        userEvent(7, {
          type: 'CharacterEdited',
          data: { editId: 'e1', imageKey: 'edits/7/e1.png', iteration: 1, provider: 'fal' },
        }),
        userEvent(7, { type: 'VoiceSelected', data: { voiceId: 'en-m-1', provider: 'local' } }),
        userEvent(7, { type: 'InputAwaited', data: { input: 'script' } }),
        userEvent(7, { type: 'ScriptWritten', data: { text: 'Buy now', speechText: 'Buy now' } }),
      )
      .then({
        user_state: [
          {
            user_id: '7',
            video_format: 'background',
            background_video_key: 'uploads/7/bg.mp4',
            background_video_duration_sec: 12.5,
            overlay_shape: 'circle',
            character_gender: 'male',
            character_id: 'max',
            character_age: '30-40',
            original_character_key: 'catalog/max.png',
            edited_character_key: 'edits/7/e1.png',
            edit_iteration_count: 1,
            voice_id: 'en-m-1',
            character_text: 'Buy now',
            awaited_input: 'script',
          },
        ],
      }));

  it('choosing the talking head drops the background; a new gender clears the character', () =>
    spec
      .given(
        userEvent(7, registered(7)),
        userEvent(7, { type: 'FormatSelected', data: { format: 'background' } }),
        userEvent(7, {
          type: 'BackgroundVideoUploaded',
          data: {
            assetId: 'bg-1',
            storageKey: 'uploads/7/bg.mp4',
            durationSec: 9,
            sizeBytes: 1000,
            width: 1080,
            height: 1920,
            mimeType: 'video/mp4',
          },
        }),
        userEvent(7, {
          type: 'CharacterSelected',
          data: { characterId: 'max', gender: 'male', age: '30-40', imageKey: 'catalog/max.png' },
        }),
        userEvent(7, {
          type: 'CharacterEdited',
          data: { editId: 'e1', imageKey: 'edits/7/e1.png', iteration: 2, provider: 'fal' },
        }),
      )
      .when(
        userEvent(7, { type: 'FormatSelected', data: { format: 'talking_head' } }),
        userEvent(7, { type: 'CharacterGenderChosen', data: { gender: 'female' } }),
      )
      .then({
        user_state: [
          {
            video_format: 'talking_head',
            background_video_key: null,
            background_video_duration_sec: null,
            character_gender: 'female',
            character_id: null,
            original_character_key: null,
            edited_character_key: null,
            edit_iteration_count: 0,
          },
        ],
      }));

  it('a request counts on the user and clears the script; a language change is kept', () =>
    spec
      .given(
        userEvent(7, registered(7)),
        userEvent(7, { type: 'ScriptWritten', data: { text: 'Buy now', speechText: 'Buy now' } }),
      )
      .when(
        userEvent(7, generationRequested('g-1')),
        userEvent(7, { type: 'LanguageChanged', data: { language: 'ru' } }),
      )
      .then({
        users: [{ telegram_id: '7', generations_requested: 1, language: 'ru' }],
        user_state: [{ user_id: '7', character_text: null }],
      }));

  it('activity counts what the user did, per UTC day; an admin or the system does not count', () =>
    spec
      .given(userEvent(7, registered(7), { at: '2026-04-01T23:59:00.000Z' }))
      .when(
        userEvent(
          7,
          { type: 'LanguageChanged', data: { language: 'ru' } },
          { at: '2026-04-02T00:01:00.000Z' },
        ),
        userEvent(
          7,
          { type: 'FormatSelected', data: { format: 'talking_head' } },
          { at: '2026-04-02T10:00:00.000Z' },
        ),
        userEvent(
          7,
          { type: 'CreditsGranted', data: { amount: 5, reason: 'gift', grantId: 'g' } },
          { at: '2026-04-03T10:00:00.000Z', actor: { kind: 'admin', id: '1' } },
        ),
      )
      .then(async ({ rows }) => {
        expect(await rows('user_activity', 'activity_date')).toMatchObject([
          {
            activity_date: '2026-04-01',
            events: 1,
            first_at: new Date('2026-04-01T23:59:00.000Z'),
          },
          {
            activity_date: '2026-04-02',
            events: 2,
            first_at: new Date('2026-04-02T00:01:00.000Z'),
            last_at: new Date('2026-04-02T10:00:00.000Z'),
          },
        ]);
        expect(await rows('users')).toMatchObject([
          { last_activity_at: new Date('2026-04-02T10:00:00.000Z') },
        ]);
      }));

  it('two users in one batch keep their own drafts', () =>
    spec
      .given(userEvent(1, registered(1)), userEvent(2, registered(2)))
      .when(
        userEvent(1, { type: 'VoiceSelected', data: { voiceId: 'v-1', provider: 'local' } }),
        userEvent(2, { type: 'VoiceSelected', data: { voiceId: 'v-2', provider: 'local' } }),
      )
      .then({
        user_state: [
          { user_id: '1', voice_id: 'v-1' },
          { user_id: '2', voice_id: 'v-2' },
        ],
      }));

  it('in one batch a new user and an existing one change different columns; the rest stay', () =>
    spec
      .given(
        userEvent(1, registered(1)),
        userEvent(1, { type: 'FormatSelected', data: { format: 'background' } }),
        userEvent(1, {
          type: 'CharacterSelected',
          data: { characterId: 'max', gender: 'male', age: '30-40', imageKey: 'catalog/max.png' },
        }),
        userEvent(1, {
          type: 'CharacterEdited',
          data: { editId: 'e1', imageKey: 'edits/1/e1.png', iteration: 1, provider: 'fal' },
        }),
      )
      .when(
        userEvent(2, registered(2, 'ru')),
        userEvent(1, { type: 'CharacterEditReverted', data: {} }),
        userEvent(2, { type: 'FormatSelected', data: { format: 'talking_head' } }),
        userEvent(1, { type: 'LanguageChanged', data: { language: 'ru' } }),
        userEvent(1, generationRequested('g-1')),
      )
      .then({
        users: [
          { telegram_id: '1', language: 'ru', generations_requested: 1 },
          { telegram_id: '2', language: 'ru', generations_requested: 0 },
        ],
        user_state: [
          {
            user_id: '1',
            character_id: 'max',
            original_character_key: 'catalog/max.png',
            edited_character_key: null,
            edit_iteration_count: 1,
            video_format: 'background',
          },
          { user_id: '2', video_format: 'talking_head', character_id: null, voice_id: null },
        ],
      }));
});
