// Guards found by mutation testing of the scheduling core: each case below fails with a
// plausible slip (a boundary, a UTC date, a skipped rule) that the other unit tests let pass.
import { describe, expect, it } from 'vitest';
import { bookingWindow, checkBookingWindow, checkCutoff, type TypeRules } from '../../../src-main/domain/booking-rules.ts';

const H = 3_600_000;
const type: TypeRules = {
  active: true,
  contactModes: ['physical'],
  professions: [],
  webBookable: true,
  invitationOnly: false,
  webCancellable: true,
  webRebookable: true,
  cancelCutoffH: 24,
  rebookCutoffH: 72,
  reasonNew: 'optional',
  reasonCancel: 'optional',
  reasonRebook: 'optional',
  reasonCodes: [],
  bookMinLeadH: 2,
  bookMaxDays: 30,
};
const start = Date.parse('2026-11-25T09:00:00+01:00');
const booked = { status: 'booked' as const, startAt: start };

describe('cut-offs at the desk are the web rules (deadline inclusive)', () => {
  it.each([
    ['cancel', 24],
    ['rebook', 72],
  ] as const)('%s at exactly %i hours before is still in time at the desk, without override', (process, hours) => {
    const deadline = start - hours * H;
    expect(checkCutoff(process, type, booked, 'web', deadline, false)).toBeNull();
    expect(checkCutoff(process, type, booked, 'desk', deadline, false)).toBeNull();
    expect(checkCutoff(process, type, booked, 'desk', deadline + 1, false)?.code).toBe('cutoff_passed');
    expect(checkCutoff(process, type, booked, 'desk', deadline + 1, true)).toBeNull();
  });
});

describe('booking window', () => {
  it('accepts a start at exactly the latest instant of the window', () => {
    const now = Date.parse('2026-11-23T10:00:00+01:00');
    const w = bookingWindow(type, now);
    expect(checkBookingWindow(type, w.latest, now, false)).toBeNull();
    expect(checkBookingWindow(type, w.latest + 1, now, false)?.code).toBe('too_far');
    expect(checkBookingWindow(type, w.earliest, now, false)).toBeNull();
  });

  it('refuses a time that starts now, even with an override (a visit that has begun is "started" online too)', () => {
    const now = Date.parse('2026-11-23T10:00:00+01:00');
    const open = { ...type, bookMinLeadH: 0 };
    expect(checkBookingWindow(open, now, now, false)?.code).toBe('past');
    expect(checkBookingWindow(open, now, now, true)?.code).toBe('past');
    expect(checkBookingWindow(open, now + 60_000, now, false)).toBeNull();
  });

  it('counts the days from the Stockholm date, also just after local midnight (still yesterday in UTC)', () => {
    // 00:30 on Monday 23 November in Stockholm is 23:30 on Sunday 22 November in UTC.
    const now = Date.parse('2026-11-23T00:30:00+01:00');
    expect(bookingWindow(type, now).latest).toBe(Date.parse('2026-12-24T00:00:00+01:00') - 1);
    expect(checkBookingWindow(type, Date.parse('2026-12-23T08:00:00+01:00'), now, false)).toBeNull();
    // Summer time: 01:30 CEST is still the previous day in UTC.
    const summer = Date.parse('2026-06-10T01:30:00+02:00');
    expect(checkBookingWindow(type, Date.parse('2026-07-10T15:00:00+02:00'), summer, false)).toBeNull();
    expect(checkBookingWindow(type, Date.parse('2026-07-11T08:00:00+02:00'), summer, false)?.code).toBe('too_far');
  });
});
