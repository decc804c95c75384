// The rolling horizon (services/horizon.ts): the demo unit is seeded two weeks ahead; keeping
// the horizon fills it to twelve weeks, a second run changes nothing (no slots, no audit event),
// and a week later one more week appears. Real SQLite file, pinned clock.
import { describe, expect, it } from 'vitest';
import { localDate } from '../../../src-main/domain/time.ts';
import { DEFAULT_HORIZON_WEEKS } from '../../../src-main/services/templates.ts';
import { keepScheduleHorizon } from '../../../src-main/services/horizon.ts';
import { MONDAY_0910, openTestDb } from '../../helpers/temp-db.ts';

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
