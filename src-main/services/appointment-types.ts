// Appointment types: create, edit, (de)activate; delete only one that was never used.
import { conflict, invalid, notFound } from '../api/result.ts';
import type { AppointmentTypeActivation, AppointmentTypeChange, UnfitBookedSlot } from '../api/methods/scheduling.ts';
import type { AppointmentType, ContactMode, ReasonCode } from '../api/types.ts';
import { toAppointmentType, type AppointmentTypeRow } from '../store/rows.ts';
import { leadWindowProblem, OPEN_STATUSES } from '../domain/booking-rules.ts';
import { localDate } from '../domain/time.ts';
import { recordAudit, recordPatientReads } from './audit.ts';
import { refuseStaleEdit } from './edit-versions.ts';
import type { Caller, ServiceContext } from './context.ts';
import { enqueueOutbox } from './outbox.ts';
import { currentUnit } from './unit.ts';
import { asKnownProfessions } from './professions.ts';

/** What staff may set on a type: everything but its identity and the active flag. */
export type AppointmentTypeFields = Omit<AppointmentType, 'id' | 'unitId' | 'active' | 'version'>;

/** api field -> column, and how the value is stored. */
const COLUMNS: Record<keyof AppointmentTypeFields, [string, (v: never) => unknown]> = {
  code: ['code', (v: string) => v],
  nameSv: ['name_sv', (v: string) => v],
  nameEn: ['name_en', (v: string) => v],
  durationMin: ['duration_min', (v: number) => v],
  contactModes: ['contact_modes', (v: string[]) => JSON.stringify(v)],
  professions: ['professions', (v: string[]) => JSON.stringify(v)],
  webBookable: ['web_bookable', (v: boolean) => (v ? 1 : 0)],
  invitationOnly: ['invitation_only', (v: boolean) => (v ? 1 : 0)],
  webCancellable: ['web_cancellable', (v: boolean) => (v ? 1 : 0)],
  webRebookable: ['web_rebookable', (v: boolean) => (v ? 1 : 0)],
  cancelCutoffH: ['cancel_cutoff_h', (v: number) => v],
  rebookCutoffH: ['rebook_cutoff_h', (v: number) => v],
  reasonNew: ['reason_new', (v: string) => v],
  reasonCancel: ['reason_cancel', (v: string) => v],
  reasonRebook: ['reason_rebook', (v: string) => v],
  reasonCodes: ['reason_codes', (v: ReasonCode[]) => JSON.stringify(v)],
  bookMinLeadH: ['book_min_lead_h', (v: number) => v],
  bookMaxDays: ['book_max_days', (v: number) => v],
  colour: ['colour', (v: string) => v],
};

export function getAppointmentType(ctx: ServiceContext, id: string): AppointmentType {
  const row = ctx.db.prepare(`SELECT * FROM appointment_types WHERE id = ?`).get(id) as AppointmentTypeRow | undefined;
  if (!row) throw notFound('Besökstypen', id);
  return toAppointmentType(row);
}

function checkConsistent(t: Omit<AppointmentTypeFields, 'code' | 'nameSv' | 'nameEn' | 'colour'>): void {
  if (t.invitationOnly && t.webBookable) {
    throw invalid('En besökstyp kan inte vara både fritt webbokningsbar och bara bokningsbar efter kallelse.');
  }
  const lead = leadWindowProblem(t);
  if (lead) throw invalid(lead);
  const codes = t.reasonCodes.map((c) => c.code);
  if (new Set(codes).size !== codes.length) throw invalid('Orsakskoderna måste vara unika.');
  // Codes are matched whatever their case (reasonCodeAsDefined): SJUK and sjuk would be one code.
  const folded = codes.map((c) => c.toLocaleUpperCase('sv'));
  const twin = codes.find((_, i) => folded.indexOf(folded[i]!) !== i);
  if (twin !== undefined) {
    const first = codes[folded.indexOf(twin.toLocaleUpperCase('sv'))]!;
    throw invalid(`Orsakskoderna ${first} och ${twin} räknas som samma kod: stora och små bokstäver skiljs inte åt.`);
  }
}

