// Schedule templates: CRUD, preview and expansion into slots over a horizon (default 12 weeks).
// Expansion is idempotent: a planned slot whose (resource, start) already has a live slot, or
// that this template's slot was removed from by hand, is not created again. Editing a template
// changes only future slots without active bookings and reports the booked ones it left.
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { conflict, invalid, notFound } from '../api/result.ts';
import type {
  BookedSlotNotice,
  ExpansionReport,
  HolidayRulesChange,
  ScheduleHorizon,
  ScheduleHorizonChange,
  ScheduleTemplate,
  TemplateChange,
  TemplatePreview,
} from '../api/methods/scheduling.ts';
import { IntervalSet, overlaps } from '../domain/availability.ts';
import {
  clockChangeDays,
  describePlannedSlots,
  expandTemplate,
  templateNeverRuns,
  templateProblem,
  type PlannedSlot,
  type TemplateSpec,
} from '../domain/templates.ts';
import { addDays, localDate, startOfLocalDay } from '../domain/time.ts';
import { EVES, holidaysOfYear, type Eve } from '../domain/holidays.ts';
import { ACTIVE_BOOKING_STATUSES } from '../store/rows.ts';
import { slotWriter, toTemplate, type TemplateRow } from '../store/scheduling-rows.ts';
import { recordAudit, recordPatientReads } from './audit.ts';
import { refuseStaleEdit } from './edit-versions.ts';
import type { Caller, ServiceContext } from './context.ts';
import { getHolidayRules, setHolidayRules, unitHolidayRules } from './holidays.ts';
import { enqueueExpansion, enqueueOutbox } from './outbox.ts';
import { assertTypesOffered, getResource, getSlot, slotChanged } from './slots.ts';
import { currentUnit } from './unit.ts';
import { releaseOffersNoLongerFree } from './waitlist-holds.ts';

/** A new unit's horizon (units.horizon_weeks defaults to it; the scheduler may change it). */
export const DEFAULT_HORIZON_WEEKS = 12;

export type TemplateInput = Omit<ScheduleTemplate, 'id' | 'active' | 'version'>;

export function getTemplate(ctx: ServiceContext, id: string): ScheduleTemplate {
  const row = ctx.db.prepare(`SELECT * FROM schedule_templates WHERE id = ?`).get(id) as TemplateRow | undefined;
  if (!row) throw notFound('Schemamallen', id);
  return toTemplate(row);
}

export function listTemplates(
  ctx: ServiceContext,
  input: { resourceId?: string | undefined; includeInactive?: boolean | undefined },
): ScheduleTemplate[] {
  const unit = currentUnit(ctx);
  return (
    ctx.db
      .prepare(
        `SELECT t.* FROM schedule_templates t JOIN resources r ON r.id = t.resource_id
          WHERE r.unit_id = ? AND (? IS NULL OR t.resource_id = ?) AND (t.active = 1 OR ?)
          ORDER BY r.sort_order, r.name, t.start_time`,
      )
      .all(unit.id, input.resourceId ?? null, input.resourceId ?? null, input.includeInactive ? 1 : 0) as TemplateRow[]
  ).map(toTemplate);
}

const toSpec = (t: Omit<ScheduleTemplate, 'id' | 'active' | 'resourceId' | 'name' | 'version'>): TemplateSpec => ({
  weekdays: t.weekdays,
  everyNWeeks: t.everyNWeeks,
  validFrom: t.validFrom,
  validTo: t.validTo,
  startTime: t.startTime,
  endTime: t.endTime,
  slotMin: t.slotMin,
  skipHolidays: t.skipHolidays,
});

function today(ctx: ServiceContext, tz: string): string {
  return localDate(ctx.now(), tz);
}

