// The api boundary: every answer is {ok, value} or {ok: false, error: {code, message}}; input
// is validated with Swedish messages; roles are checked before anything runs.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { CalendarRange } from '../../../src-main/api/types.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';

describe('dispatch', () => {
  const { ctx } = openTestDb({ demo: true });
  const env = { ctx, caller: testCaller(), shell: 'web' as const };

  it('returns the demo day through calendar.range', async () => {
    const r = await dispatch(env, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
    expect(r.ok).toBe(true);
    const value = (r as { value: CalendarRange }).value;
    expect(value.resources.map((x) => x.name)).toContain('Anna Lindqvist');
    expect(value.bookings.length).toBeGreaterThan(0);
    for (const b of value.bookings) expect(value.slots.some((s) => s.id === b.slotId)).toBe(true);
    expect(value.closedDates).toEqual([]);
  });

  it('reports a weekend as closed and finds the next open day', async () => {
    const r = await dispatch(env, 'calendar.range', { from: '2026-11-28', to: '2026-11-30' });
    expect(r.ok && r.value).toMatchObject({ closedDates: ['2026-11-28', '2026-11-29'] });
    const next = await dispatch(env, 'calendar.nextOpenDate', { from: '2026-11-28' });
    expect(next).toEqual({ ok: true, value: { date: '2026-11-30' } });
  });

  it.each([
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from', 'Från och med: Datumet finns inte.'],
    [{ from: '23/11/2026', to: '2026-11-24' }, 'from', 'Från och med: Datum ska skrivas ÅÅÅÅ-MM-DD.'],
    [{ from: '2026-11-24', to: '2026-11-23' }, 'to', 'Slutdatum måste vara efter startdatum.'],
    [{ from: '2026-01-01', to: '2026-12-31' }, 'to', 'Högst 62 dagar åt gången.'],
    [{ from: '2026-11-23', to: '2026-11-24', extra: 1 }, '', ''],
    [{ from: '2026-11-23', to: '2026-11-24', resourceIds: ['not-a-uuid'] }, 'resourceIds.0', 'Ogiltigt id.'],
  ])('rejects invalid input %j with a validation error', async (input, path, message) => {
    const r = await dispatch(env, 'calendar.range', input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.message).toMatch(/^Ogiltiga uppgifter/);
    const issues = (r.error.details as { issues: { path: string; message: string }[] }).issues;
    if (path) expect(issues).toContainEqual({ path, message });
    // The message is for staff: the first issue in Swedish, no code names of fields.
    expect(r.error.message).toBe(`Ogiltiga uppgifter: ${issues[0]!.message}`);
  });

  it("words zod's own messages in Swedish where a schema gives none", async () => {
    const r = await dispatch(env, 'calendar.range', { from: 20261123, to: '2026-11-24' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'validation', message: 'Ogiltiga uppgifter: Från och med: Ange text, inte ett tal.' },
    });
  });

  it('answers not_found for an unknown method and forbidden for a role without access', async () => {
    expect(await dispatch(env, 'no.such.method', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const nobody = { ...env, caller: testCaller([]) };
    expect(await dispatch(nobody, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' })).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'Din roll får inte göra detta. Det kräver rollen reception, schemaläggare eller administratör.',
      },
    });
  });

  it('turns an unexpected failure into an internal error without leaking it', async () => {
    const { ctx: broken, db } = openTestDb({ demo: true });
    db.exec('ALTER TABLE slots RENAME TO slots_gone;');
    const r = await dispatch({ ...env, ctx: broken }, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(r)).not.toMatch(/slots/);
  });
});
