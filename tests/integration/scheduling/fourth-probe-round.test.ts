// A fourth outside checker's round on the scheduling core (issue 3), over real SQLite files through
// the api boundary (dispatch), the web shell's HTTP api and the `tidbok` CLI. The parts the first
// three rounds touched least: a type's fields edited while booked, reason codes and cut-off
// overrides as the audit log keeps them, the booking window across a clock change, every-N-weeks
// templates across 2032→2033 and the spring change of 2033, a template's last day in preview and
// expansion, the holidays of 2032–2033, moves onto times that cannot take them, and an absence's
// proposals and their application. Expected answers are worked out here, not read off Tidbok.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { clockUnit, demoApi } from './helpers.ts';
import type { InputOf } from '../../../src-main/api/contract.ts';
import type { ApiError } from '../../../src-main/api/result.ts';
import type { Booking } from '../../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';
import { httpAs, startShell } from '../../helpers/web-shell.ts';
import { runTidbok } from '../../helpers/cli-process.ts';

const wall = (ms: number) => `${localDate(ms)} ${localTime(ms)}`;
const DAY = 86_400_000;
const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const isoWeekday = (d: string) => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
/** The rule a refusal names (`details.rule`). */
const ruleOf = (e: ApiError) => (e.details as { rule?: string } | undefined)?.rule;
const mondayOf = (d: string) => plusDays(d, 1 - isoWeekday(d));

let units = 0;
async function freshUnit(nowIso: string, rules: Record<string, unknown> = {}) {
  units += 1;
  const unit = await clockUnit(
    nowIso,
    { hsaId: `SE2321000016-PRB4${units}`, name: 'Vårdcentralen Fjärde Rundan', nurse: true },
    { code: 'BES30', nameSv: 'Läkarbesök', nameEn: 'Doctor visit', durationMin: 30 },
    rules,
  );
  const { api, type, patient } = unit;
  const template = async (over: Partial<InputOf<'templates.create'>['template']>) => (await unit.template(over)).template;
  const book = (slotId: string, extra: Partial<InputOf<'bookings.book'>> = {}) =>
    api.ok('bookings.book', { slotId, patientId: patient.id, appointmentTypeId: type.id, ...extra });
  const person = (serial: number, extra: Partial<InputOf<'patients.create'>> = {}) =>
    api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1970-05-17', serial),
      givenName: 'Probe',
      familyName: `Nummer${serial}`,
      ...extra,
    });
  /** Rows of the log and outbox: a refused call adds none. */
  const written = () => ({
    audit: api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`),
    outbox: api.count(`SELECT count(*) AS n FROM outbox`),
    bookings: api.count(`SELECT count(*) AS n FROM bookings`),
  });
  return { ...unit, sol: unit.sol!, template, book, person, written };
}

// ------------------------------------------------------------------ 1. appointment types
describe('an appointment type edited while its times are booked', () => {
  it('reports the booked times a new length or profession no longer fits, keeps them booked, and a repeat writes nothing', async () => {
    const { api, slot, book, person, type, written } = await freshUnit('2026-12-01T07:00:00+01:00');
    const a = await slot('2026-12-03', '08:00', '08:30');
    const b = await slot('2026-12-03', '08:30', '09:00');
    await slot('2026-12-03', '09:00', '10:00');
    const booked = await book(a.id);
    const other = await person(7);
    await api.ok('bookings.book', { slotId: b.id, patientId: other.id, appointmentTypeId: type.id });
    const longer = await api.ok('appointmentTypes.update', { id: type.id, durationMin: 45 });
    expect(longer.unfitBooked.map((u) => [u.bookingId, u.reason]).sort()).toEqual(
      [
        [booked.id, 'tooShort'],
        [(await api.ok('bookings.forPatient', { patientId: other.id }))[0]!.id, 'tooShort'],
      ].sort(),
    );
    // Both 30-minute times are booked: only the free 60-minute one is counted, and it still fits.
    expect(longer.unfitFreeSlots).toEqual({ tooShort: 0, wrongProfession: 0 });
    const before = written();
    const again = await api.ok('appointmentTypes.update', { id: type.id, durationMin: 45 });
    expect(again.version).toBe(longer.version);
    expect(written()).toEqual(before);
    const nurses = await api.ok('appointmentTypes.update', { id: type.id, professions: ['sjukskoterska'] });
    expect(nurses.unfitBooked.map((u) => u.reason)).toEqual(['wrongProfession', 'wrongProfession']);
    expect(nurses.unfitFreeSlots.wrongProfession).toBe(1);
    // Reported, not undone: the bookings stand as they were.
    expect((await api.ok('bookings.get', { id: booked.id })).status).toBe('booked');
  });

  it('a visit reason code the type later drops stays on the booking and moves with it', async () => {
    const { api, slot, book, type } = await freshUnit('2026-12-01T07:00:00+01:00', {
      reasonCodes: [
        { code: 'ONT', textSv: 'Ont', textEn: 'Pain' },
        { code: 'KONTR', textSv: 'Kontroll', textEn: 'Check-up' },
      ],
      reasonNew: 'mandatory',
      reasonRebook: 'optional',
    });
    const a = await slot('2026-12-03', '08:00', '08:30');
    const b = await slot('2026-12-04', '08:00', '08:30');
    const booked = await book(a.id, { reasonCode: 'ont' });
    expect((await api.ok('bookings.get', { id: booked.id })).reasonCode).toBe('ONT');
    await api.ok('appointmentTypes.update', {
      id: type.id,
      reasonCodes: [{ code: 'KONTR', textSv: 'Kontroll', textEn: 'Check-up' }],
    });
    const moved = await api.ok('bookings.rebook', { id: booked.id, slotId: b.id });
    expect((await api.ok('bookings.get', { id: moved.new.id })).reasonCode).toBe('ONT');
    // But the dropped code is no longer given anew.
    const refused = await api.err('bookings.rebook', { id: moved.new.id, slotId: a.id, reasonCode: 'ONT' });
    expect([refused.code, refused.message]).toEqual(['validation', 'Orsakskoden ONT finns inte för besökstypen.']);
  });

  it('deactivating a type in use is allowed and delete is refused, then the unused type deletes', async () => {
    const { api, slot, book, type, written } = await freshUnit('2026-12-01T07:00:00+01:00');
    const booked = await book((await slot('2026-12-03', '08:00', '08:30')).id);
    const spare = await api.ok('appointmentTypes.create', {
      code: 'TOM',
      nameSv: 'Oanvänd',
      nameEn: 'Unused',
      durationMin: 15,
      contactModes: ['phone'],
    });
    const before = written();
    const del = await api.err('appointmentTypes.delete', { id: type.id });
    expect(del.code).toBe('conflict');
    expect(del.message).toMatch(/inaktivera/i);
    expect(written()).toEqual(before);
    expect((await api.ok('appointmentTypes.setActive', { id: type.id, active: false })).active).toBe(false);
    expect((await api.ok('bookings.get', { id: booked.id })).status).toBe('booked');
    // Deactivated and unused the other one goes.
    await api.ok('appointmentTypes.delete', { id: spare.id });
    expect((await api.ok('appointmentTypes.list', { includeInactive: true })).map((t) => t.code)).toEqual(['BES30']);
  });
});

describe('a type used only by a template, a single time or a cancelled booking', () => {
  it('counts as in use (delete refused); deactivated, its template lays no further times until it is active again', async () => {
    const { api, template, book, type } = await freshUnit('2026-12-14T07:00:00+01:00', { cancelCutoffH: 0 });
    const mk = (code: string) =>
      api.ok('appointmentTypes.create', {
        code,
        nameSv: code,
        nameEn: code,
        durationMin: 30,
        contactModes: ['physical'],
        professions: ['lakare'],
      });
    const byTemplate = await mk('MALL');
    const made = await template({ weekdays: [2], startTime: '10:00', endTime: '10:30', appointmentTypeIds: [byTemplate.id] });
    const bySlot = await mk('ENSTAKA');
    await api.ok('slots.create', {
      resourceId: made.resourceId,
      date: '2026-12-16',
      startTime: '09:00',
      endTime: '09:30',
      appointmentTypeIds: [bySlot.id],
    });
    const byCancelled = await mk('AVBOKAD');
    const shared = await api.ok('slots.create', {
      resourceId: made.resourceId,
      date: '2026-12-17',
      startTime: '09:00',
      endTime: '09:30',
      appointmentTypeIds: [byCancelled.id, type.id],
    });
    await api.ok('bookings.cancel', { id: (await book(shared.id, { appointmentTypeId: byCancelled.id })).id });
    for (const t of [byTemplate, bySlot, byCancelled])
      expect((await api.err('appointmentTypes.delete', { id: t.id })).code, t.code).toBe('conflict');
    const laid = async () => (await slotsOf(api, '2026-12-14', '2027-05-03')).filter((s) => s.templateId === made.id).length;
    expect(await laid()).toBe(12);
    // The deactivation names the template it leaves with no active type.
    const off = await api.ok('appointmentTypes.setActive', { id: byTemplate.id, active: false });
    expect(off.templatesLeftEmpty.map((x) => [x.templateId, x.resourceId])).toEqual([[made.id, made.resourceId]]);
    expect((await api.ok('templates.expand', { templateIds: [made.id], horizonWeeks: 20 })).created).toBe(0);
    expect(await laid()).toBe(12);
    await api.ok('appointmentTypes.setActive', { id: byTemplate.id, active: true });
    expect((await api.ok('templates.expand', { templateIds: [made.id], horizonWeeks: 20 })).created).toBe(8);
  });
});

describe('reason rules: what a refused reason leaves behind', () => {
  it('an unknown code, a blank mandatory reason and an unsupported one each refuse by name and write nothing', async () => {
    const { api, slot, book, type, patient, written } = await freshUnit('2026-12-01T07:00:00+01:00', {
      reasonCodes: [{ code: 'ONT', textSv: 'Ont', textEn: 'Pain' }],
      reasonNew: 'mandatory',
      reasonCancel: 'unsupported',
      reasonRebook: 'mandatory',
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const a = await slot('2026-12-03', '08:00', '08:30');
    const b = await slot('2026-12-04', '08:00', '08:30');
    const newOf = { patientId: patient.id, appointmentTypeId: type.id };
    const first = await api.err('bookings.book', { slotId: a.id, ...newOf, reasonCode: 'OKÄND' });
    const booked = await book(a.id, { reasonText: 'Ont i ryggen' });
    const before = written();
    const tries = [
      first,
      await api.err('bookings.book', { slotId: b.id, ...newOf, reasonText: '   ' }),
      await api.err('bookings.cancel', { id: booked.id, reasonText: 'Frisk' }),
      await api.err('bookings.cancel', { id: booked.id, reasonCode: 'ONT' }),
      await api.err('bookings.rebook', { id: booked.id, slotId: b.id }),
      await api.err('bookings.rebook', { id: booked.id, slotId: b.id, reasonCode: 'ONTT' }),
    ];
    expect(tries.map((e) => `${e.code} ${e.message}`)).toEqual([
      'validation Orsakskoden OKÄND finns inte för besökstypen.',
      'validation Ange orsak till bokningen.',
      'validation Besökstypen tar inte emot orsak vid avbokning.',
      'validation Besökstypen tar inte emot orsak vid avbokning.',
      'validation Ange orsak till ombokningen.',
      'validation Orsakskoden ONTT finns inte för besökstypen.',
    ]);
    expect(written()).toEqual(before);
    // A code typed in another case with spaces around is the type's own, stored as defined.
    const moved = await api.ok('bookings.rebook', { id: booked.id, slotId: b.id, reasonCode: ' ont ' });
    expect((await api.ok('bookings.get', { id: moved.old.id })).cancelReasonCode).toBe('ONT');
    expect((await api.ok('bookings.get', { id: moved.new.id })).reasonText).toBe('Ont i ryggen');
  });
});

describe('cut-offs at the desk: the override and what the log keeps', () => {
  it('refuses a late cancel or move without an override, or with one naming another rule; passes and logs {rule, rules, reason} with one', async () => {
    // Now: Tuesday 08:00; the visits are the same day at 15:00 and 15:30 (7 h ahead, cut-offs 24 h).
    const { api, slot, book, written } = await freshUnit('2026-12-01T08:00:00+01:00', { cancelCutoffH: 24, rebookCutoffH: 24 });
    const a = await book((await slot('2026-12-01', '15:00', '15:30')).id);
    const b = await book((await slot('2026-12-01', '15:30', '16:00')).id);
    const later = await slot('2026-12-08', '09:00', '09:30');
    const before = written();
    const refusals = [
      await api.err('bookings.cancel', { id: a.id }),
      await api.err('bookings.cancel', { id: a.id, override: { reason: 'Ringde', rules: ['too_soon', 'too_far'] } }),
      await api.err('bookings.rebook', { id: b.id, slotId: later.id }),
      await api.err('bookings.rebook', { id: b.id, slotId: later.id, override: { reason: 'Ringde', rules: ['patient_busy'] } }),
    ];
    expect(refusals.map((r) => [r.code, ruleOf(r)])).toEqual([
      ['conflict', 'cutoff_passed'],
      ['conflict', 'cutoff_passed'],
      ['conflict', 'cutoff_passed'],
      ['conflict', 'cutoff_passed'],
    ]);
    // 24 h before 15:00 on 1 December: 30 November 15:00, on the unit's clock.
    expect(refusals[0]!.message).toContain('2026-11-30 kl. 15:00');
    expect(refusals[2]!.message).toContain('2026-11-30 kl. 15:30');
    expect(written()).toEqual(before);
    await api.ok('bookings.cancel', { id: a.id, override: { reason: 'Sjuk, ringde i morse', rules: ['cutoff_passed'] } });
    const moved = await api.ok('bookings.rebook', { id: b.id, slotId: later.id, override: { reason: 'Bilen gick sönder' } });
    const logged = (id: string, op: string) =>
      JSON.parse(
        api.ctx.db
          .prepare(`SELECT detail ->> '$.override' AS o FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' = ?`)
          .pluck()
          .get(id, op) as string,
      ) as unknown;
    expect(logged(a.id, 'cancel')).toEqual({ rule: 'cutoff_passed', rules: ['cutoff_passed'], reason: 'Sjuk, ringde i morse' });
    expect(logged(moved.new.id, 'rebook')).toEqual({
      rule: 'cutoff_passed',
      rules: ['cutoff_passed'],
      reason: 'Bilen gick sönder',
    });
    // A reason of blanks is no reason.
    const c = await book((await slot('2026-12-01', '16:00', '16:30')).id);
    const blank = await api.err('bookings.cancel', { id: c.id, override: { reason: '   ' } });
    expect([blank.code, blank.message]).toEqual(['validation', expect.stringContaining('Ange varför regeln åsidosätts.')]);
  });
});

