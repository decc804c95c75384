// Adversarial cases for the pure booking rules (issue 3 items 1 and 5), as a regional tester would
// try them: reason rules per process and reason codes as stored, every status mark from every
// status, the online decisions at and around their deadline, the desk and the web held to one
// deadline, and the booking window at its edges. Expected answers follow from the rules, not
// from the code.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { BookingStatus } from '../../../src-main/api/types.ts';
import { appointmentTypeFields } from '../../../src-main/domain/appointment-type-fields.ts';
import {
  checkBookingWindow,
  checkCutoff,
  checkMark,
  checkReason,
  mayPatientCancelOnline,
  mayPatientRebookOnline,
  type TypeRules,
} from '../../../src-main/domain/booking-rules.ts';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const ALL_STATUSES: BookingStatus[] = ['preliminary', 'booked', 'arrived', 'completed', 'cancelled', 'no_show', 'rebooked'];

const rules = (patch: Partial<TypeRules> = {}): TypeRules => ({
  active: true,
  contactModes: ['physical'],
  professions: [],
  webBookable: true,
  invitationOnly: false,
  webCancellable: true,
  webRebookable: true,
  cancelCutoffH: 24,
  rebookCutoffH: 48,
  reasonNew: 'optional',
  reasonCancel: 'optional',
  reasonRebook: 'optional',
  reasonCodes: [],
  bookMinLeadH: 0,
  bookMaxDays: 30,
  ...patch,
});

describe('reason rules per process', () => {
  const CODES = [{ code: 'SJUK', textSv: 'Sjuk', textEn: 'Ill' }];
  type Given = { reasonCode?: string; reasonText?: string };
  // [rule, codes on the type, given, expected breach code or null]
  const cases: [TypeRules['reasonNew'], boolean, Given, string | null][] = [
    ['mandatory', true, {}, 'reason_missing'],
    ['mandatory', true, { reasonText: ' \t ' }, 'reason_missing'],
    ['mandatory', true, { reasonCode: '  ' }, 'reason_missing'],
    ['mandatory', true, { reasonText: 'Förhinder' }, null],
    ['mandatory', true, { reasonCode: 'SJUK' }, null],
    ['mandatory', true, { reasonCode: ' SJUK ' }, null],
    // Typed in another case: the type's SJUK (stored as SJUK, see reasonCodeAsDefined).
    ['mandatory', true, { reasonCode: 'sjuk' }, null],
    ['mandatory', true, { reasonCode: 'SJUKT', reasonText: 'Förkyld' }, 'reason_code'],
    ['optional', true, {}, null],
    ['optional', true, { reasonCode: 'OKAND' }, 'reason_code'],
    ['unsupported', true, {}, null],
    ['unsupported', true, { reasonText: '   ' }, null],
    ['unsupported', true, { reasonText: 'Ont i halsen' }, 'reason_unsupported'],
    ['unsupported', true, { reasonCode: 'SJUK' }, 'reason_unsupported'],
    // A type without any reason codes has no code to give: a code would be stored unexplained.
    ['optional', false, { reasonCode: 'HITTEPA' }, 'reason_code'],
    ['mandatory', false, { reasonCode: 'HITTEPA' }, 'reason_code'],
    ['mandatory', false, { reasonText: 'Förhinder' }, null],
  ];
  for (const process of ['new', 'cancel', 'rebook'] as const) {
    it.each(cases)(`${process}: %s with codes=%s, given %j -> %s`, (rule, withCodes, given, want) => {
      const key = process === 'new' ? 'reasonNew' : process === 'cancel' ? 'reasonCancel' : 'reasonRebook';
      // The other processes' rules are the opposite extreme, so only this process's rule can decide.
      const type = rules({
        reasonNew: 'unsupported',
        reasonCancel: 'unsupported',
        reasonRebook: 'unsupported',
        [key]: rule,
        reasonCodes: withCodes ? CODES : [],
      });
      const got = checkReason(process, type, given);
      expect(got?.code ?? null).toBe(want);
      if (got) expect(got.kind).toBe('validation');
    });
  }

  it('names the process and the unknown code in Swedish', () => {
    const type = rules({ reasonCancel: 'mandatory' });
    expect(checkReason('cancel', type, {})?.messageSv).toBe('Ange orsak till avbokningen.');
    expect(checkReason('rebook', rules({ reasonRebook: 'unsupported' }), { reasonText: 'x' })?.messageSv).toBe(
      'Besökstypen tar inte emot orsak vid ombokning.',
    );
    expect(checkReason('new', rules(), { reasonCode: 'HITTEPA' })?.messageSv).toBe(
      'Orsakskoden HITTEPA finns inte för besökstypen: den har inga orsakskoder. Skriv orsaken som text.',
    );
    expect(
      checkReason('new', rules({ reasonCodes: [{ code: 'A', textSv: 'a', textEn: 'a' }] }), { reasonCode: 'B' })?.messageSv,
    ).toBe('Orsakskoden B finns inte för besökstypen.');
  });
});

