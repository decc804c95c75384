// Push: drains the outbox to the central side, in order, as transaction Bundles.
// - Each changed entity becomes one unit: a conditional create (If-None-Exist on our
//   identifier) or an update with If-Match on the remote version. Only the entity's current row
//   is sent (later changes of the same entity ride along), and every queued entry up to the one
//   read is settled when the server commits.
// - A booking is a claim: Appointment + its Slot (If-Match) in one transaction, so a desk and
//   a web patient racing for one slot get exactly one winner.
// - A retry after a lost response never duplicates: creates are conditional, and an answer
//   that does not fit (412, or "already exists") is reconciled by reading the central state.
// - An entity the server refuses for good is marked failed (shown on the Sync page) and the
//   others go on; a network failure stops the round (the engine backs off and retries).
import type { Appointment, BundleEntry, OperationOutcome, Patient, Resource, Slot } from '@medplum/fhirtypes';
import type { ServiceContext } from '../services/context.ts';
import { EXPANSION_PREFIX } from '../services/outbox.ts';
import type { AppointmentType, BookingStatus } from '../api/types.ts';
import { CentralError, ifMatch, type CentralApi } from './central-api.ts';
import {
  absenceToBasic,
  appointmentFields,
  bookingStatusToFhir,
  bookingToAppointment,
  clinicianToPractitioner,
  clinicianToRole,
  HOLDING_STATUSES,
  ID_SYSTEM,
  identitySystem,
  localIdForRemote,
  patientToFhir,
  placeholder,
  refId,
  resourceToSchedule,
  roomToLocation,
  slotToFhir,
  templateToBasic,
  typeToHealthcareService,
  unitToOrganization,
  type BookingRow,
  type PatientRow,
  type ResourceRow,
  type SlotRow,
  type TypeRow,
  type UnitRow,
} from './fhir/mapping.ts';
import type { AbsenceRow, TemplateRow } from '../store/scheduling-rows.ts';
import {
  deferOutbox,
  failOutbox,
  hasPendingOutbox,
  heldOnList,
  noteHeldOnCentral,
  queueHoldsOutOfStep,
  row,
  setRemote,
  settleOutbox,
  stmt,
  unitTimeZone,
  type Remote,
  type SyncedEntity,
} from './local.ts';
import { applyResources, missingReferences, resolveSlotTaken, voidUnsentRebooking } from './pull.ts';
import { noteTypeRulesOnCentral } from './web-rules.ts';
import { mergePatientEdit } from './patient-merge.ts';
import { ACTIVE_BOOKING_STATUSES } from '../store/rows.ts';

const ACTIVE_LOCAL = new Set(['preliminary', 'booked', 'arrived', 'completed', 'no_show']);

const PRIMARY_TYPE: Record<SyncedEntity, string> = {
  unit: 'Organization',
  resource: 'Schedule',
  appointment_type: 'HealthcareService',
  // Templates and absences are the unit's own planning: FHIR has no resource for them (mapping.ts).
  schedule_template: 'Basic',
  absence: 'Basic',
  slot: 'Slot',
  patient: 'Patient',
  booking: 'Appointment',
};

const PRIMARY_ENTITY = Object.fromEntries(Object.entries(PRIMARY_TYPE).map(([e, t]) => [t, e as SyncedEntity]));

/** Medplum (and so the stand-in) refuses larger transactions with conditional entries. */
const MAX_CONDITIONAL_ENTRIES = 8;
const MAX_ENTRIES = 50;
const MAX_BATCH_ENTRIES = 200;
/** A unit that keeps failing to reconcile is given up (shown as failed) after this many rounds. */
const MAX_ATTEMPTS = 20;

interface WorkUnit {
  entity: SyncedEntity;
  id: string;
  /** Outbox entries up to this seq are settled on success (0: sent only as a dependency). */
  maxSeq: number;
  entries: BundleEntry[];
  primary: number;
  create: boolean;
  /** For bookings: the slot entry of the claim and the status we asked for. */
  slot?: { index: number; id: string; maxSeq: number };
  sentStatus?: Appointment['status'];
  localStatus?: BookingStatus;
}

interface Group {
  units: WorkUnit[];
  keys: Set<string>;
  conditional: boolean;
}

export interface PushResult {
  pushed: number;
  failed: number;
  conflicts: number;
  /** Set when the round stopped on a network or server failure (the engine backs off). */
  error: CentralError | null;
}

interface PendingEntity {
  entity: string;
  entity_id: string;
  max_seq: number;
}

class Deferred extends Error {}

