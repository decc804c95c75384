// An outside tester's cases for DST weeks and holiday weeks (issue 3 items 2 and 6) that the
// other suites leave out, through the api (dispatch) on fresh units in real SQLite files, through
// the CLI (`main()` in this process) and once through the real web shell's HTTP api. Expected answers are derived by hand from
// Europe/Stockholm's rules (02:00 CET -> 03:00 CEST on the last Sunday of March, 03:00 CEST ->
// 02:00 CET on the last Sunday of October) and the Swedish calendar, never from Tidbok's output.
// "Z" comments give the instant in UTC.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { demoApi } from './helpers.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { addDays, localDate, localTime } from '../../../src-main/domain/time.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import type { FreeSlot, TemplateChange, TemplatePreview } from '../../../src-main/api/methods/scheduling.ts';
import type { AppointmentType, CalendarRange, Resource } from '../../../src-main/api/types.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { apiAs, startShell } from '../../helpers/web-shell.ts';

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

describe('a night template ending inside the hour the spring clock skips', () => {
  it('ends when the clock jumps: no slot runs to 03:15 for a template "until 02:15", and the scheduler is told', async () => {
    const { api, dr, type, template } = await freshUnit('2027-03-15T09:00:00+01:00');
    const night = {
      resourceId: dr.id,
      weekdays: [7],
      validFrom: '2027-03-21',
      validTo: '2027-03-28',
      startTime: '00:00',
      endTime: '02:15',
      slotMin: 45,
      appointmentTypeIds: [type.id],
      skipHolidays: false,
    };
    const preview = await api.ok('templates.preview', { template: night, from: '2027-03-21', to: '2027-03-29' });
    expect(preview.slots.map((s) => `${s.date} ${s.startTime}-${s.endTime}`)).toEqual([
      '2027-03-21 00:00-00:45',
      '2027-03-21 00:45-01:30',
      '2027-03-21 01:30-02:15',
      '2027-03-28 00:00-00:45',
      '2027-03-28 00:45-01:30',
    ]);
    expect(preview.clockChanges).toEqual([{ date: '2027-03-28', change: 'forward', times: [], displaced: ['01:30'] }]);
    expect((await template(night)).expansion.created).toBe(5);
  });
});

