// Who may export what, the access-log events an export writes, files through the api, and the
// `tidbok export` / `tidbok stats` commands (exit codes, no partial file).
import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { main } from '../../../src-main/cli.ts';
import type { ExportFile, Statistics } from '../../../src-main/api/methods/export.ts';
import type { AuditPage, PatientLogExtract } from '../../../src-main/api/methods/auth.ts';
import type { Role } from '../../../src-main/api/types.ts';
import { verifyAuditChain } from '../../../src-main/services/audit.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import { FIXTURE_HSA, SPRING, seedExportFixture } from '../../helpers/export-fixture.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const { ctx, db, path: dbPath } = openTestDb();
const fx = seedExportFixture(ctx);

const call = (roles: Role[], method: string, input: unknown) =>
  dispatch({ ctx, caller: testCaller(roles), shell: 'web' }, method, input);

interface AuditRow {
  action: string;
  patient_id: string | null;
  entity: string;
  entity_id: string;
  detail: string;
}
const auditSince = (seq: number) =>
  db.prepare(`SELECT * FROM audit_events WHERE seq > ? ORDER BY seq`).all(seq) as (AuditRow & { seq: number })[];
const lastSeq = () => (db.prepare(`SELECT coalesce(max(seq), 0) AS s FROM audit_events`).get() as { s: number }).s;

const exportInput = { from: SPRING.from, to: SPRING.to, content: 'bookings', patientData: 'full', format: 'csv' };