/** Builds the units of one pass: every pending entity whose dependencies are on the wire or in its group. */
class Planner {
  readonly groups: Group[] = [];
  failed = 0;
  private readonly planned = new Set<string>();
  private readonly tz: string;
  private readonly unitId: string;
  /** The unit's HSA-id: the tag on every Slot and Appointment sent (mapping.ts unitTag). */
  private readonly unitHsaId: string;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly pendingSeq: Map<string, number>,
  ) {
    this.tz = unitTimeZone(ctx);
    const unit = stmt(ctx, `SELECT id, hsa_id FROM units ORDER BY rowid LIMIT 1`).get() as { id: string; hsa_id: string };
    this.unitId = unit.id;
    this.unitHsaId = unit.hsa_id;
  }

  plan(entity: SyncedEntity, id: string): void {
    if (this.planned.has(id)) return;
    const group: Group = { units: [], keys: new Set(), conditional: false };
    const claimed = new Set<string>();
    try {
      this.addUnit(group, claimed, entity, id);
    } catch (err) {
      if (err instanceof Deferred) return; // next pass
      // Cannot even be described (e.g. a row it refers to is gone): fail it, keep the others going.
      failOutbox(this.ctx, id, Number.MAX_SAFE_INTEGER, `could not build the FHIR resource: ${(err as Error).message}`);
      this.failed++;
      return;
    }
    for (const c of claimed) this.planned.add(c);
    this.groups.push(group);
  }

  private seqOf(id: string): number {
    return this.pendingSeq.get(id) ?? 0;
  }

  /** Reference to another entity: in this group (placeholder or remote), on the wire, or a dependency to add. */
  private refTo(group: Group, claimed: Set<string>, entity: SyncedEntity, id: string): string {
    const type = PRIMARY_TYPE[entity];
    const inGroup = group.units.find((u) => u.id === id);
    if (inGroup) return inGroup.create ? placeholder(type, id) : `${type}/${row<Remote>(this.ctx, entity, id)!.remote_id}`;
    const r = row<Remote>(this.ctx, entity, id);
    if (!r) throw new Error(`${entity} ${id} is missing locally`);
    if (r.remote_id) return `${type}/${r.remote_id}`;
    if (this.planned.has(id)) throw new Deferred(); // being created in an earlier Bundle of this pass
    this.addUnit(group, claimed, entity, id);
    return placeholder(type, id);
  }

  private addUnit(group: Group, claimed: Set<string>, entity: SyncedEntity, id: string): void {
    if (claimed.has(id)) return;
    claimed.add(id);
    const r = row<Record<string, unknown>>(this.ctx, entity, id);
    if (!r && entity === 'appointment_type') return this.addDeletedType(group, claimed, id);
    if (!r) throw new Error(`${entity} ${id} is missing locally`);
    const create = r.remote_id === null;
    const type = PRIMARY_TYPE[entity];
    const ref = (t: string, localId: string): string => {
      if (t === 'Practitioner' || (t === 'Location' && entity === 'resource')) return placeholder(t, localId);
      const e = (Object.keys(PRIMARY_TYPE) as SyncedEntity[]).find((k) => PRIMARY_TYPE[k] === t)!;
      return this.refTo(group, claimed, e, localId);
    };
    const entries: BundleEntry[] = [];
    let unit: WorkUnit | null = null;
    const primary = (resource: Resource): number => {
      const fullUrl = placeholder(type, id);
      entries.push(
        create
          ? { fullUrl, resource, request: { method: 'POST', url: type, ifNoneExist: `identifier=${createKey(entity, r, id)}` } }
          : {
              fullUrl,
              resource: { ...resource, id: r.remote_id as string },
              request: { method: 'PUT', url: `${type}/${r.remote_id as string}`, ifMatch: ifMatch(r.remote_version as string) },
            },
      );
      return entries.length - 1;
    };
    const upsert = (resource: Resource): void => {
      entries.push({
        fullUrl: placeholder(resource.resourceType, id),
        resource,
        request: { method: 'PUT', url: `${resource.resourceType}?identifier=${ID_SYSTEM}|${id}` },
      });
      group.conditional = true;
    };

    // Every entity but a booking is one primary resource (plus the upserts made before it).
    const simpleUnit = (resource: Resource): WorkUnit => ({
      entity,
      id,
      maxSeq: this.seqOf(id),
      entries,
      create,
      primary: primary(resource),
    });

    switch (entity) {
      case 'unit':
        unit = simpleUnit(unitToOrganization(r as unknown as UnitRow));
        break;
      case 'appointment_type':
        unit = simpleUnit(typeToHealthcareService(r as unknown as TypeRow, this.unitId, ref));
        break;
      case 'resource': {
        const res = r as unknown as ResourceRow;
        if (res.kind === 'clinician') {
          upsert(clinicianToPractitioner(res));
          upsert(clinicianToRole(res, this.unitId, ref));
        } else {
          upsert(roomToLocation(res, this.unitId, ref));
        }
        unit = simpleUnit(resourceToSchedule(res, ref));
        break;
      }
      case 'patient':
        unit = simpleUnit(patientToFhir(r as unknown as PatientRow, this.unitHsaId));
        break;
      case 'schedule_template': {
        const t = r as unknown as TemplateRow;
        const codes = this.typeCodesOnWire(group, claimed, t.appointment_type_ids);
        unit = simpleUnit(
          templateToBasic(t, codes, this.subjectOnWire(group, claimed, t.resource_id), ref('Organization', this.unitId)),
        );
        break;
      }
      case 'absence': {
        const a = r as unknown as AbsenceRow;
        const subject = this.subjectOnWire(group, claimed, a.resource_id);
        unit = simpleUnit(absenceToBasic(a, subject, ref('Organization', this.unitId), this.tz));
        break;
      }
      case 'slot': {
        const s = r as unknown as SlotRow;
        // Its template on the wire first: a desk pulling the slot then knows which template laid it out.
        if (s.template_id) this.refTo(group, claimed, 'schedule_template', s.template_id);
        // Its absence too, which the Slot names (slot-absence) when it blocks it.
        const absence = (s as SlotRow & { absence_id?: string | null }).absence_id;
        if (s.state === 'blocked' && absence) this.refTo(group, claimed, 'absence', absence);
        unit = simpleUnit(this.slotResource(s, this.isSlotBooked(s.id), ref));
        break;
      }
      case 'booking':
        unit = this.bookingUnit(group, claimed, r as unknown as BookingRow & Remote, entries, primary, ref);
        break;
    }
    if (create) group.conditional = true;
    group.keys.add(id);
    group.units.push(unit);
  }

  /**
   * A type deleted here (never used): nothing is deleted on the wire, so central and the other
   * desks see it inactive. Its row is gone, and with it the central version: the service is
   * updated by our identifier, unconditionally (the unit owns its types), from the last payload.
   */
  private addDeletedType(group: Group, claimed: Set<string>, id: string): void {
    const last = stmt(this.ctx, `SELECT payload FROM outbox WHERE entity_id = ? ORDER BY seq DESC LIMIT 1`).get(id) as
      { payload: string } | undefined;
    if (!last) throw new Error(`appointment_type ${id} is missing locally`);
    const t = JSON.parse(last.payload) as AppointmentType;
    const bit = (v: boolean) => (v ? 1 : 0);
    const resource = typeToHealthcareService(
      {
        id,
        code: t.code,
        name_sv: t.nameSv,
        name_en: t.nameEn,
        duration_min: t.durationMin,
        contact_modes: JSON.stringify(t.contactModes),
        professions: JSON.stringify(t.professions),
        web_bookable: bit(t.webBookable),
        invitation_only: bit(t.invitationOnly),
        web_cancellable: bit(t.webCancellable),
        web_rebookable: bit(t.webRebookable),
        cancel_cutoff_h: t.cancelCutoffH,
        rebook_cutoff_h: t.rebookCutoffH,
        reason_new: t.reasonNew,
        reason_cancel: t.reasonCancel,
        reason_rebook: t.reasonRebook,
        reason_codes: JSON.stringify(t.reasonCodes),
        book_min_lead_h: t.bookMinLeadH,
        book_max_days: t.bookMaxDays,
        colour: t.colour,
        active: 0,
      },
      this.unitId,
      (type, localId) => this.refTo(group, claimed, PRIMARY_ENTITY[type]!, localId),
    );
    group.conditional = true;
    group.keys.add(id);
    group.units.push({
      entity: 'appointment_type',
      id,
      maxSeq: this.seqOf(id),
      entries: [
        {
          fullUrl: placeholder('HealthcareService', id),
          resource,
          request: { method: 'PUT', url: `HealthcareService?identifier=${ID_SYSTEM}|${id}` },
        },
      ],
      primary: 0,
      create: false,
    });
  }

  /**
   * The resource a template or absence is of, on the wire before it (or in its group): a desk
   * pulling the Basic finds the clinician or room it names (the Basic names it by our identifier).
   */
  private subjectOnWire(group: Group, claimed: Set<string>, resourceId: string): { id: string; kind: ResourceRow['kind'] } {
    this.refTo(group, claimed, 'resource', resourceId);
    return { id: resourceId, kind: row<ResourceRow>(this.ctx, 'resource', resourceId)!.kind };
  }

  /** A template's type codes, in its order; each type on the wire before it (a desk maps codes to its types). */
  private typeCodesOnWire(group: Group, claimed: Set<string>, typeIdsJson: string): string[] {
    return (JSON.parse(typeIdsJson) as string[]).map((id) => {
      this.refTo(group, claimed, 'appointment_type', id);
      return row<TypeRow>(this.ctx, 'appointment_type', id)!.code;
    });
  }

  private isSlotBooked(slotId: string): boolean {
    return (
      stmt(this.ctx, `SELECT 1 FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE_BOOKING_STATUSES} LIMIT 1`).get(slotId) !==
      undefined
    );
  }

  /** `booked`: sent as busy; an unbooked time held on återbudslistan here goes as busy-tentative. */
  private slotResource(s: SlotRow, booked: boolean, ref: (t: string, id: string) => string): Slot {
    const codes = (
      stmt(this.ctx, `SELECT t.code FROM json_each(?) j JOIN appointment_types t ON t.id = j.value ORDER BY j.key`).all(
        (s as unknown as { appointment_type_ids: string }).appointment_type_ids,
      ) as { code: string }[]
    ).map((c) => c.code);
    return slotToFhir(s, codes, booked, this.tz, ref, this.unitHsaId, !booked && heldOnList(this.ctx, s.id));
  }

  private bookingUnit(
    group: Group,
    claimed: Set<string>,
    b: BookingRow & Remote,
    entries: BundleEntry[],
    primary: (r: Resource) => number,
    ref: (t: string, id: string) => string,
  ): WorkUnit {
    const slot = row<SlotRow>(this.ctx, 'slot', b.slot_id)!;
    // The claim needs the Slot's central version: a slot not yet on the wire goes first.
    if (!slot.remote_id) {
      if (!this.planned.has(slot.id) && !claimed.has(slot.id)) this.plan('slot', slot.id);
      throw new Deferred();
    }
    if (this.planned.has(slot.id)) throw new Deferred();
    // The two halves of a rebooking travel together: the new claim and the old cancellation
    // commit or fail as one, so a lost claim never leaves the patient without either time.
    for (const linked of [b.rebooked_from, b.rebooked_to]) {
      if (!linked || claimed.has(linked) || this.seqOf(linked) === 0) continue;
      if (this.planned.has(linked)) throw new Deferred();
      this.addUnit(group, claimed, 'booking', linked);
    }
    const type = stmt(this.ctx, `SELECT code FROM appointment_types WHERE id = ?`).get(
      (b as unknown as { appointment_type_id: string }).appointment_type_id,
    ) as { code: string };
    // A preliminary booking asks to be booked: that is the claim.
    const sent = b.status === 'preliminary' ? 'booked' : bookingStatusToFhir(b.status);
    const appointment = bookingToAppointment(
      { ...b, status: b.status === 'preliminary' ? 'booked' : b.status },
      { startAt: slot.start_at, endAt: slot.end_at, typeCode: type.code, tz: this.tz, unitHsaId: this.unitHsaId },
      ref,
    );
    const index = primary(appointment);
    const holding = HOLDING_STATUSES.has(sent);
    const wasHolding = b.remote_id !== null; // only settled, active bookings were sent as holding
    const touchesSlot = b.remote_id === null ? holding : !holding && wasHolding && !this.isSlotBooked(slot.id);
    let slotPart: WorkUnit['slot'];
    if (touchesSlot) {
      claimed.add(slot.id);
      group.keys.add(slot.id);
      entries.push({
        resource: { ...this.slotResource(slot, holding, ref), id: slot.remote_id },
        request: { method: 'PUT', url: `Slot/${slot.remote_id}`, ifMatch: ifMatch(slot.remote_version!) },
      });
      slotPart = { index: entries.length - 1, id: slot.id, maxSeq: this.seqOf(slot.id) };
    }
    return {
      entity: 'booking',
      id: b.id,
      maxSeq: this.seqOf(b.id),
      entries,
      primary: index,
      create: b.remote_id === null,
      ...(slotPart ? { slot: slotPart } : {}),
      sentStatus: sent,
      localStatus: b.status,
    };
  }
}