describe('night templates on all six clock changes of 2026–2028, laid out by the rolling horizon', () => {
  // [DST Sunday, the 00:00–06:00 on-call by 60, the 01:30–03:30 by 30], wall clock and real minutes.
  const SPRING = [
    ['00:00-01:00/60', '01:00-03:00/60', '03:00-04:00/60', '04:00-05:00/60', '05:00-06:00/60'],
    ['01:30-03:00/30', '03:00-03:30/30'],
  ];
  // Autumn: 01:00 CEST ends at the first 02:00; the next start is the second 02:00 (CET).
  const AUTUMN = [
    ['00:00-01:00/60', '01:00-02:00/60', '02:00-03:00/60', '03:00-04:00/60', '04:00-05:00/60', '05:00-06:00/60'],
    ['01:30-02:00/30', '02:00-02:30/30', '02:30-03:00/30', '03:00-03:30/30'],
  ];
  const SUNDAYS = [
    ['2026-03-29', SPRING],
    ['2026-10-25', AUTUMN],
    ['2027-03-28', SPRING], // påskdagen too: these templates open on holidays
    ['2027-10-31', AUTUMN],
    ['2028-03-26', SPRING],
    ['2028-10-29', AUTUMN],
  ] as const;

  it('gives each existing start once, slot lengths in real minutes, no overlap, unique ids, run after run', async () => {
    const { api, dr, type, template } = await freshUnit('2026-03-01T09:00:00+01:00');
    const kvall = await api.ok('resources.create', { kind: 'clinician', name: 'Dr Kväll', profession: 'lakare' });
    await template({ startTime: '00:00', endTime: '06:00', slotMin: 60, skipHolidays: false });
    await template({ resourceId: kvall.id, startTime: '01:30', endTime: '03:30', slotMin: 30, skipHolidays: false });
    for (const [sunday, [onCall, short]] of SUNDAYS) {
      // The desk is left on: the horizon keeper's run on the Monday before, then twice in the
      // night (00:45Z and 01:15Z: in autumn the first and the second pass of the doubled hour).
      for (const now of [`${addDays(sunday, -6)}T12:00:00Z`, `${sunday}T00:45:00Z`, `${sunday}T01:15:00Z`]) {
        api.setNow(now);
        await api.ok('templates.expand', { horizonWeeks: 2 });
      }
      const r = await api.ok('calendar.range', { from: sunday, to: nextDay(sunday) });
      const text = (resourceId: string) =>
        r.slots
          .filter((s) => s.resourceId === resourceId)
          .map((s) => `${localTime(s.startAt)}-${localTime(s.endAt)}/${(s.endAt - s.startAt) / 60_000}`);
      expect([sunday, text(dr.id), text(kvall.id)]).toEqual([sunday, onCall, short]);
      expect(r.closedDates).toEqual([]);
      for (const resourceId of [dr.id, kvall.id]) {
        const mine = r.slots.filter((s) => s.resourceId === resourceId);
        for (let i = 1; i < mine.length; i++) expect(mine[i]!.startAt).toBeGreaterThanOrEqual(mine[i - 1]!.endAt);
      }
    }
    // One row per (resource, instant) over the whole run, nothing removed, ids never reused.
    const n = (sql: string) => api.count(`SELECT count(*) AS n FROM ${sql}`);
    expect(n(`slots`)).toBe(n(`(SELECT DISTINCT resource_id, start_at FROM slots)`));
    expect(n(`slots`)).toBe(n(`(SELECT DISTINCT id FROM slots)`));
    expect(n(`slots WHERE state = 'removed'`)).toBe(0);
    // "Första lediga tid" at 02:15 CET (01:15Z) that night: the 02:00 slots have begun; 02:30 CET
    // (01:30Z) is next. Equal starts come in the resources' display order.
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2028-10-29', to: '2028-10-29' });
    expect(free.map((s) => `${utc(s.startAt)} ${localTime(s.startAt)} ${s.resourceName}`)).toEqual([
      '2028-10-29T01:30 02:30 Dr Kväll',
      '2028-10-29T02:00 03:00 Dr Natt',
      '2028-10-29T02:00 03:00 Dr Kväll',
      '2028-10-29T03:00 04:00 Dr Natt',
      '2028-10-29T04:00 05:00 Dr Natt',
    ]);
  });
});