describe('the booking window across the spring clock change of 2027', () => {
  it('counts the 24 h lead in real hours: the hour the clock skips moves the first bookable time to 11:00', async () => {
    // Saturday 10:00 normaltid (09:00 UTC). 24 real hours later: Sunday 09:00 UTC, 11:00 sommartid.
    const { api, slot, type } = await freshUnit('2027-03-27T10:00:00+01:00');
    for (const [t, end] of [
      ['10:00', '10:30'],
      ['10:30', '11:00'],
      ['11:00', '11:30'],
      ['23:30', '24:00'],
    ] as const)
      await slot('2027-03-28', t, end);
    await slot('2027-03-29', '00:00', '00:30');
    await api.ok('appointmentTypes.update', { id: type.id, bookMinLeadH: 24, bookMaxDays: 1 });
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2027-03-27', to: '2027-03-30' });
    expect(free.map((f) => wall(f.startAt))).toEqual(['2027-03-28 11:00', '2027-03-28 23:30']);
  });
});

describe('the booking window across the autumn clock change of 2026', () => {
  it('counts the 24 h lead in real hours and takes the whole 25-hour last day', async () => {
    // Saturday 10:00 sommartid (08:00 UTC). 24 real hours later: Sunday 08:00 UTC, 09:00 vintertid.
    const { api, slot, book, type, written } = await freshUnit('2026-10-24T10:00:00+02:00');
    const made = new Map<string, string>();
    for (const [t, end] of [
      ['08:30', '09:00'],
      ['09:00', '09:30'],
      ['23:30', '24:00'],
    ] as const)
      made.set(t, (await slot('2026-10-25', t, end)).id);
    const nextDay = await slot('2026-10-26', '00:00', '00:30');
    await api.ok('appointmentTypes.update', { id: type.id, bookMinLeadH: 24, bookMaxDays: 1 });
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-10-24', to: '2026-10-27' });
    expect(free.map((f) => wall(f.startAt))).toEqual(['2026-10-25 09:00', '2026-10-25 23:30']);
    const before = written();
    const early = await api.err('bookings.book', {
      slotId: made.get('08:30')!,
      patientId: (await api.ok('patients.search', { query: 'Klocksson' }))[0]!.id,
      appointmentTypeId: type.id,
    });
    expect(ruleOf(early)).toBe('too_soon');
    const late = await api.err('bookings.book', {
      slotId: nextDay.id,
      patientId: (await api.ok('patients.search', { query: 'Klocksson' }))[0]!.id,
      appointmentTypeId: type.id,
    });
    expect(ruleOf(late)).toBe('too_far');
    expect(written()).toEqual(before);
    expect(wall((await book(made.get('09:00')!)).startAt)).toBe('2026-10-25 09:00');
  });
});

