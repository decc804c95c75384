// The rolling schedule horizon: while the app runs, the unit's active templates stay expanded
// the unit's horizon ahead (units.horizon_weeks: 12 weeks unless the scheduler set another). A
// receptionist expects the book to reach as far ahead on a Monday in March as it did when the
// templates were saved in November, without a scheduler pressing "expand" every week. Expansion
// is idempotent, so a run that finds nothing new writes only its audit event; it runs at start
// and then every few hours (the date moves at midnight, and a desk left on over a weekend must
// keep up).
import type { Logger } from '../log.ts';
import type { Caller, ServiceContext } from './context.ts';
import { expandTemplates, followTemplateWhenFree } from './templates.ts';

/** Who expands: the application itself (the access log names it so). */
export const HORIZON_CALLER: Caller = {
  userId: null,
  username: 'tidbok',
  displayName: 'Tidbok (schemahorisont)',
  roles: ['scheduler'],
  workstation: 'tidbok',
};

export interface HorizonKeeper {
  /** Expands now (also used by tests); resolves with the number of slots created. */
  runNow(): number;
  stop(): void;
}

export function keepScheduleHorizon(
  ctx: ServiceContext,
  options: { everyMs?: number; log?: Pick<Logger, 'info' | 'error'> | undefined } = {},
): HorizonKeeper {
  const runNow = () => {
    try {
      // Slots a template change waited on, freed by a writer other than the booking services
      // (a cancellation pulled from the central side).
      ctx.db.transaction(() => followTemplateWhenFree(ctx, HORIZON_CALLER)).immediate();
      const hasTemplates = ctx.db.prepare(`SELECT 1 FROM schedule_templates WHERE active = 1 LIMIT 1`).get();
      if (!hasTemplates) return 0;
      const report = expandTemplates(ctx, HORIZON_CALLER, {});
      if (report.created > 0) {
        options.log?.info({ created: report.created, from: report.from, to: report.to }, 'schedule horizon extended');
      }
      return report.created;
    } catch (err) {
      // A failed run leaves the book as it was (one transaction); the next run tries again.
      options.log?.error({ err }, 'extending the schedule horizon failed');
      return 0;
    }
  };
  runNow();
  const timer = setInterval(runNow, options.everyMs ?? 3 * 3_600_000);
  timer.unref();
  return { runNow, stop: () => clearInterval(timer) };
}
