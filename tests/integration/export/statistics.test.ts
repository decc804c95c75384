// Statistics against counts computed independently in SQL (GROUP BY and window functions over
// the same database), on the DST fixture and on the demo unit.
import { describe, expect, it } from 'vitest';
import { unitStatistics, isoWeekLabel, nearestRank } from '../../../src-main/services/statistics.ts';
import { statisticsCsv } from '../../../src-main/export/stats-csv.ts';
import { parse } from 'csv-parse/sync';
import { openTestDb } from '../../helpers/temp-db.ts';
import { FIXTURE_HSA, seedExportFixture } from '../../helpers/export-fixture.ts';
import { DEMO_UNIT_HSA_ID } from '../../../src-main/demo/seed.ts';
import type { Db } from '../../../src-main/store/database.ts';

/** Independent figures: the period's bounds are given as instants, everything else is SQL. */
function sqlFigures(db: Db, unitId: string, fromAt: number, toAt: number) {
  const one = <T>(sql: string): T => db.prepare(sql).get({ unitId, fromAt, toAt }) as T;
  const inPeriod = `FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN resources r ON r.id = s.resource_id
                    WHERE r.unit_id = @unitId AND s.start_at >= @fromAt AND s.start_at < @toAt`;
  const channels = db
    .prepare(`SELECT b.channel, count(*) AS n ${inPeriod} AND b.rebooked_from IS NULL GROUP BY b.channel`)
    .all({ unitId, fromAt, toAt }) as { channel: string; n: number }[];
  const byChannel = Object.fromEntries(channels.map((c) => [c.channel, c.n]));
  const rebook = one<{ web: number; total: number }>(
    `SELECT coalesce(sum(b.channel = 'web'), 0) AS web, count(*) AS total ${inPeriod} AND b.rebooked_from IS NOT NULL`,
  );
  const cancel = one<{ web: number; total: number }>(
    `SELECT coalesce(sum(b.updated_by = 'web'), 0) AS web, count(*) AS total ${inPeriod} AND b.status = 'cancelled'`,
  );
  const noShow = one<{ n: number; visits: number }>(
    `SELECT coalesce(sum(b.status = 'no_show'), 0) AS n, coalesce(sum(b.status IN ('no_show', 'arrived', 'completed')), 0) AS visits ${inPeriod}`,
  );
  const lead = (p: number) =>
    one<{ h: number | null } | undefined>(
      `WITH l AS (SELECT (s.start_at - b.created_at) / 3600000.0 AS h ${inPeriod}
                   AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show')),
            n AS (SELECT count(*) AS c FROM l)
       SELECT h FROM l ORDER BY h LIMIT 1 OFFSET (SELECT max(0, CAST(((${p} * c + 99) / 100) AS INTEGER) - 1) FROM n)`,
    )?.h ?? null;
  const util = db
    .prepare(
      `SELECT r.name, count(*) AS open,
              count(b.id) AS booked
         FROM slots s JOIN resources r ON r.id = s.resource_id
         LEFT JOIN bookings b ON b.slot_id = s.id AND b.status NOT IN ('cancelled', 'rebooked')
        WHERE r.unit_id = @unitId AND s.state = 'open' AND s.start_at >= @fromAt AND s.start_at < @toAt
        GROUP BY r.id`,
    )
    .all({ unitId, fromAt, toAt }) as { name: string; open: number; booked: number }[];
  const perType = db
    .prepare(
      `SELECT t.name_sv AS name,
              (SELECT count(*) FROM slots s JOIN resources r ON r.id = s.resource_id, json_each(s.appointment_type_ids) j
                WHERE j.value = t.id AND r.unit_id = @unitId AND s.state = 'open' AND s.start_at >= @fromAt AND s.start_at < @toAt) AS open,
              (SELECT count(*) FROM bookings b JOIN slots s ON s.id = b.slot_id
                WHERE b.appointment_type_id = t.id AND s.state = 'open' AND s.start_at >= @fromAt AND s.start_at < @toAt
                  AND b.status NOT IN ('cancelled', 'rebooked')) AS booked
         FROM appointment_types t WHERE t.unit_id = @unitId`,
    )
    .all({ unitId, fromAt, toAt }) as { name: string; open: number; booked: number }[];
  return { byChannel, rebook, cancel, noShow, lead50: lead(50), lead90: lead(90), util, perType };
}