describe('"första lediga tid" when the next days are closed (Mon–Fri 08:00–12:00, searched after the last slot)', () => {
  it.each([
    // [now, eves the unit opens, weekdays, first two free (local)]
    // Skärtorsdagen: långfredagen, påskdagen and annandag påsk closed; påskafton is a Saturday.
    ['2026-04-02T13:00:00+02:00', {}, [1, 2, 3, 4, 5], ['2026-04-07 08:00', '2026-04-07 08:30']],
    ['2027-03-25T13:00:00+01:00', {}, [1, 2, 3, 4, 5], ['2027-03-30 08:00', '2027-03-30 08:30']],
    // Påskafton is no public holiday (nor an eve the law names): a Saturday template is open on it.
    ['2026-04-02T13:00:00+02:00', {}, [1, 2, 3, 4, 5, 6], ['2026-04-04 08:00', '2026-04-04 08:30']],
    // Kristi himmelsfärdsdag (Thursday); the Friday after (klämdag) is open.
    ['2026-05-13T12:30:00+02:00', {}, [1, 2, 3, 4, 5], ['2026-05-15 08:00', '2026-05-15 08:30']],
    // Annandag pingst is open since 2005; nationaldagen 2028 is a Tuesday.
    ['2028-06-05T13:00:00+02:00', {}, [1, 2, 3, 4, 5], ['2028-06-07 08:00', '2028-06-07 08:30']],
    // Midsommarafton closed, or opened by the unit.
    ['2027-06-24T13:00:00+02:00', {}, [1, 2, 3, 4, 5], ['2027-06-28 08:00', '2027-06-28 08:30']],
    ['2027-06-24T13:00:00+02:00', { midsommarafton: false }, [1, 2, 3, 4, 5], ['2027-06-25 08:00', '2027-06-25 08:30']],
    // Julafton and juldagen (Thu, Fri) 2026; nyårsafton 2027 into 2028.
    ['2026-12-23T13:00:00+01:00', {}, [1, 2, 3, 4, 5], ['2026-12-28 08:00', '2026-12-28 08:30']],
    ['2026-12-23T13:00:00+01:00', { julafton: false }, [1, 2, 3, 4, 5], ['2026-12-24 08:00', '2026-12-24 08:30']],
    ['2027-12-30T13:00:00+01:00', {}, [1, 2, 3, 4, 5], ['2028-01-03 08:00', '2028-01-03 08:30']],
    ['2027-12-30T13:00:00+01:00', { nyarsafton: false }, [1, 2, 3, 4, 5], ['2027-12-31 08:00', '2027-12-31 08:30']],
    // Trettondagsafton and allhelgonaafton are ordinary working days; trettondedag jul is closed.
    ['2028-01-04T13:00:00+01:00', {}, [1, 2, 3, 4, 5], ['2028-01-05 08:00', '2028-01-05 08:30']],
    ['2028-01-05T13:00:00+01:00', {}, [1, 2, 3, 4, 5], ['2028-01-07 08:00', '2028-01-07 08:30']],
    ['2027-11-04T13:00:00+01:00', {}, [1, 2, 3, 4, 5], ['2027-11-05 08:00', '2027-11-05 08:30']],
    // Första maj 2028 is a Monday.
    ['2028-04-28T13:00:00+02:00', {}, [1, 2, 3, 4, 5], ['2028-05-02 08:00', '2028-05-02 08:30']],
  ] as const)('now %s, eves opened %o, weekdays %o: %o', async (now, eves, weekdays, expected) => {
    const { api, type, template } = await freshUnit(now);
    if (Object.keys(eves).length > 0) await api.ok('holidays.setRules', eves);
    await template({ weekdays: [...weekdays], validFrom: '2026-01-01' });
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, limit: 2 });
    expect(free.map((s) => `${localDate(s.startAt)} ${localTime(s.startAt)}`)).toEqual(expected);
    // The web search and the calendar's "next open day" agree.
    const web = await api.ok('slots.findFree', { appointmentTypeId: type.id, limit: 1, webOnly: true });
    expect(web).toEqual([]); // the template does not publish to the web
    const firstDay = expected[0].slice(0, 10);
    expect(await api.ok('calendar.nextOpenDate', { from: addDays(now.slice(0, 10), 1) })).toEqual({ date: firstDay });
  });

  it('says the same through `tidbok slots free` on skärtorsdagen 2026', async () => {
    const now = '2026-04-02T13:00:00+02:00';
    const { api, template } = await freshUnit(now);
    await template({ weekdays: [1, 2, 3, 4, 5], validFrom: '2026-01-01', publishWeb: true });
    api.ctx.db.close();
    const r = await runTidbok(['slots', 'free', '--type', 'JOUR15', '--limit', '3', '--web', '--db', api.path], now);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out.trim().split('\n')).toEqual([
      '2026-04-07 08:00–08:30  Dr Natt  (webb)',
      '2026-04-07 08:30–09:00  Dr Natt  (webb)',
      '2026-04-07 09:00–09:30  Dr Natt  (webb)',
    ]);
  });
});

