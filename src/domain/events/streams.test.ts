import { describe, expect, it } from 'vitest';
import { generationStream, parseStreamName, userStream } from './streams.js';

describe('stream names', () => {
  it('round-trips user and generation streams', () => {
    expect(userStream(123)).toBe('user-123');
    expect(generationStream('abc-1')).toBe('generation-abc-1');
    expect(parseStreamName(userStream(123))).toEqual({ kind: 'user', telegramId: 123 });
    expect(parseStreamName(generationStream('abc-1'))).toEqual({
      kind: 'generation',
      generationId: 'abc-1',
    });
  });

  it('refuses ids that would make ambiguous or invalid names', () => {
    expect(() => userStream(0)).toThrow(RangeError);
    expect(() => userStream(1.5)).toThrow(RangeError);
    expect(() => generationStream('')).toThrow(RangeError);
  });

  it('returns null for names this domain does not own', () => {
    expect(parseStreamName('user-007')).toBeNull();
    expect(parseStreamName('user-')).toBeNull();
    expect(parseStreamName('user-abc')).toBeNull();
    expect(parseStreamName('generation-')).toBeNull();
    expect(parseStreamName('$projections')).toBeNull();
  });
});
