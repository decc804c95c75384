// Overlapping absences across the unit's desks: a course and a week of sick leave over it made on
// desk A, the sick leave shortened on A, the course withdrawn on B. After each sync round both
// desks hold both records and the same slots, each blocked slot by an absence covering it. Two desk
// databases in a temp dir and the real stand-in central over HTTP; every change through the api.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '../../../src-main/demo/central/server.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { type SmallUnit } from './helpers.ts';
import { settleDesks, staffOk, startTwoDesksWithMorningTemplate, type TwoDesks } from './desk-staff.ts';

const NOW = Date.parse('2026-11-23T09:10:00+01:00');
let central: Central;
let a: ServiceContext;
let b: ServiceContext;
let unit: SmallUnit;

const ok = staffOk;
const sync = (...desks: ServiceContext[]) => settleDesks(central.url, ...desks);
/** The doctor's slots in the week: time and state, as staff see them. */
const week = (ctx: ServiceContext) =>
  ctx.db
    .prepare(`SELECT id, start_at, end_at, state FROM slots WHERE resource_id = ? AND state <> 'removed' ORDER BY start_at`)
    .all(unit.resourceIds[0]!) as { id: string; start_at: number; end_at: number; state: string }[];
/** Each slot blocked by an absence (not by hand) names an active absence here that covers it. */
function blockedByCovering(ctx: ServiceContext): void {
  const rows = ctx.db
    .prepare(
      `SELECT s.id, a.id AS absence FROM slots s LEFT JOIN absences a ON a.id = s.absence_id AND a.state = 'active'
          AND a.start_at < s.end_at AND a.end_at > s.start_at
        WHERE s.resource_id = ? AND s.state = 'blocked' AND s.block_reason <> 'Möte'`,
    )
    .all(unit.resourceIds[0]!) as { id: string; absence: string | null }[];
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r.absence, `slot ${r.id}`).not.toBeNull();
}
const activeReasons = async (ctx: ServiceContext) =>
  (await ok(ctx, 'absences.list', {})).map((x) => `${x.reason} ${new Date(x.startAt).toISOString()}`).sort();
const at = (iso: string) => Date.parse(iso);
const slotAt = (ctx: ServiceContext, iso: string) => week(ctx).find((s) => s.start_at === at(iso))!;
const reasonOf = (ctx: ServiceContext, iso: string) =>
  ctx.db.prepare(`SELECT state || ':' || coalesce(block_reason, '') FROM slots WHERE id = ?`).pluck().get(slotAt(ctx, iso).id);

let desks: TwoDesks;
beforeAll(async () => {
  desks = await startTwoDesksWithMorningTemplate(() => NOW, 2);
  ({ central, a, b, unit } = desks);
});

afterAll(() => desks.close());

describe('overlapping absences on two desks', () => {
  let course: string;
  let sick: string;

  it('a course and sick leave over it, made on A, are both on B, with the same slots blocked', async () => {
    // Tuesday 11:30 was blocked by hand for a meeting first: the sick leave leaves it the scheduler's.
    await ok(a, 'slots.block', { id: slotAt(a, '2026-11-24T11:30:00+01:00').id, reason: 'Möte' });
    course = (
      await ok(a, 'absences.create', {
        resourceId: unit.resourceIds[0]!,
        from: '2026-11-25',
        fromTime: '08:00',
        to: '2026-11-25',
        toTime: '10:00',
        reason: 'Kurs',
      })
    ).absence.id;
    const made = await ok(a, 'absences.create', {
      resourceId: unit.resourceIds[0]!,
      from: '2026-11-24',
      to: '2026-11-27',
      reason: 'Sjuk',
    });
    sick = made.absence.id;
    expect(made.overlapping.map((x) => x.id)).toEqual([course]);
    await sync(a, b);
    expect(await activeReasons(b)).toEqual(await activeReasons(a));
    expect((await ok(b, 'absences.list', {})).map((x) => x.id).sort()).toEqual([course, sick].sort());
    expect(week(b)).toEqual(week(a));
    blockedByCovering(a);
    blockedByCovering(b);
  });

  it('the sick leave shortened on A (back Wednesday): Thursday and Friday open on both; the course still blocks Wednesday morning', async () => {
    await ok(a, 'absences.update', { id: sick, from: '2026-11-24', to: '2026-11-24' });
    await sync(a, b);
    expect(week(b)).toEqual(week(a));
    const state = (ctx: ServiceContext, iso: string) => week(ctx).find((s) => s.start_at === at(iso))?.state;
    for (const ctx of [a, b]) {
      expect(state(ctx, '2026-11-24T09:00:00+01:00')).toBe('blocked');
      expect(state(ctx, '2026-11-25T08:00:00+01:00')).toBe('blocked');
      expect(state(ctx, '2026-11-25T10:00:00+01:00')).toBe('open');
      expect(state(ctx, '2026-11-26T09:00:00+01:00')).toBe('open');
    }
    blockedByCovering(b);
  });

  it('the course withdrawn on B opens Wednesday morning on both; the sick Tuesday stays blocked', async () => {
    await ok(b, 'absences.withdraw', { id: course });
    await sync(b, a);
    expect(week(a)).toEqual(week(b));
    expect(await activeReasons(a)).toEqual(await activeReasons(b));
    const blocked = (ctx: ServiceContext) => week(ctx).filter((s) => s.state === 'blocked');
    expect(blocked(a).every((s) => s.start_at < at('2026-11-25T00:00:00+01:00'))).toBe(true);
    expect(blocked(a).length).toBeGreaterThan(0);
    blockedByCovering(a);
  });

  it('the sick leave withdrawn on B opens Tuesday on both, but not the meeting blocked by hand', async () => {
    await ok(b, 'absences.withdraw', { id: sick });
    await sync(b, a);
    expect(week(a)).toEqual(week(b));
    for (const ctx of [a, b]) {
      expect(
        week(ctx)
          .filter((s) => s.state === 'blocked')
          .map((s) => s.start_at),
      ).toEqual([at('2026-11-24T11:30:00+01:00')]);
      expect(reasonOf(ctx, '2026-11-24T11:30:00+01:00')).toBe('blocked:Möte');
    }
    expect(await ok(a, 'absences.list', {})).toEqual([]);
  });
});
