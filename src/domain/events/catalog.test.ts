import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  EventDataError,
  createEventDataParser,
  currentSchemaVersion,
  eventCatalog,
  isEventType,
  parseEventData,
  streamKindOf,
  validateEvent,
} from './catalog.js';
import { eventMetadataSchema } from './metadata.js';

const catch_ = (fn: () => unknown): EventDataError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventDataError) return error;
    throw error;
  }
  throw new Error('expected an EventDataError');
};

describe('eventCatalog', () => {
  it('lists every event of both streams at v1', () => {
    const types = Object.keys(eventCatalog);
    expect(types).toContain('UserRegistered');
    expect(types).toContain('GenerationRequested');
    expect(types).toContain('GenerationStarted');
    expect(types).toContain('VideoDelivered');
    expect(types).toHaveLength(27 + 15);
    for (const type of types) {
      expect(isEventType(type)).toBe(true);
      if (isEventType(type)) expect(currentSchemaVersion(type)).toBe(1);
    }
    expect(streamKindOf('CreditsSpent')).toBe('user');
    expect(streamKindOf('AudioRejected')).toBe('generation');
    expect(isEventType('toString')).toBe(false);
  });
});

describe('parseEventData', () => {
  it('returns the typed event for valid current data', () => {
    const event = parseEventData(
      'CreditsGranted',
      { amount: 10, reason: 'welcome', grantId: 'g1' },
      1,
    );
    expect(event).toEqual({
      type: 'CreditsGranted',
      data: { amount: 10, reason: 'welcome', grantId: 'g1' },
    });
    // The overload narrows on the literal type, so callers read fields without casts.
    expect(event.data.amount).toBe(10);
  });

  it('strips unknown fields so projections see only the catalog shape', () => {
    const event = parseEventData('LanguageChanged', { language: 'en', extra: 1 }, 1);
    expect(event.data).toEqual({ language: 'en' });
  });

  it('rejects data that breaks the schema', () => {
    const error = catch_(() =>
      parseEventData('CreditsGranted', { amount: -1, reason: 'x', grantId: 'g' }, 1),
    );
    expect(error.problem).toBe('invalid_data');
    expect(error).toMatchObject({ code: 'EVENT_DATA_INVALID', retryable: false });
    expect(error.issues?.[0]?.path).toEqual(['amount']);
  });

  it('rejects unknown types and versions newer than this build', () => {
    expect(catch_(() => parseEventData('NoSuchEvent', {}, 1)).problem).toBe('unknown_event_type');
    expect(catch_(() => parseEventData('LanguageChanged', { language: 'ru' }, 2)).problem).toBe(
      'unsupported_version',
    );
    expect(catch_(() => parseEventData('LanguageChanged', { language: 'ru' }, 0.5)).problem).toBe(
      'unsupported_version',
    );
  });

  it('upcasts LanguageChanged v0 ({ lang }) to v1 ({ language })', () => {
    expect(parseEventData('LanguageChanged', { lang: 'ru' }, 0)).toEqual({
      type: 'LanguageChanged',
      data: { language: 'ru' },
    });
  });

  it('validates the upcast result against the current schema', () => {
    const error = catch_(() => parseEventData('LanguageChanged', { lang: 'de' }, 0));
    expect(error.problem).toBe('invalid_data');
    expect(error.schemaVersion).toBe(0);
  });

  it('refuses an old version without an upcaster instead of guessing', () => {
    expect(catch_(() => parseEventData('CreditsGranted', { amount: 1 }, 0)).problem).toBe(
      'missing_upcaster',
    );
  });

  it('chains upcasters one version at a time', () => {
    // A made-up future: LanguageChanged v2 adds `source`; v0 data must pass through v1 to reach it.
    const parse = createEventDataParser({
      catalog: {
        LanguageChanged: {
          version: 2,
          stream: 'user',
          schema: z.object({
            language: z.enum(['ru', 'en']),
            source: z.enum(['telegram', 'user']),
          }),
        },
      },
      upcasters: {
        LanguageChanged: {
          0: (data) => ({ language: (data as { lang: string }).lang }),
          1: (data) => ({ ...(data as object), source: 'user' }),
        },
      },
    });
    expect(parse('LanguageChanged', { lang: 'en' }, 0).data).toEqual({
      language: 'en',
      source: 'user',
    });
    expect(parse('LanguageChanged', { language: 'ru' }, 1).data).toEqual({
      language: 'ru',
      source: 'user',
    });
    expect(parse('LanguageChanged', { language: 'ru', source: 'telegram' }, 2).data).toEqual({
      language: 'ru',
      source: 'telegram',
    });
  });
});

describe('validateEvent', () => {
  it('accepts what a decider may write and refuses what it must not', () => {
    expect(validateEvent({ type: 'CharacterEditReverted', data: {} })).toEqual({
      type: 'CharacterEditReverted',
      data: {},
    });
    expect(() => validateEvent({ type: 'CreditsSpent', data: { amount: 0 } })).toThrow(
      EventDataError,
    );
  });
});

describe('eventMetadataSchema', () => {
  const metadata = {
    commandId: 'c1',
    causationId: 'c1',
    correlationId: 'c1',
    actor: { kind: 'admin', id: '42' },
    timestamp: '2026-01-02T03:04:05.678Z',
    schemaVersion: 1,
  };

  it('accepts complete metadata', () => {
    expect(eventMetadataSchema.parse(metadata)).toEqual(metadata);
  });

  it('requires an ISO timestamp, a known actor kind and a version from 1', () => {
    expect(eventMetadataSchema.safeParse({ ...metadata, timestamp: 'yesterday' }).success).toBe(
      false,
    );
    expect(
      eventMetadataSchema.safeParse({ ...metadata, actor: { kind: 'bot', id: '1' } }).success,
    ).toBe(false);
    expect(eventMetadataSchema.safeParse({ ...metadata, schemaVersion: 0 }).success).toBe(false);
  });
});
