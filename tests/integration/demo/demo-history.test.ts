// The demo's past: a fresh demo must give Statistik ten weeks to show, with the shares a
// vårdcentral has (a third of bookings on 1177, a few per cent no-shows, cancellations and
// rebookings by web and desk), while keeping the booking rules (one active booking per slot, no
// patient in two places at once, nothing done in the future) and leaving the current weeks as
// they were. Over a real SQLite file; statistics through the typed api.
import { afterEach, describe, expect, it } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import { seedDemo, type SeedSummary } from '../../../src-main/demo/seed.ts';
import { DEMO_HISTORY_WEEKS } from '../../../src-main/demo/seed-history.ts';
import { parseIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { startDemoCentral, type DemoCentral } from '../../../src-main/demo/central/demo.ts';
import { addDays, startOfLocalDay } from '../../../src-main/domain/time.ts';
import { ACTIVE_BOOKING_STATUSES } from '../../../src-main/store/rows.ts';
import { MONDAY_0910, openTestDb } from '../../helpers/temp-db.ts';
import { demoApi } from '../scheduling/helpers.ts';

const TZ = 'Europe/Stockholm';
const api = demoApi();
const db = api.ctx.db;
const now = MONDAY_0910;
const monday = '2026-11-23';
const weekStart = startOfLocalDay(monday, TZ);
const since = addDays(monday, -7 * DEMO_HISTORY_WEEKS);

let demo: DemoCentral | undefined;
afterEach(async () => {
  await demo?.stop();
  demo = undefined;
});

describe('the demo remembers the weeks before the current one', () => {
  it('gives Statistik ten full weeks with plausible shares', async () => {
    const stats = await api.ok('stats.summary', { from: since, to: addDays(monday, -1) }, ['admin']);
    expect(stats.weeks).toHaveLength(DEMO_HISTORY_WEEKS);
    for (const w of stats.weeks) {
      expect(w.bookings.total, w.week).toBeGreaterThan(250);
      expect(w.bookings.web, w.week).toBeGreaterThan(0);
      expect(w.openSlots, w.week).toBeGreaterThan(300);
      expect(w.bookedSlots / w.openSlots, w.week).toBeGreaterThan(0.7);
      expect(w.cancellations + w.rebookings, w.week).toBeGreaterThan(0);
    }
    expect(stats.bookings.webShare).toBeGreaterThan(0.25);
    expect(stats.bookings.webShare).toBeLessThan(0.4);
    expect(stats.bookings.phone).toBeGreaterThan(stats.bookings.desk);
    expect(stats.noShows.rate).toBeGreaterThan(0.03);
    expect(stats.noShows.rate).toBeLessThan(0.05);
    for (const counts of [stats.cancellations, stats.rebookings]) {
      expect(counts.web).toBeGreaterThan(10);
      expect(counts.desk).toBeGreaterThan(10);
    }
    expect(stats.utilisation.rate).toBeGreaterThan(0.75);
    expect(stats.utilisation.rate).toBeLessThan(0.95);
    expect(stats.leadTime.medianHours).toBeGreaterThan(24);
    // Every clinician and the sampling room worked those weeks.
    for (const r of stats.utilisation.byResource) expect(r.booked, r.name).toBeGreaterThan(50);
  });

  it('keeps statuses consistent with time: nothing done in the future, nothing still booked in the past', () => {
    const rows = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params);
    expect(
      rows(
        `SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.status IN ('completed', 'no_show') AND s.end_at > ?`,
        now,
      ),
    ).toEqual([]);
    expect(
      rows(
        `SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.status IN ('booked', 'preliminary', 'arrived') AND s.end_at <= ?`,
        weekStart,
      ),
    ).toEqual([]);
    // Made before now and before the visit; cancelled or moved after being made and before the time.
    expect(
      rows(
        `SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.created_at > ? OR b.created_at >= s.start_at`,
        now,
      ),
    ).toEqual([]);
    expect(
      rows(
        `SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
          WHERE b.status IN ('cancelled', 'rebooked') AND (b.updated_at < b.created_at OR b.updated_at >= s.start_at OR b.updated_at > ?)`,
        now,
      ),
    ).toEqual([]);
    expect(
      api.count(`SELECT count(*) AS n FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE s.end_at <= ?`, weekStart),
    ).toBeGreaterThan(3000);
  });

  it('keeps the booking rules, past and current weeks: one active booking a slot, no patient in two places at once, types the slot offers', () => {
    expect(
      db
        .prepare(`SELECT slot_id FROM bookings WHERE status IN ${ACTIVE_BOOKING_STATUSES} GROUP BY slot_id HAVING count(*) > 1`)
        .all(),
    ).toEqual([]);
    const overlapping = db
      .prepare(
        `SELECT a.id FROM bookings a JOIN slots sa ON sa.id = a.slot_id
           JOIN bookings b ON b.patient_id = a.patient_id AND b.id > a.id JOIN slots sb ON sb.id = b.slot_id
          WHERE a.status IN ${ACTIVE_BOOKING_STATUSES} AND b.status IN ${ACTIVE_BOOKING_STATUSES}
            AND sa.start_at < sb.end_at AND sb.start_at < sa.end_at`,
      )
      .all();
    expect(overlapping).toEqual([]);
    expect(
      db
        .prepare(
          `SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
            WHERE b.appointment_type_id NOT IN (SELECT value FROM json_each(s.appointment_type_ids))`,
        )
        .all(),
    ).toEqual([]);
    // slots.booked (kept by triggers, read by the free-slot search) agrees with the bookings.
    expect(
      db
        .prepare(
          `SELECT s.id FROM slots s
            WHERE s.booked <> EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES})`,
        )
        .all(),
    ).toEqual([]);
  });

  it('links each rebooking both ways, keeps patient and type, and gives every cancellation its reason and channel', () => {
    const moves = db
      .prepare(
        `SELECT o.id, o.patient_id AS op, n.patient_id AS np, o.appointment_type_id AS ot, n.appointment_type_id AS nt,
                n.rebooked_from, o.cancel_reason_code
           FROM bookings o JOIN bookings n ON n.id = o.rebooked_to WHERE o.status = 'rebooked'`,
      )
      .all() as {
      id: string;
      op: string;
      np: string;
      ot: string;
      nt: string;
      rebooked_from: string;
      cancel_reason_code: string;
    }[];
    expect(moves.length).toBeGreaterThan(50);
    for (const m of moves) {
      expect(m.rebooked_from).toBe(m.id);
      expect(m.np).toBe(m.op);
      expect(m.nt).toBe(m.ot);
      expect(m.cancel_reason_code).toBeTruthy();
    }
    const cancelled = db
      .prepare(
        `SELECT b.cancel_reason_code AS code, b.cancelled_via AS via, b.updated_by, t.reason_codes, t.web_cancellable
           FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN appointment_types t ON t.id = b.appointment_type_id
          WHERE b.status = 'cancelled' AND s.end_at <= ?`,
      )
      .all(weekStart) as { code: string; via: string; updated_by: string; reason_codes: string; web_cancellable: number }[];
    expect(cancelled.length).toBeGreaterThan(200);
    expect(new Set(cancelled.map((c) => c.via))).toEqual(new Set(['web', 'phone', 'desk']));
    for (const c of cancelled) {
      expect((JSON.parse(c.reason_codes) as { code: string }[]).map((r) => r.code)).toContain(c.code);
      expect(c.updated_by === 'web').toBe(c.via === 'web');
      if (c.via === 'web') expect(c.web_cancellable).toBe(1);
    }
    expect(new Set(cancelled.map((c) => c.code))).toEqual(new Set(['SJUK', 'KAN_EJ', 'VARDEN']));
  });

  it('lays the past out by the same templates, which say they have run since then', () => {
    const templates = db.prepare(`SELECT DISTINCT valid_from FROM schedule_templates`).pluck().all();
    expect(templates).toEqual([since]);
    expect(api.count(`SELECT count(*) AS n FROM slots WHERE template_id IS NULL AND end_at <= ?`, weekStart)).toBe(0);
    expect(api.count(`SELECT min(start_at) AS n FROM slots`)).toBeGreaterThanOrEqual(startOfLocalDay(since, TZ));
    expect(api.count(`SELECT min(start_at) AS n FROM slots`)).toBeLessThan(startOfLocalDay(addDays(since, 1), TZ));
  });

  it('spreads the past over a listed population: valid, unique numbers, a few visits each, regulars among them', () => {
    const people = db.prepare(`SELECT id, identity_number, identity_kind, protected_identity FROM patients`).all() as {
      id: string;
      identity_number: string;
      identity_kind: string;
      protected_identity: number;
    }[];
    expect(people.length).toBeGreaterThan(1_800);
    // Phones from PTS's series for fiction (070-174 06 05 … 99): a demo never calls a real person.
    const phones = db.prepare(`SELECT DISTINCT phone FROM patients`).pluck().all() as string[];
    expect(phones.filter((p) => !/^07017406(0[5-9]|[1-9]\d)$/.test(p))).toEqual([]);
    expect(new Set(people.map((p) => p.identity_number)).size).toBe(people.length);
    const today = '2026-11-23';
    for (const p of people) {
      const parsed = parseIdentityNumber(p.identity_number, today);
      expect(parsed.ok && parsed.kind, p.identity_number).toBe(p.identity_kind);
    }
    // As in the population: some samordningsnummer, a few protected identities, children and the old.
    expect(people.filter((p) => p.identity_kind === 'samordningsnummer').length).toBeGreaterThan(10);
    expect(people.filter((p) => p.protected_identity === 1).length).toBeGreaterThanOrEqual(3);
    const births = people.map((p) => Number(p.identity_number.slice(0, 4)));
    expect(births.filter((y) => y >= 2015).length).toBeGreaterThan(100);
    expect(births.filter((y) => y < 1940).length).toBeGreaterThan(50);

    // Visits in the weeks before: spread, not dozens per person (the 140 current patients had ~29 each).
    const visits = db
      .prepare(
        `SELECT count(*) FROM bookings b JOIN slots s ON s.id = b.slot_id
          WHERE s.start_at < ? AND b.status IN ('completed', 'no_show') GROUP BY b.patient_id`,
      )
      .pluck()
      .all(weekStart) as number[];
    visits.sort((a, b) => a - b);
    expect(visits.length).toBeGreaterThan(1_000);
    expect(visits[Math.floor(visits.length / 2)]).toBeLessThanOrEqual(3);
    expect(visits.at(-1)).toBeLessThanOrEqual(20);
    // Today's patients were here before too: a patient's view shows earlier visits.
    const regulars = db
      .prepare(
        `SELECT count(DISTINCT b.patient_id) FROM bookings b JOIN slots s ON s.id = b.slot_id
          WHERE s.start_at >= ? AND b.patient_id IN (SELECT b2.patient_id FROM bookings b2 JOIN slots s2 ON s2.id = b2.slot_id
                                                     WHERE s2.start_at < ? AND b2.status = 'completed')`,
      )
      .pluck()
      .get(weekStart, weekStart) as number;
    expect(regulars).toBeGreaterThan(100);
  });

  it('is the same on every seed, and leaves the current weeks as they were', () => {
    const a = openTestDb();
    const b = openTestDb();
    const sa: SeedSummary = seedDemo(a.ctx);
    const sb: SeedSummary = seedDemo(b.ctx);
    expect(sa).toEqual(sb);
    const dump = (x: typeof a) =>
      x.db
        .prepare(
          `SELECT id, slot_id, patient_id, status, channel, created_at, updated_at, rebooked_from, rebooked_to FROM bookings ORDER BY id`,
        )
        .raw()
        .all();
    expect(dump(a)).toEqual(dump(b));
    expect(sa.history).toEqual({ since, slots: expect.any(Number), bookings: expect.any(Number) });
    expect(sa.history.slots).toBeGreaterThan(4000);
    // The current weeks as the demo had them before it had a past (the unit, slots and bookings
    // that the calendar's tests and screens know), and counted the same way from the rows.
    expect([sa.slots, sa.bookings, sa.patients]).toEqual([952, 395, 140]);
    expect(a.db.prepare(`SELECT count(*) FROM slots WHERE start_at >= ?`).pluck().get(weekStart)).toBe(sa.slots);
  });

  it('keeps the past on the desk: the demo central gets the current weeks only, at once', async () => {
    const { ctx } = openTestDb({ demo: true });
    demo = await startDemoCentral(ctx, { ratePerMinute: 0.001 });
    expect((await demo.engine.settle()).error).toBeNull();
    const atCentral = await demo.engine.api.searchAll<Slot>('Slot', { _count: '1000' });
    const current = ctx.db.prepare(`SELECT count(*) FROM slots WHERE end_at > ?`).pluck().get(weekStart) as number;
    expect(atCentral).toHaveLength(current);
    expect(atCentral.every((s) => Date.parse(s.start) >= weekStart)).toBe(true);
    expect(ctx.db.prepare(`SELECT count(*) FROM outbox WHERE state <> 'done'`).pluck().get()).toBe(0);
  }, 60_000);
});
