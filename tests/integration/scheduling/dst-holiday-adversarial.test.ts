// An outside tester's cases for DST weeks and holiday weeks (issue 3 items 2 and 6) that the
// other suites leave out, through the api (dispatch) on fresh units in real SQLite files and
// through the CLI (`main()` in this process). Expected answers are derived by hand from
// Europe/Stockholm's rules (02:00 CET -> 03:00 CEST on the last Sunday of March, 03:00 CEST ->
// 02:00 CET on the last Sunday of October) and the Swedish calendar, never from Tidbok's output.
// "Z" comments give the instant in UTC.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { demoApi } from './helpers.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';
import { runTidbok } from '../../helpers/cli-process.ts';

const at = (iso: string) => Date.parse(iso);
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const nextDay = (d: string) => new Date(Date.parse(`${d}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const HSA = 'SE2321000016-D5TH';

/** A fresh unit with one physician, one 15-minute type and one patient, at a clock the test moves. */
async function freshUnit(nowIso: string) {
  const api = demoApi({ now: at(nowIso), demo: false });
  await api.ok('unit.create', { hsaId: HSA, name: 'Vårdcentralen Sommartid' });
  const dr = await api.ok('resources.create', { kind: 'clinician', name: 'Dr Natt', profession: 'lakare' });
  const type = await api.ok('appointmentTypes.create', {
    code: 'JOUR15',
    nameSv: 'Jourbesök',
    nameEn: 'On-call visit',
    durationMin: 15,
    contactModes: ['physical'],
    professions: ['lakare'],
    webBookable: true,
    bookMaxDays: 400,
  });
  const patient = await api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1961-10-25', 31),
    givenName: 'Ingrid',
    familyName: 'Vintertid',
  });
  const template = (over: Record<string, unknown>) =>
    api.ok('templates.create', {
      template: {
        resourceId: dr.id,
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        validFrom: localDate(api.ctx.now()),
        startTime: '08:00',
        endTime: '12:00',
        slotMin: 30,
        appointmentTypeIds: [type.id],
        ...over,
      },
    });
  /** The live slots of one local date as "HH:mm-HH:mm", in time order, with their ids. */
  const day = async (date: string) => {
    const r = await api.ok('calendar.range', { from: date, to: nextDay(date) });
    return r.slots.map((s) => ({ id: s.id, state: s.state, text: `${localTime(s.startAt)}-${localTime(s.endAt)}`, s }));
  };
  return { api, dr, type, patient, template, day };
}

describe('ICS export of the autumn night (2026-10-25)', () => {
  it('places every event on its own instant, also those in the hour the clock shows twice', async () => {
    // Slots 01:00–04:00 by 30 minutes: 01:00 and 01:30 CEST, then 02:00 … 03:30 CET; one booked.
    const now = '2026-10-01T10:00:00+02:00';
    const { api, template, day, patient, type } = await freshUnit(now);
    await template({ weekdays: [7], startTime: '01:00', endTime: '04:00', skipHolidays: false });
    const night = await day('2026-10-25');
    expect(night.map((s) => s.text)).toEqual([
      '01:00-01:30',
      '01:30-02:00',
      '02:00-02:30',
      '02:30-03:00',
      '03:00-03:30',
      '03:30-04:00',
    ]);
    await api.ok('bookings.book', { slotId: night[3]!.id, patientId: patient.id, appointmentTypeId: type.id });
    const slots = night.map(({ s }) => s);
    api.ctx.db.close();
    const file = join(dirname(api.path), 'natt.ics');
    const r = await runTidbok(
      ['export', '--unit', HSA, '--from', '2026-10-25', '--to', '2026-10-25', '--format', 'ics', '--out', file, '--db', api.path],
      now,
    );
    expect([r.code, r.err]).toEqual([0, '']);
    const text = readFileSync(file, 'utf8');
    // RFC 5545 (3.3.5) reads a local time shown twice as its first occurrence, ical.js as its
    // second: a DTSTART/DTEND at 02:xx local that night means different instants to different
    // calendars. Each such time must be written unambiguously (in UTC).
    expect(text).not.toMatch(/^DT(START|END);TZID=Europe\/Stockholm:20261025T02\d{4}\r?$/m);
    // Times the clock shows once stay local, as Outlook shows them.
    expect(text).toMatch(/^DTSTART;TZID=Europe\/Stockholm:20261025T010000\r?$/m);
    const calendar = new ICAL.Component(ICAL.parse(text));
    for (const z of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(z));
    const events = calendar
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v))
      .map((e) => [utc(e.startDate.toUnixTime() * 1000), utc(e.endDate.toUnixTime() * 1000)]);
    // 01:00 CEST = 23:00Z the evening before; 02:00 CET = 01:00Z.
    expect(events).toEqual(slots.map((s) => [utc(s.startAt), utc(s.endAt)]));
    expect(events.map(([start]) => start)).toEqual([
      '2026-10-24T23:00',
      '2026-10-24T23:30',
      '2026-10-25T01:00',
      '2026-10-25T01:30',
      '2026-10-25T02:00',
      '2026-10-25T02:30',
    ]);
  });
});

describe('preview equals what saving creates', () => {
  it.each([
    // [now, template]: in the doubled hour (first pass, 02:30 CEST = 00:30Z) of the autumn night,
    // on the spring night after the skipped hour, and on an ordinary weekday mid-morning.
    ['2026-10-25T02:30:00+02:00', { weekdays: [7], startTime: '00:00', endTime: '06:00', slotMin: 30 }],
    ['2027-03-28T03:10:00+02:00', { weekdays: [7], startTime: '01:00', endTime: '05:00', slotMin: 20 }],
    ['2028-04-13T10:05:00+02:00', { weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '12:00', slotMin: 15 }],
  ])('now %s: %o', async (now, over) => {
    const { api, dr, type, template } = await freshUnit(now);
    const spec = { resourceId: dr.id, validFrom: '2026-01-01', appointmentTypeIds: [type.id], skipHolidays: false, ...over };
    const preview = await api.ok('templates.preview', { template: spec });
    const made = await template(spec);
    const laid = api.ctx.db
      .prepare(`SELECT start_at, end_at FROM slots WHERE template_id = ? ORDER BY start_at`)
      .raw()
      .all(made.template.id) as [number, number][];
    expect(preview.slots.map((s) => [s.startAt, s.endAt])).toEqual(laid);
    expect(made.expansion.created).toBe(preview.slots.length);
    // Nothing before now is shown or laid: today's first slot starts after the clock.
    expect(preview.slots[0]!.startAt).toBeGreaterThanOrEqual(at(now));
    expect(localDate(preview.slots[0]!.startAt)).toBe(now.slice(0, 10));
  });
});
