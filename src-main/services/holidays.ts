// The unit's closed days: Swedish public holidays plus the eves it chooses to close on
// (units.holiday_rules, {"julafton": true, ...}; a missing eve counts as closed).
import type { HolidayDay, HolidayRulesView } from '../api/methods/scheduling.ts';
import { closedDayName, EVES, holidaysOfYear, type HolidayRules } from '../domain/holidays.ts';
import { recordAudit } from './audit.ts';
import type { Caller, ServiceContext } from './context.ts';
import { enqueueOutbox } from './outbox.ts';
import { currentUnit } from './unit.ts';

export function unitHolidayRules(ctx: ServiceContext): HolidayRules {
  const unit = currentUnit(ctx);
  const row = ctx.db.prepare(`SELECT holiday_rules FROM units WHERE id = ?`).get(unit.id) as { holiday_rules: string };
  const parsed = JSON.parse(row.holiday_rules) as Record<string, unknown>;
  const rules: HolidayRules = {};
  for (const eve of EVES) if (typeof parsed[eve] === 'boolean') rules[eve] = parsed[eve];
  return rules;
}

const view = (rules: HolidayRules): HolidayRulesView => ({
  julafton: rules.julafton !== false,
  nyarsafton: rules.nyarsafton !== false,
  midsommarafton: rules.midsommarafton !== false,
});

export function getHolidayRules(ctx: ServiceContext): HolidayRulesView {
  return view(unitHolidayRules(ctx));
}

/** Records which eves the unit closes on (services/templates.ts setEveRules brings the book in line). */
export function setHolidayRules(
  ctx: ServiceContext,
  caller: Caller,
  input: { [K in keyof HolidayRulesView]?: boolean | undefined },
): HolidayRulesView {
  return ctx.db.transaction(() => {
    const unit = currentUnit(ctx);
    const before = getHolidayRules(ctx);
    const next = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    // The rules as they were (a settings form saved unchanged): no new unit version to sync, no event.
    if (EVES.every((eve) => next[eve] === before[eve])) return before;
    ctx.db
      .prepare(`UPDATE units SET holiday_rules = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(JSON.stringify(next), ctx.now(), caller.username, unit.id);
    enqueueOutbox(ctx, 'unit', unit.id, 'update', { ...unit, holidayRules: next });
    recordAudit(ctx, caller, { action: 'change', entity: 'unit', entityId: unit.id, detail: { op: 'holiday_rules', ...next } });
    ctx.events.emit({ entities: ['unit'], ids: [unit.id] });
    return next;
  })();
}

export function listHolidays(ctx: ServiceContext, input: { year: number }): HolidayDay[] {
  const rules = unitHolidayRules(ctx);
  return holidaysOfYear(input.year).map((h) => ({ ...h, closed: closedDayName(h.date, rules) !== null }));
}