describe('reason codes as a type stores them', () => {
  const schema = z.object({ reasonCodes: appointmentTypeFields.reasonCodes });
  it('are trimmed, so that the code the desk gives (trimmed) matches the stored one', () => {
    const parsed = schema.parse({ reasonCodes: [{ code: ' SJUK ', textSv: ' Sjuk ', textEn: 'Ill ' }] });
    expect(parsed.reasonCodes).toEqual([{ code: 'SJUK', textSv: 'Sjuk', textEn: 'Ill' }]);
    expect(checkReason('cancel', rules({ reasonCodes: parsed.reasonCodes }), { reasonCode: 'SJUK' })).toBeNull();
  });
  it.each([
    [{ code: '   ', textSv: 'Sjuk', textEn: 'Ill' }],
    [{ code: 'SJUK', textSv: '  ', textEn: 'Ill' }],
    [{ code: 'SJUK', textSv: 'Sjuk', textEn: '' }],
  ])('refuse a blank code or text: %j', (code) => {
    expect(schema.safeParse({ reasonCodes: [code] }).success).toBe(false);
  });
});

describe('status marks from every status', () => {
  const today = '2026-11-23';
  type To = 'booked' | 'arrived' | 'no_show' | 'completed';
  // Today, the time has begun. [from, to, expected breach code or null]
  const begun: [BookingStatus, To, string | null][] = [
    ['booked', 'arrived', null],
    ['booked', 'completed', null],
    ['booked', 'no_show', null],
    ['booked', 'booked', null],
    ['preliminary', 'arrived', null],
    ['preliminary', 'no_show', null],
    ['preliminary', 'booked', 'preliminary'],
    ['arrived', 'arrived', null],
    ['arrived', 'completed', null],
    ['arrived', 'booked', null],
    ['arrived', 'no_show', 'contradicts_mark'],
    ['completed', 'no_show', 'contradicts_mark'],
    ['completed', 'booked', null],
    ['no_show', 'completed', 'contradicts_mark'],
    ['no_show', 'arrived', null],
    ['no_show', 'booked', null],
    ['cancelled', 'booked', 'not_active'],
    ['cancelled', 'completed', 'not_active'],
    ['cancelled', 'cancelled' as To, 'not_active'],
    ['rebooked', 'arrived', 'not_active'],
    ['rebooked', 'rebooked' as To, 'not_active'],
  ];
  it.each(begun)('today, begun: %s -> %s gives %s', (from, to, want) => {
    const got = checkMark(from, to, today, today, true);
    expect(got?.code ?? null).toBe(want);
    if (got) expect(got.kind).toBe('conflict');
  });

  it.each<[To, string | null]>([
    ['arrived', 'future'],
    ['completed', 'future'],
    ['no_show', 'future'],
    ['booked', null],
  ])('a visit tomorrow: booked -> %s gives %s', (to, want) => {
    expect(checkMark('booked', to, '2026-11-24', today, false)?.code ?? null).toBe(want);
  });

  it('no-show only once the time has begun, also for a preliminary booking; arrival before is fine', () => {
    expect(checkMark('booked', 'no_show', today, today, false)?.code).toBe('not_started');
    expect(checkMark('preliminary', 'no_show', today, today, false)?.code).toBe('not_started');
    expect(checkMark('booked', 'arrived', today, today, false)).toBeNull();
  });
});

