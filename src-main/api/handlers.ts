// The handler table: joins each area's handlers; must cover the contract exactly.
import type { Contract } from './contract.ts';
import type { HandlersFor } from './handler-types.ts';
import { coreHandlers } from './handlers/core.ts';
import { schedulingHandlers } from './handlers/scheduling.ts';
import { authHandlers } from './handlers/auth.ts';
import { exportHandlers } from './handlers/export.ts';
import { syncHandlers } from './handlers/sync.ts';
import { setupHandlers } from './handlers/setup.ts';
import { bookingsSearchHandlers } from './handlers/bookings-search.ts';
import { waitlistHandlers } from './handlers/waitlist.ts';

export type { HandlerEnv } from './handler-types.ts';

export const handlers: HandlersFor<Contract> = {
  ...coreHandlers,
  ...schedulingHandlers,
  ...authHandlers,
  ...exportHandlers,
  ...syncHandlers,
  ...setupHandlers,
  ...bookingsSearchHandlers,
  ...waitlistHandlers,
};
