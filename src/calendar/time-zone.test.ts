import { describe, expect, it } from 'vitest';
import { addDays, assertTimeZone, localDay, localDayWindow, startOfLocalDay } from './time-zone.js';

describe('local calendar days', () => {
  it('puts an instant on the day it is in the zone, not in UTC', () => {
    // 21:30 UTC is already 00:30 the next day in Moscow (UTC+3, no DST).
    expect(localDay(new Date('2026-11-24T21:30:00Z'), 'Europe/Moscow')).toBe('2026-11-25');
    expect(localDay(new Date('2026-11-24T20:59:59Z'), 'Europe/Moscow')).toBe('2026-11-24');
    expect(localDay(new Date('2026-11-24T21:30:00Z'), 'UTC')).toBe('2026-11-24');
    expect(localDay(new Date('2026-11-25T03:00:00Z'), 'America/New_York')).toBe('2026-11-24');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('spans a Moscow day from 21:00 UTC to 21:00 UTC', () => {
    const { from, to } = localDayWindow('2026-11-24', 'Europe/Moscow');
    expect(from.toISOString()).toBe('2026-11-23T21:00:00.000Z');
    expect(to.toISOString()).toBe('2026-11-24T21:00:00.000Z');
  });

  it('gives 23- and 25-hour days on DST changes', () => {
    const spring = localDayWindow('2026-03-29', 'Europe/Berlin');
    expect(spring.from.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect((spring.to.getTime() - spring.from.getTime()) / 3600_000).toBe(23);
    const autumn = localDayWindow('2026-10-25', 'Europe/Berlin');
    expect((autumn.to.getTime() - autumn.from.getTime()) / 3600_000).toBe(25);
    expect(startOfLocalDay('2026-07-01', 'America/Los_Angeles').toISOString()).toBe(
      '2026-07-01T07:00:00.000Z',
    );
  });

  it('refuses an unknown zone with its name', () => {
    expect(() => assertTimeZone('Mars/Olympus')).toThrow(/Mars\/Olympus/);
    expect(() => assertTimeZone('Europe/Moscow')).not.toThrow();
  });
});