function assertCodeFree(ctx: ServiceContext, unitId: string, code: string, exceptId: string | null): void {
  // Case does not make another code, also for Å, Ä and Ö (SQLite's NOCASE folds only ASCII); a
  // unit has tens of types, so they are compared here.
  const folded = code.toLocaleUpperCase('sv');
  const clash = (
    ctx.db
      .prepare(`SELECT id, code, name_sv AS nameSv, active FROM appointment_types WHERE unit_id = ? AND id IS NOT ?`)
      .all(unitId, exceptId) as { id: string; code: string; nameSv: string; active: number }[]
  ).find((t) => t.code.toLocaleUpperCase('sv') === folded);
  if (!clash) return;
  // The list hides deactivated types: say where the code is, and that activating it is the way.
  if (clash.active === 0) {
    throw conflict(
      `Det finns redan en inaktiverad besökstyp med koden ${clash.code} (${clash.nameSv}). Aktivera den i stället för att lägga upp en ny.`,
      { field: 'code', id: clash.id },
    );
  }
  throw conflict(`Det finns redan en besökstyp med koden ${code}.`, { field: 'code' });
}

function afterChange(ctx: ServiceContext, caller: Caller, t: AppointmentType, op: 'create' | 'update', detail: object): void {
  enqueueOutbox(ctx, 'appointment_type', t.id, op, t);
  recordAudit(ctx, caller, { action: 'change', entity: 'appointment_type', entityId: t.id, detail: { op, ...detail } });
  ctx.events.emit({ entities: ['appointment_type'], ids: [t.id] });
}

