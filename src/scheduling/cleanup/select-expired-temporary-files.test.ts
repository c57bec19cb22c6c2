import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  selectExpiredTemporaryFiles,
  type ListedObject,
} from './select-expired-temporary-files.js';

const hour = 3600_000;
const now = Date.UTC(2030, 0, 1, 12);
const object = (key: string, ageMs: number, sizeBytes = 10): ListedObject => ({
  key,
  sizeBytes,
  modifiedAt: new Date(now - ageMs),
});

describe('selectExpiredTemporaryFiles', () => {
  it('picks tmp/ objects older than the TTL and nothing else', () => {
    const objects = [
      object('tmp/u1/voice.mp3', 25 * hour),
      object('tmp/u1/photo.png', 23 * hour),
      object('tmp/u2/old.wav', 24 * hour + 1),
      object('generations/g1/final.mp4', 1000 * hour),
      object('tmpfiles/x.bin', 1000 * hour),
      object('generations/tmp/x.bin', 1000 * hour),
      object('tmp/future.bin', -hour),
    ];
    expect(
      selectExpiredTemporaryFiles(objects, { now, olderThanMs: 24 * hour }).map((o) => o.key),
    ).toEqual(['tmp/u1/voice.mp3', 'tmp/u2/old.wav']);
  });

  it('keeps an object exactly as old as the TTL', () => {
    expect(
      selectExpiredTemporaryFiles([object('tmp/a', 24 * hour)], { now, olderThanMs: 24 * hour }),
    ).toEqual([]);
  });

  it('refuses a prefix that is not a folder, or a negative TTL', () => {
    expect(() =>
      selectExpiredTemporaryFiles([], { now, olderThanMs: hour, prefix: 'tmp' }),
    ).toThrow(RangeError);
    expect(() => selectExpiredTemporaryFiles([], { now, olderThanMs: hour, prefix: '' })).toThrow(
      RangeError,
    );
    expect(() => selectExpiredTemporaryFiles([], { now, olderThanMs: -1 })).toThrow(RangeError);
  });

  const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const listed = fc.record({
    key: fc.oneof(
      fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `tmp/${parts.join('/')}`),
      fc
        .tuple(segment, fc.array(segment, { minLength: 1, maxLength: 3 }))
        .map(([top, parts]) => `${top}/${parts.join('/')}`),
    ),
    sizeBytes: fc.nat(),
    modifiedAt: fc.integer({ min: now - 100 * hour, max: now + hour }).map((ms) => new Date(ms)),
  });

  it('selects exactly the tmp/ objects older than the cutoff, in listing order', () => {
    fc.assert(
      fc.property(
        fc.array(listed, { maxLength: 40 }),
        fc.integer({ min: 0, max: 100 * hour }),
        (objects, olderThanMs) => {
          const selected = selectExpiredTemporaryFiles(objects, { now, olderThanMs });
          const expected = objects.filter(
            (o) => o.key.startsWith('tmp/') && now - o.modifiedAt.getTime() > olderThanMs,
          );
          expect(selected).toEqual(expected);
          for (const o of selected) {
            expect(o.key.startsWith('tmp/')).toBe(true);
            expect(now - o.modifiedAt.getTime()).toBeGreaterThan(olderThanMs);
          }
        },
      ),
    );
  });

  it('never selects more as the TTL grows', () => {
    fc.assert(
      fc.property(
        fc.array(listed, { maxLength: 40 }),
        fc.nat(50 * hour),
        fc.nat(50 * hour),
        (objects, a, b) => {
          const [shorter, longer] = a <= b ? [a, b] : [b, a];
          const fewer = selectExpiredTemporaryFiles(objects, { now, olderThanMs: longer });
          const more = selectExpiredTemporaryFiles(objects, { now, olderThanMs: shorter });
          for (const o of fewer) expect(more).toContain(o);
        },
      ),
    );
  });
});
