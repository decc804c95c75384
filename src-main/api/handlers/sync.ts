// Handlers of the sync methods: the engine for this database (if a central is configured) and
// the conflicts inbox.
import type { SyncStatusView, syncMethods } from '../methods/sync.ts';
import type { ServiceContext } from '../../services/context.ts';
import { confirmDeskMoved, deskMoved } from '../../services/desk-identity.ts';
import type { HandlersFor } from '../handler-types.ts';
import { engineFor, localStatus } from '../../sync/engine.ts';
import { listConflicts, listFailed, resolveConflict, retryFailed } from '../../sync/conflicts.ts';
import { AppError } from '../result.ts';
import { configureSync, SyncConfigError } from '../../sync/config.ts';
import { bookingSeenBy } from '../../domain/availability.ts';

/** The engine's status (or the local one) and whether the database was first opened elsewhere. */
function statusView(ctx: ServiceContext): SyncStatusView {
  return { ...(engineFor(ctx)?.status() ?? localStatus(ctx)), deskMoved: deskMoved(ctx) };
}

export const syncHandlers: HandlersFor<typeof syncMethods> = {
  'sync.status': ({ ctx }) => statusView(ctx),
  'sync.confirmDeskMoved': ({ ctx, caller }) => {
    confirmDeskMoved(ctx, caller);
    return statusView(ctx);
  },
  'sync.now': async ({ ctx }) => {
    const engine = engineFor(ctx);
    if (!engine) throw new AppError('unavailable', 'Ingen central tidbok är inställd; enheten arbetar lokalt.');
    const r = await engine.runOnce();
    // The error as the status shows it (with SQLite's code for a local database error).
    const error = r.error ? (engine.status().lastError ?? r.error.message) : null;
    return { pushed: r.pushed, pulled: r.pulled, conflicts: r.conflicts, failed: r.failed, error };
  },
  'sync.configure': async ({ ctx }, input) => {
    try {
      await configureSync(ctx, input);
    } catch (err) {
      if (err instanceof SyncConfigError) throw new AppError('validation', err.message);
      throw err;
    }
    return statusView(ctx);
  },
  'sync.failed': ({ ctx }) => listFailed(ctx),
  'sync.retryFailed': ({ ctx }, input) => retryFailed(ctx, input),
  'conflicts.list': ({ ctx, caller }, input) => listConflicts(ctx, caller, input),
  'conflicts.resolve': ({ ctx, caller }, input) => {
    const r = resolveConflict(ctx, caller, input);
    // The booking leaves the api as the caller may see it (protected identity), as in scheduling's handlers.
    return { ...r, booking: r.booking && bookingSeenBy(r.booking, caller.roles) };
  },
};
