// Shared pieces of the setup tests: an api over a real SQLite file, empty or with the demo unit.
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import type { ApiError } from '../../../src-main/api/result.ts';
import type { ChangeEvent, Role } from '../../../src-main/api/types.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';

export interface SetupApi {
  ctx: ServiceContext;
  path: string;
  events: ChangeEvent[];
  ok<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]): Promise<ResultOf<M>>;
  err<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]): Promise<ApiError>;
  count(sql: string, ...params: unknown[]): number;
}

export function setupApi(options: { demo?: boolean } = {}): SetupApi {
  const { ctx, path } = openTestDb({ demo: options.demo ?? false });
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
  };
}
