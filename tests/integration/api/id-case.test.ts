// Ids are UUIDs, which RFC 9562 reads in either case: an outside probe sent an existing type's id
// in upper case and was told 'Besökstypen hittades inte.' The api now takes any case and finds
// the one record (ids are stored as the app writes them, lower case); the CLI already did.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';

const LAKBES = '01a205b3-d000-7000-8000-045f9fbaad45'; // the demo's läkarbesök
const ANNA = '01a205b3-d000-7000-8000-2f8605734dbe';

describe('an id in upper case', () => {
  const { ctx } = openTestDb({ demo: true });
  const env = { ctx, caller: testCaller(), shell: 'web' as const };

  it('finds the same records as in lower case', async () => {
    const lower = await dispatch(env, 'slots.findFree', { appointmentTypeId: LAKBES, resourceId: ANNA, limit: 3 });
    const upper = await dispatch(env, 'slots.findFree', {
      appointmentTypeId: LAKBES.toUpperCase(),
      resourceId: ANNA.toUpperCase(),
      limit: 3,
    });
    expect(lower).toMatchObject({ ok: true });
    expect(upper).toEqual(lower);
    expect(await dispatch(env, 'appointmentTypes.get', { id: LAKBES.toUpperCase() })).toMatchObject({
      ok: true,
      value: { id: LAKBES, code: 'LAKBES' },
    });
  });

  it('is still refused when it is no id at all', async () => {
    expect(await dispatch(env, 'appointmentTypes.get', { id: 'LAKBES' })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: 'Ogiltiga uppgifter: Ogiltigt id.' },
    });
  });
});