export function createAppointmentType(ctx: ServiceContext, caller: Caller, given: AppointmentTypeFields): AppointmentType {
  return ctx.db.transaction(() => {
    const input = { ...given, professions: asKnownProfessions(ctx, given.professions) };
    const unit = currentUnit(ctx);
    checkConsistent(input);
    assertCodeFree(ctx, unit.id, input.code, null);
    const id = ctx.newId();
    const cols = ['id', 'unit_id', 'updated_at', 'updated_by'];
    const vals: unknown[] = [id, unit.id, ctx.now(), caller.username];
    for (const [key, [col, conv]] of Object.entries(COLUMNS)) {
      cols.push(col);
      vals.push(conv(input[key as keyof AppointmentTypeFields] as never));
    }
    ctx.db.prepare(`INSERT INTO appointment_types (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...vals);
    const t = getAppointmentType(ctx, id);
    afterChange(ctx, caller, t, 'create', { code: t.code });
    return t;
  })();
}

/**
 * Future, open, unbooked slots offering the type that it no longer fits: shorter than its duration,
 * or on a resource whose profession it does not allow. Booking and the free-slot search refuse
 * them (checkFit), so the scheduler is told at once; the slots themselves are left as they are.
 */
function unfitFreeSlots(ctx: ServiceContext, t: AppointmentType): AppointmentTypeChange['unfitFreeSlots'] {
  // A slot that is both too short and on the wrong profession counts as wrong profession: lengthening
  // the template's slots would not make it bookable.
  const row = ctx.db
    .prepare(
      `SELECT coalesce(sum(NOT wrong AND short), 0) AS tooShort, coalesce(sum(wrong), 0) AS wrongProfession
         FROM (SELECT (s.end_at - s.start_at) < @durationMs AS short,
                      (json_array_length(@professions) > 0
                        AND (r.profession IS NULL
                             OR NOT EXISTS (SELECT 1 FROM json_each(@professions) p WHERE p.value = r.profession))) AS wrong
                 FROM slots s JOIN resources r ON r.id = s.resource_id
                WHERE s.state = 'open' AND s.booked = 0 AND s.start_at > @now
                  AND EXISTS (SELECT 1 FROM json_each(s.appointment_type_ids) WHERE value = @typeId))`,
    )
    .get({ durationMs: t.durationMin * 60_000, professions: JSON.stringify(t.professions), now: ctx.now(), typeId: t.id }) as {
    tooShort: number;
    wrongProfession: number;
  };
  return { tooShort: row.tooShort, wrongProfession: row.wrongProfession };
}

/**
 * Future booked times of the type that it no longer fits, by the same rules as unfitFreeSlots, or
 * booked in a contact mode it no longer offers (the patient expects a video call the type has
 * dropped). Tidbok leaves them booked as they were (a patient was told that time; moving her is
 * the desk's call), so the scheduler is shown each one. The list names patients: a read of each
 * is logged.
 */
function unfitBooked(ctx: ServiceContext, caller: Caller, t: AppointmentType): UnfitBookedSlot[] {
  const rows = ctx.db
    .prepare(
      `SELECT s.id AS slotId, s.start_at AS startAt, s.end_at AS endAt, b.id AS bookingId, b.patient_id AS patientId,
              p.given_name AS givenName, p.family_name AS familyName, p.protected_identity AS protectedIdentity,
              b.contact_mode AS contactMode, (s.end_at - s.start_at) < @durationMs AS short,
              NOT EXISTS (SELECT 1 FROM json_each(@modes) m WHERE m.value = b.contact_mode) AS modeDropped,
              (json_array_length(@professions) > 0
                AND (r.profession IS NULL
                     OR NOT EXISTS (SELECT 1 FROM json_each(@professions) x WHERE x.value = r.profession))) AS wrong
         FROM bookings b
         JOIN slots s ON s.id = b.slot_id
         JOIN resources r ON r.id = s.resource_id
         JOIN patients p ON p.id = b.patient_id
        WHERE b.appointment_type_id = @typeId AND b.status IN (SELECT value FROM json_each(@open)) AND s.start_at > @now
          AND (short OR wrong OR modeDropped)
        ORDER BY s.start_at, b.id`,
    )
    .all({
      typeId: t.id,
      open: JSON.stringify(OPEN_STATUSES),
      now: ctx.now(),
      durationMs: t.durationMin * 60_000,
      professions: JSON.stringify(t.professions),
      modes: JSON.stringify(t.contactModes),
    }) as {
    slotId: string;
    startAt: number;
    endAt: number;
    bookingId: string;
    patientId: string;
    givenName: string;
    familyName: string;
    protectedIdentity: number;
    contactMode: ContactMode;
    short: number;
    modeDropped: number;
    wrong: number;
  }[];
  recordPatientReads(
    ctx,
    caller,
    rows.map((r) => r.patientId),
    { op: 'type_unfit_booked', appointmentTypeId: t.id },
  );
  return rows.map((r) => {
    const notice = {
      slotId: r.slotId,
      startAt: r.startAt,
      endAt: r.endAt,
      bookingId: r.bookingId,
      // A protected patient's name is never sent (the screens say "Skyddad identitet").
      patientName: r.protectedIdentity === 1 ? '' : `${r.givenName} ${r.familyName}`,
      protectedIdentity: r.protectedIdentity === 1,
    };
    // As for free slots: the wrong profession wins, since a longer slot would not make it fit;
    // then the length, since a rebooking for it chooses the mode anew anyway.
    if (r.wrong) return { ...notice, reason: 'wrongProfession' };
    if (r.short) return { ...notice, reason: 'tooShort' };
    return { ...notice, reason: 'contactMode', contactMode: r.contactMode };
  });
}

/** What a saved type no longer fits from now on: free slots counted, booked times listed. */
function impactOf(ctx: ServiceContext, caller: Caller, t: AppointmentType): AppointmentTypeChange {
  return { ...t, unfitFreeSlots: unfitFreeSlots(ctx, t), unfitBooked: unfitBooked(ctx, caller, t) };
}

export function updateAppointmentType(
  ctx: ServiceContext,
  caller: Caller,
  {
    expectedVersion,
    ...input
  }: { [K in keyof AppointmentTypeFields]?: AppointmentTypeFields[K] | undefined } & {
    id: string;
    expectedVersion?: number | undefined;
  },
): AppointmentTypeChange {
  return ctx.db.transaction(() => {
    if (input.professions !== undefined) input = { ...input, professions: asKnownProfessions(ctx, input.professions) };
    const before = getAppointmentType(ctx, input.id);
    const merged: AppointmentType = {
      ...before,
      ...(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<AppointmentType>),
    };
    checkConsistent(merged);
    if (input.code !== undefined && input.code !== before.code) assertCodeFree(ctx, before.unitId, input.code, before.id);
    const sets: string[] = [];
    const vals: unknown[] = [];
    const changed: string[] = [];
    for (const [key, [col, conv]] of Object.entries(COLUMNS)) {
      const v = input[key as keyof AppointmentTypeFields];
      if (v === undefined) continue;
      if (JSON.stringify(v) === JSON.stringify(before[key as keyof AppointmentType])) continue;
      sets.push(`${col} = ?`);
      vals.push(conv(v as never));
      changed.push(key);
    }
    if (sets.length === 0) return impactOf(ctx, caller, before);
    refuseStaleEdit(expectedVersion, before.version, 'Besökstypen', 'öppnade den');
    ctx.db
      .prepare(
        `UPDATE appointment_types SET ${sets.join(', ')}, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
      )
      .run(...vals, ctx.now(), caller.username, before.id);
    const t = getAppointmentType(ctx, before.id);
    const impact = impactOf(ctx, caller, t);
    // Logged with the change, as template edits log the booked slots they left.
    afterChange(ctx, caller, t, 'update', {
      changed,
      unfitFreeSlots: impact.unfitFreeSlots,
      unfitBooked: impact.unfitBooked.length,
    });
    return impact;
  })();
}