/**
 * What makes a create conditional: our UUID, except for patients, who are one person by their
 * identity number (a patient who booked on the web already exists centrally).
 */
function createKey(entity: SyncedEntity, r: Record<string, unknown>, id: string): string {
  if (entity === 'patient') {
    const p = r as unknown as PatientRow;
    return `${identitySystem(p.identity_kind)}|${p.identity_number}`;
  }
  return `${ID_SYSTEM}|${id}`;
}

/** Packs groups into Bundles within the server's limits; a group is never split. */
function bundles(groups: Group[]): { type: 'transaction' | 'batch'; groups: Group[] }[] {
  const out: { type: 'transaction' | 'batch'; groups: Group[] }[] = [];
  let current: Group[] = [];
  let type: 'transaction' | 'batch' = 'transaction';
  let size = 0;
  let conditional = false;
  let method: string | undefined;
  for (const g of groups) {
    const n = g.units.reduce((a, u) => a + u.entries.length, 0);
    // One resource on its own needs no transaction: it goes in a batch, which the server takes
    // in one request however many entries have conditions (Medplum caps such transactions at 8).
    const t = g.units.length === 1 && n === 1 ? 'batch' : 'transaction';
    const limit = t === 'batch' ? MAX_BATCH_ENTRIES : conditional || g.conditional ? MAX_CONDITIONAL_ENTRIES : MAX_ENTRIES;
    // A server runs a Bundle's creates before its updates (FHIR's order for transactions; Medplum
    // does so for batches too), so a batch holds one kind: central's feed then keeps the outbox's
    // order, and a template edit's removed slots reach other desks before the new ones at their times.
    const m = t === 'batch' ? g.units[0]!.entries[0]!.request?.method : undefined;
    if (current.length && (t !== type || size + n > limit || m !== method)) {
      out.push({ type, groups: current });
      current = [];
      size = 0;
      conditional = false;
    }
    type = t;
    method = m;
    current.push(g);
    size += n;
    conditional ||= g.conditional;
  }
  if (current.length) out.push({ type, groups: current });
  return out;
}

