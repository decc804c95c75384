// Booking rules: cut-off deadlines (the same for web and desk, the desk may override), the online
// decisions, the booking window, reasons per process, fit of type/slot/resource, status marks.
import { describe, expect, it } from 'vitest';
import {
  checkBookingWindow,
  checkCutoff,
  checkFit,
  checkMark,
  checkReason,
  cutoffDeadline,
  mayPatientCancelOnline,
  mayPatientRebookOnline,
  type TypeRules,
} from '../../../src-main/domain/booking-rules.ts';

const H = 3_600_000;
const start = Date.parse('2026-11-25T09:00:00+01:00');
const type: TypeRules = {
  active: true,
  contactModes: ['physical', 'video'],
  professions: ['lakare'],
  webBookable: true,
  invitationOnly: false,
  webCancellable: true,
  webRebookable: false,
  cancelCutoffH: 24,
  rebookCutoffH: 72,
  reasonNew: 'optional',
  reasonCancel: 'mandatory',
  reasonRebook: 'unsupported',
  reasonCodes: [{ code: 'SJUK', textSv: 'Sjuk', textEn: 'Ill' }],
  bookMinLeadH: 2,
  bookMaxDays: 30,
};
const booked = { status: 'booked' as const, startAt: start };

describe('cut-offs', () => {
  it('puts the deadline cutoff hours before the start', () => {
    expect(cutoffDeadline(start, 24)).toBe(start - 24 * H);
    expect(cutoffDeadline(start, 0)).toBe(start);
  });

  it('lets the patient cancel online until the deadline, inclusive', () => {
    expect(mayPatientCancelOnline(type, booked, start - 25 * H)).toEqual({
      allowed: true,
      reason: null,
      deadline: start - 24 * H,
    });
    expect(mayPatientCancelOnline(type, booked, start - 24 * H).allowed).toBe(true);
    expect(mayPatientCancelOnline(type, booked, start - 24 * H + 1)).toMatchObject({ allowed: false, reason: 'deadline_passed' });
    expect(mayPatientCancelOnline(type, booked, start + 1)).toMatchObject({ allowed: false, reason: 'started' });
    expect(mayPatientCancelOnline(type, { ...booked, status: 'cancelled' }, start - 48 * H)).toMatchObject({
      reason: 'not_active',
    });
  });

  it('follows the type flag for online rebooking', () => {
    expect(mayPatientRebookOnline(type, booked, start - 100 * H)).toEqual({
      allowed: false,
      reason: 'type_disallows',
      deadline: null,
    });
    const rebookable = { ...type, webRebookable: true };
    expect(mayPatientRebookOnline(rebookable, booked, start - 73 * H).allowed).toBe(true);
    expect(mayPatientRebookOnline(rebookable, booked, start - 71 * H).reason).toBe('deadline_passed');
  });

  it('applies the same cut-off at the desk, where only an explicit override passes it', () => {
    const late = start - 2 * H;
    expect(checkCutoff('cancel', type, booked, 'desk', start - 30 * H, false)).toBeNull();
    expect(checkCutoff('cancel', type, booked, 'desk', late, false)).toMatchObject({ kind: 'conflict', code: 'cutoff_passed' });
    expect(checkCutoff('cancel', type, booked, 'phone', late, true)).toBeNull();
    expect(checkCutoff('cancel', type, booked, 'web', late, true)).toMatchObject({ code: 'cutoff_passed' });
    expect(checkCutoff('rebook', type, booked, 'web', start - 100 * H, false)).toMatchObject({ code: 'web_disallowed' });
    expect(checkCutoff('rebook', type, booked, 'desk', start - 71 * H, false)?.messageSv).toMatch(/72 timmar/);
    expect(checkCutoff('cancel', type, { ...booked, status: 'arrived' }, 'desk', late, true)).toMatchObject({
      code: 'not_active',
    });
  });
});

