// Staff at two desks of one unit and the real stand-in central: the api as they call it, and
// sync rounds that must end clean. Apart from helpers.ts, which the benchmarks import without vitest.
import { expect } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { valueOf } from '../../helpers/results.ts';
import { api } from './helpers.ts';

/** Staff who both book and plan (receptionist and scheduler), calling the api on a desk. */
export const planningStaff = testCaller(['receptionist', 'scheduler']);
export async function staffOk<M extends MethodName>(ctx: ServiceContext, method: M, input: InputOf<M>): Promise<ResultOf<M>> {
  return valueOf<ResultOf<M>>(method, await dispatch({ ctx, caller: planningStaff, shell: 'web' }, method, input));
}

/** Each desk in turn pushes and pulls with the central at `url` until nothing is left, without error. */
export async function settleDesks(url: string, ...desks: ServiceContext[]): Promise<void> {
  for (const ctx of desks) {
    const engine = new SyncEngine(ctx, api(url));
    expect((await engine.settle()).error).toBeNull();
    expect(engine.status()).toMatchObject({ mode: 'online', pending: 0, failed: 0 });
  }
}