describe('validity dates, horizons and day ranges on the DST Sundays', () => {
  it('takes valid_from and valid_to inclusively on DST Sundays, påskdagen included or skipped', async () => {
    const { api, template } = await freshUnit('2027-03-20T09:00:00+01:00');
    const night = { weekdays: [7], startTime: '01:00', endTime: '04:00', slotMin: 30 };
    // From påskdagen 2027-03-28 (also the spring change) to the autumn change 2027-10-31.
    const open = await template({ ...night, validFrom: '2027-03-28', validTo: '2027-10-31', skipHolidays: false });
    const closed = await template({
      ...night,
      resourceId: (await api.ok('resources.create', { kind: 'clinician', name: 'Dr Helg', profession: 'lakare' })).id,
      validFrom: '2027-03-28',
      validTo: '2027-10-31',
    });
    await api.ok('templates.expand', { horizonWeeks: 40 });
    const days = (templateId: string) => {
      const starts = api.ctx.db
        .prepare(`SELECT start_at FROM slots WHERE template_id = ? ORDER BY start_at`)
        .pluck()
        .all(templateId) as number[];
      const per = new Map<string, number>();
      for (const s of starts) per.set(localDate(s), (per.get(localDate(s)) ?? 0) + 1);
      return [...per];
    };
    // 32 Sundays from 28 March to 31 October; 4 starts on the spring night, 6 on the others.
    const all = days(open.template.id);
    expect([all.length, all[0], all[1], all.at(-1)]).toEqual([32, ['2027-03-28', 4], ['2027-04-04', 6], ['2027-10-31', 6]]);
    expect(all.reduce((n, [, k]) => n + k, 0)).toBe(4 + 31 * 6);
    // Skipping holidays: påskdagen is left out and said so, as are the Sundays pingstdagen (16
    // May) and nationaldagen (6 June 2027); Saturday's midsommardagen and alla helgons dag are not.
    const skipped = await api.ok('templates.expand', { templateIds: [closed.template.id], horizonWeeks: 40 });
    expect(skipped.skippedHolidays.map((h) => `${h.date} ${h.holiday}`)).toEqual([
      '2027-03-28 påskdagen',
      '2027-05-16 pingstdagen',
      '2027-06-06 nationaldagen',
    ]);
    const helg = days(closed.template.id);
    expect([helg.length, helg[0], helg.at(-1)]).toEqual([29, ['2027-04-04', 6], ['2027-10-31', 6]]);
  });

  it.each([
    // [now (a Sunday), 12 weeks reach until, the DST Sunday after, its on-call slots by 60]
    ['2026-01-04T10:00:00+01:00', '2026-03-28', '2026-03-29', 5],
    ['2026-08-02T10:00:00+02:00', '2026-10-24', '2026-10-25', 6],
    ['2027-01-03T10:00:00+01:00', '2027-03-27', '2027-03-28', 5],
    ['2028-08-06T10:00:00+02:00', '2028-10-28', '2028-10-29', 6],
  ])('now %s: the horizon ends %s, the next day lays out only %s (%i slots)', async (now, until, sunday, count) => {
    const { api, template } = await freshUnit(now);
    await template({ startTime: '00:00', endTime: '06:00', slotMin: 60, skipHolidays: false });
    expect((await api.ok('templates.getHorizon', {})).until).toBe(until);
    expect(await api.ok('calendar.range', { from: until, to: addDays(until, 2) })).toMatchObject({ closedDates: [sunday] });
    api.setNow(`${addDays(now.slice(0, 10), 1)}T10:00:00${now.slice(-6)}`);
    const next = await api.ok('templates.expand', {});
    expect([next.to, next.created]).toEqual([addDays(sunday, 1), count]);
    const day = await api.ok('calendar.range', { from: sunday, to: addDays(sunday, 1) });
    expect(day.slots.map((s) => localTime(s.startAt))).toEqual(
      count === 5 ? ['00:00', '01:00', '03:00', '04:00', '05:00'] : ['00:00', '01:00', '02:00', '03:00', '04:00', '05:00'],
    );
    // Run again: nothing new.
    expect((await api.ok('templates.expand', {})).created).toBe(0);
  });

  it('attributes round-the-clock slots to their local date on 23- and 25-hour days', async () => {
    const { api, template } = await freshUnit('2026-03-16T09:00:00+01:00');
    await template({ startTime: '00:00', endTime: '23:59', slotMin: 60, skipHolidays: false });
    await api.ok('templates.expand', { horizonWeeks: 33 });
    const perDate = async (from: string, to: string) => {
      const r = await api.ok('calendar.range', { from, to });
      const per = new Map<string, number>();
      for (const s of r.slots) per.set(localDate(s.startAt), (per.get(localDate(s.startAt)) ?? 0) + 1);
      return { per: [...per], closed: r.closedDates, first: utc(r.slots[0]!.startAt), last: utc(r.slots.at(-1)!.startAt) };
    };
    // 00:00 … 22:00 each day (23:00 would end at 24:00, after 23:59); the spring day lacks 02:00.
    expect(await perDate('2026-03-29', '2026-03-30')).toEqual({
      per: [['2026-03-29', 22]],
      closed: [],
      first: '2026-03-28T23:00', // 00:00 CET
      last: '2026-03-29T20:00', // 22:00 CEST
    });
    expect(await perDate('2026-10-25', '2026-10-26')).toEqual({
      per: [['2026-10-25', 23]],
      closed: [],
      first: '2026-10-24T22:00', // 00:00 CEST
      last: '2026-10-25T21:00', // 22:00 CET
    });
    // The week views around them: every day its own 23 (22) slots, none spilling into the next.
    const spring = await perDate('2026-03-23', '2026-03-30');
    expect(spring.per.map(([d, n]) => `${d}:${n}`)).toEqual(
      ['23', '24', '25', '26', '27', '28'].map((d) => `2026-03-${d}:23`).concat('2026-03-29:22'),
    );
    const autumn = await perDate('2026-10-25', '2026-11-01');
    expect(autumn.per.map(([d, n]) => `${d}:${n}`)).toEqual(
      ['2026-10-25', '2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31'].map((d) => `${d}:23`),
    );
  });
});

