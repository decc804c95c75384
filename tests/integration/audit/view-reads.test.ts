// The calendar's reads in the access log say what a person saw: one `read` per patient when a
// day or week is shown, not again for the same user at the same workstation while that read
// stands (the calendar refetches on every change in the unit), and none for a range fetched
// ahead until it is shown. Real SQLite file, through the api's dispatch.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { CalendarRange } from '../../../src-main/api/types.ts';
import { VIEW_READ_STANDS_MS, verifyAuditChain } from '../../../src-main/services/audit.ts';
import type { Caller } from '../../../src-main/services/context.ts';
import { MONDAY_0910, openTestDb } from '../../helpers/temp-db.ts';

const MONDAY = { from: '2026-11-23', to: '2026-11-24' };
const TUESDAY = { from: '2026-11-24', to: '2026-11-25' };

function setup() {
  const { ctx } = openTestDb({ demo: true });
  let now = MONDAY_0910;
  ctx.now = () => now;
  const staff = (userId: string, workstation = 'reception-1'): Caller => ({
    userId,
    username: userId,
    displayName: userId,
    roles: ['receptionist'],
    workstation,
  });
  const lastSeq = () => (ctx.db.prepare(`SELECT coalesce(max(seq), 0) FROM audit_events`).pluck().get() as number) ?? 0;
  /** Loads the range as `caller`; returns the range and the patients whose reads it logged. */
  async function load(caller: Caller, input: object): Promise<{ range: CalendarRange; logged: string[] }> {
    const before = lastSeq();
    const r = await dispatch({ ctx, caller, shell: 'web' }, 'calendar.range', input);
    if (!r.ok) throw new Error(r.error.message);
    const logged = ctx.db
      .prepare(`SELECT patient_id FROM audit_events WHERE seq > ? AND action = 'read' ORDER BY patient_id`)
      .pluck()
      .all(before) as string[];
    return { range: r.value as CalendarRange, logged };
  }
  const patientsOf = (range: CalendarRange) => [...new Set(range.bookings.map((b) => b.patient.id))].sort();
  return { ctx, staff, load, patientsOf, advance: (ms: number) => (now += ms) };
}

describe('calendar reads in the access log', () => {
  it('logs each patient once when a day is shown, and not again on refetch while the read stands', async () => {
    const t = setup();
    const anna = t.staff('user-anna');
    const first = await t.load(anna, MONDAY);
    expect(first.range.readsLogged).toBe(true);
    expect(first.logged.length).toBeGreaterThan(10);
    expect(first.logged).toEqual(t.patientsOf(first.range));

    t.advance(60_000);
    expect((await t.load(anna, MONDAY)).logged).toEqual([]);

    // A read stands VIEW_READ_STANDS_MS; the next refetch after that logs every patient again.
    t.advance(VIEW_READ_STANDS_MS);
    const later = await t.load(anna, MONDAY);
    expect(later.logged).toEqual(t.patientsOf(later.range));
    expect(verifyAuditChain(t.ctx)).toBeNull();
  });

  it('logs again for another user, and for the same user at another workstation', async () => {
    const t = setup();
    const shown = t.patientsOf((await t.load(t.staff('user-anna'), MONDAY)).range);
    expect((await t.load(t.staff('user-bo'), MONDAY)).logged).toEqual(shown);
    expect((await t.load(t.staff('user-anna', 'reception-2'), MONDAY)).logged).toEqual(shown);
  });

  it('logs only the patients a refetch shows that the standing reads do not cover', async () => {
    const t = setup();
    const anna = t.staff('user-anna');
    const monday = await t.load(anna, MONDAY);
    // The week holds Monday's patients and more: only those not already read are logged.
    const week = await t.load(anna, { from: '2026-11-23', to: '2026-11-30' });
    const already = new Set(monday.logged);
    const expected = t.patientsOf(week.range).filter((id) => !already.has(id));
    expect(expected.length).toBeGreaterThan(0);
    expect(week.logged).toEqual(expected);
  });

  it('logs nothing for a range fetched ahead, and logs it when it is shown', async () => {
    const t = setup();
    const anna = t.staff('user-anna');
    const ahead = await t.load(anna, { ...TUESDAY, prefetch: true });
    expect(ahead.range.readsLogged).toBe(false);
    expect(ahead.range.bookings.length).toBeGreaterThan(0);
    expect(ahead.logged).toEqual([]);
    const shown = await t.load(anna, TUESDAY);
    expect(shown.range.readsLogged).toBe(true);
    expect(shown.logged).toEqual(t.patientsOf(shown.range));
  });

  it('a standing calendar read does not hide opening the patient', async () => {
    const t = setup();
    const anna = t.staff('user-anna');
    const { range } = await t.load(anna, MONDAY);
    const patientId = range.bookings[0]!.patient.id;
    const r = await dispatch({ ctx: t.ctx, caller: anna, shell: 'web' }, 'patients.get', { id: patientId });
    expect(r.ok).toBe(true);
    const views = t.ctx.db
      .prepare(`SELECT detail ->> '$.view' FROM audit_events WHERE patient_id = ? AND action = 'read' ORDER BY seq`)
      .pluck()
      .all(patientId) as (string | null)[];
    expect(views).toHaveLength(2);
    expect(views[0]).toBe('calendar.range');
    expect(views[1]).not.toBe('calendar.range');
  });

  it('the booking list (Bokningar) refetched while its reads stand logs nobody again', async () => {
    const t = setup();
    const anna = t.staff('user-anna');
    const search = async () => {
      const before = t.ctx.db.prepare(`SELECT coalesce(max(seq), 0) FROM audit_events`).pluck().get() as number;
      const r = await dispatch({ ctx: t.ctx, caller: anna, shell: 'web' }, 'bookings.search', {
        from: '2026-11-23',
        to: '2026-11-25',
      });
      if (!r.ok) throw new Error(r.error.message);
      return t.ctx.db
        .prepare(`SELECT count(*) FROM audit_events WHERE seq > ? AND action = 'read'`)
        .pluck()
        .get(before) as number;
    };
    expect(await search()).toBeGreaterThan(10);
    t.advance(60_000);
    expect(await search()).toBe(0);
    t.advance(VIEW_READ_STANDS_MS);
    expect(await search()).toBeGreaterThan(10);
  });

  it('callers without a user (the CLI, scripts) log every load', async () => {
    const t = setup();
    const script: Caller = { userId: null, username: 'cli', displayName: 'cli', roles: ['admin'], workstation: 'cli' };
    const first = await t.load(script, MONDAY);
    expect((await t.load(script, MONDAY)).logged).toEqual(first.logged);
  });
});