describe('statistics on the DST fixture', () => {
  const { ctx, db } = openTestDb();
  const fx = seedExportFixture(ctx);
  // The whole of both weeks and everything in between: local midnight 2026-03-23 (CET) to
  // local midnight after 2026-10-26 (CET).
  const stats = unitStatistics(ctx, { unitHsaId: FIXTURE_HSA, from: '2026-03-23', to: '2026-10-26' });
  const sql = sqlFigures(db, fx.unitId, Date.parse('2026-03-23T00:00:00+01:00'), Date.parse('2026-10-27T00:00:00+01:00'));

  it('counts bookings by channel and the web share as SQL does', () => {
    expect(stats.bookings.web).toBe(sql.byChannel['web'] ?? 0);
    expect(stats.bookings.desk).toBe(sql.byChannel['desk'] ?? 0);
    expect(stats.bookings.phone).toBe(sql.byChannel['phone'] ?? 0);
    expect(stats.bookings.total).toBe(Object.values(sql.byChannel).reduce((a, b) => a + b, 0));
    expect(stats.bookings.webShare).toBeCloseTo((sql.byChannel['web'] ?? 0) / stats.bookings.total, 12);
    expect(stats.bookings.web).toBeGreaterThan(0);
  });

  it('splits rebookings and cancellations by web and desk', () => {
    expect(stats.rebookings).toEqual({ web: sql.rebook.web, desk: sql.rebook.total - sql.rebook.web, total: sql.rebook.total });
    expect(stats.rebookings).toEqual({ web: 1, desk: 1, total: 2 });
    expect(stats.cancellations).toEqual({
      web: sql.cancel.web,
      desk: sql.cancel.total - sql.cancel.web,
      total: sql.cancel.total,
    });
    expect(stats.cancellations.web).toBeGreaterThan(0);
    expect(stats.cancellations.desk).toBeGreaterThan(0);
  });

  it('counts no-shows, lead time percentiles and utilisation as SQL does', () => {
    expect(stats.noShows.count).toBe(sql.noShow.n);
    expect(stats.noShows.visits).toBe(sql.noShow.visits);
    expect(stats.leadTime.medianHours).toBeCloseTo(sql.lead50!, 9);
    expect(stats.leadTime.p90Hours).toBeCloseTo(sql.lead90!, 9);
    for (const r of sql.util) {
      const mine = stats.utilisation.byResource.find((x) => x.name === r.name)!;
      expect(mine).toMatchObject({ open: r.open, booked: r.booked });
    }
    expect(stats.utilisation.open).toBe(sql.util.reduce((a, r) => a + r.open, 0));
    for (const t of sql.perType.filter((x) => x.open > 0 || x.booked > 0)) {
      expect(stats.utilisation.byType.find((x) => x.name === t.name)).toMatchObject({ open: t.open, booked: t.booked });
    }
  });

  it('sums the weekly series to the totals, with ISO week labels across the period', () => {
    expect(stats.weeks[0]).toMatchObject({ week: '2026-W13', monday: '2026-03-23' });
    expect(stats.weeks.at(-1)).toMatchObject({ week: '2026-W44', monday: '2026-10-26' });
    const sum = (f: (w: (typeof stats.weeks)[number]) => number) => stats.weeks.reduce((a, w) => a + f(w), 0);
    expect(sum((w) => w.bookings.total)).toBe(stats.bookings.total);
    expect(sum((w) => w.cancellations)).toBe(stats.cancellations.total);
    expect(sum((w) => w.openSlots)).toBe(stats.utilisation.open);
    expect(sum((w) => w.bookedSlots)).toBe(stats.utilisation.booked);
    // The Sunday of the spring switch belongs to week 13, the one of the autumn switch to week 43.
    const w13 = stats.weeks.find((w) => w.week === '2026-W13')!;
    const w43 = stats.weeks.find((w) => w.week === '2026-W43')!;
    expect(w13.openSlots).toBe(7 * (4 + 3));
    expect(w43.openSlots).toBe(7 * (4 + 3));
  });

  it('writes the figures as a tidy CSV that parses back', () => {
    const rows = parse(statisticsCsv(stats), { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    const web = rows.find((r) => r['Avsnitt'] === 'Bokningar' && r['Mått'] === 'Webb (1177)')!;
    expect(Number(web['Värde'])).toBe(stats.bookings.web);
    const share = rows.find((r) => r['Mått'] === 'Webbandel')!;
    expect(Number(share['Värde']!.replace(',', '.'))).toBeCloseTo(stats.bookings.webShare!, 3);
    expect(rows.filter((r) => r['Avsnitt'] === 'Vecka' && r['Mått'] === 'Öppna tider')).toHaveLength(stats.weeks.length);
  });
});

describe('statistics on the demo unit', () => {
  it('match SQL for the demo fortnight', () => {
    const { ctx, db } = openTestDb({ demo: true });
    const unitId = (db.prepare(`SELECT id FROM units WHERE hsa_id = ?`).get(DEMO_UNIT_HSA_ID) as { id: string }).id;
    const stats = unitStatistics(ctx, { from: '2026-11-23', to: '2026-12-06' });
    const sql = sqlFigures(db, unitId, Date.parse('2026-11-23T00:00:00+01:00'), Date.parse('2026-12-07T00:00:00+01:00'));
    expect(stats.bookings.total).toBeGreaterThan(100);
    expect(stats.bookings.web).toBe(sql.byChannel['web']);
    expect(stats.bookings.phone).toBe(sql.byChannel['phone']);
    expect(stats.cancellations.total).toBe(sql.cancel.total);
    expect(stats.noShows.count).toBe(sql.noShow.n);
    expect(stats.utilisation.booked).toBe(sql.util.reduce((a, r) => a + r.booked, 0));
    expect(stats.leadTime.p90Hours).toBeCloseTo(sql.lead90!, 9);
  });
});

describe('helpers', () => {
  it('labels ISO weeks at year ends', () => {
    expect(isoWeekLabel('2026-12-28')).toBe('2026-W53');
    expect(isoWeekLabel('2027-01-04')).toBe('2027-W01');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
  });
  it('takes nearest-rank percentiles', () => {
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([], 50)).toBeNull();
  });
});
