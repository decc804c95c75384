// Shared pieces of the scheduling integration tests: a real SQLite file with the demo unit, and
// typed calls through dispatch (the api boundary both shells use).
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import type { ApiError } from '../../../src-main/api/result.ts';
import type { ChangeEvent, Role } from '../../../src-main/api/types.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';

export interface Api {
  ctx: ServiceContext;
  path: string;
  /** Change events delivered (after commit), in order. */
  events: ChangeEvent[];
  /** Calls as a caller with `roles` (default: every role); throws on an error result. */
  ok<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]): Promise<ResultOf<M>>;
  /** Calls and expects an error result; returns it. */
  err<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]): Promise<ApiError>;
  count(sql: string, ...params: unknown[]): number;
  /** Moves the service clock to an ISO instant (with offset). */
  setNow(iso: string): void;
}

/** Typed calls through dispatch over a fresh SQLite file, with the demo unit unless `demo: false`. */
export function demoApi(options: { now?: number; demo?: boolean } = {}): Api {
  const { ctx, path } = openTestDb({ demo: options.demo ?? true, ...(options.now === undefined ? {} : { now: options.now }) });
  const events: ChangeEvent[] = [];
  ctx.events.subscribe((e) => events.push(e));
  const call = (method: string, input: unknown, roles?: readonly Role[]) =>
    dispatch({ ctx, caller: testCaller(roles), shell: 'web' }, method, input);
  return {
    ctx,
    path,
    events,
    async ok(method, input, roles) {
      const r = await call(method, input, roles);
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
      return r.value as never;
    },
    async err(method, input, roles) {
      const r = await call(method, input, roles);
      if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
      return r.error;
    },
    count: (sql, ...params) => (ctx.db.prepare(sql).get(...params) as { n: number }).n,
    setNow: (iso) => {
      ctx.now = () => Date.parse(iso);
    },
  };
}

export const DAY = 86_400_000;