describe('booking window', () => {
  const now = start - 10 * H;
  it('needs the minimum lead time and no more than the maximum days ahead', () => {
    expect(checkBookingWindow(type, start, now, false)).toBeNull();
    expect(checkBookingWindow(type, now + H, now, false)).toMatchObject({ code: 'too_soon' });
    expect(checkBookingWindow(type, now + 31 * 24 * H, now, false)).toMatchObject({ code: 'too_far' });
    expect(checkBookingWindow(type, now + H, now, true)).toBeNull();
    expect(checkBookingWindow(type, now - H, now, true)).toMatchObject({ code: 'past' });
  });
});

describe('reasons', () => {
  it('follows mandatory / optional / unsupported per process and the reason codes', () => {
    expect(checkReason('new', type, {})).toBeNull();
    expect(checkReason('cancel', type, {})).toMatchObject({ kind: 'validation', code: 'reason_missing' });
    expect(checkReason('cancel', type, { reasonText: '  ' })).toMatchObject({ code: 'reason_missing' });
    expect(checkReason('cancel', type, { reasonCode: 'SJUK' })).toBeNull();
    expect(checkReason('cancel', type, { reasonCode: 'ANNAT' })).toMatchObject({ code: 'reason_code' });
    expect(checkReason('rebook', type, { reasonText: 'flytt' })).toMatchObject({ code: 'reason_unsupported' });
  });
});

describe('fit of type, slot and resource', () => {
  const slot = { state: 'open', appointmentTypeIds: ['T'], webPublished: true, startAt: 0, endAt: 30 * 60_000 };
  const resource = { active: true, profession: 'lakare' };
  const base = {
    type: { ...type, durationMin: 30 },
    typeId: 'T',
    contactMode: 'physical' as const,
    channel: 'desk' as const,
    slot,
    resource,
  };
  it('names why a booking does not fit', () => {
    expect(checkFit(base)).toBeNull();
    expect(checkFit({ ...base, typeId: 'X' })?.code).toBe('type_not_in_slot');
    expect(checkFit({ ...base, contactMode: 'phone' })?.code).toBe('contact_mode');
    expect(checkFit({ ...base, resource: { active: true, profession: 'psykolog' } })?.code).toBe('profession');
    expect(checkFit({ ...base, slot: { ...slot, state: 'blocked' } })).toMatchObject({ kind: 'conflict', code: 'slot_blocked' });
    expect(checkFit({ ...base, type: { ...base.type, active: false } })?.code).toBe('type_inactive');
    expect(checkFit({ ...base, type: { ...base.type, durationMin: 45 } })?.code).toBe('slot_too_short');
    expect(checkFit({ ...base, channel: 'web', slot: { ...slot, webPublished: false } })?.code).toBe('not_published');
    const invitation = { ...base.type, webBookable: false, invitationOnly: true };
    expect(checkFit({ ...base, type: invitation, channel: 'web' })?.code).toBe('invitation_only');
    expect(checkFit({ ...base, type: invitation, channel: 'web', invited: true })).toBeNull();
    expect(checkFit({ ...base, type: invitation })).toBeNull();
  });
});

describe('status marks', () => {
  it('marks on the day or later, undoes to booked, never touches cancelled ones', () => {
    expect(checkMark('booked', 'arrived', '2026-11-25', '2026-11-25', false)).toBeNull();
    expect(checkMark('booked', 'arrived', '2026-11-26', '2026-11-25', false)).toMatchObject({ code: 'future' });
    expect(checkMark('no_show', 'booked', '2026-11-25', '2026-11-25', false)).toBeNull();
    expect(checkMark('cancelled', 'arrived', '2026-11-25', '2026-11-25', false)).toMatchObject({ code: 'not_active' });
    expect(checkMark('rebooked', 'completed', '2026-11-25', '2026-11-25', false)).toMatchObject({ code: 'not_active' });
  });
});