export interface PushOptions {
  /** Stop after this many passes (each pass sends what is ready). */
  maxPasses?: number;
  /** Only entities due before this instant (default: now). */
  log?: (msg: string, data?: object) => void;
}

/** Drains the outbox; returns counts and, if the round stopped early, the failure. */
export async function pushOutbox(ctx: ServiceContext, api: CentralApi, options: PushOptions = {}): Promise<PushResult> {
  const result: PushResult = { pushed: 0, failed: 0, conflicts: 0, error: null };
  const round: Round = { result, progress: 0 };
  const maxPasses = options.maxPasses ?? 50;
  unfoldExpansions(ctx);
  queueHoldsOutOfStep(ctx);
  for (let pass = 0; pass < maxPasses; pass++) {
    const pending = stmt(
      ctx,
      `SELECT entity, entity_id, max(seq) AS max_seq, min(seq) AS min_seq FROM outbox
          WHERE state = 'pending' AND next_attempt_at <= ? GROUP BY entity, entity_id ORDER BY min_seq LIMIT 2000`,
    ).all(ctx.now()) as PendingEntity[];
    if (pending.length === 0) break;
    const groups = ctx.db.transaction(() => {
      const seqs = new Map(pending.map((p) => [p.entity_id, p.max_seq]));
      const planner = new Planner(ctx, seqs);
      for (const p of pending) {
        planner.plan(p.entity as SyncedEntity, p.entity_id);
      }
      result.failed += planner.failed;
      round.progress += planner.failed;
      return planner.groups;
    })();
    if (groups.length === 0) break;
    const progressBefore = round.progress;
    for (const bundle of bundles(groups)) {
      const next =
        bundle.type === 'batch'
          ? await sendBatch(ctx, api, bundle.groups, round)
          : await sendBundle(ctx, api, bundle.groups, round);
      if (next === 'stop') return result;
      if (next === 'replan') break; // local state moved under the plan: build the next pass afresh
    }
    if (round.progress === progressBefore) break;
  }
  return result;
}

