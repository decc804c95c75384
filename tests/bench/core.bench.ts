// Scheduling core benchmark (issue 3). Deterministic synthetic data (seeded PRNG, pinned clock):
// - core.expand_year.ms: one year of templates for 60 clinicians (~350k slots), via the service;
// - core.expand_vs_raw_insert.ratio: raw better-sqlite3 insert throughput of the very same rows
//   (slots and the outbox row) divided into expansion's: expansion speed as a share of raw;
// - core.free_slots_p95.ms: first 10 free web-bookable slots of a type over 180 days, on a
//   database of ~1M slots and ~500k bookings;
// - core.week_query_p95.ms: the resource week view (services/calendar.ts calendarRange), 60 resources;
//   core.week_query_sql_{median,p95}.ms the same weeks' SQL alone (next to the view's median),
//   core.week_query_sql_scan_median.ms the same join counted inside SQLite (no rows to JavaScript), and
//   core.raw_insert_year.ms the raw insert time behind the ratio, core.bare_insert_year.ms the same
//   rows into a table with no key, constraint or index (no targets: they show how much of each
//   figure the storage itself costs, and how little of expand_year's second is left to any code);
// - core.expand_12_weeks.ms (the default horizon) and core.week_query_10_resources_p95.ms (a
//   receptionist's week of 10 clinicians): no targets, the sizes a unit meets every day.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src-main/store/database.ts';
import { createContext, type Caller, type ServiceContext } from '../../src-main/services/context.ts';
import { expandTemplates } from '../../src-main/services/templates.ts';
import { findFreeSlots } from '../../src-main/services/free-slots.ts';
import { calendarRange, RANGE_FROM, rangeRows } from '../../src-main/services/calendar.ts';
import { addDays, startOfIsoWeek, startOfLocalDay } from '../../src-main/domain/time.ts';
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';
import { percentile, type Report } from './figures.ts';
import { seededRandom } from '../../src-main/demo/prng.ts';

const CALLER: Caller = { userId: null, username: 'bench', displayName: 'Bench', roles: ['admin'], workstation: 'bench' };
const CLINICIANS = 60;
const PROFESSIONS = ['lakare', 'sjukskoterska', 'fysioterapeut'];

interface Fixture {
  ctx: ServiceContext;
  db: Db;
  typeIds: string[];
  resourceIds: string[];
}

/**
 * A unit with 60 clinicians (three professions), six appointment types and two templates per
 * clinician (Mon–Fri 08:00–12:00 and 13:00–17:00, 20-minute slots: 24 a day, ~6,000 a year).
 */
function fixture(dir: string, name: string, now: number): Fixture {
  const db = openDatabase(join(dir, name));
  const ctx = createContext(db, { now: () => now });
  const unitId = ctx.newId();
  db.prepare(`INSERT INTO units (id, hsa_id, name, updated_at) VALUES (?, 'SE2321000016-BNCH', 'Benchmark', ?)`).run(unitId, now);
  const typeIds: string[] = [];
  const insType = db.prepare(
    `INSERT INTO appointment_types (id, unit_id, code, name_sv, name_en, duration_min, contact_modes, professions, web_bookable,
       book_min_lead_h, book_max_days, updated_at) VALUES (?, ?, ?, ?, ?, 20, '["physical"]', ?, ?, 2, 365, ?)`,
  );
  for (let i = 0; i < 6; i++) {
    const id = ctx.newId();
    typeIds.push(id);
    insType.run(id, unitId, `T${i}`, `Typ ${i}`, `Type ${i}`, JSON.stringify([PROFESSIONS[i % 3]]), i < 4 ? 1 : 0, now);
  }
  const resourceIds: string[] = [];
  const insRes = db.prepare(
    `INSERT INTO resources (id, unit_id, kind, name, profession, sort_order, updated_at) VALUES (?, ?, 'clinician', ?, ?, ?, ?)`,
  );
  const insTpl = db.prepare(
    `INSERT INTO schedule_templates (id, resource_id, weekdays, valid_from, start_time, end_time, slot_min, appointment_type_ids,
       publish_web, updated_at) VALUES (?, ?, '[1,2,3,4,5]', '2026-01-01', ?, ?, 20, ?, ?, ?)`,
  );
  for (let r = 0; r < CLINICIANS; r++) {
    const id = ctx.newId();
    resourceIds.push(id);
    const p = r % 3;
    insRes.run(id, unitId, `Kliniker ${r + 1}`, PROFESSIONS[p], r, now);
    // Each profession's two types (one web-bookable in the morning, both in the afternoon).
    insTpl.run(ctx.newId(), id, '08:00', '12:00', JSON.stringify([typeIds[p]]), 1, now);
    insTpl.run(ctx.newId(), id, '13:00', '17:00', JSON.stringify([typeIds[p], typeIds[p + 3]]), r % 2, now);
  }
  return { ctx, db, typeIds, resourceIds };
}