/**
 * The unit's active templates, not yet ended, that offer the (deactivated) type and no active
 * type: expansion skips them, so they lay out nothing more and the scheduler must hear which.
 */
function templatesLeftEmpty(ctx: ServiceContext, t: AppointmentType): AppointmentTypeActivation['templatesLeftEmpty'] {
  if (t.active) return [];
  const unit = currentUnit(ctx);
  return ctx.db
    .prepare(
      `SELECT st.id AS templateId, st.name AS templateName, r.id AS resourceId, r.name AS resourceName
         FROM schedule_templates st JOIN resources r ON r.id = st.resource_id
        WHERE r.unit_id = @unitId AND st.active = 1 AND (st.valid_to IS NULL OR st.valid_to >= @today)
          AND EXISTS (SELECT 1 FROM json_each(st.appointment_type_ids) WHERE value = @typeId)
          AND NOT EXISTS (SELECT 1 FROM json_each(st.appointment_type_ids) j
                            JOIN appointment_types a ON a.id = j.value WHERE a.active = 1)
        ORDER BY r.sort_order, r.name, st.start_time, st.name`,
    )
    .all({
      unitId: unit.id,
      today: localDate(ctx.now(), unit.timeZone),
      typeId: t.id,
    }) as AppointmentTypeActivation['templatesLeftEmpty'];
}

export function setAppointmentTypeActive(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; active: boolean },
): AppointmentTypeActivation {
  return ctx.db.transaction(() => {
    const before = getAppointmentType(ctx, input.id);
    // A repeat writes nothing but still says which templates lie empty.
    if (before.active === input.active) return { ...before, templatesLeftEmpty: templatesLeftEmpty(ctx, before) };
    ctx.db
      .prepare(`UPDATE appointment_types SET active = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(input.active ? 1 : 0, ctx.now(), caller.username, before.id);
    const t = getAppointmentType(ctx, before.id);
    const empty = templatesLeftEmpty(ctx, t);
    afterChange(ctx, caller, t, 'update', {
      active: input.active,
      ...(empty.length > 0 ? { templatesLeftEmpty: empty.map((x) => x.templateId) } : {}),
    });
    return { ...t, templatesLeftEmpty: empty };
  })();
}

/** Where a type is referenced; a type with any use may only be deactivated. */
export function appointmentTypeUses(
  ctx: ServiceContext,
  id: string,
): { slots: number; bookings: number; templates: number; waitlist: number } {
  const n = (sql: string) => (ctx.db.prepare(sql).get(id) as { n: number }).n;
  return {
    // Removed slots count too: the sync feed still refers to their types. A scan, but only on delete.
    slots: n(`SELECT count(*) AS n FROM (SELECT 1 FROM slots s, json_each(s.appointment_type_ids) j WHERE j.value = ? LIMIT 1)`),
    bookings: n(`SELECT count(*) AS n FROM (SELECT 1 FROM bookings WHERE appointment_type_id = ? LIMIT 1)`),
    templates: n(
      `SELECT count(*) AS n FROM schedule_templates t WHERE EXISTS (SELECT 1 FROM json_each(t.appointment_type_ids) WHERE value = ?)`,
    ),
    waitlist: n(`SELECT count(*) AS n FROM (SELECT 1 FROM waitlist WHERE appointment_type_id = ? LIMIT 1)`),
  };
}

export function deleteAppointmentType(ctx: ServiceContext, caller: Caller, input: { id: string }): { id: string } {
  return ctx.db.transaction(() => {
    const t = getAppointmentType(ctx, input.id);
    const uses = appointmentTypeUses(ctx, t.id);
    if (uses.slots || uses.bookings || uses.templates || uses.waitlist) {
      throw conflict('Besökstypen används och kan inte tas bort. Inaktivera den i stället.', uses);
    }
    ctx.db.prepare(`DELETE FROM appointment_types WHERE id = ?`).run(t.id);
    // Nothing is hard-deleted on the wire: the central side sees the type as inactive.
    enqueueOutbox(ctx, 'appointment_type', t.id, 'update', { ...t, active: false, deleted: true });
    recordAudit(ctx, caller, {
      action: 'change',
      entity: 'appointment_type',
      entityId: t.id,
      detail: { op: 'delete', code: t.code },
    });
    ctx.events.emit({ entities: ['appointment_type'], ids: [t.id] });
    return { id: t.id };
  })();
}
