// Staff at two desks of one unit and the real stand-in central: the api as they call it, and
// sync rounds that must end clean. Apart from helpers.ts, which the benchmarks import without vitest.
import { expect } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { valueOf } from '../../helpers/results.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import {
  api,
  configureCentral,
  deskCopiedFrom,
  openLocal,
  seedSmallUnit,
  tempDir,
  weekdayTemplate,
  type SmallUnit,
} from './helpers.ts';

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

/** The real stand-in central and two desks of one small unit (see `startTwoDesks`). */
export interface TwoDesks {
  central: Central;
  a: ServiceContext;
  b: ServiceContext;
  unit: SmallUnit;
  close(): Promise<void>;
}

/**
 * Starts central and desk A with a small unit, lets `prepare` lay out what A has before its first
 * sync (a template, say), syncs A, then installs desk B from A's database (as a unit rolls out its
 * second desk) and syncs B.
 */
export async function startTwoDesks(options: {
  now: () => number;
  patients: number;
  /** Open slots seedSmallUnit lays out on desk A (default none). */
  slots?: number;
  prepare?: (a: ServiceContext, unit: SmallUnit) => Promise<unknown>;
}): Promise<TwoDesks> {
  const central = await startCentral({});
  const dir = tempDir();
  const a = openLocal(dir, 'a', options.now);
  const unit = seedSmallUnit(a, { slots: options.slots ?? 0, patients: options.patients });
  configureCentral(a, central.url);
  await options.prepare?.(a, unit);
  await settleDesks(central.url, a);
  const b = deskCopiedFrom(a, dir, 'b', options.now);
  await settleDesks(central.url, b);
  return {
    central,
    a,
    b,
    unit,
    close: async () => {
      a.db.close();
      b.db.close();
      await central.close();
    },
  };
}

/** `startTwoDesks` whose desk A first gets the doctor's weekday 08:00–12:00 template, two weeks ahead. */
export function startTwoDesksWithMorningTemplate(now: () => number, patients: number): Promise<TwoDesks> {
  return startTwoDesks({
    now,
    patients,
    prepare: (a, unit) =>
      staffOk(a, 'templates.create', {
        template: weekdayTemplate(unit.resourceIds[0]!, [unit.typeIds.lakbes], { startTime: '08:00', endTime: '12:00' }),
        horizonWeeks: 2,
      }),
  });
}