describe('roles', () => {
  it('lets an admin export patient data, and nobody else', async () => {
    expect(await call(['admin'], 'export.create', exportInput)).toMatchObject({ ok: true });
    expect(await call(['scheduler'], 'export.create', exportInput)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(['receptionist'], 'export.create', exportInput)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Pseudonymised data is still patient data.
    expect(await call(['scheduler'], 'export.create', { ...exportInput, patientData: 'pseudonymised' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('lets a scheduler export the schedule without patients', async () => {
    const r = await call(['scheduler'], 'export.create', { ...exportInput, content: 'slots', patientData: 'full' });
    expect(r).toMatchObject({ ok: true });
    const r2 = await call(['scheduler'], 'export.create', { ...exportInput, patientData: 'none' });
    expect(r2).toMatchObject({ ok: true });
  });

  it('lets a receptionist print a day list, but not statistics', async () => {
    const r = await call(['receptionist'], 'export.dayList', { date: '2026-03-29' });
    expect(r).toMatchObject({ ok: true, value: { mimeType: 'application/pdf' } });
    const pdf = Buffer.from((r as { value: ExportFile }).value.base64, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await call(['receptionist'], 'stats.summary', { from: SPRING.from, to: SPRING.to })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('rejects bad input in Swedish', async () => {
    const r = await call(['admin'], 'export.create', { ...exportInput, from: '2026-04-01', to: '2026-03-01' });
    expect(r).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/Slutdatum/) } });
    const r2 = await call(['admin'], 'export.create', { ...exportInput, resourceIds: ['01900000-0000-7000-8000-000000000000'] });
    expect(r2).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/resurser/) } });
  });
});

describe('access log', () => {
  it('writes one export event per patient in the file, all naming the same export', async () => {
    const before = lastSeq();
    const r = (await call(['admin'], 'export.create', exportInput)) as { ok: true; value: ExportFile };
    const events = auditSince(before);
    const patients = db
      .prepare(
        `SELECT DISTINCT b.patient_id FROM bookings b JOIN slots s ON s.id = b.slot_id
          WHERE b.status NOT IN ('cancelled', 'rebooked') AND s.state <> 'removed' AND s.start_at >= ? AND s.start_at < ?`,
      )
      .pluck()
      .all(Date.parse('2026-03-23T00:00:00+01:00'), Date.parse('2026-03-31T00:00:00+02:00')) as string[];
    expect(patients.length).toBe(4);
    expect(r.value.patients).toBe(patients.length);
    expect(events).toHaveLength(patients.length);
    expect(new Set(events.map((e) => e.patient_id))).toEqual(new Set(patients));
    expect(new Set(events.map((e) => e.action))).toEqual(new Set(['export']));
    expect(new Set(events.map((e) => e.entity_id)).size).toBe(1);
    for (const e of events) {
      expect(JSON.parse(e.detail)).toMatchObject({
        format: 'csv',
        from: SPRING.from,
        to: SPRING.to,
        patientData: 'full',
        patientCount: 4,
        rows: r.value.rows,
      });
    }
    // The file really holds those rows.
    const rows = parse(Buffer.from(r.value.base64, 'base64'), { bom: true, delimiter: ';', columns: true }) as unknown[];
    expect(rows).toHaveLength(r.value.rows);
    expect(verifyAuditChain(ctx)).toBeNull();
  });

  it("shows the export in each exported patient's log extract and in a search of the log by patient", async () => {
    const before = lastSeq();
    const r = (await call(['admin'], 'export.create', exportInput)) as { ok: true; value: ExportFile };
    const exportId = auditSince(before)[0]!.entity_id;
    expect(r.value.patients).toBeGreaterThan(0);
    const exportEvents = db
      .prepare(`SELECT seq, patient_id FROM audit_events WHERE entity = 'export' AND entity_id = ? AND patient_id IS NOT NULL`)
      .all(exportId) as { seq: number; patient_id: string }[];
    expect(exportEvents.length).toBe(r.value.patients);
    for (const { seq, patient_id: patientId } of exportEvents) {
      const extract = (await call(['admin'], 'audit.patientExtract', { patientId })) as {
        ok: true;
        value: PatientLogExtract;
      };
      const at = db.prepare(`SELECT at FROM audit_events WHERE seq = ?`).pluck().get(seq) as number;
      expect(extract.value.entries).toContainEqual(expect.objectContaining({ action: 'export', at }));
      const search = (await call(['admin'], 'audit.search', { patientId, action: 'export' })) as { ok: true; value: AuditPage };
      expect(search.value.entries).toContainEqual(expect.objectContaining({ seq, entity: 'export', entityId: exportId }));
    }
  });

  it('logs a printed day list as print, and an export without patients as one event without patient', async () => {
    let before = lastSeq();
    await call(['receptionist'], 'export.dayList', { date: '2026-03-29', resourceIds: [fx.clinicianId] });
    const printed = auditSince(before);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.every((e) => e.action === 'print' && e.patient_id !== null)).toBe(true);
    before = lastSeq();
    await call(['admin'], 'export.create', { ...exportInput, content: 'slots', format: 'ics' });
    const none = auditSince(before);
    expect(none).toHaveLength(1);
    expect(none[0]).toMatchObject({ action: 'export', patient_id: null });
    expect(JSON.parse(none[0]!.detail)).toMatchObject({ patientCount: 0, format: 'ics' });
  });

  it('returns the statistics and their CSV through the api', async () => {
    const s = (await call(['admin'], 'stats.summary', { from: SPRING.from, to: SPRING.to })) as { ok: true; value: Statistics };
    expect(s.value.unit.hsaId).toBe(FIXTURE_HSA);
    const csv = (await call(['admin'], 'stats.csv', { from: SPRING.from, to: SPRING.to, separator: 'comma' })) as {
      ok: true;
      value: ExportFile;
    };
    const rows = parse(Buffer.from(csv.value.base64, 'base64'), { bom: true, columns: true }) as Record<string, string>[];
    expect(Number(rows.find((r) => r['Mått'] === 'Totalt' && r['Avsnitt'] === 'Bokningar')!['Värde'])).toBe(
      s.value.bookings.total,
    );
  });
});