/** Wall-clock and CPU time of `f` (CPU time shows what a busy shared machine hides). */
function time<T>(f: () => T): { ms: number; cpuMs: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}

/** Inserts exactly the rows expansion wrote (read back from `source`) into `target`, raw. */
function rawInsert(source: Db, target: Db): { ms: number; cpuMs: number } {
  const slots = source.prepare(`SELECT * FROM slots`).raw().all() as unknown[][];
  const outbox = source.prepare(`SELECT entity, entity_id, op, payload, created_at FROM outbox`).raw().all() as unknown[][];
  const slotCols = (source.prepare(`SELECT * FROM slots LIMIT 1`).columns() as { name: string }[]).map((c) => c.name);
  // Resources, types and templates must exist for the foreign keys.
  for (const table of ['units', 'resources', 'appointment_types', 'schedule_templates']) {
    const rows = source.prepare(`SELECT * FROM ${table}`).raw().all() as unknown[][];
    const cols = (source.prepare(`SELECT * FROM ${table} LIMIT 1`).columns() as { name: string }[]).map((c) => c.name);
    const ins = target.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
    target.transaction(() => rows.forEach((r) => ins.run(...r)))();
  }
  const insSlot = target.prepare(`INSERT INTO slots (${slotCols.join(',')}) VALUES (${slotCols.map(() => '?').join(',')})`);
  const insOut = target.prepare(`INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?)`);
  return time(() =>
    target.transaction(() => {
      for (const r of slots) insSlot.run(...r);
      for (const r of outbox) insOut.run(...r);
    })(),
  );
}

/**
 * The same slot rows into a table with the same columns and nothing else: no key, constraint,
 * index or trigger (CREATE TABLE AS). The floor any store that writes one row per slot meets on
 * this machine, next to which core.expand_year.ms's target can be read.
 */
function bareInsert(source: Db, target: Db): { ms: number; cpuMs: number } {
  const slots = source.prepare(`SELECT * FROM slots`).raw().all() as unknown[][];
  target.exec(`CREATE TABLE bare_slots AS SELECT * FROM slots WHERE 0`);
  const n = slots[0]?.length ?? 0;
  const ins = target.prepare(`INSERT INTO bare_slots VALUES (${Array.from({ length: n }, () => '?').join(',')})`);
  return time(() => target.transaction(() => slots.forEach((r) => ins.run(...r)))());
}

/** Books ~`target` slots: heavily near "now", lighter further out, most of the past. */
function book(f: Fixture, now: number, target: number, rand: () => number): number {
  const { db, ctx } = f;
  const patients: string[] = [];
  const insPatient = db.prepare(
    `INSERT INTO patients (id, identity_number, identity_kind, given_name, family_name, updated_at) VALUES (?, ?, 'personnummer', 'Test', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < 50_000; i++) {
      const id = ctx.newId();
      patients.push(id);
      const birth = `${1930 + (i % 90)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      insPatient.run(id, makeIdentityNumber(birth, Math.floor(i / 1008) % 1000), `Patient${i}`, now);
    }
  })();
  const slots = db.prepare(`SELECT id, start_at, appointment_type_ids FROM slots`).raw().all() as [string, number, string][];
  const fill = (startAt: number) => {
    const days = (startAt - now) / 86_400_000;
    if (days < 0) return 0.55;
    if (days < 14) return 0.95;
    if (days < 60) return 0.7;
    return 0.3;
  };
  const expected = slots.reduce((s, [, at]) => s + fill(at), 0);
  const scale = target / expected;
  const insBooking = db.prepare(
    `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'physical', ?, ?, ?, ?)`,
  );
  let n = 0;
  db.transaction(() => {
    for (const [id, startAt, types] of slots) {
      if (rand() >= fill(startAt) * scale) continue;
      const typeIds = JSON.parse(types) as string[];
      insBooking.run(
        ctx.newId(),
        id,
        patients[Math.floor(rand() * patients.length)],
        typeIds[Math.floor(rand() * typeIds.length)],
        startAt < now ? 'completed' : 'booked',
        rand() < 0.4 ? 'web' : 'phone',
        now,
        now,
      );
      n++;
    }
  })();
  return n;
}