describe('eve rules changed after the book is laid out', () => {
  it('julafton 2027 (a Friday): closing keeps the booking and removes the rest; the freed time leaves; reopening brings back what the absence still blocks', async () => {
    const now = '2027-12-01T09:00:00+01:00';
    const { api, dr, type, patient, template, day } = await freshUnit(now);
    await api.ok('holidays.setRules', { julafton: false });
    await template({ weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '10:00' });
    const eve = await day('2027-12-24');
    expect(eve.map((s) => s.text)).toEqual(['08:00-08:30', '08:30-09:00', '09:00-09:30', '09:30-10:00']);
    const booking = await api.ok('bookings.book', { slotId: eve[1]!.id, patientId: patient.id, appointmentTypeId: type.id });
    await api.ok('absences.create', {
      resourceId: dr.id,
      from: '2027-12-24',
      fromTime: '09:00',
      to: '2027-12-24',
      toTime: '10:00',
      reason: 'Kurs',
    });
    const closing = await api.ok('holidays.setRules', { julafton: true });
    expect([closing.slotsRemoved, closing.slotsCreated, closing.bookedKept.map((b) => b.bookingId)]).toEqual([
      3,
      0,
      [booking.id],
    ]);
    expect((await day('2027-12-24')).map((s) => s.text)).toEqual(['08:30-09:00']);
    // Cancelled, the kept time follows its template, which no longer opens on julafton.
    await api.ok('bookings.cancel', { id: booking.id, channel: 'desk' });
    expect(await day('2027-12-24')).toEqual([]);
    expect((await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2027-12-24', to: '2027-12-24' })).length).toBe(0);
    // Reopened from the command line: four slots again, the absence's two blocked.
    api.ctx.db.close();
    const r = await runTidbok(['holidays', 'set', '--julafton', 'open', '--db', api.path], now);
    expect([r.code, r.err, r.out.trim().split('\n')[1]]).toEqual([0, '', '0 lediga tider borttagna, 4 nya tider upplagda.']);
    const db = openDatabase(api.path);
    const slots = db
      .prepare(`SELECT start_at, state FROM slots WHERE state <> 'removed' AND start_at >= ? AND start_at < ? ORDER BY start_at`)
      .all(at('2027-12-24T00:00:00+01:00'), at('2027-12-25T00:00:00+01:00')) as { start_at: number; state: string }[];
    db.close();
    expect(slots.map((s) => `${localTime(s.start_at)} ${s.state}`)).toEqual([
      '08:00 open',
      '08:30 open',
      '09:00 blocked',
      '09:30 blocked',
    ]);
  });
});

describe('holiday settings changed after the book is laid out', () => {
  it('a template told to skip holidays leaves Easter 2026, keeping the booked långfredag time, and comes back when told again', async () => {
    const { api, type, patient, template } = await freshUnit('2026-03-20T10:00:00+01:00');
    const made = await template({ weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '09:00', skipHolidays: false });
    const easter = async () => {
      const r = await api.ok('calendar.range', { from: '2026-04-02', to: '2026-04-08' });
      return r.slots.map((s) => `${localDate(s.startAt).slice(5)} ${localTime(s.startAt)}`);
    };
    const everyDay = ['04-02', '04-03', '04-06', '04-07'].flatMap((d) => [`${d} 08:00`, `${d} 08:30`]);
    expect(await easter()).toEqual(everyDay);
    const [friday] = (await api.ok('calendar.range', { from: '2026-04-03', to: '2026-04-04' })).slots;
    const booking = await api.ok('bookings.book', { slotId: friday!.id, patientId: patient.id, appointmentTypeId: type.id });
    const skip = await api.ok('templates.update', { id: made.template.id, changes: { skipHolidays: true } });
    // Within the 12 weeks: långfredagen, annandag påsk, första maj, Kristi himmelsfärdsdag (2 each, 1 booked).
    expect([skip.expansion.removed, skip.expansion.bookedUnchanged.map((b) => b.bookingId)]).toEqual([7, [booking.id]]);
    expect(skip.expansion.skippedHolidays.map((h) => h.holiday)).toEqual([
      'långfredagen',
      'annandag påsk',
      'första maj',
      'Kristi himmelsfärdsdag',
    ]);
    expect(await easter()).toEqual(['04-02 08:00', '04-02 08:30', '04-03 08:00', '04-07 08:00', '04-07 08:30']);
    const back = await api.ok('templates.update', { id: made.template.id, changes: { skipHolidays: false } });
    expect([back.expansion.created, back.expansion.removed]).toEqual([7, 0]);
    expect(await easter()).toEqual(everyDay);
  });

  it('closing nyårsafton leaves a template that opens on holidays (the on-call) as it was', async () => {
    const { api, template, day } = await freshUnit('2026-12-01T09:00:00+01:00');
    await api.ok('holidays.setRules', { nyarsafton: false });
    const dagjour = await template({ weekdays: [4], startTime: '08:00', endTime: '09:00' });
    const natt = await api.ok('resources.create', { kind: 'clinician', name: 'Dr Jour', profession: 'lakare' });
    await template({ resourceId: natt.id, weekdays: [4], startTime: '09:00', endTime: '10:00', skipHolidays: false });
    expect((await day('2026-12-31')).map((s) => s.text)).toEqual(['08:00-08:30', '08:30-09:00', '09:00-09:30', '09:30-10:00']);
    const closing = await api.ok('holidays.setRules', { nyarsafton: true });
    expect([closing.slotsRemoved, closing.slotsCreated]).toEqual([2, 0]);
    expect((await day('2026-12-31')).map((s) => s.text)).toEqual(['09:00-09:30', '09:30-10:00']);
    expect(api.count(`SELECT count(*) AS n FROM slots WHERE template_id = ? AND state = 'removed'`, dagjour.template.id)).toBe(0);
  });
});

describe('"första lediga tid" looks 180 calendar days ahead, whatever the clock does in between', () => {
  it.each([
    // [now, search from, a slot on the 180th day (found), one on the 181st (not found)]
    // From summer time into winter: the 180th day, 2027-02-27, keeps its last hour.
    ['2026-08-20T10:00:00+02:00', '2026-09-01', ['2027-02-27', '23:15', '23:45'], ['2027-02-28', '00:15', '00:45']],
    // From winter into summer: the 181st day, 2027-06-30, gains no first hour.
    ['2026-12-20T10:00:00+01:00', '2027-01-01', ['2027-06-29', '23:15', '23:45'], ['2027-06-30', '00:15', '00:45']],
    // Without a date: from now through the whole 180th day after today, as a 180-day booking
    // window reaches (until 2026-11-23 it stopped at 10:00 that day: later times bookable, not found).
    ['2026-09-01T10:00:00+02:00', undefined, ['2027-02-28', '23:15', '23:45'], ['2027-03-01', '00:15', '00:45']],
  ] as const)('now %s, from %s', async (now, from, inside, outside) => {
    const { api, dr, type } = await freshUnit(now);
    const slot = ([date, startTime, endTime]: readonly [string, string, string]) =>
      api.ok('slots.create', { resourceId: dr.id, date, startTime, endTime, appointmentTypeIds: [type.id] });
    const found = await slot(inside);
    await slot(outside);
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, ...(from ? { from } : {}) });
    expect(free.map((s) => `${localDate(s.startAt)} ${localTime(s.startAt)}`)).toEqual([`${inside[0]} ${inside[1]}`]);
    expect(free[0]!.slotId).toBe(found.id);
  });
});