describe('tidbok export / stats', () => {
  const dir = dirname(dbPath);
  /** The real program in a child process (one spawn: tsx start-up costs seconds here). */
  const spawnTidbok = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args, '--db', dbPath], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  /** The same program in this process, its output captured. */
  const tidbok = async (...args: string[]) => {
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
    try {
      const code = await main(['node', 'tidbok', ...args, '--db', dbPath]);
      return { code, out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  };
  const base = ['export', '--unit', FIXTURE_HSA, '--from', SPRING.from, '--to', SPRING.to];

  it('writes a pseudonymised CSV from a child process, exit 0', () => {
    const out = join(dir, 'cli.csv');
    const r = spawnTidbok(
      ...base,
      '--format',
      'csv',
      '--out',
      out,
      '--pseudonymise',
      '--separator',
      'comma',
      '--content',
      'bookings',
    );
    expect(r.code, r.err).toBe(0);
    const rows = parse(readFileSync(out), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((row) => /^(([A-ZÅÄÖ]\.)+ ([A-ZÅÄÖ]\.)+|Skyddad identitet)$/.test(row['Patient']!))).toBe(true);
    expect(Object.keys(rows[0]!)).not.toContain('Personnummer');
  });

  it('exits 2 with a clear message and writes nothing for a bad date, an unknown unit, format or folder', async () => {
    const out = join(dir, 'never.xlsx');
    const badDate = await tidbok(
      'export',
      '--unit',
      FIXTURE_HSA,
      '--from',
      '2026-02-30',
      '--to',
      SPRING.to,
      '--format',
      'xlsx',
      '--out',
      out,
    );
    expect(badDate.code).toBe(2);
    expect(badDate.err).toMatch(/--from: datumet 2026-02-30 finns inte/);
    const badUnit = await tidbok(
      'export',
      '--unit',
      'SE2321000016-NOPE',
      '--from',
      SPRING.from,
      '--to',
      SPRING.to,
      '--format',
      'xlsx',
      '--out',
      out,
    );
    expect(badUnit.code).toBe(2);
    expect(badUnit.err).toMatch(/Okänd vårdenhet "SE2321000016-NOPE"/);
    const badFormat = await tidbok(...base, '--format', 'docx', '--out', out);
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).toMatch(/--format ska vara ett av csv, xlsx, ics, pdf/);
    const reversed = await tidbok(
      'export',
      '--unit',
      FIXTURE_HSA,
      '--from',
      SPRING.to,
      '--to',
      SPRING.from,
      '--format',
      'csv',
      '--out',
      out,
    );
    expect(reversed.code).toBe(2);
    expect(reversed.err).toMatch(/--to \(2026-03-23\) är före --from/);
    const noFolder = await tidbok(...base, '--format', 'csv', '--out', join(dir, 'no-such-folder', 'x.csv'));
    expect(noFolder.code).toBe(2);
    expect(noFolder.err).toMatch(/finns inte/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('never'))).toEqual([]);
  });

  it('exits 1 when the file cannot be put in place, leaving no temporary file and no log rows', async () => {
    const target = join(dir, 'a-folder');
    mkdirSync(target);
    const before = lastSeq();
    const r = await tidbok(...base, '--format', 'xlsx', '--out', target);
    expect(r.code).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(lastSeq()).toBe(before);
  });

  it('prints statistics as JSON and as CSV', async () => {
    const json = await tidbok('stats', '--unit', FIXTURE_HSA, '--from', SPRING.from, '--to', SPRING.to);
    expect(json.code, json.err).toBe(0);
    const stats = JSON.parse(json.out) as Statistics;
    expect(stats.weeks.map((w) => w.week)).toEqual(['2026-W13', '2026-W14']);
    const csv = await tidbok('stats', '--unit', FIXTURE_HSA, '--from', SPRING.from, '--to', SPRING.to, '--format', 'csv');
    const rows = parse(csv.out, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(Number(rows.find((r) => r['Mått'] === 'Webb (1177)')!['Värde'])).toBe(stats.bookings.web);
  });
});
