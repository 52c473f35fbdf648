import { describe, expect, it } from 'vitest';
import { latestFire, localDate } from './cycle-scheduler';

describe('latestFire', () => {
  it('fires a step exactly at its time, and gives the previous fire time just before it', () => {
    const step = { step: 'IMPORT', cron: '0 1 * * *', timeZone: 'UTC' } as const;
    expect(latestFire(step, new Date('2026-12-07T01:00:00Z'))).toEqual({ at: new Date('2026-12-07T01:00:00Z'), cycleDate: '2026-12-07' });
    expect(latestFire(step, new Date('2026-12-07T00:59:59Z'))).toEqual({ at: new Date('2026-12-06T01:00:00Z'), cycleDate: '2026-12-06' });
  });

  it('reads the cron in the step’s time zone, summer and winter, and dates the cycle there', () => {
    const step = { step: 'WORKLISTS', cron: '30 5 * * *', timeZone: 'Europe/Berlin' } as const;
    // 05:30 in Berlin is 04:30 UTC in winter (CET), 03:30 UTC in summer (CEST).
    expect(latestFire(step, new Date('2026-12-07T04:30:00Z')).at).toEqual(new Date('2026-12-07T04:30:00Z'));
    expect(latestFire(step, new Date('2026-07-07T03:30:00Z')).at).toEqual(new Date('2026-07-07T03:30:00Z'));
    // 23:30 in New York on Dec 6 is 04:30 UTC on Dec 7: the cycle date is New York's.
    expect(latestFire({ step: 'IMPORT', cron: '30 23 * * *', timeZone: 'America/New_York' }, new Date('2026-12-07T05:00:00Z')).cycleDate).toBe('2026-12-06');
  });

  it('keeps weekday crons to their days', () => {
    // Weekdays only: on Sunday Dec 6, 2026 the latest fire is Friday's.
    const step = { step: 'DUNNING', cron: '0 2 * * 1-5', timeZone: 'UTC' } as const;
    expect(latestFire(step, new Date('2026-12-06T12:00:00Z')).cycleDate).toBe('2026-12-04');
  });
});

describe('localDate', () => {
  it('is the calendar date in the zone', () => {
    expect(localDate(new Date('2026-12-06T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-12-07');
    expect(localDate(new Date('2026-12-06T23:30:00Z'), 'UTC')).toBe('2026-12-06');
  });
});
