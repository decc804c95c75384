// Exports of a unit laid over both DST weeks, read back by real readers: csv-parse, exceljs,
// ical.js and poppler's pdftotext. Times must land on the same wall clock on both sides of
// the switches; protected identities and pseudonymised exports must leak nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import { exportToFile, type ExportRequest } from '../../../src-main/export/service.ts';
import { formatIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import { AUTUMN, FIXTURE_HSA, SPRING, TZ, seedExportFixture, type Fixture } from '../../helpers/export-fixture.ts';

const { ctx, db, path: dbPath } = openTestDb();
const dir = dirname(dbPath);
let fx: Fixture;
const admin = testCaller(['admin']);

interface ActiveRow {
  slot_id: string;
  booking_id: string;
  start_at: number;
  given_name: string;
  family_name: string;
  identity_number: string;
  protected_identity: number;
  note: string;
}

/**
 * The active bookings of a period, straight from SQL, to compare the files with. The fixture's
 * slots lie between 08:00 and 13:00 local, so UTC day bounds widened by two hours select the
 * same local days without any time-zone arithmetic.
 */
function activeBookings(from: string, to: string): ActiveRow[] {
  return db
    .prepare(
      `SELECT b.slot_id, b.id AS booking_id, s.start_at, p.given_name, p.family_name, p.identity_number, p.protected_identity, b.note
         FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN patients p ON p.id = b.patient_id
        WHERE b.status NOT IN ('cancelled', 'rebooked') AND s.state <> 'removed'
          AND s.start_at >= ? AND s.start_at < ?`,
    )
    .all(Date.parse(`${from}T00:00:00Z`) - 7_200_000, Date.parse(`${to}T00:00:00Z`) + 86_400_000) as ActiveRow[];
}

async function run(name: string, request: Partial<ExportRequest> & Pick<ExportRequest, 'format'>): Promise<string> {
  const file = join(dir, name);
  await exportToFile(
    ctx,
    admin,
    { unitHsaId: FIXTURE_HSA, from: SPRING.from, to: SPRING.to, content: 'both', patientData: 'full', ...request },
    file,
  );
  return file;
}

beforeAll(() => {
  fx = seedExportFixture(ctx);
});

describe('CSV', () => {
  it('is UTF-8 with BOM and semicolons, one row per live slot, times as local ISO across the spring switch', async () => {
    const file = await run('spring.csv', { format: 'csv' });
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    const live = db
      .prepare(`SELECT count(*) AS n FROM slots WHERE state <> 'removed' AND start_at >= ? AND start_at < ?`)
      .get(Date.parse('2026-03-23T00:00:00+01:00'), Date.parse('2026-03-31T00:00:00+02:00')) as { n: number };
    expect(rows).toHaveLength(live.n);
    for (const r of rows) expect(r['Start']!.replace('T', ' ')).toBe(fx.slotLocal.get(r['Tid-id']!));
    // The Sunday of the switch itself, and the Monday after it, at 08:00 on the wall clock.
    expect(rows.filter((r) => r['Start'] === '2026-03-29T08:00')).toHaveLength(1);
    expect(rows.filter((r) => r['Start'] === '2026-03-30T08:00')).toHaveLength(1);
    expect(new Set(rows.map((r) => r['Resurs']))).toEqual(new Set(['Åsa Öberg', 'Nils Ek']));
  });

  it('carries names and identity numbers, masks the protected identity, quotes notes with separators', async () => {
    const file = await run('spring-bookings.csv', { format: 'csv', content: 'bookings', separator: 'comma' });
    const rows = parse(readFileSync(file), { bom: true, delimiter: ',', columns: true }) as Record<string, string>[];
    const expected = activeBookings(SPRING.from, SPRING.to);
    expect(rows).toHaveLength(expected.length);
    for (const e of expected) {
      const r = rows.find((x) => x['Boknings-id'] === e.booking_id)!;
      expect(r, e.booking_id).toBeDefined();
      if (e.protected_identity) {
        expect(r['Patient']).toBe('Skyddad identitet');
        expect(r['Personnummer']).toBe('');
        expect(r['Telefon']).toBe('');
        expect(r['Anteckning']).toBe('');
      } else {
        expect(r['Patient']).toBe(`${e.given_name} ${e.family_name}`);
        expect(r['Personnummer']).toBe(formatIdentityNumber(e.identity_number));
        expect(r['Anteckning']).toBe(e.note);
      }
    }
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('Hemlig');
    expect(text).not.toContain('0709999999');
    expect(rows.some((r) => r['Anteckning'] === 'Tolk behövs; "svenska"')).toBe(true);
  });

  it('pseudonymised: initials only, no identity numbers, phones or notes anywhere in the file', async () => {
    const file = await run('pseudo.csv', { format: 'csv', content: 'bookings', patientData: 'pseudonymised' });
    const rows = parse(readFileSync(file), { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).not.toContain('Personnummer');
    expect(Object.keys(rows[0]!)).not.toContain('Anteckning');
    const names = new Set(rows.map((r) => r['Patient']));
    expect(names).toEqual(new Set(['M. Å.', 'K.E. L.', 'U. B.', 'Skyddad identitet']));
    const text = readFileSync(file, 'utf8');
    for (const p of db.prepare(`SELECT identity_number, given_name, family_name, phone FROM patients`).all() as Record<
      string,
      string | null
    >[]) {
      expect(text).not.toContain(p['identity_number']!);
      expect(text).not.toContain(formatIdentityNumber(p['identity_number']!));
      expect(text).not.toContain(p['family_name']!);
      if (p['phone']) expect(text).not.toContain(p['phone']);
    }
  });
});

describe('XLSX', () => {
  it('has typed date cells on the wall clock, a frozen bold header, widths, and one sheet per resource', async () => {
    const file = await run('autumn.xlsx', { format: 'xlsx', from: AUTUMN.from, to: AUTUMN.to, layout: 'perResource' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Åsa Öberg', 'Nils Ek']);
    const sheet = wb.getWorksheet('Åsa Öberg')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['Start', 'Slut', 'Resurs']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(1).width).toBeGreaterThan(12);
    const idCol = header.indexOf('Tid-id') + 1;
    let rows = 0;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      rows++;
      const start = row.getCell(1).value;
      expect(start).toBeInstanceOf(Date);
      expect(row.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm');
      // The cell shows the wall clock: its UTC fields are the local time in Stockholm.
      const shown = (start as Date).toISOString().slice(0, 16).replace('T', ' ');
      expect(shown).toBe(fx.slotLocal.get(String(row.getCell(idCol).value)));
    });
    expect(rows).toBe(
      (
        db
          .prepare(
            `SELECT count(*) AS n FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at >= ? AND start_at < ?`,
          )
          .get(fx.clinicianId, Date.parse('2026-10-19T00:00:00+02:00'), Date.parse('2026-10-27T00:00:00+01:00')) as { n: number }
      ).n,
    );
    const sunday = [] as string[];
    sheet.eachRow((row, n) => {
      if (n > 1) sunday.push((row.getCell(1).value as Date).toISOString().slice(0, 16));
    });
    expect(sunday).toContain('2026-10-25T08:00');
    expect(sunday).toContain('2026-10-26T08:00');
  });
});

describe('ICS', () => {
  it('parses with ical.js: one VEVENT per booking or slot, stable UIDs, correct instants across both switches', async () => {
    for (const week of [SPRING, AUTUMN]) {
      const file = await run(`week-${week.from}.ics`, { format: 'ics', from: week.from, to: week.to });
      const text = readFileSync(file, 'utf8');
      const cal = new ICAL.Component(ICAL.parse(text));
      const vtz = cal.getFirstSubcomponent('vtimezone')!;
      expect(vtz.getFirstPropertyValue('tzid')).toBe(TZ);
      ICAL.TimezoneService.register(vtz);
      const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      const live = db
        .prepare(
          `SELECT s.id, s.start_at, s.end_at, b.id AS booking_id FROM slots s
             LEFT JOIN bookings b ON b.slot_id = s.id AND b.status NOT IN ('cancelled', 'rebooked')
            WHERE s.state <> 'removed' AND s.start_at >= ? AND s.start_at < ?`,
        )
        .all(Date.parse(`${week.from}T00:00:00Z`) - 7_200_000, Date.parse(`${week.to}T00:00:00Z`) + 86_400_000) as {
        id: string;
        start_at: number;
        end_at: number;
        booking_id: string | null;
      }[];
      expect(events).toHaveLength(live.length);
      const byUid = new Map(events.map((e) => [e.uid, e]));
      for (const s of live) {
        const uid = s.booking_id ? `booking-${s.booking_id}@tidbok` : `slot-${s.id}@tidbok`;
        const e = byUid.get(uid)!;
        expect(e, uid).toBeDefined();
        expect(e.startDate.zone?.tzid).toBe(TZ);
        expect(e.startDate.toUnixTime() * 1000).toBe(s.start_at);
        expect(e.endDate.toUnixTime() * 1000).toBe(s.end_at);
        expect(`${localDate(s.start_at, TZ)} ${localTime(s.start_at, TZ)}`).toBe(fx.slotLocal.get(s.id));
      }
      // DTSTAMP is UTC, as RFC 5545 requires.
      expect(text).toMatch(/^DTSTAMP:\d{8}T\d{6}Z\r$/m);
      expect(text).not.toContain('Hemlig');
    }
  });

  it('gives the same UID to the same booking in a second export', async () => {
    const a = readFileSync(await run('a.ics', { format: 'ics', content: 'bookings' }), 'utf8');
    const b = readFileSync(await run('b.ics', { format: 'ics', content: 'bookings' }), 'utf8');
    const uids = (t: string) => [...t.matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1]).sort();
    expect(uids(a).length).toBeGreaterThan(10);
    expect(uids(a)).toEqual(uids(b));
  });
});

describe('PDF day list', () => {
  it('lists each clinician and day with times, names, numbers, type and mode; protected patients masked', async () => {
    const file = await run('daylist.pdf', { format: 'pdf', from: '2026-03-29', to: '2026-03-29', resourceIds: [fx.clinicianId] });
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Åsa Öberg');
    expect(text).toContain('Söndag 29 mars 2026');
    const expected = activeBookings('2026-03-29', '2026-03-29').filter((b) =>
      db.prepare(`SELECT 1 FROM slots WHERE id = ? AND resource_id = ?`).get(b.slot_id, fx.clinicianId),
    );
    expect(expected.length).toBeGreaterThan(0);
    for (const b of expected) {
      expect(text).toContain(localTime(b.start_at, TZ));
      if (b.protected_identity) continue;
      expect(text).toContain(`${b.given_name} ${b.family_name}`);
      expect(text).toContain(formatIdentityNumber(b.identity_number));
    }
    expect(text).not.toContain('Hemlig');
    expect(text).not.toContain(
      formatIdentityNumber(
        db.prepare(`SELECT identity_number AS n FROM patients WHERE protected_identity = 1`).pluck().get() as string,
      ),
    );
    expect(expected.some((b) => b.protected_identity)).toBe(true);
    expect(text).toContain('Skyddad identitet');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
  });

  it('refuses an unknown unit and leaves no file', async () => {
    const file = join(dir, 'none.pdf');
    await expect(
      exportToFile(
        ctx,
        admin,
        { unitHsaId: 'SE2321000016-NONE', from: SPRING.from, to: SPRING.to, content: 'both', patientData: 'full', format: 'pdf' },
        file,
      ),
    ).rejects.toThrow(/hittades inte/);
    expect(() => readFileSync(file)).toThrow();
  });
});
