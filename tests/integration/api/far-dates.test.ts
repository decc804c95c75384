// Dates of the right shape that no care unit means (year 0000, 9999): found by an outside probe of
// the api and the CLI. Each was answered with 'internal' (api) or a RangeError's stack trace
// (`tidbok slots free`, exit 1): the time arithmetic behind them works on years 1900–2199 only.
// Now refused up front, in Swedish, naming the field; nothing is written.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import { runTidbok } from '../../helpers/cli-process.ts';

const LAKBES = '01a205b3-d000-7000-8000-045f9fbaad45'; // the demo's läkarbesök
const ANNA = '01a205b3-d000-7000-8000-2f8605734dbe';
const RANGE = 'Datumet ska ligga mellan 1900-01-01 och 2199-12-31.';

describe('dates outside the years Tidbok works with', () => {
  const { ctx, path } = openTestDb({ demo: true });
  const env = { ctx, caller: testCaller(), shell: 'web' as const };

  it.each([
    ['slots.findFree', { appointmentTypeId: LAKBES, from: '9999-12-31' }, 'Från och med'],
    ['slots.findFree', { appointmentTypeId: LAKBES, from: '0000-01-01' }, 'Från och med'],
    ['slots.findFree', { appointmentTypeId: LAKBES, from: '2026-11-23', to: '9999-12-31' }, 'Till och med'],
    ['calendar.nextOpenDate', { from: '0000-01-01' }, 'Från och med'],
    ['calendar.nextOpenDate', { from: '9999-12-31', direction: 'backward' }, 'Från och med'],
    ['bookings.search', { from: '9999-12-31', to: '9999-12-31' }, 'Från och med'],
    ['export.dayList', { date: '0000-01-01' }, 'Datum'],
    ['export.dayList', { date: '1899-12-31' }, 'Datum'],
    ['export.dayList', { date: '2200-01-01' }, 'Datum'],
  ])('%s %j: validation naming the field, not internal', async (method, input, field) => {
    const r = await dispatch(env, method, input);
    expect(r).toMatchObject({ ok: false, error: { code: 'validation', message: `Ogiltiga uppgifter: ${field}: ${RANGE}` } });
  });

  it('still takes the first and last day of the range', async () => {
    for (const date of ['1900-01-01', '2199-12-31']) {
      expect(await dispatch(env, 'calendar.nextOpenDate', { from: date, direction: 'backward' })).toMatchObject({ ok: true });
    }
    expect(await dispatch(env, 'slots.findFree', { appointmentTypeId: LAKBES, to: '2199-12-31' })).toMatchObject({ ok: true });
  });

  it('tidbok refuses them with exit 2 and one Swedish line, no stack trace', async () => {
    ctx.db.close();
    const db = ['--db', path];
    for (const args of [
      ['slots', 'free', '--type', 'LAKBES', '--from', '9999-12-31'],
      ['slots', 'free', '--type', 'LAKBES', '--to', '9999-12-31'],
      ['bookings', 'list', '--from', '9999-12-31'],
      ['absences', 'add', '--resource', ANNA, '--from', '2026-12-01', '--to', '9999-12-31'],
    ]) {
      const flag = args[args.indexOf('9999-12-31') - 1];
      const r = await runTidbok([...args, ...db]);
      expect({ args, code: r.code, err: r.err }).toEqual({
        args,
        code: 2,
        err: `tidbok: ${flag}: datumet 9999-12-31 ligger utanför 1900-01-01–2199-12-31.\n`,
      });
    }
  });
});
