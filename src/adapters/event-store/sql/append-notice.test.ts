import { describe, expect, it } from 'vitest';
import { decodeAppendNotice, encodeAppendNotice } from './append-notice.js';

describe('the append notice', () => {
  it('carries the sender and the types appended', () => {
    const payload = encodeAppendNotice('store-a', ['UserRegistered', 'CreditsGranted']);
    expect(decodeAppendNotice(payload)).toEqual({
      from: 'store-a',
      hint: { eventTypes: ['UserRegistered', 'CreditsGranted'] },
    });
  });

  it('names no types when they would not fit a notification', () => {
    const many = Array.from({ length: 400 }, (_, n) => `SomeRatherLongEventTypeName${n}`);
    const payload = encodeAppendNotice('store-a', many);
    expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(decodeAppendNotice(payload)).toEqual({ from: 'store-a', hint: {} });
  });

  it("reads an earlier version's bare id, and anything unreadable, as an append of any type", () => {
    expect(decodeAppendNotice('5f0c8a52-0a7e-4f8e-9d53-0c7d9c1b2a11')).toEqual({
      from: '5f0c8a52-0a7e-4f8e-9d53-0c7d9c1b2a11',
      hint: {},
    });
    expect(decodeAppendNotice('')).toEqual({ from: '', hint: {} });
    expect(decodeAppendNotice('{not json')).toEqual({ from: '', hint: {} });
    expect(decodeAppendNotice('{"from":1,"types":"x"}')).toEqual({ from: '', hint: {} });
  });
});
