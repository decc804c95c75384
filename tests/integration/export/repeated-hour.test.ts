// The autumn night the clocks go back (2026-10-25: 03:00 summer time becomes 02:00 winter time),
// 02:00–02:59 happens twice. A regional system importing Tidbok's files must still get the right
// instant for every time in that hour, and a printed day list must say which 02:20 is which. In
// spring (2027-03-28) 02:00–02:59 does not exist: nothing may be laid, or written, at such a time.
// Through the typed api over a real SQLite file with the demo unit; files read back by csv-parse,
// exceljs, ical.js and poppler's pdftotext.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import type { InputOf } from '../../../src-main/api/contract.ts';
import { demoApi } from '../scheduling/helpers.ts';

const api = demoApi({ now: Date.parse('2026-10-24T10:00:00+02:00') });
const AUTUMN = '2026-10-25';
const SPRING = '2027-03-28';
const id = (sql: string, ...params: unknown[]) => (api.ctx.db.prepare(sql).get(...params) as { id: string }).id;
const anna = id(`SELECT id FROM resources WHERE name = 'Anna Lindqvist'`);
const maria = id(`SELECT id FROM resources WHERE name = 'Maria Berg'`);
const tele = id(`SELECT id FROM appointment_types WHERE code = 'TELE'`);
const [first, second] = api.ctx.db
  .prepare(`SELECT id FROM patients WHERE protected_identity = 0 LIMIT 2`)
  .pluck()
  .all() as string[];

/** The columns every earlier export had, in their places: importers read them by position too. */
const EARLIER_COLUMNS = [
  'Start',
  'Slut',
  'Resurs',
  'Titel',
  'Tidstatus',
  'Webbpublicerad',
  'Erbjudna typer',
  'Besökstyp',
  'Typkod',
  'Kontaktsätt',
  'Bokningsstatus',
  'Kanal',
  'Bokades',
  'Patient',
  'Personnummer',
  'Telefon',
  'Anteckning',
  'Tid-id',
  'Boknings-id',
];

const slots = { beforeSummer: '', summer: '', winter: '' };
const bookings = { summer: '', winter: '' };