interface Round {
  result: PushResult;
  /** Anything settled, adopted or reconciled in this round (a pass without progress ends it). */
  progress: number;
}

type Next = 'ok' | 'stop' | 'replan';

/** Sends one Bundle; on a refusal resends its groups one by one. */
async function sendBundle(ctx: ServiceContext, api: CentralApi, groups: Group[], round: Round): Promise<Next> {
  const result = round.result;
  const entries = groups.flatMap((g) => g.units.flatMap((u) => u.entries));
  let response: BundleEntry[];
  try {
    response = await api.transaction(entries);
  } catch (err) {
    if (!(err instanceof CentralError)) throw err;
    if (err.transient || err.status === 401 || err.status === 403) {
      ctx.db.transaction(() => {
        for (const u of groups.flatMap((g) => g.units)) deferOutbox(ctx, u.id, err.message, null);
      })();
      result.error = err;
      return 'stop';
    }
    if (groups.length > 1) {
      for (const g of groups) {
        const next = await sendBundle(ctx, api, [g], round);
        if (next !== 'ok') return next;
      }
      return 'ok';
    }
    return settleRefusal(ctx, api, groups[0]!, err, round);
  }
  const units = groups.flatMap((g) => g.units);
  let offset = 0;
  const answered = units.map((u) => {
    const slice = response.slice(offset, (offset += u.entries.length));
    return { u, answers: slice };
  });
  return settleAnswers(ctx, api, answered, round);
}

/** Sends single-resource units as one batch: each entry succeeds or fails on its own. */
async function sendBatch(ctx: ServiceContext, api: CentralApi, groups: Group[], round: Round): Promise<Next> {
  const units = groups.map((g) => g.units[0]!);
  let response: BundleEntry[];
  try {
    response = await api.batch(units.map((u) => u.entries[0]!));
  } catch (err) {
    if (!(err instanceof CentralError)) throw err;
    ctx.db.transaction(() => {
      for (const u of units) deferOutbox(ctx, u.id, err.message, null);
    })();
    round.result.error = err;
    return 'stop';
  }
  const ok: { u: WorkUnit; answers: BundleEntry[] }[] = [];
  const refused: { u: WorkUnit; err: CentralError }[] = [];
  response.forEach((answer, i) => {
    const status = Number(answer.response?.status?.slice(0, 3) ?? 0);
    if (status >= 200 && status < 300) ok.push({ u: units[i]!, answers: [answer] });
    else {
      const outcome = (answer.response?.outcome ?? null) as OperationOutcome | null;
      const text = outcome?.issue?.map((x) => x.details?.text ?? x.code).join('; ') ?? '';
      refused.push({ u: units[i]!, err: new CentralError('http', `HTTP ${status} ${text}`, status, outcome) });
    }
  });
  let next = await settleAnswers(ctx, api, ok, round);
  if (next === 'stop') return next;
  const transient = refused.filter((r) => r.err.transient);
  if (transient.length) {
    ctx.db.transaction(() => {
      for (const r of transient) deferOutbox(ctx, r.u.id, r.err.message, null);
    })();
    round.result.error = transient[0]!.err;
    return 'stop';
  }
  for (const r of refused) {
    const n = await settleRefusal(ctx, api, { units: [r.u], keys: new Set(), conditional: false }, r.err, round);
    if (n === 'stop') return n;
    if (n === 'replan') next = 'replan';
  }
  return next;
}