// ------------------------------------------------------------------ 2. templates
type Unit = Awaited<ReturnType<typeof freshUnit>>;
/** The slots of [from, to) in the week view, fetched 56 days at a time (it shows at most 62). */
async function slotsOf(api: Unit['api'], from: string, to: string) {
  const out = [];
  for (let d = from; d < to; d = plusDays(d, 56)) {
    const end = plusDays(d, 56) < to ? plusDays(d, 56) : to;
    out.push(...(await api.ok('calendar.range', { from: d, to: end })).slots);
  }
  return out;
}
/** The dates from `from` to `to` (inclusive) on `weekdays`, in the weeks N apart from `anchor`'s week. */
function rhythm(anchor: string, from: string, to: string, weekdays: number[], n: number): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = plusDays(d, 1)) {
    const weeks = Math.round((Date.parse(mondayOf(d)) - Date.parse(mondayOf(anchor))) / (7 * DAY));
    if (d >= anchor && weekdays.includes(isoWeekday(d)) && weeks % n === 0) out.push(d);
  }
  return out;
}

describe('every third week from a Thursday, through the spring change and Easter of 2033', () => {
  it('runs in the weeks counted from valid_from’s own week, at 08:00 on the wall clock, skipping påskdagen and Kristi himmelsfärdsdag', async () => {
    const { api, template, type } = await freshUnit('2033-03-01T09:00:00+01:00');
    const made = await template({
      validFrom: '2033-03-03',
      weekdays: [1, 4, 7],
      everyNWeeks: 3,
      startTime: '08:00',
      endTime: '09:00',
    });
    const report = await api.ok('templates.expand', { templateIds: [made.id], horizonWeeks: 14 });
    const laid = (await slotsOf(api, '2033-02-28', '2033-06-06')).filter((s) => s.templateId === made.id);
    const closed = ['2033-04-17', '2033-05-26']; // påskdagen (a Sunday), Kristi himmelsfärdsdag (a Thursday)
    const days = rhythm('2033-03-03', '2033-03-03', '2033-06-05', [1, 4, 7], 3).filter((d) => !closed.includes(d));
    expect(days).toEqual([
      '2033-03-03',
      '2033-03-06',
      '2033-03-21',
      '2033-03-24',
      '2033-03-27',
      '2033-04-11',
      '2033-04-14',
      '2033-05-02',
      '2033-05-05',
      '2033-05-08',
      '2033-05-23',
      '2033-05-29',
    ]);
    expect(laid.map((s) => wall(s.startAt))).toEqual(days.flatMap((d) => [`${d} 08:00`, `${d} 08:30`]));
    // The change day itself (Sunday 27 March) is in sommartid: 06:00 UTC, the Thursday before 07:00.
    const utcOf = (d: string) => new Date(laid.find((s) => localDate(s.startAt) === d)!.startAt).toISOString().slice(11, 16);
    expect([utcOf('2033-03-24'), utcOf('2033-03-27')]).toEqual(['07:00', '06:00']);
    expect((await api.ok('templates.expand', { templateIds: [made.id], horizonWeeks: 14 })).created).toBe(0);
    expect(report.skippedHolidays.map((h) => h.date).filter((d) => d <= '2033-06-05')).toEqual(closed);
    // First lediga tid sees the same days.
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2033-03-02', to: '2033-06-05', limit: 100 });
    expect([...new Set(free.map((f) => localDate(f.startAt)))]).toEqual(days);
  });
});

describe('every other week from week 53 of 2032, over the new year', () => {
  it('lays the weeks counted from valid_from (not week numbers), ends on valid_to inclusive, and preview agrees with expansion; nyårsafton follows the unit’s choice', async () => {
    const { api, template, dag } = await freshUnit('2032-12-20T09:00:00+01:00');
    await api.ok('holidays.setRules', { julafton: true, midsommarafton: true, nyarsafton: false });
    const spec = {
      validFrom: '2032-12-30',
      validTo: '2033-01-28',
      weekdays: [1, 4, 5],
      everyNWeeks: 2,
      startTime: '13:00',
      endTime: '14:00',
      slotMin: 60,
    };
    const made = await template(spec);
    const laid = async () =>
      (await api.ok('calendar.range', { from: '2032-12-27', to: '2033-02-07' })).slots
        .filter((s) => s.templateId === made.id)
        .map((s) => localDate(s.startAt));
    // ISO weeks 53 (2032), 2 and 4 (2033): a rule on week numbers would lay week 1 as well (53 and 1 both odd).
    const expected = rhythm('2032-12-30', '2032-12-27', '2033-01-28', [1, 4, 5], 2);
    expect(expected).toEqual([
      '2032-12-30',
      '2032-12-31',
      '2033-01-10',
      '2033-01-13',
      '2033-01-14',
      '2033-01-24',
      '2033-01-27',
      '2033-01-28',
    ]);
    expect(await laid()).toEqual(expected);
    // Preview's `to` is the first day not shown; valid_to is the last day laid.
    const preview = (to: string) =>
      api.ok('templates.preview', {
        template: { ...spec, resourceId: dag.id, appointmentTypeIds: made.appointmentTypeIds },
        from: '2032-12-27',
        to,
      });
    expect((await preview('2033-01-28')).slots.map((s) => s.date)).toEqual(expected.slice(0, -1));
    expect((await preview('2033-01-29')).slots.map((s) => s.date)).toEqual(expected);
    expect((await preview('2033-02-07')).slots.map((s) => s.date)).toEqual(expected);
    // The unit closes on nyårsafton after all: that day's time goes, and comes back when it opens again.
    const closing = await api.ok('holidays.setRules', { julafton: true, midsommarafton: true, nyarsafton: true });
    expect(closing.slotsRemoved).toBe(1);
    expect(await laid()).toEqual(expected.filter((d) => d !== '2032-12-31'));
    expect((await preview('2033-01-29')).skipped).toEqual([{ date: '2032-12-31', holiday: 'nyårsafton' }]);
    const opening = await api.ok('holidays.setRules', { julafton: true, midsommarafton: true, nyarsafton: false });
    expect(opening.slotsCreated).toBe(1);
    expect(await laid()).toEqual(expected);
  });
});