async function exported(input: Partial<InputOf<'export.create'>> & Pick<InputOf<'export.create'>, 'format'>) {
  const file = await api.ok('export.create', { from: AUTUMN, to: AUTUMN, content: 'both', patientData: 'full', ...input }, [
    'admin',
  ]);
  return Buffer.from(file.base64, 'base64');
}
const csvRows = async (from: string, to = from) =>
  parse(await exported({ format: 'csv', from, to }), { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
const slotRow = (slotId: string) =>
  api.ctx.db.prepare(`SELECT start_at, end_at FROM slots WHERE id = ?`).get(slotId) as { start_at: number; end_at: number };

beforeAll(async () => {
  // Anna's night template on the autumn Sunday: 00:00–04:00 by 20 minutes.
  await api.ok('templates.create', {
    template: {
      resourceId: anna,
      weekdays: [7],
      validFrom: AUTUMN,
      validTo: AUTUMN,
      startTime: '00:00',
      endTime: '04:00',
      slotMin: 20,
      appointmentTypeIds: [tele],
      skipHolidays: false,
    },
  });
  // Maria's single slots: 01:40 until the FIRST 02:20 (summer time), and 02:20–02:40 winter time.
  const single = (startTime: string, endTime: string) =>
    api.ok('slots.create', { resourceId: maria, date: AUTUMN, startTime, endTime, appointmentTypeIds: [tele] });
  slots.beforeSummer = (await single('01:40', '02:20')).id;
  slots.winter = (await single('02:20', '02:40')).id;
  // 02:20–02:40 summer time between them: the first 02:20 of that night, named by its offset.
  slots.summer = (
    await api.ok('slots.create', {
      resourceId: maria,
      date: AUTUMN,
      startTime: '02:20',
      endTime: '02:40',
      utcOffset: '+02:00',
      appointmentTypeIds: [tele],
    })
  ).id;
  expect(slotRow(slots.summer)).toEqual({
    start_at: Date.parse('2026-10-25T02:20:00+02:00'),
    end_at: Date.parse('2026-10-25T02:40:00+02:00'),
  });
  await api.ok('bookings.book', { slotId: slots.beforeSummer, patientId: first!, appointmentTypeId: tele, channel: 'phone' });
  // Both 02:20 times are booked at 02:05 on the wall clock: once in summer time, once in winter time.
  api.setNow('2026-10-25T02:05:00+02:00');
  bookings.summer = (await api.ok('bookings.book', { slotId: slots.summer, patientId: first!, appointmentTypeId: tele })).id;
  api.setNow('2026-10-25T02:05:00+01:00');
  bookings.winter = (await api.ok('bookings.book', { slotId: slots.winter, patientId: second!, appointmentTypeId: tele })).id;
  api.setNow('2026-10-24T10:00:00+02:00');
  // Spring: the same night template on the Sunday summer time begins.
  await api.ok('templates.create', {
    template: {
      resourceId: anna,
      weekdays: [7],
      validFrom: SPRING,
      validTo: SPRING,
      startTime: '00:00',
      endTime: '05:00',
      slotMin: 20,
      appointmentTypeIds: [tele],
      skipHolidays: false,
    },
    horizonWeeks: 24,
  });
});

describe('CSV in the doubled autumn hour', () => {
  it('keeps the earlier columns in their places and adds the instants with their offsets last', async () => {
    const text = (await exported({ format: 'csv' })).toString('utf8').replace(/^\uFEFF/, '');
    const header = text.slice(0, text.indexOf('\r\n')).split(';');
    expect(header).toEqual([...EARLIER_COLUMNS, 'Start (ISO 8601)', 'Slut (ISO 8601)', 'Bokades (ISO 8601)']);
  });

  it('names the instant of every row: the offset columns parse back to the slot and booking times in SQLite', async () => {
    const rows = await csvRows(AUTUMN);
    expect(rows.length).toBeGreaterThan(12);
    for (const r of rows) {
      const s = slotRow(r['Tid-id']!);
      expect(Date.parse(r['Start (ISO 8601)']!), r['Tid-id']).toBe(s.start_at);
      expect(Date.parse(r['Slut (ISO 8601)']!), r['Tid-id']).toBe(s.end_at);
      // The wall-clock columns stay what they were: the offset column's local part.
      expect(r['Start']).toBe(r['Start (ISO 8601)']!.slice(0, 16));
      expect(r['Slut']).toBe(r['Slut (ISO 8601)']!.slice(0, 16));
      if (r['Boknings-id']) {
        const createdAt = api.count(`SELECT created_at AS n FROM bookings WHERE id = ?`, r['Boknings-id']);
        expect(Date.parse(r['Bokades (ISO 8601)']!)).toBe(createdAt);
        expect(r['Bokades']).toBe(r['Bokades (ISO 8601)']!.slice(0, 16));
      } else expect(r['Bokades (ISO 8601)']).toBe('');
    }
    // Rows come in time order, whatever their wall clock says.
    const instants = rows.map((r) => Date.parse(r['Start (ISO 8601)']!));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
  });

  it('tells 02:20 summer time from 02:20 winter time, for the slot and for when it was booked', async () => {
    const rows = await csvRows(AUTUMN);
    const summer = rows.find((r) => r['Tid-id'] === slots.summer)!;
    const winter = rows.find((r) => r['Tid-id'] === slots.winter)!;
    expect([summer['Start'], winter['Start']]).toEqual(['2026-10-25T02:20', '2026-10-25T02:20']);
    expect(summer['Start (ISO 8601)']).toBe('2026-10-25T02:20:00+02:00');
    expect(winter['Start (ISO 8601)']).toBe('2026-10-25T02:20:00+01:00');
    expect(winter['Slut (ISO 8601)']).toBe('2026-10-25T02:40:00+01:00');
    expect([summer['Boknings-id'], winter['Boknings-id']]).toEqual([bookings.summer, bookings.winter]);
    expect([summer['Bokades'], winter['Bokades']]).toEqual(['2026-10-25T02:05', '2026-10-25T02:05']);
    expect(summer['Bokades (ISO 8601)']).toBe('2026-10-25T02:05:00+02:00');
    expect(winter['Bokades (ISO 8601)']).toBe('2026-10-25T02:05:00+01:00');
    expect(rows.indexOf(summer)).toBeLessThan(rows.indexOf(winter));
    // The slot that ends on the first 02:20, and Anna's night template on either side of the hour.
    expect(rows.find((r) => r['Tid-id'] === slots.beforeSummer)!['Slut (ISO 8601)']).toBe('2026-10-25T02:20:00+02:00');
    const annas = rows.filter((r) => r['Resurs'] === 'Anna Lindqvist').map((r) => r['Start (ISO 8601)']);
    expect(annas).toContain('2026-10-25T01:40:00+02:00');
    expect(annas).toContain('2026-10-25T02:00:00+01:00');
    expect(annas).toContain('2026-10-25T03:40:00+01:00');
  });
});

describe('XLSX in the doubled autumn hour', () => {
  it('keeps the wall-clock date cells and carries the instants as text with their offsets', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exported({ format: 'xlsx' })) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    expect(header.slice(0, EARLIER_COLUMNS.length)).toEqual(EARLIER_COLUMNS);
    const col = (name: string) => header.indexOf(name) + 1;
    const byId = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row, n) => {
      if (n > 1) byId.set(String(row.getCell(col('Tid-id')).value), row);
    });
    for (const [slotId, iso] of [
      [slots.summer, '2026-10-25T02:20:00+02:00'],
      [slots.winter, '2026-10-25T02:20:00+01:00'],
    ] as const) {
      const row = byId.get(slotId)!;
      expect((row.getCell(col('Start')).value as Date).toISOString().slice(0, 16)).toBe('2026-10-25T02:20');
      expect(row.getCell(col('Start (ISO 8601)')).value).toBe(iso);
    }
    const bookedAt = byId.get(slots.winter)!.getCell(col('Bokades (ISO 8601)')).value;
    expect(bookedAt).toBe('2026-10-25T02:05:00+01:00');
  });
});