/** Records what the server committed; answers that do not fit are reconciled. */
async function settleAnswers(
  ctx: ServiceContext,
  api: CentralApi,
  answered: { u: WorkUnit; answers: BundleEntry[] }[],
  round: Round,
): Promise<Next> {
  const result = round.result;
  const toReconcile: WorkUnit[] = [];
  const changed: string[] = [];
  ctx.db.transaction(() => {
    for (const { u, answers } of answered) {
      const answer = answers[u.primary]!;
      const res = answer.resource;
      const existed = u.create && answer.response?.status?.startsWith('200');
      if (u.slot) {
        const s = answers[u.slot.index]!.resource!;
        setRemote(ctx, 'slot', u.slot.id, s.id!, s.meta!.versionId!);
        noteHeldOnCentral(ctx, u.slot.id, (u.entries[u.slot.index]!.resource as Slot).status);
        if (u.slot.maxSeq) settleOutbox(ctx, u.slot.id, u.slot.maxSeq);
      }
      if (!res?.id || !res.meta?.versionId) {
        toReconcile.push(u);
        continue;
      }
      if (existed && u.entity === 'booking') {
        toReconcile.push(u); // our create landed before (response lost); check what central holds now
        continue;
      }
      if (existed && onlyBackfill(ctx, u)) {
        // Sent once from before templates and absences synced, and another desk's copy was there
        // first: central's stands (the pull takes it here), so desks that drifted apart while these
        // stayed local do not overwrite each other in turn.
        settleOutbox(ctx, u.id, u.maxSeq || Number.MAX_SAFE_INTEGER);
        round.progress++;
        continue;
      }
      setRemote(ctx, u.entity, u.id, res.id, res.meta.versionId);
      if (u.entity === 'slot') noteHeldOnCentral(ctx, u.id, (u.entries[u.primary]!.resource as Slot).status);
      if (u.entity === 'appointment_type' && res.meta.lastUpdated) {
        noteTypeRulesOnCentral(ctx, u.id, Date.parse(res.meta.lastUpdated));
      }
      round.progress++;
      if (existed) continue; // it was there already: the next pass sends our current state as an update
      if (u.maxSeq) settleOutbox(ctx, u.id, u.maxSeq);
      if (u.entity === 'booking' && u.localStatus === 'preliminary') {
        stmt(ctx, `UPDATE bookings SET status = 'booked' WHERE id = ? AND status = 'preliminary'`).run(u.id);
        changed.push(u.id);
      }
      result.pushed++;
    }
  })();
  if (changed.length) ctx.events.emit({ entities: ['booking'], ids: changed });
  if (toReconcile.length === 0) return 'ok';
  for (const u of toReconcile) if (await reconcile(ctx, api, u, round)) return 'stop';
  return 'replan';
}

/** One group refused (4xx): a conflict is reconciled, anything else is failed for good. */
async function settleRefusal(ctx: ServiceContext, api: CentralApi, group: Group, err: CentralError, round: Round): Promise<Next> {
  if (err.conflict) {
    for (const u of group.units) if (await reconcile(ctx, api, u, round)) return 'stop';
    return 'replan';
  }
  ctx.db.transaction(() => {
    for (const u of group.units) failOutbox(ctx, u.id, u.maxSeq || Number.MAX_SAFE_INTEGER, err.message);
  })();
  round.result.failed += group.units.length;
  round.progress += group.units.length;
  return 'ok';
}

/**
 * Reads what central holds for a unit whose answer did not fit, and settles it: adopt the
 * central version when it already is what we wanted, make a conflict when central decided
 * otherwise (central is authoritative for bookings), or refresh the base version and retry.
 */