describe('a template edited while some of its future times are booked', () => {
  it('reports exactly the booked times the edit would change, leaves them, and lays the rest anew once', async () => {
    const { api, template, book, person, type } = await freshUnit('2026-12-01T07:00:00+01:00');
    const made = await template({ weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '10:00', slotMin: 30 });
    const week = (await api.ok('calendar.range', { from: '2026-12-02', to: '2026-12-05' })).slots.filter(
      (s) => s.templateId === made.id,
    );
    const at = (d: string, t: string) => week.find((s) => wall(s.startAt) === `${d} ${t}`)!;
    const kept = await book(at('2026-12-02', '08:00').id); // still inside 08:00–09:00
    const cut = await book(at('2026-12-03', '09:30').id); // outside it
    const other = await person(11, { protectedIdentity: true });
    const cutToo = await api.ok('bookings.book', {
      slotId: at('2026-12-04', '09:00').id,
      patientId: other.id,
      appointmentTypeId: type.id,
    });
    const edit = await api.ok('templates.update', { id: made.id, changes: { endTime: '09:00' } });
    expect(edit.expansion.bookedUnchanged.map((b) => b.bookingId).sort()).toEqual([cut.id, cutToo.id].sort());
    expect(edit.expansion.bookedUnchanged.find((b) => b.bookingId === cutToo.id)).toMatchObject({ protectedIdentity: true });
    expect(edit.expansion.bookedUnchanged.find((b) => b.bookingId === cutToo.id)!.patientName).not.toMatch(/Nummer11/);
    expect(edit.expansion.bookedUnchanged.map((b) => b.bookingId)).not.toContain(kept.id);
    const after = (await api.ok('calendar.range', { from: '2026-12-02', to: '2026-12-05' })).slots.map((s) => wall(s.startAt));
    expect(after).toEqual([
      '2026-12-02 08:00',
      '2026-12-02 08:30',
      '2026-12-03 08:00',
      '2026-12-03 08:30',
      '2026-12-03 09:30',
      '2026-12-04 08:00',
      '2026-12-04 08:30',
      '2026-12-04 09:00',
    ]);
    const audits = api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`);
    const again = await api.ok('templates.expand', { templateIds: [made.id] });
    expect([again.created, again.updated, again.removed]).toEqual([0, 0, 0]);
    expect(api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`)).toBe(audits);
    // Saved again as it is: no change, no new version.
    const same = await api.ok('templates.update', { id: made.id, changes: { endTime: '09:00' } });
    expect(same.template.version).toBe(edit.template.version);
  });
});