describe('ICS in the doubled autumn hour', () => {
  it('writes those events in UTC, and a calendar reads each at its own instant', async () => {
    const text = (await exported({ format: 'ics' })).toString('utf8');
    const cal = new ICAL.Component(ICAL.parse(text));
    ICAL.TimezoneService.register(cal.getFirstSubcomponent('vtimezone')!);
    const events = new Map(cal.getAllSubcomponents('vevent').map((v) => [new ICAL.Event(v).uid, new ICAL.Event(v)]));
    for (const [bookingId, slotId] of [
      [bookings.summer, slots.summer],
      [bookings.winter, slots.winter],
    ] as const) {
      const e = events.get(`booking-${bookingId}@tidbok`)!;
      expect(e.startDate.zone?.tzid).toBe('UTC');
      expect(e.startDate.toUnixTime() * 1000).toBe(slotRow(slotId).start_at);
    }
  });
});

describe('PDF day list in the doubled autumn hour', () => {
  const pdfText = async (date: string) => {
    const file = join(dirname(api.path), `daylist-${date}.pdf`);
    writeFileSync(file, await exported({ format: 'pdf', from: date, to: date, resourceIds: [maria] }));
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  };

  it('marks each time of that hour summer or winter time and says why', async () => {
    const text = await pdfText(AUTUMN);
    expect(text).toContain('Klockan ställs tillbaka 03:00 till 02:00');
    const lines = text.split('\n');
    // Under each big time: "till HH:mm", then the pass of the hour it lies in.
    const markUnder = (time: string, end: string) => {
      const at = lines.findIndex((l, i) => l.trimStart().startsWith(time) && lines[i + 1]?.includes(`till ${end}`));
      expect(at, `${time}–${end}`).toBeGreaterThanOrEqual(0);
      return lines[at + 2]!.trim().split(/\s{2,}/)[0];
    };
    expect(markUnder('01:40', '02:20')).toBe('slut sommartid');
    // The two 02:20s, in time order: summer time first.
    const under = lines.flatMap((l, i) =>
      l.trimStart().startsWith('02:20') && lines[i + 1]?.includes('till 02:40') ? [lines[i + 2]!.trim().split(/\s{2,}/)[0]] : [],
    );
    expect(under).toEqual(['sommartid', 'vintertid']);
  });

  it('ends a time at the next midnight as "till 24:00", not 00:00', async () => {
    await api.ok('slots.create', {
      resourceId: maria,
      date: '2026-10-27',
      startTime: '23:00',
      endTime: '24:00',
      appointmentTypeIds: [tele],
    });
    const lines = (await pdfText('2026-10-27')).split('\n');
    const at = lines.findIndex((l) => l.trimStart().startsWith('23:00'));
    expect(lines[at + 1]).toContain('till 24:00');
  });

  it('marks nothing on an ordinary day', async () => {
    await api.ok('slots.create', {
      resourceId: maria,
      date: '2026-10-26',
      startTime: '02:20',
      endTime: '02:40',
      appointmentTypeIds: [tele],
    });
    const text = await pdfText('2026-10-26');
    expect(text).toContain('02:20');
    expect(text).not.toMatch(/sommartid|vintertid|ställs tillbaka/);
  });
});

describe('the spring gap (2027-03-28, 02:00–02:59 does not exist)', () => {
  it('lays no slot there, refuses one, and writes no row at a time the clock skips', async () => {
    const error = await api.err('slots.create', {
      resourceId: maria,
      date: SPRING,
      startTime: '02:20',
      endTime: '02:40',
      appointmentTypeIds: [tele],
    });
    expect(error.code).toBe('validation');
    expect(error.message).toContain('finns inte');
    const rows = await csvRows(SPRING);
    const annas = rows.filter((r) => r['Resurs'] === 'Anna Lindqvist');
    // 00:00–05:00 by 20 minutes is 15 starts; the three in the skipped hour are left out.
    expect(annas).toHaveLength(12);
    for (const r of rows) {
      for (const key of ['Start', 'Slut']) {
        expect(r[key]).not.toMatch(/^2027-03-28T02:/);
        const iso = r[`${key} (ISO 8601)`]!;
        expect(iso.slice(0, 16)).toBe(r[key]);
        // Before the switch winter time, from 03:00 summer time.
        expect(iso.endsWith(iso.slice(11, 13) < '03' ? '+01:00' : '+02:00'), iso).toBe(true);
      }
    }
    expect(annas.map((r) => r['Start']!.slice(11))).toEqual([
      '00:00',
      '00:20',
      '00:40',
      '01:00',
      '01:20',
      '01:40',
      '03:00',
      '03:20',
      '03:40',
      '04:00',
      '04:20',
      '04:40',
    ]);
  });
});
