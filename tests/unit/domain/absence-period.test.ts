// An absence's period from wall-clock dates and times (domain/time.ts wallPeriod) and how its end
// reads back (periodEndParts): 24:00 ends the last day at the next local midnight, the same instant
// as a whole day, so a whole-day absence and one "13:00–24:00" meet without gap or overlap, also
// on the nights the clock moves. Instants by hand: summer time (+02:00) ends 2026-10-25 03:00
// (the day has 25 hours) and begins 2026-03-29 02:00 (23 hours).
import { describe, expect, it } from 'vitest';
import { periodEndParts, wallPeriod } from '../../../src-main/domain/time.ts';

const at = (iso: string) => Date.parse(iso);
const TZ = 'Europe/Stockholm';

describe('wallPeriod: an absence period as instants', () => {
  it('takes 24:00 as the end of the last day: the next local midnight, the same as a whole day', () => {
    const evening = wallPeriod({ from: '2026-12-01', fromTime: '13:00', to: '2026-12-01', toTime: '24:00' }, TZ);
    expect(evening).toEqual({ startAt: at('2026-12-01T12:00:00Z'), endAt: at('2026-12-01T23:00:00Z') });
    const wholeDay = wallPeriod({ from: '2026-12-01', to: '2026-12-01' }, TZ);
    const midnightToMidnight = wallPeriod({ from: '2026-12-01', fromTime: '00:00', to: '2026-12-01', toTime: '24:00' }, TZ);
    expect(midnightToMidnight).toEqual(wholeDay);
    // The next day's absence starts where this one ends: no gap, no overlap.
    const next = wallPeriod({ from: '2026-12-02', to: '2026-12-02' }, TZ);
    expect('endAt' in evening && 'startAt' in next && evening.endAt === next.startAt).toBe(true);
  });

  it('is DST-correct: 24:00 on the autumn Sunday is 25 hours after its start, on the spring Sunday 23', () => {
    expect(wallPeriod({ from: '2026-10-25', fromTime: '00:00', to: '2026-10-25', toTime: '24:00' }, TZ)).toEqual({
      startAt: at('2026-10-24T22:00:00Z'),
      endAt: at('2026-10-25T23:00:00Z'),
    });
    expect(wallPeriod({ from: '2026-03-29', fromTime: '00:00', to: '2026-03-29', toTime: '24:00' }, TZ)).toEqual({
      startAt: at('2026-03-28T23:00:00Z'),
      endAt: at('2026-03-29T22:00:00Z'),
    });
    // The evening before the autumn change ends at midnight summer time.
    expect(wallPeriod({ from: '2026-10-24', fromTime: '20:00', to: '2026-10-24', toTime: '24:00' }, TZ)).toEqual({
      startAt: at('2026-10-24T18:00:00Z'),
      endAt: at('2026-10-24T22:00:00Z'),
    });
  });

  it('refuses 24:00 as a start and an end not after the start, in Swedish; a same-day end of 00:00 says to write 24:00', () => {
    expect(wallPeriod({ from: '2026-12-01', fromTime: '24:00', to: '2026-12-02' }, TZ)).toEqual({
      problem: expect.stringMatching(/^En tid kan inte börja 24:00/),
    });
    expect(wallPeriod({ from: '2026-12-01', fromTime: '13:00', to: '2026-12-01', toTime: '12:00' }, TZ)).toEqual({
      problem: 'Frånvaron måste sluta efter att den börjar.',
    });
    expect(wallPeriod({ from: '2026-12-01', fromTime: '13:00', to: '2026-12-01', toTime: '00:00' }, TZ)).toEqual({
      problem: 'Frånvaron måste sluta efter att den börjar. En frånvaro som slutar vid midnatt skrivs till 24:00.',
    });
    expect(wallPeriod({ from: '2026-03-29', fromTime: '02:30', to: '2026-03-29' }, TZ)).toEqual({
      problem: expect.stringMatching(/^Klockan 02:30 finns inte 2026-03-29/),
    });
  });
});

describe('periodEndParts: how an absence’s end reads', () => {
  it('reads an end at a local midnight as 24:00 of the day before, else the date and time', () => {
    expect(periodEndParts(at('2026-12-01T23:00:00Z'), TZ)).toEqual({ date: '2026-12-01', time: '24:00' });
    expect(periodEndParts(at('2026-10-25T23:00:00Z'), TZ)).toEqual({ date: '2026-10-25', time: '24:00' });
    expect(periodEndParts(at('2026-12-01T16:30:00Z'), TZ)).toEqual({ date: '2026-12-01', time: '17:30' });
  });
});
