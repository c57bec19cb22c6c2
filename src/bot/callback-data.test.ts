import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { MAX_CALLBACK_BYTES, decodeCallback, encodeCallback, type CallbackAction, type Screen } from './callback-data.js';

const screens: Screen[] = ['main', 'help', 'profile', 'credits', 'feedback', 'create', 'background', 'shape', 'gender', 'gallery', 'character', 'voices', 'script', 'confirm', 'history'];
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const small = fc.integer({ min: 0, max: 9999 });

const action: fc.Arbitrary<CallbackAction> = fc.oneof(
  fc.constantFrom(...screens).map((screen): CallbackAction => ({ kind: 'screen', screen })),
  fc.constantFrom('talking_head' as const, 'background' as const).map((format): CallbackAction => ({ kind: 'example', format })),
  fc.constantFrom('talking_head' as const, 'background' as const).map((format): CallbackAction => ({ kind: 'format', format })),
  fc.constantFrom('circle' as const, 'rounded_rect' as const, 'cutout' as const).map((shape): CallbackAction => ({ kind: 'shape', shape })),
  fc.constantFrom('male' as const, 'female' as const).map((gender): CallbackAction => ({ kind: 'gender', gender })),
  fc.record({ gender: fc.constantFrom('male' as const, 'female' as const), index: small }).map((r): CallbackAction => ({ kind: 'gallery', ...r })),
  fc.record({ gender: fc.constantFrom('male' as const, 'female' as const), index: small }).map((r): CallbackAction => ({ kind: 'character', ...r })),
  fc.constantFrom('start' as const, 'again' as const, 'revert' as const).map((op): CallbackAction => ({ kind: 'edit', op })),
  id.map((editId): CallbackAction => ({ kind: 'editAccept', editId })),
  small.map((page): CallbackAction => ({ kind: 'voices', page })),
  small.map((index): CallbackAction => ({ kind: 'voicePreview', index })),
  small.map((index): CallbackAction => ({ kind: 'voice', index })),
  fc.constant<CallbackAction>({ kind: 'generate' }),
  small.map((page): CallbackAction => ({ kind: 'history', page })),
  id.map((generationId): CallbackAction => ({ kind: 'download', generationId })),
  fc.constant<CallbackAction>({ kind: 'topUpMenu' }),
  fc.integer({ min: 1, max: 9999 }).map((amount): CallbackAction => ({ kind: 'topUp', amount })),
  fc.constantFrom('ru' as const, 'en' as const).map((language): CallbackAction => ({ kind: 'language', language })),
  fc
    .record({ userId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), feedbackId: id })
    .map((r): CallbackAction => ({ kind: 'feedbackReply', ...r })),
);

describe('callback data', () => {
  test.prop([action])('every action round-trips within 64 bytes', (value) => {
    const data = encodeCallback(value);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
    expect(data.startsWith('v1|')).toBe(true);
    expect(decodeCallback(data)).toEqual(value);
  });

  test.prop([fc.string({ maxLength: 80 })])('arbitrary strings never throw', (data) => {
    const decoded = decodeCallback(data);
    if (decoded !== null) expect(decodeCallback(encodeCallback(decoded))).toEqual(decoded);
  });

  it('is compact and readable', () => {
    expect(encodeCallback({ kind: 'character', gender: 'female', index: 3 })).toBe('v1|c|f|3');
    expect(encodeCallback({ kind: 'screen', screen: 'main' })).toBe('v1|n|m');
    expect(encodeCallback({ kind: 'download', generationId: 'g-123456789-100000123' })).toBe('v1|d|g-123456789-100000123');
  });

  it('refuses other versions, unknown kinds, non-canonical numbers and oversized ids', () => {
    for (const data of ['v0|c|f|3', 'v2|c|f|3', 'v1|zz', 'v1|c|x|3', 'v1|c|f|03', 'v1|c|f|-1', 'v1|c|f|1e3', 'v1|c|f|3|extra', 'v1|t|0', `v1|d|${'a'.repeat(41)}`, 'v1|d|a/b', 'v1|fr|007|fb-1', '', 'v1']) {
      expect(decodeCallback(data), data).toBeNull();
    }
    expect(decodeCallback(undefined)).toBeNull();
  });

  it('refuses to encode what would not decode', () => {
    expect(() => encodeCallback({ kind: 'download', generationId: 'x'.repeat(41) })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'gallery', gender: 'male', index: -1 })).toThrow(RangeError);
  });
});