export const BOOK_NOW = Date.parse('2027-03-15T09:00:00+01:00');

/** The large book the query figures run on: ~1M slots over 34 months, ~500k bookings. */
export function buildBook(dir: string, name: string): Fixture {
  const big = fixture(dir, name, Date.parse('2025-12-31T12:00:00+01:00'));
  const built = time(() => expandTemplates(big.ctx, CALLER, { from: '2026-01-01', to: '2028-11-01' }));
  big.ctx.now = () => BOOK_NOW;
  const bookings = book(big, BOOK_NOW, 500_000, seededRandom(3));
  big.db.exec(`DELETE FROM outbox; ANALYZE;`);
  const total = (big.db.prepare(`SELECT count(*) AS n FROM slots`).get() as { n: number }).n;
  process.stdout.write(`  (book: ${total} slots built in ${built.ms.toFixed(0)} ms, ${bookings} bookings)\n`);
  return big;
}

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-bench-core-'));
  try {
    // ---- expansion of one year vs raw insert of the same rows
    const now = Date.parse('2026-12-31T12:00:00+01:00');
    let bestExpand = Infinity;
    let bestRaw = Infinity;
    let bestBare = Infinity;
    let expandCpu = Infinity;
    let rawCpu = Infinity;
    let slotsPerYear = 0;
    for (let round = 0; round < 2; round++) {
      const f = fixture(dir, `expand-${round}.db`, now);
      const r = time(() => expandTemplates(f.ctx, CALLER, { from: '2027-01-01', to: '2028-01-01' }));
      slotsPerYear = r.value.created;
      bestExpand = Math.min(bestExpand, r.ms);
      expandCpu = Math.min(expandCpu, r.cpuMs);
      const raw = openDatabase(join(dir, `raw-${round}.db`));
      const rawTime = rawInsert(f.db, raw);
      bestRaw = Math.min(bestRaw, rawTime.ms);
      rawCpu = Math.min(rawCpu, rawTime.cpuMs);
      raw.close();
      const bare = openDatabase(join(dir, `bare-${round}.db`));
      bestBare = Math.min(bestBare, bareInsert(f.db, bare).ms);
      bare.close();
      f.db.close();
    }
    process.stdout.write(
      `  (one year: ${slotsPerYear} slots; expand ${bestExpand.toFixed(0)} ms wall / ${expandCpu.toFixed(0)} ms cpu, ` +
        `raw insert ${bestRaw.toFixed(0)} ms wall / ${rawCpu.toFixed(0)} ms cpu)\n`,
    );
    report({ name: 'core.expand_year.ms', value: bestExpand, unit: 'ms', target: { op: '<', value: 1000 } });
    // What a scheduler waits for in practice: the unit's default horizon (12 weeks) laid out at once.
    let bestHorizon = Infinity;
    for (let round = 0; round < 2; round++) {
      const f = fixture(dir, `horizon-${round}.db`, now);
      bestHorizon = Math.min(
        bestHorizon,
        time(() => expandTemplates(f.ctx, CALLER, { from: '2027-01-01', to: addDays('2027-01-01', 84) })).ms,
      );
      f.db.close();
    }
    report({ name: 'core.expand_12_weeks.ms', value: bestHorizon, unit: 'ms', target: null });
    report({ name: 'core.raw_insert_year.ms', value: bestRaw, unit: 'ms', target: null });
    report({ name: 'core.bare_insert_year.ms', value: bestBare, unit: 'ms', target: null });
    report({
      name: 'core.expand_vs_raw_insert.ratio',
      value: bestRaw / bestExpand,
      unit: 'ratio',
      target: { op: '>=', value: 0.5 },
    });

    // ---- a book of ~1M slots (2026-01-01 .. 2028-10) and ~500k bookings
    const big = buildBook(dir, 'big.db');
    const today = '2027-03-15';
    const to = addDays(today, 180);
    const freeTimes: number[] = [];
    for (let i = 0; i < 400; i++) {
      const typeId = big.typeIds[i % 4]!; // the web-bookable types
      const q =
        i % 5 === 0
          ? {
              appointmentTypeId: typeId,
              from: today,
              to,
              webOnly: true,
              limit: 10,
              resourceId: big.resourceIds[(i * 7) % CLINICIANS],
            }
          : { appointmentTypeId: typeId, from: today, to, webOnly: true, limit: 10 };
      const t = time(() => findFreeSlots(big.ctx, q));
      if (i >= 20) freeTimes.push(t.ms);
    }
    report({ name: 'core.free_slots_p95.ms', value: percentile(freeTimes, 95), unit: 'ms', target: { op: '<', value: 5 } });

    const weekTimes: number[] = [];
    const weekCpu: number[] = [];
    for (let i = 0; i < 120; i++) {
      const monday = startOfIsoWeek(addDays('2026-02-02', (i * 11) % 700));
      const t = time(() => calendarRange(big.ctx, { from: monday, to: addDays(monday, 7) }));
      if (i >= 10) {
        weekTimes.push(t.ms);
        weekCpu.push(t.cpuMs);
      }
    }
    process.stdout.write(`  (week view: ${percentile(weekCpu, 50).toFixed(1)} ms cpu median)\n`);
    report({ name: 'core.week_query_p95.ms', value: percentile(weekTimes, 95), unit: 'ms', target: { op: '<', value: 20 } });
    // A receptionist's week: 10 resources (DESIGN's view B), same weeks.
    const tenTimes: number[] = [];
    const ten = big.resourceIds.slice(0, 10);
    for (let i = 0; i < 120; i++) {
      const monday = startOfIsoWeek(addDays('2026-02-02', (i * 11) % 700));
      const t = time(() => calendarRange(big.ctx, { from: monday, to: addDays(monday, 7), resourceIds: ten }));
      if (i >= 10) tenTimes.push(t.ms);
    }
    report({ name: 'core.week_query_10_resources_p95.ms', value: percentile(tenTimes, 95), unit: 'ms', target: null });
    // The same weeks' SQL alone (raw rows, no objects): the part no code above the query can save.
    const ids = JSON.stringify(big.resourceIds);
    const sqlTimes: number[] = [];
    for (let i = 0; i < 120; i++) {
      const monday = startOfIsoWeek(addDays('2026-02-02', (i * 11) % 700));
      const t = time(() => rangeRows(big.ctx, startOfLocalDay(monday), startOfLocalDay(addDays(monday, 7)), ids));
      if (i >= 10) sqlTimes.push(t.ms);
    }
    // The same join counted inside SQLite, no rows handed to JavaScript: what reading costs by itself.
    const scan = big.db.prepare(`SELECT count(s.template_id), count(b.note), count(p.given_name) ${RANGE_FROM}`);
    const scanTimes: number[] = [];
    for (let i = 0; i < 120; i++) {
      const monday = startOfIsoWeek(addDays('2026-02-02', (i * 11) % 700));
      const fromAt = startOfLocalDay(monday);
      const toAt = startOfLocalDay(addDays(monday, 7));
      const t = time(() => scan.get({ fromAt, toAt, ids }));
      if (i >= 10) scanTimes.push(t.ms);
    }
    report({ name: 'core.week_query_median.ms', value: percentile(weekTimes, 50), unit: 'ms', target: null });
    report({ name: 'core.week_query_sql_scan_median.ms', value: percentile(scanTimes, 50), unit: 'ms', target: null });
    report({ name: 'core.week_query_sql_median.ms', value: percentile(sqlTimes, 50), unit: 'ms', target: null });
    report({ name: 'core.week_query_sql_p95.ms', value: percentile(sqlTimes, 95), unit: 'ms', target: null });
    big.db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
