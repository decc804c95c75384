// The rolling horizon (services/horizon.ts): the demo unit is seeded two weeks ahead; keeping
// the horizon fills it to twelve weeks, a second run changes nothing (no slots, no audit event),
// and a week later one more week appears. Real SQLite file, pinned clock.
import { describe, expect, it } from 'vitest';
import { localDate } from '../../../src-main/domain/time.ts';
import { DEFAULT_HORIZON_WEEKS } from '../../../src-main/services/templates.ts';
import { keepScheduleHorizon } from '../../../src-main/services/horizon.ts';
import { MONDAY_0910, openTestDb } from '../../helpers/temp-db.ts';
import { demoApi } from './helpers.ts';

const DAY = 86_400_000;

describe('rolling schedule horizon', () => {
  it('keeps the active templates expanded twelve weeks ahead as the days pass', () => {
    const { ctx, db } = openTestDb({ demo: true });
    const lastSlotDate = () => localDate(db.prepare(`SELECT max(start_at) FROM slots`).pluck().get() as number);
    const expansions = () => db.prepare(`SELECT count(*) FROM audit_events WHERE detail LIKE '%"op":"expand"%'`).pluck().get();
    expect(lastSlotDate() < '2026-12-12').toBe(true); // the seed's two weeks

    const keeper = keepScheduleHorizon(ctx, { everyMs: 3_600_000 });
    try {
      // 12 weeks from Monday 2026-11-23: the last weekday with slots is Friday 2027-02-12.
      expect(DEFAULT_HORIZON_WEEKS).toBe(12);
      expect(lastSlotDate()).toBe('2027-02-12');
      expect(expansions()).toBe(1);
      const slots = db.prepare(`SELECT count(*) FROM slots`).pluck().get() as number;

      expect(keeper.runNow()).toBe(0);
      expect(db.prepare(`SELECT count(*) FROM slots`).pluck().get()).toBe(slots);
      expect(expansions()).toBe(1); // nothing created, nothing logged

      ctx.now = () => MONDAY_0910 + 7 * DAY;
      expect(keeper.runNow()).toBeGreaterThan(0);
      expect(lastSlotDate()).toBe('2027-02-19');
      expect(expansions()).toBe(2);
      // One outbox row per expansion, not one per slot.
      expect(db.prepare(`SELECT count(*) FROM outbox WHERE entity_id LIKE 'expansion:%'`).pluck().get()).toBe(2);
    } finally {
      keeper.stop();
      db.close();
    }
  });

  it('does nothing on a database without templates', () => {
    const { ctx, db } = openTestDb();
    const keeper = keepScheduleHorizon(ctx, { everyMs: 3_600_000 });
    expect(keeper.runNow()).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM audit_events`).pluck().get()).toBe(0);
    keeper.stop();
    db.close();
  });
});

describe("the unit's horizon setting", () => {
  it('lays the templates out as far as the scheduler sets, at once and as the days pass', async () => {
    const api = demoApi(); // Monday 2026-11-23 09:10
    const lastSlotDate = () => localDate(api.ctx.db.prepare(`SELECT max(start_at) FROM slots`).pluck().get() as number);
    const slotCount = () => api.count(`SELECT count(*) AS n FROM slots WHERE state <> 'removed'`);
    // Types bookable further ahead than 12 weeks (84 days), read from the book itself.
    const beyond = (days: number) =>
      api.ctx.db
        .prepare(`SELECT code FROM appointment_types WHERE active = 1 AND book_max_days > ? ORDER BY code`)
        .pluck()
        .all(days);
    const initial = await api.ok('templates.getHorizon', {});
    expect(initial).toMatchObject({ weeks: 12, until: '2027-02-14' });
    expect(initial.typesBeyond.map((x) => x.code)).toEqual(beyond(84));

    // Receptionists read it but may not change it; nonsense is refused in Swedish, naming the field.
    expect((await api.err('templates.setHorizon', { weeks: 20 }, ['receptionist'])).code).toBe('forbidden');
    for (const weeks of [0, 105, 2.5]) {
      expect((await api.err('templates.setHorizon', { weeks })).message).toContain('Veckor framåt');
    }

    // 20 weeks: laid out at once, to Friday 2027-04-09 (the last weekday before Monday 2027-04-12).
    const longer = await api.ok('templates.setHorizon', { weeks: 20 });
    expect(longer).toMatchObject({ weeks: 20, until: '2027-04-11' });
    expect(longer.expansion.created).toBeGreaterThan(0);
    expect(lastSlotDate()).toBe('2027-04-09');
    expect(longer.typesBeyond.map((x) => x.code)).toEqual(beyond(140));
    expect(
      api.count(`SELECT count(*) AS n FROM audit_events WHERE entity = 'unit' AND json_extract(detail, '$.op') = 'horizon'`),
    ).toBe(1);

    // The rolling keeper, a new template and the preview all use it.
    const keeper = keepScheduleHorizon(api.ctx, { everyMs: 3_600_000 });
    keeper.stop();
    api.ctx.now = () => MONDAY_0910 + 7 * DAY;
    expect(keeper.runNow()).toBeGreaterThan(0);
    expect(lastSlotDate()).toBe('2027-04-16');
    api.ctx.now = () => MONDAY_0910;
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const anna = (await api.ok('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
    const saturdays = {
      resourceId: anna.id,
      name: 'Lördagar',
      weekdays: [6],
      validFrom: '2026-11-23',
      startTime: '08:00',
      endTime: '09:00',
      slotMin: 30,
      appointmentTypeIds: [lakbes.id],
      publishWeb: false,
    };
    const preview = await api.ok('templates.preview', { template: saturdays });
    expect(preview.slots.at(-1)!.date).toBe('2027-04-10');
    const { template, expansion } = await api.ok('templates.create', { template: saturdays });
    // 20 Saturdays from 2026-11-28 to 2027-04-10, less annandag jul (2026-12-26): 19 × 2 slots.
    expect(expansion.created).toBe(19 * 2);
    expect(api.count(`SELECT count(*) AS n FROM slots WHERE template_id = ?`, template.id)).toBe(38);

    // Shorter: nothing already laid out goes away.
    const before = slotCount();
    const shorter = await api.ok('templates.setHorizon', { weeks: 4 });
    expect(shorter).toMatchObject({ weeks: 4, until: '2026-12-20', expansion: { created: 0 } });
    expect(slotCount()).toBe(before);
  });
});