describe('a template edited in the middle of a day', () => {
  it('reports the booked times still ahead, not one already past, and leaves the day’s past times as they were', async () => {
    const { api, template, book, person, type } = await freshUnit('2026-12-01T07:00:00+01:00', {
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const made = await template({ weekdays: [3], startTime: '08:00', endTime: '12:00', validFrom: '2026-12-02' });
    const wed = (await api.ok('calendar.range', { from: '2026-12-02', to: '2026-12-03' })).slots;
    const at = (t: string) => wed.find((s) => wall(s.startAt) === `2026-12-02 ${t}`)!.id;
    const past = await book(at('08:00'));
    const ahead = await api.ok('bookings.book', {
      slotId: at('11:00'),
      patientId: (await person(41)).id,
      appointmentTypeId: type.id,
    });
    api.setNow('2026-12-02T10:00:00+01:00');
    const edit = await api.ok('templates.update', { id: made.id, changes: { startTime: '09:00', endTime: '10:00' } });
    expect(edit.expansion.bookedUnchanged.map((b) => b.bookingId)).toEqual([ahead.id]);
    const day = (await api.ok('calendar.range', { from: '2026-12-02', to: '2026-12-03' })).slots.map((s) => localTime(s.startAt));
    // The morning's times stay (the past is not rewritten); 10:30 and 11:30 go; 11:00 is booked.
    expect(day).toEqual(['08:00', '08:30', '09:00', '09:30', '11:00']);
    expect((await api.ok('bookings.get', { id: past.id })).status).toBe('booked');
  });
});

describe('the preview of a template edit and the edit itself', () => {
  it('agree on what overlaps a single time, give way to the template’s own times, and keep its booked one', async () => {
    const { api, template, slot, book, dag, type } = await freshUnit('2026-12-07T07:00:00+01:00');
    const made = await template({ weekdays: [1, 2, 3], startTime: '08:00', endTime: '10:00', validTo: '2026-12-23' });
    await slot('2026-12-08', '10:00', '10:30');
    await slot('2026-12-15', '10:15', '10:45');
    const wed = (await api.ok('calendar.range', { from: '2026-12-09', to: '2026-12-10' })).slots[0]!;
    const kept = await book(wed.id); // 08:00, outside the edited 08:30–11:00
    const changes = { startTime: '08:30', endTime: '11:00' };
    const preview = await api.ok('templates.preview', {
      template: {
        ...changes,
        resourceId: dag.id,
        weekdays: [1, 2, 3],
        slotMin: 30,
        validFrom: '2026-12-07',
        validTo: '2026-12-23',
        appointmentTypeIds: [type.id],
      },
      templateId: made.id,
      from: '2026-12-07',
      to: '2026-12-24',
    });
    // Nine days (Mon–Wed of three weeks) × five times; the single times block 12-08 10:00 and 12-15 10:00, 10:30.
    expect(preview.slots).toHaveLength(45);
    expect(preview.overlapping.map((s) => `${s.date} ${s.startTime}`)).toEqual([
      '2026-12-08 10:00',
      '2026-12-15 10:00',
      '2026-12-15 10:30',
    ]);
    const edit = await api.ok('templates.update', { id: made.id, changes });
    expect(edit.expansion.skippedOverlaps).toBe(preview.overlapping.length);
    expect(edit.expansion.bookedUnchanged.map((b) => b.bookingId)).toEqual([kept.id]);
    const laid = (await api.ok('calendar.range', { from: '2026-12-07', to: '2026-12-24' })).slots.filter(
      (s) => s.templateId === made.id,
    );
    const overlapped = new Set(preview.overlapping.map((s) => s.startAt));
    expect(laid.map((s) => s.startAt).sort()).toEqual(
      [...preview.slots.filter((s) => !overlapped.has(s.startAt)).map((s) => s.startAt), kept.startAt].sort(),
    );
  });
});

describe('the closed days of 2033, when annandag pingst falls on nationaldagen and both eves on a Saturday', () => {
  it('lists the law’s days; Whit Monday 2032 is a working day; a Saturday template meets alla helgons dag', async () => {
    const { api, template } = await freshUnit('2032-05-10T09:00:00+02:00');
    await api.ok('holidays.setRules', { julafton: true, midsommarafton: false, nyarsafton: true });
    const listed = await api.ok('holidays.list', { year: 2033 });
    // Easter Sunday 2033-04-17; pingstdagen 2033-06-05, so Whit Monday is 6 June, nationaldagen anyway.
    expect(listed.filter((h) => h.closed).map((h) => h.date)).toEqual([
      '2033-01-01',
      '2033-01-06',
      '2033-04-15',
      '2033-04-17',
      '2033-04-18',
      '2033-05-01',
      '2033-05-26',
      '2033-06-05',
      '2033-06-06',
      '2033-06-25',
      '2033-11-05',
      '2033-12-24',
      '2033-12-25',
      '2033-12-26',
      '2033-12-31',
    ]);
    expect(listed.filter((h) => !h.closed).map((h) => `${h.date} ${h.eve}`)).toEqual(['2033-06-24 midsommarafton']);
    await template({ weekdays: [1, 6], startTime: '08:00', endTime: '08:30', validFrom: '2032-05-10', validTo: '2032-11-08' });
    await api.ok('templates.expand', { horizonWeeks: 27 });
    const days = new Set((await slotsOf(api, '2032-05-10', '2032-11-09')).map((s) => localDate(s.startAt)));
    // Whit Monday 2032-05-17 is open (not a holiday since 2005); alla helgons dag 2032 is Saturday 6 November.
    expect([days.has('2032-05-17'), days.has('2032-11-06'), days.has('2032-10-30'), days.has('2032-11-08')]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(days.has('2032-06-06')).toBe(false); // a Sunday anyway; 2032-06-26 midsommardagen is a Saturday:
    expect(days.has('2032-06-26')).toBe(false);
  });
});

// ------------------------------------------------------------------ 3. bookings
describe('a move onto a time that cannot take it', () => {
  it('refuses a blocked, removed, past, same, other-type, other-profession or other unit’s time by name, writing nothing and leaving the booking as it was', async () => {
    const { api, slot, book, sol, type, written } = await freshUnit('2026-12-01T07:00:00+01:00', {
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const booked = await book((await slot('2026-12-03', '08:00', '08:30')).id);
    const blocked = await slot('2026-12-03', '09:00', '09:30');
    await api.ok('slots.block', { id: blocked.id, reason: 'Möte' });
    const removed = await slot('2026-12-03', '10:00', '10:30');
    await api.ok('slots.remove', { id: removed.id });
    const past = await slot('2026-12-01', '07:00', '07:30');
    const otherType = await api.ok('appointmentTypes.create', {
      code: 'TEL15',
      nameSv: 'Telefon',
      nameEn: 'Phone',
      durationMin: 15,
      contactModes: ['phone'],
      professions: ['lakare', 'sjukskoterska'],
    });
    const phoneOnly = await api.ok('slots.create', {
      resourceId: sol.id,
      date: '2026-12-03',
      startTime: '11:00',
      endTime: '11:30',
      appointmentTypeIds: [otherType.id],
    });
    // Another unit's database: its slot id means nothing here.
    const elsewhere = await freshUnit('2026-12-01T07:00:00+01:00');
    const foreign = await elsewhere.slot('2026-12-03', '12:00', '12:30');
    api.setNow('2026-12-01T07:45:00+01:00'); // the 07:00 time has ended
    const before = written();
    const tries = {
      blocked: await api.err('bookings.rebook', { id: booked.id, slotId: blocked.id }),
      removed: await api.err('bookings.rebook', { id: booked.id, slotId: removed.id }),
      past: await api.err('bookings.rebook', { id: booked.id, slotId: past.id, override: { reason: 'Försök' } }),
      same: await api.err('bookings.rebook', { id: booked.id, slotId: booked.slotId }),
      otherType: await api.err('bookings.rebook', { id: booked.id, slotId: phoneOnly.id }),
      foreign: await api.err('bookings.rebook', { id: booked.id, slotId: foreign.id }),
    };
    expect(Object.fromEntries(Object.entries(tries).map(([k, e]) => [k, e.code]))).toEqual({
      blocked: 'conflict',
      removed: 'conflict',
      past: 'conflict',
      same: 'validation',
      otherType: 'validation',
      foreign: 'not_found',
    });
    for (const e of Object.values(tries)) expect(e.message).toMatch(/[åäöÅÄÖ]|tid|Tid/);
    expect(written()).toEqual(before);
    const still = await api.ok('bookings.get', { id: booked.id });
    expect([still.status, still.rebookedTo, still.slotId]).toEqual(['booked', null, booked.slotId]);
    // The nurse's time with the physicians' type on it cannot even be laid.
    const nurse = await api.err('slots.create', {
      resourceId: sol.id,
      date: '2026-12-03',
      startTime: '12:00',
      endTime: '12:30',
      appointmentTypeIds: [type.id],
    });
    expect(nurse.code).toBe('validation');
  });

  it('a chain of two moves keeps patient, type, contact mode and note, points both ways, and logs each move under the patient', async () => {
    const { api, slot, book, patient, type } = await freshUnit('2026-12-01T07:00:00+01:00', {
      contactModes: ['physical', 'video'],
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const a = await book((await slot('2026-12-03', '08:00', '08:30')).id, { contactMode: 'video', note: 'Tolk behövs' });
    const s2 = await slot('2026-12-04', '08:00', '08:30');
    const s3 = await slot('2026-12-05', '08:00', '08:30');
    const m1 = await api.ok('bookings.rebook', { id: a.id, slotId: s2.id, reasonText: 'Krock med jobbet' });
    const m2 = await api.ok('bookings.rebook', { id: m1.new.id, slotId: s3.id, contactMode: 'physical' });
    const all = await api.ok('bookings.forPatient', { patientId: patient.id, includeHistory: true });
    const byId = new Map(all.map((b) => [b.id, b]));
    const chain = [a.id, m1.new.id, m2.new.id].map((id) => byId.get(id)!);
    expect(chain.map((b) => [b.status, b.rebookedFrom, b.rebookedTo])).toEqual([
      ['rebooked', null, m1.new.id],
      ['rebooked', a.id, m2.new.id],
      ['booked', m1.new.id, null],
    ]);
    expect(chain.map((b) => [b.patient.id, b.appointmentTypeId, b.contactMode, b.note])).toEqual([
      [patient.id, type.id, 'video', 'Tolk behövs'],
      [patient.id, type.id, 'video', 'Tolk behövs'],
      [patient.id, type.id, 'physical', 'Tolk behövs'],
    ]);
    expect((await api.ok('bookings.get', { id: a.id })).cancelReasonText).toBe('Krock med jobbet');
    // The old times are free again and bookable.
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-12-03', to: '2026-12-05' });
    expect(free.map((f) => wall(f.startAt))).toEqual(['2026-12-03 08:00', '2026-12-04 08:00']);
    const logged = api.count(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'change' AND patient_id = ? AND detail ->> '$.op' = 'rebook'`,
      patient.id,
    );
    expect(logged).toBe(2);
  });

  it('a contact mode the type does not offer is refused at booking and at a move; one it offers is kept', async () => {
    const { api, slot, book, written } = await freshUnit('2026-12-01T07:00:00+01:00', { contactModes: ['physical', 'phone'] });
    const s1 = await slot('2026-12-03', '08:00', '08:30');
    const s2 = await slot('2026-12-04', '08:00', '08:30');
    const before = written();
    const video = await api.err('bookings.book', {
      slotId: s1.id,
      patientId: (await api.ok('patients.search', { query: 'Klocksson' }))[0]!.id,
      appointmentTypeId: (await api.ok('appointmentTypes.list', {}))[0]!.id,
      contactMode: 'video',
    });
    expect([video.code, ruleOf(video)]).toEqual(['validation', 'contact_mode']);
    expect(written()).toEqual(before);
    const booked = await book(s1.id, { contactMode: 'phone' });
    expect(booked.contactMode).toBe('phone');
    const moveVideo = await api.err('bookings.rebook', { id: booked.id, slotId: s2.id, contactMode: 'video' });
    expect([moveVideo.code, ruleOf(moveVideo)]).toEqual(['validation', 'contact_mode']);
    expect((await api.ok('bookings.rebook', { id: booked.id, slotId: s2.id })).new.contactMode).toBe('phone');
  });

  it('cancel twice, and the marks of a visit day: the second cancel and contradicting marks are refused, an undo is not', async () => {
    const { api, slot, book, person, type, written } = await freshUnit('2026-12-03T07:00:00+01:00', {
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const gone = await book((await slot('2026-12-03', '10:00', '10:30')).id);
    await api.ok('bookings.cancel', { id: gone.id });
    const before = written();
    const twice = await api.err('bookings.cancel', { id: gone.id });
    expect(twice.code).toBe('conflict');
    expect(written()).toEqual(before);
    const visit = await book((await slot('2026-12-03', '08:00', '08:30')).id);
    const mark = (status: 'booked' | 'arrived' | 'no_show' | 'completed') => api.ok('bookings.mark', { id: visit.id, status });
    const refuse = async (status: 'booked' | 'arrived' | 'no_show' | 'completed') =>
      ruleOf(await api.err('bookings.mark', { id: visit.id, status }));
    // 07:00: before the time. Arrived early is fine; no-show is not yet.
    expect(await refuse('no_show')).toBe('not_started');
    expect((await mark('arrived')).status).toBe('arrived');
    api.setNow('2026-12-03T08:10:00+01:00');
    expect(await refuse('no_show')).toBe('contradicts_mark');
    expect((await mark('completed')).status).toBe('completed');
    expect(await refuse('no_show')).toBe('contradicts_mark');
    expect((await mark('booked')).status).toBe('booked');
    expect((await mark('no_show')).status).toBe('no_show');
    expect(await refuse('completed')).toBe('contradicts_mark');
    // A marked visit is not moved away or cancelled as if nobody had come.
    const later = await slot('2026-12-04', '08:00', '08:30');
    const moveNoShow = await api.err('bookings.rebook', { id: visit.id, slotId: later.id });
    expect(moveNoShow.code).toBe('conflict');
    // Another patient's future visit cannot be marked at all.
    const other = await person(21);
    const tomorrow = await api.ok('bookings.book', { slotId: later.id, patientId: other.id, appointmentTypeId: type.id });
    expect(ruleOf(await api.err('bookings.mark', { id: tomorrow.id, status: 'arrived' }))).toBe('future');
  });
});

// ------------------------------------------------------------------ 4. absence rebooking
describe('an absence’s proposals and their application', () => {
  async function absenceUnit() {
    const u = await freshUnit('2026-12-07T07:00:00+01:00', {
      professions: ['lakare', 'sjukskoterska'],
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const { api, slot, dag, natt, sol, type, person } = u;
    const booked: Booking[] = [];
    const times = [
      ['08:00', '08:30'],
      ['08:30', '09:00'],
      ['09:00', '09:30'],
      ['09:30', '10:00'],
    ] as const;
    for (const [i, [start, end]] of times.entries()) {
      const s = await slot('2026-12-09', start, end);
      const p = await person(
        30 + i,
        i === 3 ? { protectedIdentity: true, phone: '070-111 22 33' } : { phone: `070-000 00 0${i}` },
      );
      booked.push(await api.ok('bookings.book', { slotId: s.id, patientId: p.id, appointmentTypeId: type.id }));
    }
    // Free: Dr Dag once, six days later; Dr Natt twice the same afternoon; Syster Sol earlier than both.
    const dagFree = await slot('2026-12-15', '08:00', '08:30', dag.id);
    const nattFree = [await slot('2026-12-09', '13:00', '13:30', natt.id), await slot('2026-12-09', '13:30', '14:00', natt.id)];
    const solFree = await slot('2026-12-08', '08:00', '08:30', sol.id);
    const absence = (
      await api.ok('absences.create', { resourceId: dag.id, from: '2026-12-09', to: '2026-12-09', reason: 'Sjuk' })
    ).absence;
    return { ...u, booked, dagFree, nattFree, solFree, absence };
  }

  it('prefer the same clinician within a week, then the same profession, never another profession, and never one time twice', async () => {
    const { api, booked, dagFree, nattFree, absence } = await absenceUnit();
    const proposals = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(proposals.map((p) => [p.booking.id, p.proposal?.slotId ?? null, p.sameResource])).toEqual([
      [booked[0]!.id, dagFree.id, true],
      [booked[1]!.id, nattFree[0]!.id, false],
      [booked[2]!.id, nattFree[1]!.id, false],
      [booked[3]!.id, null, false],
    ]);
  });

  it('applies a chosen subset all or nothing: an id outside the absence, one time for two, or an unfit time leaves everything as it was', async () => {
    const { api, booked, dagFree, nattFree, solFree, absence, slot, written } = await absenceUnit();
    const stray = await slot('2026-12-10', '08:00', '08:30');
    const blocked = await slot('2026-12-10', '13:00', '13:30', nattFree[0]!.resourceId);
    await api.ok('slots.block', { id: blocked.id, reason: 'Handledning' });
    const strayBooking = await api.ok('bookings.book', {
      slotId: stray.id,
      patientId: booked[0]!.patient.id,
      appointmentTypeId: booked[0]!.appointmentTypeId,
    });
    const before = written();
    const good = { bookingId: booked[0]!.id, slotId: dagFree.id };
    const refusals = [
      await api.err('absences.applyRebooking', {
        id: absence.id,
        items: [good, { bookingId: strayBooking.id, slotId: nattFree[0]!.id }],
      }),
      await api.err('absences.applyRebooking', {
        id: absence.id,
        items: [good, { bookingId: booked[1]!.id, slotId: dagFree.id }],
      }),
      await api.err('absences.applyRebooking', {
        id: absence.id,
        items: [good, { bookingId: booked[1]!.id, slotId: blocked.id }],
      }),
      await api.err('absences.applyRebooking', {
        id: absence.id,
        items: [good, { bookingId: booked[1]!.id, slotId: booked[2]!.slotId }],
      }),
    ];
    expect(refusals.map((r) => r.code)).toEqual(['validation', 'validation', 'conflict', 'conflict']);
    // The refusal names the time that failed, not just "something".
    expect(refusals[2]!.message).toContain('2026-12-10 13:00 hos Dr Natt');
    expect(written()).toEqual(before);
    expect((await api.ok('bookings.get', { id: booked[0]!.id })).status).toBe('booked');
    const applied = await api.ok('absences.applyRebooking', {
      id: absence.id,
      // A time the desk chose outside the proposals: the nurse's, which this type allows (proposals keep to the profession).
      items: [good, { bookingId: booked[2]!.id, slotId: nattFree[1]!.id }, { bookingId: booked[1]!.id, slotId: solFree.id }],
    });
    expect(applied.rebooked.map((r) => [r.old.id, r.new.slotId])).toEqual([
      [booked[0]!.id, dagFree.id],
      [booked[2]!.id, nattFree[1]!.id],
      [booked[1]!.id, solFree.id],
    ]);
    expect(applied.contactList.map((c) => [c.bookingId, c.moved])).toEqual([
      [booked[0]!.id, true],
      [booked[1]!.id, true],
      [booked[2]!.id, true],
      [booked[3]!.id, false],
    ]);
    // The same apply again (a lost answer, a double click) moves nothing more.
    const again = await api.ok('absences.applyRebooking', {
      id: absence.id,
      items: [good, { bookingId: booked[2]!.id, slotId: nattFree[1]!.id }, { bookingId: booked[1]!.id, slotId: solFree.id }],
    });
    expect(again.rebooked.map((r) => r.new.id)).toEqual(applied.rebooked.map((r) => r.new.id));
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE status = 'rebooked'`)).toBe(3);
  });

  it('the answer of an apply hides a protected patient from a scheduler as the contact list does; the desk gets her phone, never her name', async () => {
    const { api, booked, nattFree, absence } = await absenceUnit();
    const items = [{ bookingId: booked[3]!.id, slotId: nattFree[0]!.id }];
    const asScheduler = await api.ok('absences.applyRebooking', { id: absence.id, items }, ['scheduler']);
    const text = JSON.stringify(asScheduler);
    expect(text).not.toMatch(/Nummer33|111 ?22 ?33/);
    const hers = asScheduler.contactList.find((c) => c.bookingId === booked[3]!.id)!;
    expect([hers.moved, hers.newStartAt, hers.phone, hers.contactMasked]).toEqual([true, null, null, true]);
    const others = asScheduler.contactList.filter((c) => c.bookingId !== booked[3]!.id);
    expect(others.every((c) => c.phone !== null && c.displayName.includes('Nummer'))).toBe(true);
    const desk = await api.ok('absences.contactList', { id: absence.id }, ['receptionist']);
    const atDesk = desk.find((c) => c.bookingId === booked[3]!.id)!;
    expect([atDesk.displayName, atDesk.phone, atDesk.moved]).toEqual(['', '070-111 22 33', true]);
  });
});

// ------------------------------------------------------------------ the same over HTTP and the CLI
describe('cut-offs, overrides and a type in use through the web shell over HTTP', () => {
  it('answers 409 with the rule, 400 for the patient’s channel, 403 for a role without the right; the override passes and is logged under the desk user', async () => {
    const api = demoApi();
    const anna = (await api.ok('resources.list', {})).find((r) => r.name.includes('Anna'))!;
    const late = await api.ok('appointmentTypes.create', {
      code: 'SEN20',
      nameSv: 'Sen kontroll',
      nameEn: 'Late check',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['lakare'],
      cancelCutoffH: 24,
      rebookCutoffH: 24,
    });
    // Monday 09:10; Anna's Tuesday runs 08–12 and 13–15: these three times are outside her templates,
    // and the first two less than 24 h ahead.
    const mk = (t: string, end: string) =>
      api.ok('slots.create', {
        resourceId: anna.id,
        date: '2026-11-24',
        startTime: t,
        endTime: end,
        appointmentTypeIds: [late.id],
      });
    const [s1, s2, s3] = [await mk('07:00', '07:30'), await mk('07:30', '08:00'), await mk('16:00', '16:30')];
    const patient = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1949-02-11', 611),
      givenName: 'Sena',
      familyName: 'Timmesson',
    });
    const a = await api.ok('bookings.book', { slotId: s1.id, patientId: patient.id, appointmentTypeId: late.id });
    const b = await api.ok('bookings.book', {
      slotId: s2.id,
      patientId: patient.id,
      appointmentTypeId: late.id,
      override: { reason: 'Två i rad' },
    });
    api.ctx.db.close();
    const shell = await startShell({
      dbPath: api.path,
      env: { TIDBOK_NOW: '2026-11-23T09:10:00+01:00', TIDBOK_LOG_LEVEL: 'warn' },
    });
    const db = new Database(api.path, { readonly: true });
    try {
      const desk = httpAs(() => shell, 'reception', 'demo-reception');
      const planner = httpAs(() => shell, 'schema', 'demo-schema');
      const noOverride = await desk('bookings.cancel', { id: a.id });
      const webChannel = await desk('bookings.cancel', { id: a.id, channel: 'web', override: { reason: 'Ringde' } });
      const moveNoOverride = await desk('bookings.rebook', { id: b.id, slotId: s3.id });
      expect([noOverride.status, (noOverride.body.error as { details?: { rule?: string } }).details?.rule]).toEqual([
        409,
        'cutoff_passed',
      ]);
      expect(noOverride.body.error!.message).toContain('2026-11-23 kl. 07:00');
      expect(webChannel.status).toBe(400);
      expect(moveNoOverride.status).toBe(409);
      const cancelled = await desk<Booking>('bookings.cancel', {
        id: a.id,
        override: { reason: 'Patienten sjuk', rules: ['cutoff_passed'] },
      });
      expect([cancelled.status, cancelled.body.value!.status]).toEqual([200, 'cancelled']);
      const moved = await desk<{ new: Booking }>('bookings.rebook', {
        id: b.id,
        slotId: s3.id,
        override: { reason: 'Bussen inställd' },
      });
      expect(moved.status).toBe(200);
      const log = db
        .prepare(
          `SELECT u.username, detail ->> '$.op' AS op, detail -> '$.override' AS o FROM audit_events e JOIN users u ON u.id = e.user_id
            WHERE entity = 'booking' AND entity_id IN (?, ?) AND action = 'change' AND detail ->> '$.op' IN ('cancel', 'rebook') ORDER BY seq`,
        )
        .all(a.id, moved.body.value!.new.id) as { username: string; op: string; o: string }[];
      expect(log.map((r) => [r.username, r.op, JSON.parse(r.o)])).toEqual([
        ['reception', 'cancel', { rule: 'cutoff_passed', rules: ['cutoff_passed'], reason: 'Patienten sjuk' }],
        ['reception', 'rebook', { rule: 'cutoff_passed', rules: ['cutoff_passed'], reason: 'Bussen inställd' }],
      ]);
      // The type is in use: the desk may not touch it, the planner may deactivate it but not delete it.
      expect((await desk('appointmentTypes.setActive', { id: late.id, active: false })).status).toBe(403);
      expect((await planner('appointmentTypes.delete', { id: late.id })).status).toBe(409);
      expect((await planner('appointmentTypes.setActive', { id: late.id, active: false })).status).toBe(200);
      const anew = await desk('bookings.book', { slotId: s1.id, patientId: patient.id, appointmentTypeId: late.id });
      expect(anew.status).toBe(400);
      expect(anew.body.error!.message).toMatch(/inaktiv/i);
      // Its booked time still stands, and is still shown.
      const day = await desk<{ bookings: Booking[] }>('calendar.range', { from: '2026-11-24', to: '2026-11-25' });
      expect(day.body.value!.bookings.filter((x) => x.appointmentTypeId === late.id).map((x) => wall(x.startAt))).toEqual([
        '2026-11-24 16:00',
      ]);
    } finally {
      db.close();
      await shell.stop();
    }
  }, 120_000);
});

describe('tidbok at the command line: a late cancel and an absence moved twice', () => {
  it('refuses with exit 2 naming the deadline, passes with --override (logged), and a second --apply moves nothing', async () => {
    const now = '2026-12-08T07:00:00+01:00';
    const { api, slot, book, dag, natt } = await freshUnit(now, { cancelCutoffH: 24, rebookCutoffH: 24 });
    const a = await book((await slot('2026-12-08', '15:00', '15:30')).id);
    const b = await book((await slot('2026-12-09', '09:00', '09:30')).id);
    await slot('2026-12-09', '13:00', '13:30', natt.id);
    const refused = await runTidbok(['bookings', 'cancel', a.id, '--db', api.path], now);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('2026-12-07 kl. 15:00');
    const passed = await runTidbok(['bookings', 'cancel', a.id, '--override', 'Ringde i morse', '--json', '--db', api.path], now);
    expect([passed.code, (JSON.parse(passed.out) as Booking).status]).toEqual([0, 'cancelled']);
    const o = api.ctx.db
      .prepare(`SELECT detail -> '$.override' FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' = 'cancel'`)
      .pluck()
      .get(a.id) as string;
    expect(JSON.parse(o)).toEqual({ rule: 'cutoff_passed', rules: ['cutoff_passed'], reason: 'Ringde i morse' });
    const absence = (
      await api.ok('absences.create', { resourceId: dag.id, from: '2026-12-09', to: '2026-12-09', reason: 'Kurs' })
    ).absence;
    const preview = await runTidbok(['absences', 'rebook', absence.id, '--db', api.path], now);
    expect(preview.code).toBe(0);
    // The time the cancellation just freed, Dr Dag's own, comes first.
    expect(preview.out).toMatch(/2026-12-09 09:00 +Höst Klocksson +2026-12-08 15:00 +Dr Dag \(samma\)/);
    const first = await runTidbok(['absences', 'rebook', absence.id, '--apply', '--db', api.path], now);
    expect([first.code, first.out.split('\n')[0]]).toEqual([0, '1 bokning ombokad. Patienter att kontakta:']);
    const second = await runTidbok(['absences', 'rebook', absence.id, '--apply', '--json', '--db', api.path], now);
    const again = JSON.parse(second.out) as { rebooked: unknown[]; contactList: unknown[] };
    // Nothing left to move: the answer lists nobody (the list itself still has her, moved).
    expect([second.code, again.rebooked.length, again.contactList.length]).toEqual([0, 0, 0]);
    const contacts = await runTidbok(['absences', 'contacts', absence.id, '--json', '--db', api.path], now);
    expect((JSON.parse(contacts.out) as { bookingId: string; moved: boolean }[]).map((c) => [c.bookingId, c.moved])).toEqual([
      [b.id, true],
    ]);
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE status = 'rebooked'`)).toBe(1);
  });
});

describe('absence rebooking at the edges of a type’s rules', () => {
  it('a booking in a contact mode the type has dropped gets no proposal but a reason, and the type’s edit reported it', async () => {
    const { api, slot, book, dag, natt, type } = await freshUnit('2026-12-07T07:00:00+01:00', {
      contactModes: ['physical', 'video'],
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const video = await book((await slot('2026-12-09', '08:00', '08:30')).id, { contactMode: 'video' });
    await slot('2026-12-10', '13:00', '13:30', natt.id);
    const edit = await api.ok('appointmentTypes.update', { id: type.id, contactModes: ['physical'] });
    // The edit reports the booked time in the dropped mode, as it reports lengths and professions.
    expect(edit.unfitBooked.map((u) => [u.bookingId, u.reason, 'contactMode' in u ? u.contactMode : null])).toEqual([
      [video.id, 'contactMode', 'video'],
    ]);
    const absence = (
      await api.ok('absences.create', { resourceId: dag.id, from: '2026-12-09', to: '2026-12-09', reason: 'Sjuk' })
    ).absence;
    const [p] = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect([p!.booking.id, p!.proposal, p!.problem]).toEqual([
      video.id,
      null,
      'Läkarbesök erbjuds inte längre som videobesök: boka om tiden vid disken och välj kontaktsätt.',
    ]);
    // Applying all moves nothing and fails nothing; the desk moves it by hand with a mode the type offers.
    expect((await api.ok('absences.applyRebooking', { id: absence.id })).rebooked).toEqual([]);
    const slotId = (await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-12-10', to: '2026-12-10' }))[0]!
      .slotId;
    expect(ruleOf(await api.err('bookings.rebook', { id: video.id, slotId }))).toBe('contact_mode');
    expect((await api.ok('bookings.rebook', { id: video.id, slotId, contactMode: 'physical' })).new.contactMode).toBe('physical');
  });

  it('proposals end at the type’s booking window, so a booking beyond it gets none; a time chosen there is applied', async () => {
    const { api, slot, book, dag, natt, type } = await freshUnit('2026-12-07T09:00:00+01:00', {
      cancelCutoffH: 0,
      rebookCutoffH: 0,
      bookMaxDays: 60,
    });
    const far = await book((await slot('2027-01-20', '08:00', '08:30')).id);
    const nattFree = await slot('2027-01-20', '13:00', '13:30', natt.id);
    // The window is shortened after the booking: 14 days from 7 December end on 21 December.
    await api.ok('appointmentTypes.update', { id: type.id, bookMaxDays: 14 });
    const absence = (
      await api.ok('absences.create', { resourceId: dag.id, from: '2027-01-20', to: '2027-01-20', reason: 'Kurs' })
    ).absence;
    expect(
      (await api.ok('absences.proposeRebooking', { id: absence.id })).map((p) => [p.booking.id, p.proposal, p.problem ?? null]),
    ).toEqual([[far.id, null, null]]);
    const moved = await api.ok('absences.applyRebooking', {
      id: absence.id,
      items: [{ bookingId: far.id, slotId: nattFree.id }],
    });
    expect(moved.rebooked.map((r) => wall(r.new.startAt))).toEqual(['2027-01-20 13:00']);
  });
});

describe('tidbok templates preview and add, every other week over the new year 2032–2033', () => {
  it('the preview names the days and the count that add then lays, to the inclusive --to, with nyårsafton as the unit set it', async () => {
    const now = '2032-12-20T09:00:00+01:00';
    const { api } = await freshUnit(now);
    const cli = (...args: string[]) => runTidbok([...args, '--db', api.path], now);
    const set = await cli('holidays', 'set', '--nyarsafton', 'closed', '--julafton', 'open');
    expect([set.code, set.out.split('\n')[0]]).toEqual([0, 'Julafton öppet, nyårsafton stängt, midsommarafton stängt.']);
    const list = await cli('holidays', 'list', '--year', '2033', '--json');
    const y2033 = JSON.parse(list.out) as { date: string; closed: boolean }[];
    expect(y2033.filter((d) => d.date.endsWith('12-24') || d.date.endsWith('12-31')).map((d) => [d.date, d.closed])).toEqual([
      ['2033-12-24', false],
      ['2033-12-31', true],
    ]);
    const args = [
      '--resource',
      'Dr Natt',
      '--weekdays',
      '1,4,5',
      '--start',
      '13:00',
      '--end',
      '14:00',
      '--slot',
      '60',
      '--types',
      'BES30',
    ];
    const range = ['--every', '2', '--from', '2032-12-30', '--to', '2033-01-28'];
    const preview = await cli('templates', 'preview', ...args, ...range);
    expect(preview.code).toBe(0);
    const lines = preview.out.trim().split('\n');
    // Week 53 of 2032, then weeks 2 and 4 of 2033; nyårsafton (Friday) closed; 28 January, valid_to, included.
    expect(lines).toEqual([
      '2032-12-30 tor  13:00  (1 × 60 min)',
      '2032-12-31 fre  stängt: nyårsafton',
      '2033-01-10 mån  13:00  (1 × 60 min)',
      '2033-01-13 tor  13:00  (1 × 60 min)',
      '2033-01-14 fre  13:00  (1 × 60 min)',
      '2033-01-24 mån  13:00  (1 × 60 min)',
      '2033-01-27 tor  13:00  (1 × 60 min)',
      '2033-01-28 fre  13:00  (1 × 60 min)',
      '7 tider på 7 dagar 2032-12-30 – 2033-01-28, 1 dag stängd.',
    ]);
    const add = await cli('templates', 'add', ...args, ...range, '--json');
    expect(add.code).toBe(0);
    const laid = (await api.ok('calendar.range', { from: '2032-12-27', to: '2033-02-07' })).slots.map((s) => wall(s.startAt));
    expect(laid).toEqual(lines.filter((l) => l.includes('13:00')).map((l) => `${l.slice(0, 10)} 13:00`));
  });
});

describe('the patient’s own channel (1177) past a cut-off', () => {
  it('refuses a late cancel or move even with an override in the input, writing nothing, where the desk passes with one', async () => {
    const { api, web, slot, book, written } = await freshUnit('2026-12-01T08:00:00+01:00', {
      cancelCutoffH: 24,
      rebookCutoffH: 24,
    });
    const a = await book((await slot('2026-12-02', '07:30', '08:00')).id);
    const later = await slot('2026-12-09', '09:00', '09:30');
    const before = written();
    const override = { reason: 'Patienten skriver att hon är sjuk' };
    const tries = [
      await web.err('cancel', { id: a.id }),
      await web.err('cancel', { id: a.id, override }),
      await web.err('rebook', { id: a.id, slotId: later.id, override }),
    ];
    expect(tries.map((e) => [e.code, ruleOf(e)])).toEqual([
      ['conflict', 'cutoff_passed'],
      ['conflict', 'cutoff_passed'],
      ['conflict', 'cutoff_passed'],
    ]);
    expect(written()).toEqual(before);
    // Exactly 24 h before (the deadline itself) the patient could still have cancelled.
    api.setNow('2026-12-01T07:30:00+01:00');
    expect((await api.ok('bookings.onlinePermissions', { id: a.id })).cancel.allowed).toBe(true);
    api.setNow('2026-12-01T07:30:00.001+01:00');
    expect((await api.ok('bookings.onlinePermissions', { id: a.id })).cancel).toMatchObject({
      allowed: false,
      reason: 'deadline_passed',
    });
    expect((await api.ok('bookings.cancel', { id: a.id, override })).status).toBe('cancelled');
  });
});

describe('a template’s holidays switched off and on while one is booked', () => {
  it('lays the closed days, then takes them back but the booked one, and a later expansion changes nothing', async () => {
    const { api, template, book } = await freshUnit('2026-12-14T07:00:00+01:00');
    const made = await template({ weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '08:30' });
    const days = async () =>
      (await api.ok('calendar.range', { from: '2026-12-21', to: '2027-01-08' })).slots
        .filter((s) => s.templateId === made.id)
        .map((s) => localDate(s.startAt));
    const open = [
      '2026-12-21',
      '2026-12-22',
      '2026-12-23',
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2027-01-04',
      '2027-01-05',
      '2027-01-07',
    ];
    // Closed weekdays by default: julafton, juldagen, nyårsafton, nyårsdagen, trettondedag jul.
    const closed = ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01', '2027-01-06'];
    expect(await days()).toEqual(open);
    const on = await api.ok('templates.update', { id: made.id, changes: { skipHolidays: false } });
    expect([on.expansion.created, on.expansion.removed]).toEqual([5, 0]);
    expect(await days()).toEqual([...open, ...closed].sort());
    const juldagen = (await api.ok('calendar.range', { from: '2026-12-25', to: '2026-12-26' })).slots[0]!;
    const kept = await book(juldagen.id);
    const off = await api.ok('templates.update', { id: made.id, changes: { skipHolidays: true } });
    expect([off.expansion.created, off.expansion.removed, off.expansion.bookedUnchanged.map((b) => b.bookingId)]).toEqual([
      0,
      4,
      [kept.id],
    ]);
    expect(await days()).toEqual([...open, '2026-12-25'].sort());
    const again = await api.ok('templates.expand', {});
    expect([again.created, again.updated, again.removed]).toEqual([0, 0, 0]);
  });
});

describe('the same clinician preferred up to a week later, across the autumn change', () => {
  it.each([
    ['13:00', 'Dr Dag'], // seven wall-clock days after the other's first time (7 days and 1 real hour)
    ['13:30', 'Dr Natt'], // half an hour past the week
  ])('her own time on Saturday 31 October at %s: the proposal is %s', async (own, expected) => {
    const { api, slot, book, dag, natt } = await freshUnit('2026-10-20T08:00:00+02:00', { cancelCutoffH: 0, rebookCutoffH: 0 });
    const booked = await book((await slot('2026-10-22', '08:00', '08:30')).id);
    await slot('2026-10-24', '13:00', '13:30', natt.id);
    await slot('2026-10-31', own, own === '13:00' ? '13:30' : '14:00', dag.id);
    const absence = (
      await api.ok('absences.create', { resourceId: dag.id, from: '2026-10-22', to: '2026-10-22', reason: 'Sjuk' })
    ).absence;
    const [p] = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect([p!.booking.id, p!.proposal?.resourceName, p!.sameResource]).toEqual([booked.id, expected, expected === 'Dr Dag']);
  });
});
