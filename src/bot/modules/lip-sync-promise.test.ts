import { describe, expect, it } from 'vitest';
import type { DraftCharacter } from '../../domain/user/state.js';
import { lipSyncPromise } from './lip-sync-promise.js';

const character = (characterId: string, edited = false): DraftCharacter => ({
  characterId,
  gender: 'female',
  age: 'young',
  originalImageKey: `characters/${characterId}.png`,
  imageKey: edited ? `edits/${characterId}-1.png` : `characters/${characterId}.png`,
  editIterations: edited ? 1 : 0,
  pendingEdit: null,
  lastEdit: null,
});

describe('lipSyncPromise', () => {
  it('given the cloud provider, when any character is chosen, then lip-sync goes without saying', () => {
    expect(lipSyncPromise(true, character('i-f-adult-photo'))).toBe(true);
  });

  it('given the local renderer, when a drawn starter character is chosen as drawn, then it promises local lip-sync', () => {
    expect(lipSyncPromise('drawn-characters', character('f-young-sofia'))).toBe('local');
  });

  it('given the local renderer, when an imported photo whose face was located is chosen as imported, then it promises local lip-sync', () => {
    expect(
      lipSyncPromise('drawn-characters', character('i-f-adult-photo'), { faceLocated: true }),
    ).toBe('local');
    expect(
      lipSyncPromise('drawn-characters', character('i-f-adult-photo', true), { faceLocated: true }),
    ).toBe(false);
  });

  it('given the local renderer, when a photo without a located face or an edited portrait is chosen, then no lip-sync', () => {
    expect(lipSyncPromise('drawn-characters', character('i-f-adult-photo'), {})).toBe(false);
    expect(lipSyncPromise('drawn-characters', character('i-f-adult-photo'))).toBe(false);
    expect(lipSyncPromise('drawn-characters', character('f-young-sofia', true))).toBe(false);
    expect(lipSyncPromise('drawn-characters', null)).toBe(false);
    expect(lipSyncPromise(undefined, character('f-young-sofia'))).toBe(false);
    expect(lipSyncPromise(false, character('f-young-sofia'))).toBe(false);
  });
});