describe('online cancel and rebook, at and around the deadline', () => {
  const start = at('2026-12-01T10:00:00+01:00');
  type Case = [
    name: string,
    patch: Partial<TypeRules>,
    status: BookingStatus,
    now: number,
    allowed: boolean,
    reason: string | null,
  ];
  const cancel: Case[] = [
    ['a second before the deadline', {}, 'booked', start - 24 * H - 1000, true, null],
    ['exactly at the deadline', {}, 'booked', start - 24 * H, true, null],
    ['a millisecond after', {}, 'booked', start - 24 * H + 1, false, 'deadline_passed'],
    ['preliminary, in time', {}, 'preliminary', start - 48 * H, true, null],
    ['cut-off 0: up to the start', { cancelCutoffH: 0 }, 'booked', start - 1, true, null],
    ['cut-off 0: not at the start', { cancelCutoffH: 0 }, 'booked', start, false, 'started'],
    ['the type forbids it, however early', { webCancellable: false }, 'booked', start - 500 * H, false, 'type_disallows'],
    ['a deactivated type may still be cancelled', { active: false }, 'booked', start - 48 * H, true, null],
    [
      'invitation-only types follow the same flag',
      { invitationOnly: true, webBookable: false },
      'booked',
      start - 48 * H,
      true,
      null,
    ],
    ...ALL_STATUSES.filter((s) => s !== 'booked' && s !== 'preliminary').map((s): Case => [
      `status ${s}`,
      {},
      s,
      start - 48 * H,
      false,
      'not_active',
    ]),
  ];
  it.each(cancel)('cancel: %s', (_n, patch, status, now, allowed, reason) => {
    const d = mayPatientCancelOnline(rules(patch), { status, startAt: start }, now);
    expect({ allowed: d.allowed, reason: d.reason }).toEqual({ allowed, reason });
  });

  const rebook: Case[] = [
    ['exactly at the 48 h deadline', {}, 'booked', start - 48 * H, true, null],
    ['a millisecond after', {}, 'booked', start - 48 * H + 1, false, 'deadline_passed'],
    ['the type forbids it', { webRebookable: false }, 'booked', start - 500 * H, false, 'type_disallows'],
    ['a deactivated type cannot be moved online', { active: false }, 'booked', start - 500 * H, false, 'type_disallows'],
    ['status cancelled', {}, 'cancelled', start - 500 * H, false, 'not_active'],
    ['status rebooked', {}, 'rebooked', start - 500 * H, false, 'not_active'],
  ];
  it.each(rebook)('rebook: %s', (_n, patch, status, now, allowed, reason) => {
    const d = mayPatientRebookOnline(rules(patch), { status, startAt: start }, now);
    expect({ allowed: d.allowed, reason: d.reason }).toEqual({ allowed, reason });
  });

  it('holds the desk to the very deadline the web gets; only the desk may override it', () => {
    const type = rules({ cancelCutoffH: 72, rebookCutoffH: 24 });
    const booking = { status: 'booked' as const, startAt: at('2027-03-29T08:00:00+02:00') };
    for (const process of ['cancel', 'rebook'] as const) {
      const hours = process === 'cancel' ? 72 : 24;
      // Over the spring night: real hours, so the deadline's wall clock is an hour later than the start's.
      const deadline = booking.startAt - hours * H;
      for (const now of [deadline - 1, deadline, deadline + 1, booking.startAt + 1]) {
        const late = now > deadline;
        const web = checkCutoff(process, type, booking, 'web', now, false);
        const desk = checkCutoff(process, type, booking, 'desk', now, false);
        const phone = checkCutoff(process, type, booking, 'phone', now, false);
        expect([web?.code ?? null, desk?.code ?? null, phone?.code ?? null]).toEqual(
          late ? ['cutoff_passed', 'cutoff_passed', 'cutoff_passed'] : [null, null, null],
        );
        expect(checkCutoff(process, type, booking, 'desk', now, true)).toBeNull();
        expect(checkCutoff(process, type, booking, 'web', now, true)?.code ?? null).toBe(late ? 'cutoff_passed' : null);
      }
    }
  });

  it('with a 0 h cut-off, closes at the start for the desk as for the web (the visit has begun)', () => {
    const type = rules({ cancelCutoffH: 0, rebookCutoffH: 0 });
    const booking = { status: 'booked' as const, startAt: start };
    for (const process of ['cancel', 'rebook'] as const) {
      for (const channel of ['web', 'desk', 'phone'] as const) {
        expect(checkCutoff(process, type, booking, channel, start - 1, false), `${process} ${channel} before`).toBeNull();
        expect(checkCutoff(process, type, booking, channel, start, false)?.code, `${process} ${channel} at start`).toBe(
          'cutoff_passed',
        );
      }
      expect(checkCutoff(process, type, booking, 'desk', start, true)).toBeNull();
    }
  });

  it.each(ALL_STATUSES.filter((s) => s !== 'booked' && s !== 'preliminary'))(
    'a %s booking is closed to cancel and rebook, override or not, with a Swedish reason',
    (status) => {
      for (const process of ['cancel', 'rebook'] as const) {
        const b = checkCutoff(process, rules(), { status, startAt: start }, 'desk', start - 100 * H, true);
        expect(b).toMatchObject({ kind: 'conflict', code: 'not_active' });
        expect(b!.messageSv).toMatch(/kan inte ändras\.$/);
      }
    },
  );
});