async function reconcile(ctx: ServiceContext, api: CentralApi, u: WorkUnit, round: Round): Promise<boolean> {
  const result = round.result;
  round.progress++;
  const type = PRIMARY_TYPE[u.entity];
  let remote: Resource | null;
  let slot: Slot | null = null;
  let holders: Appointment[] = [];
  let movedTo: string | null = null;
  let base: Resource | null = null;
  try {
    // By its central id when we know it (a booking born on the web carries no identifier of ours).
    const known = row<Remote>(ctx, u.entity, u.id)?.remote_id ?? null;
    remote = (known ? await api.read(type, known) : null) ?? (await api.byIdentifier(type, ID_SYSTEM, u.id));
    // A patient edited here and at another desk: the version this desk started from, to merge against.
    const started = u.entity === 'patient' ? row<Remote>(ctx, 'patient', u.id)?.remote_version : null;
    if (remote && started && started !== remote.meta?.versionId) base = await api.readVersion(type, remote.id!, started);
    // Where central says a rebooked booking went: the patient may have moved it on the web to
    // another time than the desk did, and a rebooking is only ours when it points at our new half.
    const to =
      u.entity === 'booking' && remote ? refId(appointmentFields(remote as Appointment).rebookedToRef, 'Appointment') : null;
    const target = to ? await api.read<Appointment>('Appointment', to) : null;
    movedTo = target ? (ourIdOf(target) ?? localIdForRemote('Appointment', target.id!)) : null;
    if (u.entity === 'booking' || u.entity === 'slot') {
      const slotId = u.entity === 'slot' ? u.id : row<BookingRow>(ctx, 'booking', u.id)!.slot_id;
      slot = await api.byIdentifier<Slot>('Slot', ID_SYSTEM, slotId);
      if (slot) {
        // Bring in what central knows about the slot (e.g. a web booking not yet pulled).
        const held = await api.searchAll<Appointment>('Appointment', { slot: `Slot/${slot.id}`, _count: '50' });
        const others = held.filter((a) => ourIdOf(a) !== u.id);
        holders = others.filter((a) => HOLDING_STATUSES.has(a.status));
        const referenced = await missingReferences(ctx, api, others);
        const applied = applyResources(ctx, [...referenced, slot, ...others], { respectPending: true });
        result.conflicts += applied.conflicts;
      }
    }
  } catch (err) {
    if (!(err instanceof CentralError)) throw err;
    ctx.db.transaction(() => deferOutbox(ctx, u.id, err.message, null))();
    result.error = err;
    return err.transient;
  }
  const attempts =
    (
      stmt(ctx, `SELECT max(attempts) AS a FROM outbox WHERE entity_id = ? AND state = 'pending'`).get(u.id) as {
        a: number | null;
      }
    ).a ?? 0;
  const changed: string[] = [];
  ctx.db.transaction(() => {
    if (slot && u.entity === 'booking') setRemote(ctx, 'slot', ourIdOf(slot)!, slot.id!, slot.meta!.versionId!);
    if (u.entity !== 'booking') {
      const merged =
        u.entity === 'patient' && remote
          ? mergePatientEdit(ctx, u.id, remote as Patient, base as Patient | null, u.maxSeq)
          : null;
      if (merged === 'settled') return;
      // The unit owns these (a merged patient: what is left of this desk's edit): take the current version as the base and send ours again.
      if (remote) setRemote(ctx, u.entity, u.id, remote.id!, remote.meta!.versionId!);
      if (attempts >= MAX_ATTEMPTS) {
        failOutbox(ctx, u.id, Number.MAX_SAFE_INTEGER, 'gave up after repeated version conflicts');
        result.failed++;
      } else deferOutbox(ctx, u.id, 'version conflict, retrying on the current version', null);
      return;
    }
    const b = row<BookingRow>(ctx, 'booking', u.id)!;
    // Applying central's view of the slot may already have settled it (a lost claim, now
    // cancelled and queued to be sent as such).
    if (!hasPendingOutbox(ctx, b.id) || (HOLDING_STATUSES.has(u.sentStatus!) && !ACTIVE_LOCAL.has(b.status))) return;
    const a = remote as Appointment | null;
    if (!a) {
      // Our booking is not on central: the claim lost, or only the slot's base version was stale.
      // A time another desk holds on its återbudslista (busy-tentative) is not taken: a desk may book it.
      const open = slot !== null && (slot.status === 'free' || slot.status === 'busy-tentative');
      const freeing = slot !== null && !open && releasing(ctx, holders);
      const taken = slot === null || (!open && !freeing);
      if (freeing) {
        // Our own cancellation of the slot's holder is queued: the claim goes behind it.
        settleOutbox(ctx, b.id, Number.MAX_SAFE_INTEGER);
        stmt(ctx, `INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES ('booking', ?, 'create', '{}', ?)`).run(
          b.id,
          ctx.now(),
        );
      } else if (u.create && HOLDING_STATUSES.has(u.sentStatus!) && taken) {
        resolveSlotTaken(
          ctx,
          b.id,
          'Tiden bokades på annat håll (webben eller en annan kassa) innan bokningen nådde den centrala tidboken.',
        );
        changed.push(b.id);
        result.conflicts++;
      } else if (attempts >= MAX_ATTEMPTS) {
        failOutbox(ctx, u.id, Number.MAX_SAFE_INTEGER, 'gave up after repeated version conflicts');
        result.failed++;
      } else deferOutbox(ctx, u.id, 'slot version changed, retrying', null);
      return;
    }
    // Compared as Tidbok statuses: 'rebooked' is 'cancelled' plus the link, and both must be there.
    const wanted = u.localStatus === 'preliminary' ? 'booked' : u.localStatus;
    const sameAsWanted =
      appointmentFields(a).status === wanted &&
      refId(a.slot?.[0]?.reference, 'Slot') === (slot?.id ?? null) &&
      (wanted !== 'rebooked' || movedTo === b.rebooked_to);
    if (sameAsWanted || a.meta?.versionId === b.remote_version) {
      // Either our change is there already (lost answer), or only the slot's base was stale.
      setRemote(ctx, 'booking', b.id, a.id!, a.meta!.versionId!);
      if (sameAsWanted) {
        settleOutbox(ctx, b.id, u.maxSeq || Number.MAX_SAFE_INTEGER);
        if (b.status === 'preliminary') {
          stmt(ctx, `UPDATE bookings SET status = 'booked' WHERE id = ? AND status = 'preliminary'`).run(b.id);
          changed.push(b.id);
        }
        result.pushed++;
      } else deferOutbox(ctx, u.id, 'slot version changed, retrying', null);
      return;
    }
    // Central changed the booking meanwhile (e.g. the patient cancelled on the web): central wins.
    settleOutbox(ctx, b.id, Number.MAX_SAFE_INTEGER);
    applyResources(ctx, [a], { respectPending: false });
    // A move the desk made of this booking did not happen either: its new half (never confirmed) goes.
    const voided = b.status === 'rebooked' && b.rebooked_to ? voidUnsentRebooking(ctx, b.id, b.rebooked_to) : null;
    if (voided) changed.push(voided);
    stmt(
      ctx,
      `INSERT INTO conflicts (id, entity, entity_id, kind, detail, suggested, created_at) VALUES (?, 'booking', ?, 'stale_version', ?, '[]', ?)`,
    ).run(
      ctx.newId(),
      b.id,
      JSON.stringify({
        wanted: u.localStatus,
        central: appointmentFields(a).status === 'rebooked' ? 'rebooked' : a.status,
        patientId: b.patient_id,
        slotId: b.slot_id,
        ...(voided ? { voidedBookingId: voided } : {}),
      }),
      ctx.now(),
    );
    changed.push(b.id);
    result.conflicts++;
  })();
  if (changed.length) ctx.events.emit({ entities: ['booking', 'conflict'], ids: changed });
  return false;
}

