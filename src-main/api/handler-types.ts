// Types shared by the handler modules.
import type { z } from 'zod';
import type { MethodDef } from './define.ts';
import type { Caller, ServiceContext } from '../services/context.ts';
import type { SessionHandle } from './session.ts';

export interface HandlerEnv {
  ctx: ServiceContext;
  caller: Caller;
  shell: 'electron' | 'web';
  /** Set by the shells (api/session.ts); the auth methods use it. */
  session?: SessionHandle;
}

/** One handler per method of a methods table, typed by its input schema and result. */
export type HandlersFor<T extends Record<string, MethodDef<z.ZodType, unknown>>> = {
  [M in keyof T]: (
    env: HandlerEnv,
    input: z.output<T[M]['input']>,
  ) => T[M] extends { async: true } ? Promise<T[M]['result']> : T[M]['result'];
};
