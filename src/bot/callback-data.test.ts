import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { espeakVoices } from '../adapters/local/speech/espeak-voices.js';
import {
  MAX_CALLBACK_BYTES,
  decodeCallback,
  encodeCallback,
  type CallbackAction,
  type Screen,
} from './callback-data.js';
import { voiceIdOfRef, voiceRef } from './voice-ref.js';

const screens: Screen[] = [
  'main',
  'help',
  'profile',
  'credits',
  'feedback',
  'create',
  'background',
  'shape',
  'gender',
  'gallery',
  'character',
  'voices',
  'script',
  'captions',
  'confirm',
  'history',
];
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const small = fc.integer({ min: 0, max: 9999 });
// Any voice id, as the catalog (1–48 of A-Z a-z 0-9 _ -) or a cloud provider (anything) may give
// it.
const anyVoiceRef = fc
  .oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,48}$/), fc.string({ minLength: 1, maxLength: 200 }))
  .map(voiceRef);

const action: fc.Arbitrary<CallbackAction> = fc.oneof(
  fc.constantFrom(...screens).map((screen): CallbackAction => ({ kind: 'screen', screen })),
  fc
    .constantFrom('talking_head' as const, 'background' as const)
    .map((format): CallbackAction => ({ kind: 'example', format })),
  fc
    .constantFrom('talking_head' as const, 'background' as const)
    .map((format): CallbackAction => ({ kind: 'format', format })),
  fc
    .constantFrom('circle' as const, 'rounded_rect' as const, 'cutout' as const)
    .map((shape): CallbackAction => ({ kind: 'shape', shape })),
  fc
    .constantFrom('male' as const, 'female' as const)
    .map((gender): CallbackAction => ({ kind: 'gender', gender })),
  fc
    .constantFrom('none' as const, 'classic' as const, 'bold' as const, 'boxed' as const)
    .map((style): CallbackAction => ({ kind: 'captions', style })),
  fc
    .record({ gender: fc.constantFrom('male' as const, 'female' as const), index: small })
    .map((r): CallbackAction => ({ kind: 'gallery', ...r })),
  fc
    .record({ gender: fc.constantFrom('male' as const, 'female' as const), index: small })
    .map((r): CallbackAction => ({ kind: 'character', ...r })),
  fc
    .constantFrom('start' as const, 'again' as const, 'revert' as const)
    .map((op): CallbackAction => ({ kind: 'edit', op })),
  id.map((editId): CallbackAction => ({ kind: 'editAccept', editId })),
  small.map((page): CallbackAction => ({ kind: 'voices', page })),
  anyVoiceRef.map((ref): CallbackAction => ({ kind: 'voicePreview', voiceRef: ref })),
  anyVoiceRef.map((ref): CallbackAction => ({ kind: 'voice', voiceRef: ref })),
  fc.constant<CallbackAction>({ kind: 'generate' }),
  small.map((page): CallbackAction => ({ kind: 'history', page })),
  id.map((generationId): CallbackAction => ({ kind: 'download', generationId })),
  fc.constant<CallbackAction>({ kind: 'topUpMenu' }),
  fc.integer({ min: 1, max: 9999 }).map((amount): CallbackAction => ({ kind: 'topUp', amount })),
  fc
    .integer({ min: 1, max: 999_999 })
    .map((credits): CallbackAction => ({ kind: 'buyPack', credits })),
  fc
    .constantFrom('ru' as const, 'en' as const)
    .map((language): CallbackAction => ({ kind: 'language', language })),
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
    // Old-format voice buttons are only ever decoded (see below).
    if (decoded !== null && decoded.kind !== 'voiceOutdated')
      expect(decodeCallback(encodeCallback(decoded))).toEqual(decoded);
  });

  it('is compact and readable', () => {
    expect(encodeCallback({ kind: 'character', gender: 'female', index: 3 })).toBe('v1|c|f|3');
    expect(encodeCallback({ kind: 'screen', screen: 'main' })).toBe('v1|n|m');
    expect(encodeCallback({ kind: 'download', generationId: 'g-123456789-100000123' })).toBe(
      'v1|d|g-123456789-100000123',
    );
  });

  it('refuses other versions, unknown kinds, non-canonical numbers and oversized ids', () => {
    for (const data of [
      'v0|c|f|3',
      'v2|c|f|3',
      'v1|zz',
      'v1|c|x|3',
      'v1|c|f|03',
      'v1|c|f|-1',
      'v1|c|f|1e3',
      'v1|c|f|3|extra',
      'v1|t|0',
      `v1|d|${'a'.repeat(41)}`,
      'v1|d|a/b',
      'v1|fr|007|fb-1',
      '',
      'v1',
    ]) {
      expect(decodeCallback(data), data).toBeNull();
    }
    expect(decodeCallback(undefined)).toBeNull();
  });

  it('refuses to encode what would not decode', () => {
    expect(() => encodeCallback({ kind: 'download', generationId: 'x'.repeat(41) })).toThrow(
      RangeError,
    );
    expect(() => encodeCallback({ kind: 'gallery', gender: 'male', index: -1 })).toThrow(
      RangeError,
    );
  });

  it('names a voice by its id, within 64 bytes for every local voice and the longest catalog id', () => {
    for (const voice of [...espeakVoices, { id: 'x'.repeat(48) }, { id: 'EXAVITQu4vr4xnSDxMaL' }]) {
      const pick = encodeCallback({ kind: 'voice', voiceRef: voiceRef(voice.id) });
      const listen = encodeCallback({ kind: 'voicePreview', voiceRef: voiceRef(voice.id) });
      for (const data of [pick, listen])
        expect(Buffer.byteLength(data), data).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
      expect(decodeCallback(pick)).toEqual({ kind: 'voice', voiceRef: voice.id });
      expect(voiceIdOfRef(voice.id)).toBe(voice.id);
    }
    expect(encodeCallback({ kind: 'voice', voiceRef: 'espeak-cmn-f1' })).toBe(
      'v1|vi|espeak-cmn-f1',
    );
    expect(encodeCallback({ kind: 'voicePreview', voiceRef: 'espeak-cmn-f1' })).toBe(
      'v1|vh|espeak-cmn-f1',
    );
  });

  it('carries an id that does not fit a payload as a digest, told apart from ids', () => {
    for (const id of ['voice with spaces', 'голос', 'a|b', 'y'.repeat(49), 'x'.repeat(300)]) {
      const ref = voiceRef(id);
      expect(ref).toMatch(/^~[A-Za-z0-9_-]{22}$/);
      expect(voiceIdOfRef(ref)).toBeUndefined();
      expect(decodeCallback(encodeCallback({ kind: 'voice', voiceRef: ref }))).toEqual({
        kind: 'voice',
        voiceRef: ref,
      });
    }
    expect(voiceRef('voice with spaces')).not.toBe(voiceRef('voice with spaces!'));
  });

  it('answers the first format of voice buttons (an index into a per-user order) as outdated, and never makes one', () => {
    for (const data of ['v1|v|0', 'v1|v|7', 'v1|vl|0', 'v1|vl|12'])
      expect(decodeCallback(data), data).toEqual({ kind: 'voiceOutdated' });
    expect(() => encodeCallback({ kind: 'voiceOutdated' })).toThrow(RangeError);
    for (const data of [
      `v1|vi|${'a'.repeat(49)}`,
      'v1|vi|a/b',
      'v1|vi|',
      'v1|vh|~short',
      'v1|v|01',
      'v1|vi|a|b',
    ])
      expect(decodeCallback(data), data).toBeNull();
  });
});