/**
 * Whether every booking central holds the slot with is one this desk has cancelled and is about to
 * send (e.g. a web booking the unit's rules rejected): the slot is being freed, not taken.
 */
function releasing(ctx: ServiceContext, holders: Appointment[]): boolean {
  return (
    holders.length > 0 &&
    holders.every((a) => {
      const local = stmt(ctx, `SELECT id, status FROM bookings WHERE remote_id = ?`).get(a.id) as
        { id: string; status: string } | undefined;
      return local !== undefined && !ACTIVE_LOCAL.has(local.status) && hasPendingOutbox(ctx, local.id);
    })
  );
}

function ourIdOf(r: Resource): string | null {
  return (
    (r as { identifier?: { system?: string; value?: string }[] }).identifier?.find((i) => i.system === ID_SYSTEM)?.value ?? null
  );
}

/**
 * Queues a create for every synced row that never went through the outbox: data from before a
 * central was configured (e.g. the demo seed). A row the outbox already handled (sent, or a
 * claim that lost its slot) is left alone. Idempotent.
 * Templates and absences were local until they synced: their old entries were settled unsent. Each
 * one still in use (an active template, an absence not over) that central never acknowledged is
 * sent once, its current state (`backfill`), whatever its history in the outbox; past absences and
 * deactivated templates stay here.
 */
export function enqueueUnsent(ctx: ServiceContext): number {
  let n = 0;
  ctx.db.transaction(() => {
    for (const [entity, table] of [
      ['unit', 'units'],
      ['appointment_type', 'appointment_types'],
      ['resource', 'resources'],
      ['patient', 'patients'],
      ['slot', 'slots'],
      ['booking', 'bookings'],
    ] as const) {
      n += enqueueUnsentOf(ctx, entity, table);
    }
    n += stmt(
      ctx,
      `INSERT INTO outbox (entity, entity_id, op, payload, created_at)
         SELECT 'schedule_template', t.id, 'create', '{"backfill":true}', ? FROM schedule_templates t
          WHERE t.remote_id IS NULL AND t.active = 1
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = t.id AND o.state <> 'done') ORDER BY t.rowid`,
    ).run(ctx.now()).changes;
    n += stmt(
      ctx,
      `INSERT INTO outbox (entity, entity_id, op, payload, created_at)
         SELECT 'absence', a.id, 'create', '{"backfill":true}', ? FROM absences a
          WHERE a.remote_id IS NULL AND a.state = 'active' AND a.end_at > ?
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = a.id AND o.state <> 'done') ORDER BY a.rowid`,
    ).run(ctx.now(), ctx.now()).changes;
  })();
  return n;
}

/** Whether every entry a unit settles is a backfill (enqueueUnsent): nothing changed here since. */
function onlyBackfill(ctx: ServiceContext, u: WorkUnit): boolean {
  if (u.entity !== 'schedule_template' && u.entity !== 'absence') return false;
  return (
    stmt(
      ctx,
      `SELECT 1 FROM outbox WHERE entity_id = ? AND state = 'pending' AND seq <= ?
          AND coalesce(json_extract(payload, '$.backfill'), 0) <> 1 LIMIT 1`,
    ).get(u.id, u.maxSeq || Number.MAX_SAFE_INTEGER) === undefined
  );
}

function enqueueUnsentOf(ctx: ServiceContext, entity: SyncedEntity, table: string): number {
  return stmt(
    ctx,
    `INSERT INTO outbox (entity, entity_id, op, payload, created_at)
       SELECT ?, t.id, 'create', '{}', ? FROM ${table} t
        WHERE t.remote_id IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = t.id)
        ORDER BY t.rowid`,
  ).run(entity, ctx.now()).changes;
}

/**
 * Replaces pending template-expansion rows (services/outbox.ts enqueueExpansion: one row for all
 * the slots an expansion created) by one create entry per slot that is not on the wire yet, in
 * one transaction. Returns the number of slot entries queued.
 */
export function unfoldExpansions(ctx: ServiceContext): number {
  const range = [EXPANSION_PREFIX, `${EXPANSION_PREFIX}\uffff`] as const;
  const pending = stmt(ctx, `SELECT 1 FROM outbox WHERE entity_id >= ? AND entity_id < ? AND state = 'pending' LIMIT 1`);
  if (!pending.get(...range)) return 0;
  return ctx.db.transaction(() => {
    const n = enqueueUnsentOf(ctx, 'slot', 'slots');
    stmt(ctx, `UPDATE outbox SET state = 'done' WHERE entity_id >= ? AND entity_id < ? AND state = 'pending'`).run(...range);
    return n;
  })();
}
