// Second-round edges of the pure booking rules (issue 3 items 1 and 5), beyond
// booking-rules-adversarial.test.ts: the smallest and largest limits a type may hold (1 hour,
// 1 day, 8760 hours), the Swedish of a limit of one, and the window of one day over the clock
// changes. Expected answers follow from the rules (real hours for lead and cut-offs, Stockholm
// calendar days for the maximum), not from the code.
import { describe, expect, it } from 'vitest';
import {
  bookingWindow,
  checkBookingWindow,
  checkCutoff,
  mayPatientCancelOnline,
  mayPatientRebookOnline,
} from '../../../src-main/domain/booking-rules.ts';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('a limit of one is said in the singular', () => {
  const now = at('2026-11-23T09:10:00+01:00');
  it.each<[string, () => string | undefined, string]>([
    [
      'a lead of 1 hour',
      () => checkBookingWindow({ nameSv: 'Akuttid', bookMinLeadH: 1, bookMaxDays: 1 }, now + 30 * 60_000, now, false)?.messageSv,
      'Akuttid måste bokas minst 1 timme i förväg: tidigast 2026-11-23 kl. 10:10.',
    ],
    [
      'a window of 1 day',
      () =>
        checkBookingWindow({ nameSv: 'Akuttid', bookMinLeadH: 0, bookMaxDays: 1 }, at('2026-11-25T08:00:00+01:00'), now, false)
          ?.messageSv,
      'Akuttid kan bokas högst 1 dag framåt: senast 2026-11-24.',
    ],
    [
      'a cancel cut-off of 1 hour, on the web',
      () => checkCutoff('cancel', cutoffType(1), { status: 'booked', startAt: now + 30 * 60_000 }, 'web', now, false)?.messageSv,
      'Avbokning måste göras senast 1 timme före besöket: det gick att göra till 2026-11-23 kl. 08:40.',
    ],
    [
      'a rebook cut-off of 1 hour, at the desk',
      () => checkCutoff('rebook', cutoffType(1), { status: 'booked', startAt: now + 30 * 60_000 }, 'desk', now, false)?.messageSv,
      'Ombokning måste göras senast 1 timme före besöket: det gick att göra till 2026-11-23 kl. 08:40. Personal kan göra det med en motiverad åsidosättning.',
    ],
    [
      'two of each stay plural',
      () => checkBookingWindow({ nameSv: 'Akuttid', bookMinLeadH: 2, bookMaxDays: 2 }, now + H, now, false)?.messageSv,
      'Akuttid måste bokas minst 2 timmar i förväg: tidigast 2026-11-23 kl. 11:10.',
    ],
  ])('%s', (_n, message, want) => {
    expect(message()).toBe(want);
  });
});

function cutoffType(hours: number) {
  return {
    active: true,
    webCancellable: true,
    webRebookable: true,
    cancelCutoffH: hours,
    rebookCutoffH: hours,
  };
}

describe('a window of one day (today and tomorrow) over the clock changes', () => {
  // Saturday evening before the change: tomorrow is the 23- or 25-hour Sunday, bookable to its last minute.
  it.each<[string, string, string, string | null]>([
    ['spring: Sunday 23:59 CEST', '2027-03-27T22:30:00+01:00', '2027-03-28T23:59:00+02:00', null],
    ['spring: Monday 00:00', '2027-03-27T22:30:00+01:00', '2027-03-29T00:00:00+02:00', 'too_far'],
    ['autumn: Sunday 23:59 CET', '2027-10-30T22:30:00+02:00', '2027-10-31T23:59:00+01:00', null],
    ['autumn: Monday 00:00', '2027-10-30T22:30:00+02:00', '2027-11-01T00:00:00+01:00', 'too_far'],
    // Just after local midnight (still the day before in UTC): "today" is the Stockholm date.
    ['00:05 on the spring Sunday: Monday 23:59 still', '2027-03-28T00:05:00+01:00', '2027-03-29T23:59:00+02:00', null],
  ])('%s', (_n, now, start, want) => {
    expect(checkBookingWindow({ bookMinLeadH: 0, bookMaxDays: 1 }, at(start), at(now), false)?.code ?? null).toBe(want);
  });

  it('needs its lead in real hours through the spring night: 3 h after 00:30 CET is 04:30 CEST', () => {
    const now = at('2027-03-28T00:30:00+01:00');
    expect(bookingWindow({ bookMinLeadH: 3, bookMaxDays: 1 }, now).earliest).toBe(at('2027-03-28T04:30:00+02:00'));
    expect(checkBookingWindow({ bookMinLeadH: 3, bookMaxDays: 1 }, at('2027-03-28T04:00:00+02:00'), now, false)?.code).toBe(
      'too_soon',
    );
  });
});

describe('the largest cut-off a type may hold, 8760 hours', () => {
  // 8760 h = 365 days of real hours; 2027 is no leap year and both ends are CET, so the deadline
  // for a visit on 2027-11-23 10:00 is 2026-11-23 10:00 on the wall clock.
  const start = at('2027-11-23T10:00:00+01:00');
  const type = { ...cutoffType(8760), active: true };
  const booking = { status: 'booked' as const, startAt: start };
  it.each<[string, string, boolean]>([
    ['a year and 50 minutes ahead', '2026-11-23T09:10:00+01:00', true],
    ['exactly a year ahead', '2026-11-23T10:00:00+01:00', true],
    ['a second later', '2026-11-23T10:00:01+01:00', false],
  ])('online: %s', (_n, now, allowed) => {
    expect(mayPatientCancelOnline(type, booking, at(now)).allowed).toBe(allowed);
    expect(mayPatientRebookOnline(type, booking, at(now)).allowed).toBe(allowed);
    expect(checkCutoff('cancel', type, booking, 'desk', at(now), false)?.code ?? null).toBe(allowed ? null : 'cutoff_passed');
    expect(checkCutoff('cancel', type, booking, 'desk', at(now), true)).toBeNull();
  });
});
