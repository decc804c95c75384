// calendar.range's and templates.preview's `to` is the first day NOT shown ([from, to):
// 2026-11-23..2026-11-24 is one day), while every other method's `to` is the last day included. A refusal must name the field
// as the method means it: "Till (första dagen som inte visas)" for calendar.range, "Till och med"
// elsewhere, also when both are refused one after the other in the same process.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';

const { ctx } = openTestDb({ demo: true });
const env = { ctx, caller: testCaller(), shell: 'web' as const };

async function refusal(method: 'calendar.range' | 'bookings.search' | 'templates.preview', input: Record<string, unknown>) {
  const r = await dispatch(env, method, input);
  if (r.ok) throw new Error(`${method} took ${JSON.stringify(input)}`);
  return { message: r.error.message, issues: (r.error.details as { issues: { path: string; message: string }[] }).issues };
}

describe('the end of a date range, named by what it means', () => {
  it('calendar.range: "to" is the first day not shown', async () => {
    expect(await refusal('calendar.range', { from: '2026-11-23', to: '2026-13-01' })).toEqual({
      message: 'Ogiltiga uppgifter: Till (första dagen som inte visas): Datumet finns inte.',
      issues: [{ path: 'to', message: 'Till (första dagen som inte visas): Datumet finns inte.' }],
    });
    const shape = await refusal('calendar.range', { from: '2026-11-23', to: '24/11/2026' });
    expect(shape.message).toBe('Ogiltiga uppgifter: Till (första dagen som inte visas): Datum ska skrivas ÅÅÅÅ-MM-DD.');
    // "from" is the first day shown, as everywhere.
    const from = await refusal('calendar.range', { from: '2026-02-30', to: '2026-03-01' });
    expect(from.issues).toEqual([{ path: 'from', message: 'Från och med: Datumet finns inte.' }]);
  });

  it('templates.preview: "to" is the first day not shown too (the slots of [from, to))', async () => {
    const r = await refusal('templates.preview', { template: {}, from: '2026-11-23', to: '2026-13-01' });
    expect(r.issues).toContainEqual({ path: 'to', message: 'Till (första dagen som inte visas): Datumet finns inte.' });
  });

  it('other methods keep "Till och med" (the last day included), before and after a calendar.range refusal', async () => {
    const input = { from: '2026-11-23', to: '2026-13-01' };
    expect((await refusal('bookings.search', input)).issues).toContainEqual({
      path: 'to',
      message: 'Till och med: Datumet finns inte.',
    });
    await refusal('calendar.range', input);
    expect((await refusal('bookings.search', input)).issues).toContainEqual({
      path: 'to',
      message: 'Till och med: Datumet finns inte.',
    });
  });
});