describe('the web shell on the autumn night (HTTP api, the process clock pinned to 2026-10-24)', () => {
  it('lays a night template out, shows it per local date and finds its first free times in real order', async () => {
    const shell = await startShell({ env: { TIDBOK_NOW: '2026-10-24T10:00:00+02:00', TZ: 'Europe/Stockholm' } });
    try {
      const call = apiAs(() => shell, 'schema', 'demo-schema');
      const anna = (await call<Resource[]>('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
      const lakbes = (await call<AppointmentType[]>('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
      const template = {
        resourceId: anna.id,
        weekdays: [7],
        validFrom: '2026-10-25',
        validTo: '2026-10-25',
        startTime: '01:00',
        endTime: '04:00',
        slotMin: 30,
        appointmentTypeIds: [lakbes.id],
        skipHolidays: false,
      };
      const preview = await call<TemplatePreview>('templates.preview', { template });
      const made = await call<TemplateChange>('templates.create', { template });
      expect([made.expansion.created, preview.slots.length]).toEqual([6, 6]);
      expect(preview.clockChanges).toEqual([{ date: '2026-10-25', change: 'back', times: ['02:00', '02:30'] }]);
      const night = await call<CalendarRange>('calendar.range', { from: '2026-10-25', to: '2026-10-26', resourceIds: [anna.id] });
      expect(night.slots.map((s) => `${utc(s.startAt)} ${localTime(s.startAt)}`)).toEqual([
        '2026-10-24T23:00 01:00',
        '2026-10-24T23:30 01:30',
        '2026-10-25T01:00 02:00',
        '2026-10-25T01:30 02:30',
        '2026-10-25T02:00 03:00',
        '2026-10-25T02:30 03:30',
      ]);
      expect(preview.slots.map((s) => s.startAt)).toEqual(night.slots.map((s) => s.startAt));
      const free = await call<FreeSlot[]>('slots.findFree', {
        appointmentTypeId: lakbes.id,
        resourceId: anna.id,
        from: '2026-10-25',
        to: '2026-10-25',
        limit: 3,
      });
      expect(free.map((s) => localTime(s.startAt))).toEqual(['01:00', '01:30', '02:00']);
    } finally {
      await shell.stop();
    }
  }, 120_000);
});