describe('the booking window at its edges', () => {
  const now = at('2026-11-23T09:10:00+01:00');
  const type = { nameSv: 'Läkarbesök', bookMinLeadH: 24, bookMaxDays: 30 };
  it.each<[string, number, boolean, string | null]>([
    ['the present instant', now, false, 'past'],
    ['the present instant, overridden', now, true, 'past'],
    ['a minute ago, overridden', now - 60_000, true, 'past'],
    ['a millisecond inside the lead time', now + 24 * H - 1, false, 'too_soon'],
    ['exactly the lead time', now + 24 * H, false, null],
    ['inside the lead time, overridden', now + H, true, null],
    ['the last minute of day 30 (2026-12-23 23:59)', at('2026-12-23T23:59:00+01:00'), false, null],
    ['midnight starting day 31', at('2026-12-24T00:00:00+01:00'), false, 'too_far'],
    ['day 31, overridden', at('2026-12-24T08:00:00+01:00'), true, null],
  ])('%s', (_n, startAt, override, want) => {
    expect(checkBookingWindow(type, startAt, now, override)?.code ?? null).toBe(want);
  });

  it('names the earliest and latest allowed time on the wall clock', () => {
    expect(checkBookingWindow(type, now + H, now, false)?.messageSv).toBe(
      'Läkarbesök måste bokas minst 24 timmar i förväg: tidigast 2026-11-24 kl. 09:10.',
    );
    expect(checkBookingWindow(type, at('2026-12-24T08:00:00+01:00'), now, false)?.messageSv).toBe(
      'Läkarbesök kan bokas högst 30 dagar framåt: senast 2026-12-23.',
    );
  });

  it('counts the lead in real hours over the autumn night: 24 h after Saturday 10:00 CEST is Sunday 09:00 CET', () => {
    const sat = at('2027-10-30T10:00:00+02:00');
    expect(checkBookingWindow(type, at('2027-10-31T08:59:00+01:00'), sat, false)?.code).toBe('too_soon');
    expect(checkBookingWindow(type, at('2027-10-31T09:00:00+01:00'), sat, false)).toBeNull();
  });
});
