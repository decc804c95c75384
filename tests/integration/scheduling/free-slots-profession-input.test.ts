// "Första lediga tid" by profession as a script or another system sends it: an outside probe's
// ' lakare ' (spaces around, as pasted) found nothing, while 'LAKARE' found the doctors' times.
// The profession is read as typed but for case and the spaces around it.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';

const LAKBES = '01a205b3-d000-7000-8000-045f9fbaad45'; // the demo's läkarbesök

describe('slots.findFree with a profession typed loosely', () => {
  const { ctx } = openTestDb({ demo: true });
  const env = { ctx, caller: testCaller(), shell: 'web' as const };
  const find = (profession: string) => dispatch(env, 'slots.findFree', { appointmentTypeId: LAKBES, profession, limit: 5 });

  it.each([' lakare ', 'LAKARE', '\tLakare'])('%j finds what lakare finds', async (typed) => {
    const exact = await find('lakare');
    expect(exact).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ profession: 'lakare' })]) });
    expect(await find(typed)).toEqual(exact);
  });

  // A typo is bad input, named as the CLI names it, not an empty list that reads as a full book.
  it.each(['lakre', 'tandläkare'])('%j, which nobody on the unit is, is refused by name', async (typed) => {
    expect(await find(typed)).toMatchObject({
      ok: false,
      error: { code: 'validation', message: `Ingen resurs på enheten har yrket "${typed}".` },
    });
  });
});
