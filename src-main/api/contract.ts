// The api contract: one table, method name -> zod input schema -> result type -> roles.
// Each area declares its methods in methods/<area>.ts; this file joins them. Handlers
// (handlers.ts) implement it; both shells and the renderer's client are typed by it.
// Pure: zod and types only, so the renderer may import it.
import type { z } from 'zod';
import { coreMethods } from './methods/core.ts';
import { schedulingMethods } from './methods/scheduling.ts';
import { authMethods } from './methods/auth.ts';
import { exportMethods } from './methods/export.ts';
import { syncMethods } from './methods/sync.ts';
import { setupMethods } from './methods/setup.ts';
import { bookingsSearchMethods } from './methods/bookings-search.ts';
import { waitlistMethods } from './methods/waitlist.ts';

export const contract = {
  ...coreMethods,
  ...schedulingMethods,
  ...authMethods,
  ...exportMethods,
  ...syncMethods,
  ...setupMethods,
  ...bookingsSearchMethods,
  ...waitlistMethods,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type InputOf<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Contract[M]['input']>;
export type ResultOf<M extends MethodName> = Contract[M]['result'];
export const METHOD_NAMES = Object.keys(contract) as MethodName[];