/** The slots a template would create, for the scheduler to look at before saving. */
export function previewTemplate(
  ctx: ServiceContext,
  input: {
    template: Omit<TemplateInput, 'resourceId'> & { resourceId?: string | undefined };
    templateId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
): TemplatePreview {
  const unit = currentUnit(ctx);
  const spec = toSpec(input.template);
  const problem = templateProblem(spec);
  if (problem) throw invalid(problem);
  // For a given resource the preview says what saving would: types it cannot take are named.
  if (input.template.resourceId) {
    assertTypesOffered(ctx, input.template.appointmentTypeIds, getResource(ctx, input.template.resourceId), spec.slotMin);
  }
  const from = input.from ?? (spec.validFrom > today(ctx, unit.timeZone) ? spec.validFrom : today(ctx, unit.timeZone));
  const weeks = unitHorizonWeeks(ctx);
  const to = input.to ?? addDays(from, weeks * 7);
  if (to <= from) throw invalid('Slutdatum måste vara efter startdatum.');
  // At most a year, or the unit's horizon when longer: the preview of what saving lays out
  // (its default range) is always allowed.
  if (to > addDays(from, Math.max(366, weeks * 7))) {
    throw invalid(
      weeks * 7 > 366
        ? `Förhandsvisningen omfattar högst ${weeks} veckor (schemahorisonten).`
        : 'Förhandsvisningen omfattar högst ett år.',
    );
  }
  const { slots, skipped } = expandTemplate(spec, from, to, unit.timeZone, unitHolidayRules(ctx));
  const closed = new Set(skipped.map((h) => h.date));
  // Saving lays out no time that has begun (expandInto), so neither does the preview: today's
  // earlier times would be counted, and shown, but never made.
  const now = ctx.now();
  const laid = slots.filter((s) => s.startAt >= now);
  const resourceId = input.template.resourceId;
  return {
    slots: describePlannedSlots(laid, unit.timeZone),
    skipped,
    clockChanges: clockChangeDays(spec, from, to, unit.timeZone).filter((d) => !closed.has(d.date)),
    overlapping: resourceId
      ? describePlannedSlots(overlappingPlanned(ctx, resourceId, input.templateId, laid), unit.timeZone)
      : [],
  };
}

/**
 * The planned slots that saving would skip as overlaps (expandInto): the resource's live slots
 * hold them, except the edited template's own free future slots, which the edit changes or removes.
 * One of its slots at exactly the planned time is that time, already there.
 */
function overlappingPlanned(
  ctx: ServiceContext,
  resourceId: string,
  templateId: string | undefined,
  planned: readonly PlannedSlot[],
): PlannedSlot[] {
  if (planned.length === 0) return [];
  const now = ctx.now();
  const held = ctx.db
    .prepare(
      `SELECT s.start_at, s.end_at, s.template_id,
              EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES}) AS booked
         FROM slots s WHERE s.resource_id = ? AND s.state <> 'removed' AND s.start_at >= ? AND s.start_at < ?`,
    )
    .all(resourceId, planned[0]!.startAt - 8 * 3_600_000, planned[planned.length - 1]!.endAt) as {
    start_at: number;
    end_at: number;
    template_id: string | null;
    booked: number;
  }[];
  const own = (h: (typeof held)[number]) => templateId !== undefined && h.template_id === templateId;
  const blocking = held.filter((h) => !own(h) || h.booked === 1 || h.start_at < now);
  return planned.filter((p) =>
    blocking.some(
      (h) => overlaps(h.start_at, h.end_at, p.startAt, p.endAt) && !(own(h) && h.start_at === p.startAt && h.end_at === p.endAt),
    ),
  );
}

// ------------------------------------------------------------------ expansion engine
function emptyReport(from: string, to: string): ExpansionReport {
  return {
    from,
    to,
    created: 0,
    existing: 0,
    updated: 0,
    removed: 0,
    skippedOverlaps: 0,
    skippedHolidays: [],
    bookedUnchanged: [],
  };
}

interface ResourceState {
  /** Live slots, each tagged with its template (null: added by hand). */
  live: IntervalSet<string | null>;
  /** "templateId@start" of slots removed by hand: never recreated by the same template. */
  removedByHand: Set<string>;
  /** How many removed slots (kept for the sync feed) each start has: a new slot's id must differ from theirs. */
  removedAt: Map<number, number>;
  absences: { id: string; reason: string; startAt: number; endAt: number }[];
}

function loadResourceState(ctx: ServiceContext, resourceId: string, fromAt: number, toAt: number): ResourceState {
  // Two index range scans: live slots (slots_by_resource_start) and removed ones (migration 0004).
  const live = ctx.db
    .prepare(
      `SELECT start_at, end_at, template_id FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at >= ? AND start_at < ?
        ORDER BY start_at`,
    )
    .raw()
    .all(resourceId, fromAt - 8 * 3_600_000, toAt) as [number, number, string | null][];
  const removed = ctx.db
    .prepare(
      `SELECT template_id, start_at FROM slots WHERE resource_id = ? AND state = 'removed' AND start_at >= ? AND start_at < ?`,
    )
    .raw()
    .all(resourceId, fromAt, toAt) as [string | null, number][];
  const removedAt = new Map<number, number>();
  for (const [, startAt] of removed) removedAt.set(startAt, (removedAt.get(startAt) ?? 0) + 1);
  // In start order (the index's): each add is an append, no objects to sort (a laid-out year is 6,000 a resource).
  const intervals = new IntervalSet<string | null>();
  for (const [startAt, endAt, templateId] of live) intervals.add(startAt, endAt, templateId);
  return {
    live: intervals,
    removedByHand: new Set(
      removed.filter(([templateId]) => templateId !== null).map(([templateId, startAt]) => `${templateId}@${startAt}`),
    ),
    removedAt,
    absences: ctx.db
      .prepare(
        `SELECT id, reason, start_at AS startAt, end_at AS endAt FROM absences
          WHERE resource_id = ? AND state = 'active' AND start_at < ? AND end_at > ?`,
      )
      .all(resourceId, toAt, fromAt) as ResourceState['absences'],
  };
}

interface Planned {
  t: ScheduleTemplate;
  typesJson: string;
  web: 0 | 1;
  wcg: 0 | 1;
  /** The template's part of its slots' ids (templateSlotId). */
  idSeed: SlotIdSeed;
  state: ResourceState;
}

interface SlotIdSeed {
  seq: number;
  random: Uint8Array;
  /** The id after its time part, per count of removed slots at the start: the same for every start. */
  tails: Map<number, string>;
}

export function slotIdSeed(templateId: string): SlotIdSeed {
  const digest = createHash('sha256').update(`tidbok-template-slot|${templateId}`).digest();
  return { seq: digest.readUInt32BE(16), random: new Uint8Array(digest.subarray(0, 16)), tails: new Map() };
}

/**
 * A template's slot has the same id on every desk that lays it out. The desks of a unit start
 * from one database (a copy), so each holds the unit's templates and each desk's horizon lays out
 * the same new days: with ids of their own, central got two slots at one time and both desks'
 * pull then stopped for good on the second (one live slot per resource and start). With this id
 * the second desk's slot is the first's (push adopts it, pull updates it). UUIDv7-shaped, its time
 * the slot's start (ids sort by when the slot is), the rest from the template and from how many
 * removed slots (kept for the feed) that start already has: a template edit removes a slot and
 * may lay out that start again, and desks that share their history count the same.
 */
export function templateSlotId(seed: SlotIdSeed, startAt: number, removedBefore: number): string {
  // Only the first 48 bits (the start) vary between a template's slots: uuidv7 builds the rest once
  // per template (expansion makes 364,000 ids for a year of 120 templates).
  if (!Number.isSafeInteger(startAt) || startAt < 0 || startAt >= 2 ** 48) {
    return uuidv7({ msecs: startAt, seq: (seed.seq + removedBefore) >>> 0, random: seed.random });
  }
  let tail = seed.tails.get(removedBefore);
  if (tail === undefined) {
    tail = uuidv7({ msecs: 0, seq: (seed.seq + removedBefore) >>> 0, random: seed.random }).slice(13);
    seed.tails.set(removedBefore, tail);
  }
  // By table, byte by byte: Number#toString(16) costs a microsecond for numbers past 2^31.
  const hi = Math.floor(startAt / 0x1000000);
  const lo = startAt % 0x1000000;
  return (
    HEX[(hi >>> 16) & 0xff]! +
    HEX[(hi >>> 8) & 0xff]! +
    HEX[hi & 0xff]! +
    HEX[lo >>> 16]! +
    '-' +
    HEX[(lo >>> 8) & 0xff]! +
    HEX[lo & 0xff]! +
    tail
  );
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Creates the missing slots of the given templates in [from, to) (local dates), skipping past
 * instants. Writes the slots and one outbox row for all of them (see enqueueExpansion); the
 * caller audits.
 */
function expandInto(
  ctx: ServiceContext,
  caller: Caller,
  templates: readonly ScheduleTemplate[],
  from: string,
  to: string,
  report: ExpansionReport,
): void {
  const unit = currentUnit(ctx);
  const rules = unitHolidayRules(ctx);
  const now = ctx.now();
  const w = slotWriter(ctx.db);
  const fromAt = new Date(`${from}T00:00:00Z`).getTime() - 86_400_000; // generous: local midnight is within a day of UTC's
  const toAt = new Date(`${to}T00:00:00Z`).getTime() + 86_400_000;
  const states = new Map<string, ResourceState>();
  const holidays = new Map(report.skippedHolidays.map((h) => [h.date, h]));
  // Plan every template first, then write in time order: the time-ordered indexes (slots by
  // start, slots_free by type list and start) then grow at their ends instead of all over the year.
  const planned: { t: Planned; p: PlannedSlot }[] = [];
  // A template whose every type is deactivated lays out nothing: nobody could book those slots.
  const activeTypes = new Set(
    ctx.db.prepare(`SELECT id FROM appointment_types WHERE unit_id = ? AND active = 1`).pluck().all(unit.id) as string[],
  );
  for (const t of templates) {
    if (!t.active || !t.appointmentTypeIds.some((id) => activeTypes.has(id))) continue;
    let state = states.get(t.resourceId);
    if (!state) states.set(t.resourceId, (state = loadResourceState(ctx, t.resourceId, fromAt, toAt)));
    const { slots, skipped } = expandTemplate(toSpec(t), from, to, unit.timeZone, rules);
    for (const h of skipped) holidays.set(h.date, h);
    const pt: Planned = {
      t,
      typesJson: JSON.stringify(t.appointmentTypeIds),
      web: t.publishWeb ? 1 : 0,
      wcg: t.withinCareGuarantee ? 1 : 0,
      idSeed: slotIdSeed(t.id),
      state,
    };
    for (const p of slots) if (p.startAt >= now) planned.push({ t: pt, p });
  }
  planned.sort((a, b) => a.p.startAt - b.p.startAt); // stable: template order breaks ties
  let created = 0;
  for (const { t: pt, p } of planned) {
    const { t, state } = pt;
    // Already there: this template's own slot at that start, or one removed from it by hand. A slot
    // of another template (or a hand-made one) at the same start is an overlap, reported as such.
    const atStart = state.live.indexOfStart(p.startAt);
    if (
      (atStart >= 0 && state.live.tagAt(atStart) === t.id) ||
      (state.removedByHand.size > 0 && state.removedByHand.has(`${t.id}@${p.startAt}`))
    ) {
      report.existing++;
      continue;
    }
    if (atStart >= 0 || state.live.overlapsAny(p.startAt, p.endAt)) {
      report.skippedOverlaps++;
      continue;
    }
    const absence =
      state.absences.length === 0 ? undefined : state.absences.find((a) => overlaps(a.startAt, a.endAt, p.startAt, p.endAt));
    w.insertSlot(
      templateSlotId(pt.idSeed, p.startAt, state.removedAt.size > 0 ? (state.removedAt.get(p.startAt) ?? 0) : 0),
      t.resourceId,
      p.startAt,
      p.endAt,
      pt.typesJson,
      absence ? 'blocked' : 'open',
      absence?.id ?? null,
      absence ? absence.reason || 'Frånvaro' : null, // as the absence's own blocks (services/absences.ts)
      pt.web,
      pt.wcg,
      t.id,
      now,
      caller.username,
    );
    state.live.add(p.startAt, p.endAt, t.id);
    created++;
  }
  if (created > 0) enqueueExpansion(ctx, templates, from, to, created);
  report.created += created;
  report.skippedHolidays = [...holidays.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** How many weeks ahead the unit's templates are laid out (units.horizon_weeks, migration 0008). */
export function unitHorizonWeeks(ctx: ServiceContext): number {
  return ctx.db.prepare(`SELECT horizon_weeks FROM units WHERE id = ?`).pluck().get(currentUnit(ctx).id) as number;
}

function horizon(ctx: ServiceContext, weeks: number | undefined): { from: string; to: string } {
  const from = today(ctx, currentUnit(ctx).timeZone);
  return { from, to: addDays(from, (weeks ?? unitHorizonWeeks(ctx)) * 7) };
}

export function getScheduleHorizon(ctx: ServiceContext): ScheduleHorizon {
  const weeks = unitHorizonWeeks(ctx);
  const range = horizon(ctx, weeks);
  // A type bookable further ahead than the book reaches finds no slots there: the scheduler is told.
  // N weeks reach today + 7N - 1 (today is the first day); N days ahead reach today + N.
  const typesBeyond = (
    ctx.db
      .prepare(
        `SELECT id, code, name_sv, name_en, book_max_days FROM appointment_types
          WHERE unit_id = ? AND active = 1 AND book_max_days >= ? ORDER BY code`,
      )
      .all(currentUnit(ctx).id, weeks * 7) as {
      id: string;
      code: string;
      name_sv: string;
      name_en: string;
      book_max_days: number;
    }[]
  ).map((r) => ({ id: r.id, code: r.code, nameSv: r.name_sv, nameEn: r.name_en, bookMaxDays: r.book_max_days }));
  return { weeks, until: addDays(range.to, -1), typesBeyond };
}

/** Sets the unit's horizon and lays the active templates out that far at once (a shorter one takes nothing away). */
export function setScheduleHorizon(ctx: ServiceContext, caller: Caller, input: { weeks: number }): ScheduleHorizonChange {
  return ctx.db.transaction(() => {
    const before = unitHorizonWeeks(ctx);
    const unit = currentUnit(ctx);
    if (input.weeks !== before) {
      ctx.db
        .prepare(`UPDATE units SET horizon_weeks = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
        .run(input.weeks, ctx.now(), caller.username, unit.id);
      recordAudit(ctx, caller, {
        action: 'change',
        entity: 'unit',
        entityId: unit.id,
        detail: { op: 'horizon', from: before, to: input.weeks },
      });
      ctx.events.emit({ entities: ['unit'], ids: [unit.id] });
    }
    const expansion = expandTemplates(ctx, caller, {});
    return { ...getScheduleHorizon(ctx), expansion };
  })();
}

/** Expands active templates (all of the unit, or the given) from today over the horizon. */
export function expandTemplates(
  ctx: ServiceContext,
  caller: Caller,
  input: { templateIds?: string[] | undefined; horizonWeeks?: number | undefined; from?: string; to?: string },
): ExpansionReport {
  return ctx.db
    .transaction(() => {
      const range = input.from && input.to ? { from: input.from, to: input.to } : horizon(ctx, input.horizonWeeks);
      const templates = input.templateIds
        ? input.templateIds.map((id) => getTemplate(ctx, id))
        : listTemplates(ctx, { includeInactive: false });
      const report = emptyReport(range.from, range.to);
      expandInto(ctx, caller, templates, range.from, range.to, report);
      // A run that created nothing changed nothing (the rolling horizon runs every few hours).
      if (report.created > 0) {
        recordAudit(ctx, caller, {
          action: 'change',
          entity: 'schedule_template',
          detail: { op: 'expand', from: range.from, to: range.to, templates: templates.length, created: report.created },
        });
        ctx.events.emit({ entities: ['slot'], ids: templates.map((t) => t.id) });
      }
      return report;
    })
    .immediate(); // outside dispatch (horizon, CLI) take the write lock first: wait, never fail on an upgrade
}

// ------------------------------------------------------------------ create / update / deactivate
/** `typeIds`: the types to check against the resource and slot length (default: all of them). */
function validate(ctx: ServiceContext, t: TemplateInput, typeIds: readonly string[] = t.appointmentTypeIds): void {
  const problem = templateProblem(toSpec(t));
  if (problem) throw invalid(problem);
  const resource = getResource(ctx, t.resourceId);
  if (resource.unitId !== currentUnit(ctx).id) throw invalid('Resursen tillhör en annan enhet.');
  if (!resource.active) throw conflict('Resursen är inaktiverad.');
  assertTypesOffered(ctx, typeIds, resource, t.slotMin);
}

function templateChanged(
  ctx: ServiceContext,
  caller: Caller,
  t: ScheduleTemplate,
  op: 'create' | 'update',
  report: ExpansionReport,
  detail: object,
): void {
  enqueueOutbox(ctx, 'schedule_template', t.id, op, t);
  recordAudit(ctx, caller, {
    action: 'change',
    entity: 'schedule_template',
    entityId: t.id,
    detail: {
      op,
      ...detail,
      created: report.created,
      updated: report.updated,
      removed: report.removed,
      bookedUnchanged: report.bookedUnchanged.length,
    },
  });
  ctx.events.emit({ entities: ['schedule_template', 'slot'], ids: [t.id] });
}

/** A template's settings as schedule_templates stores them (named parameters of its insert and update). */
function templateColumns(t: TemplateInput, ctx: ServiceContext, caller: Caller) {
  return {
    name: t.name,
    weekdays: JSON.stringify([...t.weekdays].sort()),
    everyNWeeks: t.everyNWeeks,
    validFrom: t.validFrom,
    validTo: t.validTo,
    startTime: t.startTime,
    endTime: t.endTime,
    slotMin: t.slotMin,
    typeIds: JSON.stringify([...new Set(t.appointmentTypeIds)]),
    publishWeb: t.publishWeb ? 1 : 0,
    withinCareGuarantee: t.withinCareGuarantee ? 1 : 0,
    skipHolidays: t.skipHolidays ? 1 : 0,
    now: ctx.now(),
    by: caller.username,
  };
}

export function createTemplate(
  ctx: ServiceContext,
  caller: Caller,
  input: { template: TemplateInput; horizonWeeks?: number | undefined },
): TemplateChange {
  return ctx.db.transaction(() => {
    const t = input.template;
    validate(ctx, t);
    // A new template that ended before today lays out nothing: a mistyped year, not a template.
    // (An edit may end one in the past: that is how a template is ended.)
    const today = localDate(ctx.now(), currentUnit(ctx).timeZone);
    if (t.validTo !== null && t.validTo < today) {
      throw invalid(`Mallen gäller bara till ${t.validTo}, före i dag (${today}): den skulle inte lägga ut några tider.`);
    }
    if (templateNeverRuns(toSpec(t))) {
      const weeks =
        t.everyNWeeks === 1 ? '' : ` i en vecka då den går (var ${t.everyNWeeks}:e vecka räknat från veckan med ${t.validFrom})`;
      throw invalid(
        `Mallen gäller bara ${t.validFrom}–${t.validTo}, och ingen av de dagarna är en av dess veckodagar${weeks}: den skulle inte lägga ut några tider.`,
        { field: 'weekdays' },
      );
    }
    const id = ctx.newId();
    ctx.db
      .prepare(
        `INSERT INTO schedule_templates (id, resource_id, name, weekdays, every_n_weeks, valid_from, valid_to, start_time, end_time,
           slot_min, appointment_type_ids, publish_web, within_care_guarantee, skip_holidays, updated_at, updated_by)
         VALUES (@id, @resourceId, @name, @weekdays, @everyNWeeks, @validFrom, @validTo, @startTime, @endTime, @slotMin, @typeIds,
           @publishWeb, @withinCareGuarantee, @skipHolidays, @now, @by)`,
      )
      .run({ ...templateColumns(t, ctx, caller), id, resourceId: t.resourceId });
    const template = getTemplate(ctx, id);
    const range = horizon(ctx, input.horizonWeeks);
    const report = emptyReport(range.from, range.to);
    expandInto(ctx, caller, [template], range.from, range.to, report);
    templateChanged(ctx, caller, template, 'create', report, {});
    return { template, expansion: report };
  })();
}

/** What a template decides of a slot, as the slots table holds it. */
interface SlotSettingsRow {
  start_at: number;
  end_at: number;
  state: string;
  appointment_type_ids: string;
  web_published: number;
  within_care_guarantee: number;
}

interface FutureSlot extends SlotSettingsRow {
  id: string;
  template_id: string | null;
  booking_id: string | null;
  patient_id: string | null;
  given_name: string | null;
  family_name: string | null;
  protected_identity: number | null;
}

/**
 * Times a change of `t` gave up may be planned by the resource's other active templates (skipped
 * there as overlaps until now): each lays them out at once, as far as its own book already reaches
 * (nothing is laid further than it was). Their new slots count as created.
 */
function layOthersIntoFreedTimes(
  ctx: ServiceContext,
  caller: Caller,
  t: ScheduleTemplate,
  from: string,
  report: ExpansionReport,
): void {
  if (report.removed === 0) return;
  for (const other of listTemplates(ctx, { resourceId: t.resourceId })) {
    if (other.id === t.id) continue;
    const reach = bookReach(ctx, other, from);
    if (reach <= from) continue;
    const own = emptyReport(from, reach);
    expandInto(ctx, caller, [other], from, reach, own);
    report.created += own.created;
  }
}

/**
 * How far a template's book reaches: the day after its last live future slot (laid out beyond the
 * horizon by `tidbok templates expand --weeks`, or when the horizon was longer), at least `to`.
 * An edit reshapes the book that far, so a change of slot length does not leave those weeks empty.
 */
function bookReach(ctx: ServiceContext, t: ScheduleTemplate, to: string): string {
  const last = ctx.db
    .prepare(
      `SELECT max(start_at) AS m FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at >= ? AND template_id = ?`,
    )
    .get(t.resourceId, ctx.now(), t.id) as { m: number | null };
  const lastDate = last.m === null ? to : addDays(localDate(last.m, currentUnit(ctx).timeZone), 1);
  return lastDate > to ? lastDate : to;
}

/**
 * Brings the template's future slots in line with its (changed) definition: unbooked slots that
 * still fit are updated in place, the others removed; booked slots are left and reported.
 */
function reconcileFuture(
  ctx: ServiceContext,
  caller: Caller,
  t: ScheduleTemplate,
  range: { from: string; to: string },
  report: ExpansionReport,
): void {
  const unit = currentUnit(ctx);
  const now = ctx.now();
  const planned = new Map<number, PlannedSlot>();
  if (t.active) {
    // The caller's range reaches as far as the template's slots do (bookReach), at least the horizon.
    for (const p of expandTemplate(toSpec(t), range.from, range.to, unit.timeZone, unitHolidayRules(ctx)).slots)
      planned.set(p.startAt, p);
  }
  const future = ctx.db
    .prepare(
      `SELECT s.id, s.template_id, s.start_at, s.end_at, s.state, s.appointment_type_ids, s.web_published, s.within_care_guarantee,
              b.id AS booking_id, b.patient_id, p.given_name, p.family_name, p.protected_identity
         FROM slots s
         LEFT JOIN bookings b ON b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES}
         LEFT JOIN patients p ON p.id = b.patient_id
        WHERE s.resource_id = ? AND s.state <> 'removed' AND s.start_at >= ? AND s.template_id = ?
        ORDER BY s.start_at`,
    )
    .all(t.resourceId, now, t.id) as FutureSlot[];
  const typesJson = JSON.stringify(t.appointmentTypeIds);
  const types = typeSet(typesJson);
  const web = t.publishWeb ? 1 : 0;
  const wcg = t.withinCareGuarantee ? 1 : 0;
  const update = takeTemplateSettings(ctx);
  const remove = leaveSchedule(ctx);
  const changed: string[] = [];
  // This edit decides afresh which booked slots lag behind the template.
  ctx.db.prepare(`DELETE FROM slots_behind_template WHERE template_id = ?`).run(t.id);
  const behind = markBehind(ctx);
  for (const s of future) {
    const p = planned.get(s.start_at);
    const fits = p !== undefined && p.endAt === s.end_at;
    const same = fits && typeSet(s.appointment_type_ids) === types && s.web_published === web && s.within_care_guarantee === wcg;
    if (same) continue;
    if (s.booking_id) {
      report.bookedUnchanged.push(bookedNotice(s));
      behind.run(s.id, t.id, now);
      continue;
    }
    if (fits) {
      update.run(typesJson, web, wcg, now, caller.username, s.id);
      changed.push(s.id);
      report.updated++;
    } else {
      remove.run(now, caller.username, s.id);
      changed.push(s.id);
      report.removed++;
    }
  }
  for (const id of changed) enqueueOutbox(ctx, 'slot', id, 'update', getSlot(ctx, id));
  if (changed.length > 0) releaseOffersNoLongerFree(ctx, caller);
  readsOfBookedNotices(ctx, caller, future, report, { op: 'booked_unchanged', templateId: t.id });
}

/** A slot's or template's types as a set (their order means nothing: the same types reordered is no change). */
const typeSet = (json: string): string => JSON.stringify((JSON.parse(json) as string[]).toSorted());

/** The booked times a change reports list their patients to the caller: a read of each (Patientdatalagen). */
function readsOfBookedNotices(
  ctx: ServiceContext,
  caller: Caller,
  rows: readonly FutureSlot[],
  report: ExpansionReport,
  detail: Record<string, unknown>,
): void {
  const shown = new Set(report.bookedUnchanged.map((n) => n.bookingId));
  const patients = rows.filter((r) => r.booking_id !== null && shown.has(r.booking_id)).map((r) => r.patient_id!);
  recordPatientReads(ctx, caller, patients, detail);
}

/** Gives an unbooked slot its template's types, web flag and care-guarantee flag (types JSON, web, wcg, now, user, id). */
function takeTemplateSettings(ctx: ServiceContext): Statement {
  return ctx.db.prepare(
    `UPDATE slots SET appointment_type_ids = ?, web_published = ?, within_care_guarantee = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
  );
}

/**
 * Removes a slot because its template no longer plans it (not by hand): the slot leaves the
 * template, so a later change back (template edit, an eve opened again) may recreate the time.
 */
function leaveSchedule(ctx: ServiceContext): Statement {
  return ctx.db.prepare(
    `UPDATE slots SET state = 'removed', template_id = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
  );
}

/** Marks a booked slot a change left as it was: it follows its template once freed (followTemplateWhenFree). */
function markBehind(ctx: ServiceContext): Statement {
  return ctx.db.prepare(
    `INSERT INTO slots_behind_template (slot_id, template_id, marked_at) VALUES (?, ?, ?)
     ON CONFLICT (slot_id) DO UPDATE SET template_id = excluded.template_id, marked_at = excluded.marked_at`,
  );
}

/**
 * Booked slots a template change left as they were, whose booking has since gone (cancelled,
 * rebooked; all of them, or the given ones): each future one now follows its template as it is,
 * updated in place when the template still plans that time, otherwise removed from the schedule
 * and the template laid out on that day again (its own slots may now fit where the old one was).
 * Call inside the transaction that freed them. Returns how many slots changed or were created.
 */
export function followTemplateWhenFree(
  ctx: ServiceContext,
  caller: Caller,
  slotIds?: readonly string[],
): { updated: number; removed: number; created: number } {
  const result = { updated: 0, removed: 0, created: 0 };
  const refill: { t: ScheduleTemplate; date: string }[] = [];
  const rows = ctx.db
    .prepare(
      `SELECT m.slot_id, m.template_id, s.template_id AS slot_template_id, s.start_at, s.end_at, s.state, s.appointment_type_ids,
              s.web_published, s.within_care_guarantee
         FROM slots_behind_template m JOIN slots s ON s.id = m.slot_id
        WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = m.slot_id AND b.status IN ${ACTIVE_BOOKING_STATUSES})
          ${slotIds ? 'AND m.slot_id IN (SELECT value FROM json_each(?))' : ''}`,
    )
    .all(...(slotIds ? [JSON.stringify(slotIds)] : [])) as (SlotSettingsRow & {
    slot_id: string;
    template_id: string;
    slot_template_id: string | null;
  })[];
  if (rows.length === 0) return result;
  const unit = currentUnit(ctx);
  const now = ctx.now();
  const rules = unitHolidayRules(ctx);
  const unmark = ctx.db.prepare(`DELETE FROM slots_behind_template WHERE slot_id = ?`);
  const update = takeTemplateSettings(ctx);
  const remove = leaveSchedule(ctx);
  for (const s of rows) {
    unmark.run(s.slot_id);
    // Past, removed by hand, or no longer the template's: nothing to follow.
    if (s.start_at < now || s.state === 'removed' || s.slot_template_id !== s.template_id) continue;
    const t = getTemplate(ctx, s.template_id);
    const date = localDate(s.start_at, unit.timeZone);
    const p = t.active
      ? expandTemplate(toSpec(t), date, addDays(date, 1), unit.timeZone, rules).slots.find((x) => x.startAt === s.start_at)
      : undefined;
    const typesJson = JSON.stringify(t.appointmentTypeIds);
    const web = t.publishWeb ? 1 : 0;
    const wcg = t.withinCareGuarantee ? 1 : 0;
    if (p !== undefined && p.endAt === s.end_at) {
      if (s.appointment_type_ids === typesJson && s.web_published === web && s.within_care_guarantee === wcg) continue;
      update.run(typesJson, web, wcg, now, caller.username, s.slot_id);
      result.updated++;
    } else {
      remove.run(now, caller.username, s.slot_id);
      result.removed++;
      // The time it held may now take the template's own slots (say 20 minutes where it was 30).
      if (t.active && !refill.some((r) => r.t.id === t.id && r.date === date)) refill.push({ t, date });
    }
    slotChanged(ctx, caller, getSlot(ctx, s.slot_id), 'update', {
      op: 'follow_template',
      templateId: t.id,
      removed: p === undefined || p.endAt !== s.end_at,
    });
  }
  for (const { t, date } of refill) {
    const report = emptyReport(date, addDays(date, 1));
    expandInto(ctx, caller, [t], date, addDays(date, 1), report);
    result.created += report.created;
  }
  return result;
}

function bookedNotice(s: FutureSlot): BookedSlotNotice {
  return {
    slotId: s.id,
    startAt: s.start_at,
    endAt: s.end_at,
    bookingId: s.booking_id!,
    // A protected patient's name is never sent (the screens say "Skyddad identitet").
    patientName: s.protected_identity === 1 ? '' : `${s.given_name ?? ''} ${s.family_name ?? ''}`.trim(),
    protectedIdentity: s.protected_identity === 1,
  };
}

/** Whether the slots `after` lays out can differ from those of `before`: all but the name shapes them. */
function changesSlots(before: ScheduleTemplate, after: ScheduleTemplate): boolean {
  const shape = (t: ScheduleTemplate) =>
    JSON.stringify({ ...t, name: '', version: 0, appointmentTypeIds: typeSet(JSON.stringify(t.appointmentTypeIds)) });
  return shape(before) !== shape(after);
}

export function updateTemplate(
  ctx: ServiceContext,
  caller: Caller,
  input: {
    id: string;
    changes: { [K in keyof Omit<TemplateInput, 'resourceId'>]?: TemplateInput[K] | undefined };
    horizonWeeks?: number | undefined;
    expectedVersion?: number | undefined;
  },
): TemplateChange {
  return ctx.db.transaction(() => {
    const before = getTemplate(ctx, input.id);
    // An inactive template lays out nothing and cannot be activated again: an edit would do nothing.
    if (!before.active) throw conflict('Schemamallen är inaktiverad och kan inte ändras. Lägg upp en ny mall i stället.');
    // Only what differs from the template counts: the same name saved twice is no change.
    const defined = Object.fromEntries(
      Object.entries(input.changes).filter(
        ([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(before[k as keyof ScheduleTemplate]),
      ),
    );
    // Nothing to change (a form saved as it was, a repeat): no new version to push and nothing to log; at
    // most the template is laid out further, as templates.expand does.
    if (Object.keys(defined).length === 0) {
      return {
        template: before,
        expansion: expandTemplates(ctx, caller, { templateIds: [before.id], horizonWeeks: input.horizonWeeks }),
      };
    }
    refuseStaleEdit(input.expectedVersion, before.version, 'Schemamallen', 'öppnade den');
    const next: ScheduleTemplate = { ...before, ...defined };
    // Types the edit brings in are checked; kept ones only when the slot length changes. A type
    // deactivated or lengthened since must not stop the scheduler from e.g. ending the template
    // (the free-slot search and booking refuse such a type anyway).
    const added = next.appointmentTypeIds.filter((id) => !before.appointmentTypeIds.includes(id));
    validate(ctx, next, next.slotMin === before.slotMin ? added : next.appointmentTypeIds);
    ctx.db
      .prepare(
        `UPDATE schedule_templates SET name = @name, weekdays = @weekdays, every_n_weeks = @everyNWeeks, valid_from = @validFrom,
           valid_to = @validTo, start_time = @startTime, end_time = @endTime, slot_min = @slotMin, appointment_type_ids = @typeIds,
           publish_web = @publishWeb, within_care_guarantee = @withinCareGuarantee, skip_holidays = @skipHolidays,
           version = version + 1, updated_at = @now, updated_by = @by
         WHERE id = @id`,
      )
      .run({ ...templateColumns(next, ctx, caller), id: before.id });
    const template = getTemplate(ctx, before.id);
    const horizonRange = horizon(ctx, input.horizonWeeks);
    const range = { from: horizonRange.from, to: bookReach(ctx, template, horizonRange.to) };
    const report = emptyReport(range.from, range.to);
    // An edit that changes no slot (the name, the types reordered) leaves the laid-out book and its
    // marks as they are: booked times left behind earlier (a closed eve) are not reported again.
    const reshapes = changesSlots(before, template);
    if (reshapes) reconcileFuture(ctx, caller, template, range, report);
    expandInto(ctx, caller, [template], range.from, range.to, report);
    if (reshapes) layOthersIntoFreedTimes(ctx, caller, template, range.from, report);
    templateChanged(ctx, caller, template, 'update', report, { changed: Object.keys(defined) });
    return { template, expansion: report };
  })();
}

export function deactivateTemplate(ctx: ServiceContext, caller: Caller, input: { id: string }): TemplateChange {
  return ctx.db.transaction(() => {
    const before = getTemplate(ctx, input.id);
    // Already inactive (a second click, a script run twice): nothing to do, nothing to push or log.
    if (!before.active) {
      const range = horizon(ctx, undefined);
      return { template: before, expansion: emptyReport(range.from, range.to) };
    }
    ctx.db
      .prepare(`UPDATE schedule_templates SET active = 0, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(ctx.now(), caller.username, before.id);
    const template = getTemplate(ctx, before.id);
    const range = horizon(ctx, undefined);
    const report = emptyReport(range.from, range.to);
    reconcileFuture(ctx, caller, template, range, report);
    layOthersIntoFreedTimes(ctx, caller, template, range.from, report);
    templateChanged(ctx, caller, template, 'update', report, { active: false });
    return { template, expansion: report };
  })();
}

// ------------------------------------------------------------------ eves the unit closes on
/** Dates of `eves` in [from, to). */
function eveDates(eves: readonly Eve[], from: string, to: string): string[] {
  const dates: string[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const h of holidaysOfYear(year)) if (h.eve && eves.includes(h.eve) && h.date >= from && h.date < to) dates.push(h.date);
  }
  return dates;
}

/**
 * Changes which eves the unit closes on, and the book with it (what a scheduler expects when the
 * unit closes on julafton): unbooked future slots of holiday-skipping templates leave newly closed
 * eves, booked ones stay and are listed; newly opened eves get their template slots as far as the
 * book is laid out. Slots added by hand are the scheduler's own and stay.
 */
export function setEveRules(
  ctx: ServiceContext,
  caller: Caller,
  input: { [K in Eve]?: boolean | undefined },
): HolidayRulesChange {
  return ctx.db.transaction(() => {
    const before = getHolidayRules(ctx);
    const after = setHolidayRules(ctx, caller, input);
    const closing = EVES.filter((e) => !before[e] && after[e]);
    const opening = EVES.filter((e) => before[e] && !after[e]);
    const unit = currentUnit(ctx);
    const now = ctx.now();
    const from = today(ctx, unit.timeZone);
    const last = ctx.db
      .prepare(`SELECT max(start_at) AS m FROM slots WHERE template_id IS NOT NULL AND state <> 'removed'`)
      .get() as {
      m: number | null;
    };
    const horizonEnd = horizon(ctx, undefined).to;
    const lastDate = last.m === null ? horizonEnd : addDays(localDate(last.m, unit.timeZone), 1);
    const to = lastDate > horizonEnd ? lastDate : horizonEnd;

    const report = emptyReport(from, to);
    const onDay = ctx.db.prepare(
      `SELECT s.id, s.template_id, s.start_at, s.end_at, s.state, s.appointment_type_ids, s.web_published, s.within_care_guarantee,
              b.id AS booking_id, b.patient_id, p.given_name, p.family_name, p.protected_identity
         FROM slots s
         JOIN schedule_templates t ON t.id = s.template_id AND t.skip_holidays = 1
         LEFT JOIN bookings b ON b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES}
         LEFT JOIN patients p ON p.id = b.patient_id
        WHERE s.start_at >= ? AND s.start_at < ? AND s.state <> 'removed'
        ORDER BY s.start_at`,
    );
    const remove = leaveSchedule(ctx);
    const behind = markBehind(ctx);
    const removed: string[] = [];
    const kept: FutureSlot[] = [];
    for (const date of eveDates(closing, from, to)) {
      const dayStart = startOfLocalDay(date, unit.timeZone);
      const rows = onDay.all(Math.max(dayStart, now), startOfLocalDay(addDays(date, 1), unit.timeZone)) as FutureSlot[];
      for (const r of rows) {
        if (r.booking_id) {
          report.bookedUnchanged.push(bookedNotice(r));
          kept.push(r);
          behind.run(r.id, r.template_id, now);
          continue;
        }
        remove.run(now, caller.username, r.id);
        removed.push(r.id);
      }
    }
    for (const id of removed) enqueueOutbox(ctx, 'slot', id, 'update', getSlot(ctx, id));
    if (removed.length > 0) releaseOffersNoLongerFree(ctx, caller);
    readsOfBookedNotices(ctx, caller, kept, report, { op: 'eve_booked_kept', closing });
    if (opening.length > 0) {
      const templates = listTemplates(ctx, { includeInactive: false }).filter((t) => t.skipHolidays);
      for (const date of eveDates(opening, from, to)) expandInto(ctx, caller, templates, date, addDays(date, 1), report);
    }
    if (removed.length > 0 || report.created > 0) {
      recordAudit(ctx, caller, {
        action: 'change',
        entity: 'slot',
        detail: {
          op: 'eve_rules',
          closing,
          opening,
          removed: removed.length,
          created: report.created,
          bookedKept: report.bookedUnchanged.length,
        },
      });
      ctx.events.emit({ entities: ['slot'], ids: removed });
    }
    return { ...after, slotsRemoved: removed.length, slotsCreated: report.created, bookedKept: report.bookedUnchanged };
  })();
}
