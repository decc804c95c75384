// Tidbok rows <-> FHIR R4 resources. Pure (no I/O): the push builds resources from rows, the
// pull reads rows' fields back from resources. The mapping is written down in README.md next to
// this file; keep the two in step.
import { TZDate } from '@date-fns/tz';
import { formatISO } from 'date-fns';
import { v5 as uuidv5 } from 'uuid';
import type {
  Address,
  Appointment,
  Basic,
  CodeableConcept,
  Coding,
  Extension,
  HealthcareService,
  Identifier,
  Location,
  Meta,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  Reference,
  Resource,
  Schedule,
  Slot,
} from '@medplum/fhirtypes';
import { z } from 'zod';
import type { BookingStatus, Channel, ContactMode, ReasonCode } from '../../api/types.ts';
import { appointmentTypeFields } from '../../domain/appointment-type-fields.ts';
import { parseIdentityNumber } from '../../domain/personnummer.ts';
import { templateProblem } from '../../domain/templates.ts';
import { END_OF_DAY, isEndWallTime } from '../../domain/time.ts';
import type { AbsenceRow, TemplateRow } from '../../store/scheduling-rows.ts';

/** Our UUID on every resource we send: creates are conditional on it, so a retry never duplicates. */
export const ID_SYSTEM = 'urn:tidbok:id';
export const PERSONNUMMER_SYSTEM = 'urn:oid:1.2.752.129.2.1.3.1';
export const SAMORDNINGSNUMMER_SYSTEM = 'urn:oid:1.2.752.129.2.1.3.3';
/** Reserve numbers are local to a care provider; no national OID. */
export const RESERVNUMMER_SYSTEM = 'urn:tidbok:reservnummer';
export const HSA_SYSTEM = 'urn:oid:1.2.752.129.2.1.4.1';
export const TYPE_SYSTEM = 'urn:tidbok:appointment-type';
export const PROFESSION_SYSTEM = 'urn:tidbok:profession';
/** Whether a Location is a room or equipment (FHIR has no kind for equipment one could book). */
export const RESOURCE_KIND_SYSTEM = 'urn:tidbok:resource-kind';
export const REASON_SYSTEM = 'urn:tidbok:reason';
/** Canonical URLs of our extensions (identifiers, not necessarily resolvable). */
export const EXT = {
  webRules: 'https://tidbok.se/fhir/StructureDefinition/web-rules',
  webPublished: 'https://tidbok.se/fhir/StructureDefinition/web-published',
  careGuarantee: 'https://tidbok.se/fhir/StructureDefinition/within-care-guarantee',
  channel: 'https://tidbok.se/fhir/StructureDefinition/booking-channel',
  contactMode: 'https://tidbok.se/fhir/StructureDefinition/contact-mode',
  rebookedFrom: 'https://tidbok.se/fhir/StructureDefinition/rebooked-from',
  rebookedTo: 'https://tidbok.se/fhir/StructureDefinition/rebooked-to',
  cancelledVia: 'https://tidbok.se/fhir/StructureDefinition/cancelled-via',
  durationMinutes: 'https://tidbok.se/fhir/StructureDefinition/duration-minutes',
  profession: 'https://tidbok.se/fhir/StructureDefinition/allowed-profession',
  reasonRules: 'https://tidbok.se/fhir/StructureDefinition/reason-rules',
  colour: 'https://tidbok.se/fhir/StructureDefinition/colour',
  scheduleTemplate: 'https://tidbok.se/fhir/StructureDefinition/schedule-template',
  slotTemplate: 'https://tidbok.se/fhir/StructureDefinition/slot-template',
  slotAbsence: 'https://tidbok.se/fhir/StructureDefinition/slot-absence',
  absence: 'https://tidbok.se/fhir/StructureDefinition/absence',
} as const;
/**
 * What a `Basic` of ours is, as a code of RESOURCE_KIND_SYSTEM (the system of Tidbok's own kinds:
 * a Location's room or equipment, and these): FHIR has no resource for a slot template or an absence.
 */
export const BASIC_CODE = { template: 'schedule-template', absence: 'absence' } as const;
/** HL7's core extension for a translated string (on `_name`). */
const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';

/**
 * Who cancelled a booking: staff at the desk or on the phone, the patient on the web, or the unit's
 * own sync (a rejected web booking, a lost claim). On the wire a cancellation without the marker
 * came from outside the unit: the patient on 1177.
 */
export type CancelledVia = 'desk' | 'phone' | 'web' | 'unit';

/** Namespace for local ids of resources born on the central side (web patients and bookings). */
const REMOTE_NAMESPACE = '4f1d6a52-3b7e-4c8e-9a43-6f0f1c2b9d10';

/** The same local id on every workstation for a resource created centrally. */
export function localIdForRemote(resourceType: string, remoteId: string): string {
  return uuidv5(`${resourceType}/${remoteId}`, REMOTE_NAMESPACE);
}

/** Placeholder fullUrl of an entity inside a transaction Bundle (stable per entity). */
export function placeholder(resourceType: string, localId: string): string {
  return `urn:uuid:${uuidv5(`placeholder/${resourceType}/${localId}`, REMOTE_NAMESPACE)}`;
}

export const ourIdentifier = (id: string): Identifier => ({ system: ID_SYSTEM, value: id });

/** Our UUID from a resource's identifiers, if it carries one. */
export function ourId(r: { identifier?: Identifier[] | undefined }): string | null {
  return r.identifier?.find((i) => i.system === ID_SYSTEM)?.value ?? null;
}

/**
 * The unit's tag: every Slot and Appointment a desk writes carries the unit's HSA-id in `meta.tag`,
 * so a desk reads (and is woken for) its own unit's Appointments by `_tag`, not the region's feed.
 * A 1177 integration copies it from the Slot it books.
 */
export const unitTag = (hsaId: string): Coding => ({ system: HSA_SYSTEM, code: hsaId });

/** The `_tag` search value of the unit's Slots and Appointments. */
export const unitTagSearch = (hsaId: string): string => `${HSA_SYSTEM}|${hsaId}`;

/** The unit tags a resource carries (a web booking copies its Slot's). */
export const unitTagsOf = (r: Resource): Coding[] => (r.meta?.tag ?? []).filter((t) => t.system === HSA_SYSTEM);

/** `meta` with the unit's tag; central keeps its own tags on update (FHIR's rule), so only ours is sent. */
const unitMeta = (hsaId: string | undefined): { meta?: Meta } => (hsaId ? { meta: { tag: [unitTag(hsaId)] } } : {});

/** FHIR instant with the unit's offset (national contracts carry local time; FHIR carries offsets). */
export function toFhirInstant(ms: number, tz: string): string {
  return formatISO(new TZDate(ms, tz));
}

export function fromFhirInstant(s: string): number {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) throw new Error(`not a FHIR instant: ${s}`);
  return ms;
}

// ------------------------------------------------------------------ rows (what the push reads)

export interface UnitRow {
  id: string;
  hsa_id: string;
  name: string;
}
export interface ResourceRow {
  id: string;
  kind: 'clinician' | 'room' | 'equipment';
  name: string;
  profession: string | null;
  title: string | null;
  hsa_id: string | null;
  active: number;
}
export interface TypeRow {
  id: string;
  code: string;
  name_sv: string;
  duration_min: number;
  contact_modes: string;
  web_bookable: number;
  invitation_only: number;
  web_cancellable: number;
  web_rebookable: number;
  cancel_cutoff_h: number;
  rebook_cutoff_h: number;
  book_min_lead_h: number;
  book_max_days: number;
  active: number;
  // Carried since types are pulled too; optional so a row of an older shape still maps.
  name_en?: string;
  professions?: string;
  reason_new?: string;
  reason_cancel?: string;
  reason_rebook?: string;
  reason_codes?: string;
  colour?: string;
}
export interface SlotRow {
  id: string;
  resource_id: string;
  start_at: number;
  end_at: number;
  state: 'open' | 'blocked' | 'removed';
  block_reason: string | null;
  web_published: number;
  within_care_guarantee: number;
  /** The template that laid it out (null: made by hand, or left its template); optional for rows of an older shape. */
  template_id?: string | null;
  /** The absence that blocked it (null: blocked by hand); optional for rows of an older shape. */
  absence_id?: string | null;
}
export interface PatientRow {
  id: string;
  identity_number: string;
  identity_kind: 'personnummer' | 'samordningsnummer' | 'reserve';
  given_name: string;
  family_name: string;
  phone: string | null;
  /** Optional for rows of an older shape (tests build some by hand). */
  email?: string | null;
  address?: string | null;
  protected_identity: number;
}
export interface BookingRow {
  id: string;
  slot_id: string;
  patient_id: string;
  contact_mode: ContactMode;
  status: BookingStatus;
  channel: Channel;
  note: string;
  rebooked_from: string | null;
  rebooked_to: string | null;
  /** Why the patient booked: Appointment.reasonCode, whatever the status. */
  reason_code: string | null;
  reason_text: string | null;
  /** Why it was cancelled or moved: Appointment.cancelationReason (migration 0011). */
  cancel_reason_code?: string | null;
  cancel_reason_text?: string | null;
  created_at: number;
  /** Who cancelled it; NULL: the unit's own sync decisions (and cancellations from before it was kept). */
  cancelled_via?: CancelledVia | null;
}

/** How a row refers to another entity: its central reference, or a placeholder in the same Bundle. */
export type RefOf = (resourceType: string, localId: string) => string;

// ------------------------------------------------------------------ unit, resources, types

export function unitToOrganization(u: UnitRow): Organization {
  return {
    resourceType: 'Organization',
    identifier: [ourIdentifier(u.id), { system: HSA_SYSTEM, value: u.hsa_id }],
    active: true,
    name: u.name,
  };
}

export function clinicianToPractitioner(r: ResourceRow): Practitioner {
  const parts = r.name.trim().split(/\s+/);
  const family = parts.length > 1 ? parts.pop()! : parts[0]!;
  return {
    resourceType: 'Practitioner',
    identifier: [ourIdentifier(r.id), ...(r.hsa_id ? [{ system: HSA_SYSTEM, value: r.hsa_id }] : [])],
    active: r.active === 1,
    name: [{ text: r.name, family, ...(parts.length ? { given: parts } : {}) }],
  };
}

export function clinicianToRole(r: ResourceRow, unitId: string, ref: RefOf): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    identifier: [ourIdentifier(r.id)],
    active: r.active === 1,
    // The name and HSA-id ride on the reference too: the role is what other desks of the unit
    // read (by organization), so it changes whenever anything they show of the clinician does.
    practitioner: {
      reference: ref('Practitioner', r.id),
      display: r.name,
      ...(r.hsa_id ? { identifier: { system: HSA_SYSTEM, value: r.hsa_id } } : {}),
    },
    organization: { reference: ref('Organization', unitId) },
    code: [{ coding: [{ system: PROFESSION_SYSTEM, code: r.profession ?? 'okand' }], ...(r.title ? { text: r.title } : {}) }],
  };
}

/** Rooms and equipment are places (or things) a slot is held in: a Location of kind room. */
export function roomToLocation(r: ResourceRow, unitId: string, ref: RefOf): Location {
  return {
    resourceType: 'Location',
    identifier: [ourIdentifier(r.id), ...(r.hsa_id ? [{ system: HSA_SYSTEM, value: r.hsa_id }] : [])],
    status: r.active === 1 ? 'active' : 'inactive',
    name: r.name,
    mode: 'instance',
    type: [{ coding: [{ system: RESOURCE_KIND_SYSTEM, code: r.kind }] }],
    physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'ro' }] },
    managingOrganization: { reference: ref('Organization', unitId) },
  };
}

export function resourceToSchedule(r: ResourceRow, ref: RefOf): Schedule {
  const actor: Schedule['actor'] =
    r.kind === 'clinician'
      ? [{ reference: ref('Practitioner', r.id), display: r.name }]
      : [{ reference: ref('Location', r.id), display: r.name }];
  return {
    resourceType: 'Schedule',
    identifier: [ourIdentifier(r.id)],
    active: r.active === 1,
    actor,
    comment: r.name,
  };
}

/**
 * The resource row a pulled PractitionerRole (clinician) or Location (room, equipment) of the unit
 * describes; `schedule` (the resource's Schedule, whose id and version the row keeps) gives the
 * name when a role from an older desk does not carry it; such a role (or Location) carries no
 * HSA-id either, so `hsa_id` is then absent (the local value stays). Null when it is not one of
 * ours or lacks what the row needs.
 */
export function resourceFields(
  r: PractitionerRole | Location,
  schedule: Schedule | undefined,
): (Omit<ResourceRow, 'hsa_id'> & { hsa_id?: string | null }) | null {
  const id = ourId(r);
  if (!id) return null;
  const column = {
    name: z.string().trim().min(1).max(200),
    profession: z.string().trim().min(1).max(60),
    title: z.string().trim().min(1).max(200).nullable(),
    hsa: z.string().min(1).max(40).nullable(),
  };
  const ok = <T>(schema: z.ZodType<T>, v: unknown): T | null => {
    const parsed = schema.safeParse(v);
    return parsed.success ? parsed.data : null;
  };
  if (r.resourceType === 'PractitionerRole') {
    const code = r.code?.[0];
    const name = ok(column.name, r.practitioner?.display ?? schedule?.comment);
    const profession = ok(column.profession, code?.coding?.find((c) => c.system === PROFESSION_SYSTEM)?.code);
    if (!name || !profession) return null;
    return {
      id,
      kind: 'clinician',
      name,
      profession,
      title: ok(column.title, code?.text ?? null),
      active: r.active === false ? 0 : 1,
      ...(r.practitioner?.display
        ? { hsa_id: ok(column.hsa, r.practitioner.identifier?.system === HSA_SYSTEM ? r.practitioner.identifier.value : null) }
        : {}),
    };
  }
  const name = ok(column.name, r.name ?? schedule?.comment);
  if (!name) return null;
  const kind = r.type?.flatMap((t) => t.coding ?? []).find((c) => c.system === RESOURCE_KIND_SYSTEM)?.code;
  return {
    id,
    kind: kind === 'equipment' ? 'equipment' : 'room',
    name,
    profession: null,
    title: null,
    active: r.status === 'inactive' ? 0 : 1,
    ...(kind ? { hsa_id: ok(column.hsa, r.identifier?.find((i) => i.system === HSA_SYSTEM)?.value ?? null) } : {}),
  };
}

/** The web rules of an appointment type, carried as one complex extension. */
export interface WebRules {
  webBookable: boolean;
  invitationOnly: boolean;
  webCancellable: boolean;
  webRebookable: boolean;
  cancelCutoffH: number;
  rebookCutoffH: number;
  bookMinLeadH: number;
  bookMaxDays: number;
}

export function webRulesExtension(t: TypeRow): Extension {
  return {
    url: EXT.webRules,
    extension: [
      { url: 'webBookable', valueBoolean: t.web_bookable === 1 },
      { url: 'invitationOnly', valueBoolean: t.invitation_only === 1 },
      { url: 'webCancellable', valueBoolean: t.web_cancellable === 1 },
      { url: 'webRebookable', valueBoolean: t.web_rebookable === 1 },
      { url: 'cancelCutoffHours', valueInteger: t.cancel_cutoff_h },
      { url: 'rebookCutoffHours', valueInteger: t.rebook_cutoff_h },
      { url: 'bookMinLeadHours', valueInteger: t.book_min_lead_h },
      { url: 'bookMaxDays', valueInteger: t.book_max_days },
    ],
  };
}

export function readWebRules(r: { extension?: Extension[] | undefined }): WebRules | null {
  const ext = r.extension?.find((e) => e.url === EXT.webRules);
  if (!ext) return null;
  const get = (name: string) => ext.extension?.find((e) => e.url === name);
  return {
    webBookable: get('webBookable')?.valueBoolean ?? false,
    invitationOnly: get('invitationOnly')?.valueBoolean ?? false,
    webCancellable: get('webCancellable')?.valueBoolean ?? false,
    webRebookable: get('webRebookable')?.valueBoolean ?? false,
    cancelCutoffH: get('cancelCutoffHours')?.valueInteger ?? 24,
    rebookCutoffH: get('rebookCutoffHours')?.valueInteger ?? 24,
    bookMinLeadH: get('bookMinLeadHours')?.valueInteger ?? 0,
    bookMaxDays: get('bookMaxDays')?.valueInteger ?? 180,
  };
}

export const typeCoding = (code: string, display?: string) => ({
  coding: [{ system: TYPE_SYSTEM, code, ...(display ? { display } : {}) }],
});

/** An appointment type is a service the unit offers: HealthcareService with the web rules. */
export function typeToHealthcareService(t: TypeRow, unitId: string, ref: RefOf): HealthcareService {
  return {
    resourceType: 'HealthcareService',
    identifier: [ourIdentifier(t.id)],
    active: t.active === 1,
    providedBy: { reference: ref('Organization', unitId) },
    type: [typeCoding(t.code, t.name_sv)],
    name: t.name_sv,
    ...(t.name_en
      ? {
          _name: {
            extension: [
              {
                url: TRANSLATION,
                extension: [
                  { url: 'lang', valueCode: 'en' },
                  { url: 'content', valueString: t.name_en },
                ],
              },
            ],
          },
        }
      : {}),
    extension: [
      webRulesExtension(t),
      ...(JSON.parse(t.contact_modes) as string[]).map((m) => ({ url: EXT.contactMode, valueCode: m })),
      { url: EXT.durationMinutes, valueInteger: t.duration_min },
      ...(t.professions ? (JSON.parse(t.professions) as string[]).map((p) => ({ url: EXT.profession, valueCode: p })) : []),
      ...(t.reason_new && t.reason_cancel && t.reason_rebook && t.reason_codes
        ? [reasonRulesExtension(t.reason_new, t.reason_cancel, t.reason_rebook, JSON.parse(t.reason_codes) as ReasonCode[])]
        : []),
      ...(t.colour ? [{ url: EXT.colour, valueString: t.colour }] : []),
    ],
  };
}

/** Reason rules per process (new / cancel / rebook) and the unit's reason codes, as one complex extension. */
function reasonRulesExtension(onNew: string, onCancel: string, onRebook: string, codes: ReasonCode[]): Extension {
  return {
    url: EXT.reasonRules,
    extension: [
      { url: 'new', valueCode: onNew },
      { url: 'cancel', valueCode: onCancel },
      { url: 'rebook', valueCode: onRebook },
      ...codes.map((c) => ({
        url: 'code',
        extension: [
          { url: 'code', valueString: c.code },
          { url: 'textSv', valueString: c.textSv },
          { url: 'textEn', valueString: c.textEn },
        ],
      })),
    ],
  };
}

/**
 * Checks on what a pulled HealthcareService may write into a type row: the api's own limits on
 * staff input (domain/appointment-type-fields.ts). A value outside them is not taken, so central's
 * data can never break a page or a rule.
 */
const f = appointmentTypeFields;
const typeColumn = {
  code: f.code,
  name_sv: f.nameSv,
  name_en: f.nameEn,
  duration_min: f.durationMin,
  contact_modes: f.contactModes,
  professions: f.professions,
  web_bookable: f.webBookable,
  invitation_only: f.invitationOnly,
  web_cancellable: f.webCancellable,
  web_rebookable: f.webRebookable,
  cancel_cutoff_h: f.cancelCutoffH,
  rebook_cutoff_h: f.rebookCutoffH,
  book_min_lead_h: f.bookMinLeadH,
  book_max_days: f.bookMaxDays,
  reason_new: f.reasonNew,
  reason_cancel: f.reasonCancel,
  reason_rebook: f.reasonRebook,
  reason_codes: f.reasonCodes,
  colour: f.colour,
  active: z.boolean(),
};
type TypeColumn = keyof typeof typeColumn;

/**
 * The type row a pulled HealthcareService describes, as column values ready to store (booleans
 * 0/1, lists as JSON). A column the resource does not carry (one sent by an older desk) or carries
 * out of bounds is absent: the local value stays. Null when it names no type code of ours.
 */
export function healthcareServiceFields(
  hs: HealthcareService,
): ({ code: string } & Partial<Record<TypeColumn, string | number>>) | null {
  const code = hs.type?.flatMap((c) => c.coding ?? []).find((c) => c.system === TYPE_SYSTEM)?.code;
  const rules = readWebRules(hs);
  const reasons = hs.extension?.find((e) => e.url === EXT.reasonRules)?.extension;
  const part = (name: string) => reasons?.find((e) => e.url === name)?.valueCode;
  const listOf = (url: string) => hs.extension?.filter((e) => e.url === url).map((e) => e.valueCode) ?? [];
  const candidate: Record<TypeColumn, unknown> = {
    code,
    name_sv: hs.name,
    // Primitive extensions (`_name`) are valid FHIR JSON but not in Medplum's types.
    name_en: (hs as { _name?: { extension?: Extension[] } })._name?.extension
      ?.filter((e) => e.url === TRANSLATION && e.extension?.some((x) => x.url === 'lang' && x.valueCode?.startsWith('en')))
      .flatMap((e) => e.extension ?? [])
      .find((x) => x.url === 'content')?.valueString,
    duration_min: hs.extension?.find((e) => e.url === EXT.durationMinutes)?.valueInteger,
    contact_modes: listOf(EXT.contactMode),
    professions: hs.extension?.some((e) => e.url === EXT.profession) || reasons ? listOf(EXT.profession) : undefined,
    web_bookable: rules?.webBookable,
    invitation_only: rules?.invitationOnly,
    web_cancellable: rules?.webCancellable,
    web_rebookable: rules?.webRebookable,
    cancel_cutoff_h: rules?.cancelCutoffH,
    rebook_cutoff_h: rules?.rebookCutoffH,
    book_min_lead_h: rules?.bookMinLeadH,
    book_max_days: rules?.bookMaxDays,
    reason_new: part('new'),
    reason_cancel: part('cancel'),
    reason_rebook: part('rebook'),
    reason_codes: reasons
      ?.filter((e) => e.url === 'code')
      .map((e) => {
        const text = (n: string) => e.extension?.find((x) => x.url === n)?.valueString;
        return { code: text('code'), textSv: text('textSv'), textEn: text('textEn') };
      }),
    colour: hs.extension?.find((e) => e.url === EXT.colour)?.valueString,
    active: hs.active,
  };
  const out: Partial<Record<TypeColumn, string | number>> = {};
  for (const col of Object.keys(typeColumn) as TypeColumn[]) {
    const parsed = typeColumn[col].safeParse(candidate[col]);
    if (!parsed.success) continue;
    const v: unknown = parsed.data;
    out[col] = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'object' ? JSON.stringify(v) : (v as string | number);
  }
  return typeof out.code === 'string' ? { ...out, code: out.code } : null;
}

// ------------------------------------------------------------------ slots

/**
 * free / busy come from bookings; blocked -> busy-unavailable; removed -> entered-in-error. An open,
 * unbooked time held for a patient on återbudslistan (`held`) is busy-tentative: 1177 takes only free.
 */
export function slotStatus(s: Pick<SlotRow, 'state'>, booked: boolean, held = false): Slot['status'] {
  if (s.state === 'removed') return 'entered-in-error';
  if (s.state === 'blocked') return 'busy-unavailable';
  if (booked) return 'busy';
  return held ? 'busy-tentative' : 'free';
}

/**
 * `unitHsaId`: the unit's tag (a desk always sends it; see unitTag). `held`: the time is held on
 * återbudslistan (slotStatus).
 */
export function slotToFhir(
  s: SlotRow,
  typeCodes: string[],
  booked: boolean,
  tz: string,
  ref: RefOf,
  unitHsaId?: string,
  held = false,
): Slot {
  return {
    resourceType: 'Slot',
    ...unitMeta(unitHsaId),
    identifier: [ourIdentifier(s.id)],
    schedule: { reference: ref('Schedule', s.resource_id) },
    status: slotStatus(s, booked, held),
    start: toFhirInstant(s.start_at, tz),
    end: toFhirInstant(s.end_at, tz),
    serviceType: typeCodes.map((c) => typeCoding(c)),
    extension: [
      { url: EXT.webPublished, valueBoolean: s.web_published === 1 },
      { url: EXT.careGuarantee, valueBoolean: s.within_care_guarantee === 1 },
      // Which template laid it out: another desk then edits, follows and keeps it as this one does.
      ...(s.template_id
        ? [{ url: EXT.slotTemplate, valueReference: { type: 'Basic' as const, identifier: ourIdentifier(s.template_id) } }]
        : []),
      // Who blocked it: another desk links the block to that absence by id, not by its reason text.
      ...(s.state === 'blocked' ? [slotAbsenceExtension(s.absence_id ?? null)] : []),
    ],
    ...(s.block_reason ? { comment: s.block_reason } : {}),
  };
}

/** A blocked Slot's `slot-absence`: the absence (its Basic by our identifier), or `manual` for a block by hand. */
function slotAbsenceExtension(absenceId: string | null): Extension {
  return absenceId
    ? { url: EXT.slotAbsence, valueReference: { type: 'Basic', identifier: ourIdentifier(absenceId) } }
    : { url: EXT.slotAbsence, valueCode: 'manual' };
}

/** Slot fields the unit owns, read back from a pulled Slot. */
export function slotFields(s: Slot): {
  startAt: number;
  endAt: number;
  state: SlotRow['state'];
  blockReason: string | null;
  webPublished: boolean;
  withinCareGuarantee: boolean;
  typeCodes: string[];
  /** Our id of the template that laid it out, or null. */
  templateId: string | null;
  /**
   * A blocked slot's absence: our id of it, null when blocked by hand, undefined when the sender
   * did not say (a desk older than `slot-absence`: the block's reason text decides).
   */
  absenceId: string | null | undefined;
} {
  const flag = (url: string) => s.extension?.find((e) => e.url === url)?.valueBoolean;
  const template = s.extension?.find((e) => e.url === EXT.slotTemplate)?.valueReference?.identifier;
  const blockedBy = s.extension?.find((e) => e.url === EXT.slotAbsence);
  const absence = blockedBy?.valueReference?.identifier;
  return {
    startAt: fromFhirInstant(s.start),
    endAt: fromFhirInstant(s.end),
    state: s.status === 'entered-in-error' ? 'removed' : s.status === 'busy-unavailable' ? 'blocked' : 'open',
    blockReason: s.comment ?? null,
    webPublished: flag(EXT.webPublished) ?? false,
    withinCareGuarantee: flag(EXT.careGuarantee) ?? true,
    typeCodes: (s.serviceType ?? [])
      .flatMap((c) => c.coding ?? [])
      .filter((c) => c.system === TYPE_SYSTEM)
      .map((c) => c.code!),
    templateId: template?.system === ID_SYSTEM ? (template.value ?? null) : null,
    absenceId: !blockedBy ? undefined : absence?.system === ID_SYSTEM ? (absence.value ?? null) : null,
  };
}

export function isWebPublished(s: Slot): boolean {
  return s.extension?.find((e) => e.url === EXT.webPublished)?.valueBoolean === true;
}

// ------------------------------------------------------------------ patients

export function identitySystem(kind: PatientRow['identity_kind']): string {
  return kind === 'personnummer'
    ? PERSONNUMMER_SYSTEM
    : kind === 'samordningsnummer'
      ? SAMORDNINGSNUMMER_SYSTEM
      : RESERVNUMMER_SYSTEM;
}

const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

/**
 * `unitHsaId`: the unit's tag. A desk tags every Patient it sends with its unit (central carries
 * tags forward, so a patient of several units keeps them all), and the unit's other desks read
 * their patients' changes by that tag (pull's Patient feed): central has no other unit scope for
 * a patient.
 */
export function patientToFhir(p: PatientRow, unitHsaId?: string): Patient {
  const telecom = [
    ...(p.phone ? [{ system: 'phone' as const, value: p.phone }] : []),
    ...(p.email ? [{ system: 'email' as const, value: p.email }] : []),
  ];
  // Sekretessmarkering / skyddad folkbokföring: restricted confidentiality.
  const security = p.protected_identity === 1 ? [{ system: CONFIDENTIALITY_SYSTEM, code: 'R' }] : null;
  return {
    resourceType: 'Patient',
    ...(unitHsaId || security
      ? { meta: { ...(unitHsaId ? { tag: [unitTag(unitHsaId)] } : {}), ...(security ? { security } : {}) } }
      : {}),
    identifier: [ourIdentifier(p.id), { system: identitySystem(p.identity_kind), value: p.identity_number }],
    name: [{ family: p.family_name, given: [p.given_name] }],
    ...(telecom.length ? { telecom } : {}),
    ...(p.address ? { address: [{ text: p.address }] } : {}),
  };
}

export interface PatientFields {
  identityNumber: string;
  identityKind: PatientRow['identity_kind'];
  givenName: string;
  familyName: string;
  phone: string | null;
  email: string | null;
  /** The address as one line of text (`Address.text`), as the desk keeps it. */
  address: string | null;
  protectedIdentity: boolean;
}

/**
 * The patient as the unit stores them. Another system may write a national number as typed
 * (`19121212-1212`, 10 digits, a samordningsnummer under the personnummer system): it is
 * normalised to 12 digits like one typed at the desk (`today`, the unit's date, decides the
 * century of a 10-digit one). One that is no valid number is kept as a reserve number, so the
 * patient's bookings still reach the desk, marked as such.
 */
export function patientFields(p: Patient, today: string = new Date().toISOString().slice(0, 10)): PatientFields | null {
  const kinds: [string, PatientRow['identity_kind']][] = [
    [PERSONNUMMER_SYSTEM, 'personnummer'],
    [SAMORDNINGSNUMMER_SYSTEM, 'samordningsnummer'],
    [RESERVNUMMER_SYSTEM, 'reserve'],
  ];
  for (const [system, given] of kinds) {
    const value = p.identifier?.find((i) => i.system === system)?.value;
    if (!value) continue;
    const parsed = parseIdentityNumber(value, today, { allowReserve: true });
    if (!parsed.ok) return null; // not even a reserve number (10–20 of A–Z, 0–9, '-')
    const name = p.name?.[0];
    return {
      identityNumber: parsed.normalised,
      identityKind: given === 'reserve' ? 'reserve' : parsed.kind,
      givenName: name?.given?.join(' ') || '(okänt)',
      familyName: name?.family || '(okänt)',
      phone: p.telecom?.find((t) => t.system === 'phone')?.value ?? null,
      email: p.telecom?.find((t) => t.system === 'email')?.value ?? null,
      address: addressText(p.address?.[0]),
      protectedIdentity: p.meta?.security?.some((s) => s.code === 'R') ?? false,
    };
  }
  return null;
}

/** One line of an address another system may have written in parts (`line`, `postalCode`, `city`). */
function addressText(a: Address | undefined): string | null {
  if (!a) return null;
  if (a.text) return a.text;
  const place = [a.postalCode, a.city].filter(Boolean).join(' ');
  return [...(a.line ?? []), place].filter(Boolean).join(', ') || null;
}

// ------------------------------------------------------------------ bookings

const TO_FHIR_STATUS: Record<BookingStatus, Appointment['status']> = {
  preliminary: 'pending',
  booked: 'booked',
  arrived: 'arrived',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  no_show: 'noshow',
  rebooked: 'cancelled', // + the rebooked-to extension
};

export function bookingStatusToFhir(s: BookingStatus): Appointment['status'] {
  return TO_FHIR_STATUS[s];
}

/** Statuses that hold the slot on the central side. */
export const HOLDING_STATUSES = new Set<Appointment['status']>(['pending', 'booked', 'arrived', 'fulfilled', 'noshow']);

export function bookingStatusFromFhir(a: Appointment): BookingStatus {
  switch (a.status) {
    case 'pending':
    case 'proposed':
      // A hold not yet confirmed: locally the same as a desk booking awaiting confirmation.
      return 'preliminary';
    case 'booked':
    case 'checked-in':
      return 'booked';
    case 'arrived':
      return 'arrived';
    case 'fulfilled':
      return 'completed';
    case 'noshow':
      return 'no_show';
    default:
      return a.extension?.some((e) => e.url === EXT.rebookedTo) ? 'rebooked' : 'cancelled';
  }
}

export interface BookingContext {
  /** Start and end of the booked slot. */
  startAt: number;
  endAt: number;
  typeCode: string;
  tz: string;
  /** The unit's HSA-id, sent as its tag (see unitTag). */
  unitHsaId?: string;
}

/** A reason as FHIR carries it: the code in Tidbok's reason system, the words as text. */
function reasonConcept(code: string | null, text: string | null): CodeableConcept | null {
  if (!code && !text) return null;
  return { ...(code ? { coding: [{ system: REASON_SYSTEM, code }] } : {}), ...(text ? { text } : {}) };
}

/** A reason read back: the code only when in Tidbok's reason system (1177 writes words). */
function reasonOf(c: CodeableConcept | undefined): { code: string | null; text: string | null } {
  return { code: c?.coding?.find((x) => x.system === REASON_SYSTEM)?.code ?? null, text: c?.text ?? null };
}

export function bookingToAppointment(b: BookingRow, c: BookingContext, ref: RefOf): Appointment {
  const status = TO_FHIR_STATUS[b.status];
  // The visit's reason and the cancellation's are two fields: one never stands in for the other.
  const reason = reasonConcept(b.reason_code, b.reason_text);
  const cancelReason = status === 'cancelled' ? reasonConcept(b.cancel_reason_code ?? null, b.cancel_reason_text ?? null) : null;
  return {
    resourceType: 'Appointment',
    ...unitMeta(c.unitHsaId),
    identifier: [ourIdentifier(b.id)],
    status,
    serviceType: [typeCoding(c.typeCode)],
    start: toFhirInstant(c.startAt, c.tz),
    end: toFhirInstant(c.endAt, c.tz),
    slot: [{ reference: ref('Slot', b.slot_id) }],
    created: new Date(b.created_at).toISOString(),
    participant: [{ actor: { reference: ref('Patient', b.patient_id) }, status: 'accepted', required: 'required' }],
    ...(b.note ? { comment: b.note } : {}),
    ...(reason ? { reasonCode: [reason] } : {}),
    ...(cancelReason ? { cancelationReason: cancelReason } : {}),
    extension: [
      { url: EXT.channel, valueCode: b.channel },
      { url: EXT.contactMode, valueCode: b.contact_mode },
      ...(b.rebooked_from ? [{ url: EXT.rebookedFrom, valueReference: { reference: ref('Appointment', b.rebooked_from) } }] : []),
      ...(b.rebooked_to ? [{ url: EXT.rebookedTo, valueReference: { reference: ref('Appointment', b.rebooked_to) } }] : []),
      // A cancellation made in the unit says so: other desks then know it was not the patient's.
      ...(b.status === 'cancelled' ? [{ url: EXT.cancelledVia, valueCode: b.cancelled_via ?? 'unit' }] : []),
    ],
  };
}

export interface AppointmentFields {
  status: BookingStatus;
  channel: Channel;
  contactMode: ContactMode | null;
  typeCode: string | null;
  slotRef: string | null;
  patientRef: string | null;
  note: string;
  /** Why the patient booked (Appointment.reasonCode). */
  reasonCode: string | null;
  reasonText: string | null;
  /** Why it was cancelled or moved (Appointment.cancelationReason; only for a cancelled one). */
  cancelReasonCode: string | null;
  cancelReasonText: string | null;
  createdAt: number | null;
  rebookedFromRef: string | null;
  rebookedToRef: string | null;
  /** Booked after an invitation or triage: based on a ServiceRequest (Inera's "hidden" time types). */
  invited: boolean;
  /** Who cancelled it (only for status cancelled): see cancelledVia. */
  cancelledVia: CancelledVia | null;
}

export function appointmentFields(a: Appointment): AppointmentFields {
  const ext = (url: string) => a.extension?.find((e) => e.url === url);
  const reason = reasonOf(a.reasonCode?.[0]);
  const cancelReason = reasonOf(a.status === 'cancelled' ? a.cancelationReason : undefined);
  const channel = ext(EXT.channel)?.valueCode;
  const mode = ext(EXT.contactMode)?.valueCode;
  const status = bookingStatusFromFhir(a);
  return {
    status,
    channel: channel === 'desk' || channel === 'phone' ? channel : 'web',
    contactMode: mode === 'physical' || mode === 'video' || mode === 'phone' ? mode : null,
    typeCode: (a.serviceType ?? []).flatMap((c) => c.coding ?? []).find((c) => c.system === TYPE_SYSTEM)?.code ?? null,
    slotRef: a.slot?.[0]?.reference ?? null,
    patientRef: a.participant.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/')) ?? null,
    note: a.comment ?? '',
    reasonCode: reason.code,
    reasonText: reason.text,
    cancelReasonCode: cancelReason.code,
    cancelReasonText: cancelReason.text,
    createdAt: a.created ? Date.parse(a.created) : null,
    rebookedFromRef: ext(EXT.rebookedFrom)?.valueReference?.reference ?? null,
    rebookedToRef: ext(EXT.rebookedTo)?.valueReference?.reference ?? null,
    invited: (a.basedOn ?? []).some((r) => r.reference?.startsWith('ServiceRequest/')),
    cancelledVia: status === 'cancelled' ? cancelledVia(a) : null,
  };
}

const CANCELLED_VIA = new Set<string>(['desk', 'phone', 'web', 'unit']);

/**
 * Who cancelled a cancelled Appointment. The marker says it; without one, a reason coded in
 * Tidbok's own reason system was still written by a Tidbok desk (one from before the marker:
 * 1177 does not know those codes), and anything else came from outside the unit: the patient.
 */
export function cancelledVia(a: Appointment): CancelledVia {
  const marker = a.extension?.find((e) => e.url === EXT.cancelledVia)?.valueCode;
  if (marker && CANCELLED_VIA.has(marker)) return marker as CancelledVia;
  return a.cancelationReason?.coding?.some((c) => c.system === REASON_SYSTEM) ? 'unit' : 'web';
}

/** "Slot/abc" -> "abc" (only for the expected type). */
export function refId(ref: string | null | undefined, resourceType: string): string | null {
  if (!ref) return null;
  const m = /^(?:.*\/)?([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/.*)?$/.exec(ref);
  return m && m[1] === resourceType ? m[2]! : null;
}

// ------------------------------------------------------------------ templates and absences (Basic)

/** The resource a template or absence is of: the Practitioner (clinician) or Location (room, equipment). */
export interface BasicSubject {
  id: string;
  kind: ResourceRow['kind'];
}

/**
 * A logical reference by our identifier: a desk keeps its Schedule's central id, not the
 * Practitioner's or Location's, and both carry our UUID (so any desk resolves it without a read).
 */
function subjectReference(s: BasicSubject): Reference {
  return { type: s.kind === 'clinician' ? 'Practitioner' : 'Location', identifier: ourIdentifier(s.id) };
}

function basicOf(id: string, code: string, subject: BasicSubject, unitRef: string, extension: Extension): Basic {
  return {
    resourceType: 'Basic',
    identifier: [ourIdentifier(id)],
    code: { coding: [{ system: RESOURCE_KIND_SYSTEM, code }] },
    subject: subjectReference(subject),
    author: { reference: unitRef },
    extension: [extension],
  };
}

/** FHIR `time` is hh:mm:ss; templates keep the unit's wall clock as HH:mm. */
const fhirTime = (hhmm: string) => `${hhmm}:00`;
/**
 * A template's end of 24:00 (the next midnight): FHIR's `time` has no hour 24, so it travels as
 * 00:00:00, which no other end can be (an end is after its start), and is read back as 24:00.
 */
const fhirEndTime = (hhmm: string) => (hhmm === END_OF_DAY ? fhirTime('00:00') : fhirTime(hhmm));
const endTimeOfFhir = (hhmm: string | undefined) => (hhmm === '00:00' ? END_OF_DAY : hhmm);

/**
 * A schedule template (slot template of a clinician or room): one complex extension with every
 * setting; its appointment types by code (`typeCodes`, in the template's order), as a Slot carries them.
 */
export function templateToBasic(
  t: Omit<TemplateRow, 'appointment_type_ids' | 'version'>,
  typeCodes: string[],
  subject: BasicSubject,
  unitRef: string,
): Basic {
  return basicOf(t.id, BASIC_CODE.template, subject, unitRef, {
    url: EXT.scheduleTemplate,
    extension: [
      ...(t.name ? [{ url: 'name', valueString: t.name }] : []),
      ...(JSON.parse(t.weekdays) as number[]).map((d) => ({ url: 'weekday', valueInteger: d })),
      { url: 'everyNWeeks', valueInteger: t.every_n_weeks },
      { url: 'validFrom', valueDate: t.valid_from },
      ...(t.valid_to ? [{ url: 'validTo', valueDate: t.valid_to }] : []),
      { url: 'startTime', valueTime: fhirTime(t.start_time) },
      { url: 'endTime', valueTime: fhirEndTime(t.end_time) },
      { url: 'slotMinutes', valueInteger: t.slot_min },
      ...typeCodes.map((code) => ({ url: 'appointmentType', valueCoding: { system: TYPE_SYSTEM, code } })),
      { url: 'publishWeb', valueBoolean: t.publish_web === 1 },
      { url: 'withinCareGuarantee', valueBoolean: t.within_care_guarantee === 1 },
      { url: 'skipHolidays', valueBoolean: t.skip_holidays === 1 },
      { url: 'active', valueBoolean: t.active === 1 },
    ],
  });
}

/** An absence of a clinician or room: its period (instants with the unit's offset), reason and state. */
export function absenceToBasic(a: AbsenceRow, subject: BasicSubject, unitRef: string, tz: string): Basic {
  return basicOf(a.id, BASIC_CODE.absence, subject, unitRef, {
    url: EXT.absence,
    extension: [
      { url: 'period', valuePeriod: { start: toFhirInstant(a.start_at, tz), end: toFhirInstant(a.end_at, tz) } },
      ...(a.reason ? [{ url: 'reason', valueString: a.reason }] : []),
      { url: 'state', valueCode: a.state },
    ],
  });
}

/** A pulled template as the table stores it (lists as JSON, flags 0/1), its types still as codes. */
export type PulledTemplate = Omit<TemplateRow, 'appointment_type_ids' | 'version'> & { kind: 'template'; typeCodes: string[] };
export type PulledAbsence = AbsenceRow & { kind: 'absence' };

const isoDay = z.string().regex(/^\d{4}-[01]\d-[0-3]\d$/);
const hhmm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/);
const endHhmm = z.string().refine(isEndWallTime);
/** The same bounds staff input has (api/methods/scheduling.ts) and the table's checks. */
const pulledTemplate = z.object({
  name: z.string().max(200),
  weekdays: z
    .array(z.number().int().min(1).max(7))
    .min(1)
    .refine((a) => new Set(a).size === a.length),
  everyNWeeks: z.number().int().min(1).max(52),
  validFrom: isoDay,
  validTo: isoDay.nullable(),
  startTime: hhmm,
  endTime: endHhmm,
  slotMin: z.number().int().min(5).max(480),
  typeCodes: z.array(z.string().min(1)).min(1).max(50),
  publishWeb: z.boolean(),
  withinCareGuarantee: z.boolean(),
  skipHolidays: z.boolean(),
  active: z.boolean(),
});
const pulledAbsence = z.object({
  startAt: z.number().int(),
  endAt: z.number().int(),
  reason: z.string().max(500),
  state: z.enum(['active', 'withdrawn']),
});

/**
 * The template or absence a pulled Basic describes, with our id and the resource's. Null when it is
 * not one of ours or breaks the bounds staff input has (a template or absence is sent whole, so
 * nothing is taken from half of one).
 */
export function basicFields(b: Basic): PulledTemplate | PulledAbsence | null {
  const id = ourId(b);
  const code = b.code.coding?.find((c) => c.system === RESOURCE_KIND_SYSTEM)?.code;
  const resourceId = b.subject?.identifier?.system === ID_SYSTEM ? b.subject.identifier.value : undefined;
  if (!id || !resourceId) return null;
  const partsOf = (url: string) => b.extension?.find((e) => e.url === url)?.extension ?? [];
  if (code === BASIC_CODE.template) {
    const parts = partsOf(EXT.scheduleTemplate);
    const one = (name: string) => parts.find((e) => e.url === name);
    const parsed = pulledTemplate.safeParse({
      name: one('name')?.valueString ?? '',
      weekdays: parts.filter((e) => e.url === 'weekday').map((e) => e.valueInteger),
      everyNWeeks: one('everyNWeeks')?.valueInteger,
      validFrom: one('validFrom')?.valueDate,
      validTo: one('validTo')?.valueDate ?? null,
      startTime: one('startTime')?.valueTime?.slice(0, 5),
      endTime: endTimeOfFhir(one('endTime')?.valueTime?.slice(0, 5)),
      slotMin: one('slotMinutes')?.valueInteger,
      typeCodes: parts
        .filter((e) => e.url === 'appointmentType' && e.valueCoding?.system === TYPE_SYSTEM)
        .map((e) => e.valueCoding?.code),
      publishWeb: one('publishWeb')?.valueBoolean,
      withinCareGuarantee: one('withinCareGuarantee')?.valueBoolean,
      skipHolidays: one('skipHolidays')?.valueBoolean,
      active: one('active')?.valueBoolean,
    });
    if (!parsed.success || templateProblem(parsed.data)) return null;
    const t = parsed.data;
    const bit = (v: boolean) => (v ? 1 : 0);
    return {
      kind: 'template',
      id,
      resource_id: resourceId,
      name: t.name,
      weekdays: JSON.stringify([...t.weekdays].sort()),
      every_n_weeks: t.everyNWeeks,
      valid_from: t.validFrom,
      valid_to: t.validTo,
      start_time: t.startTime,
      end_time: t.endTime,
      slot_min: t.slotMin,
      typeCodes: t.typeCodes,
      publish_web: bit(t.publishWeb),
      within_care_guarantee: bit(t.withinCareGuarantee),
      skip_holidays: bit(t.skipHolidays),
      active: bit(t.active),
    };
  }
  if (code === BASIC_CODE.absence) {
    const parts = partsOf(EXT.absence);
    const one = (name: string) => parts.find((e) => e.url === name);
    const period = one('period')?.valuePeriod;
    const instant = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
    const parsed = pulledAbsence.safeParse({
      startAt: instant(period?.start),
      endAt: instant(period?.end),
      reason: one('reason')?.valueString ?? '',
      state: one('state')?.valueCode,
    });
    if (!parsed.success || parsed.data.endAt <= parsed.data.startAt) return null;
    const a = parsed.data;
    return {
      kind: 'absence',
      id,
      resource_id: resourceId,
      start_at: a.startAt,
      end_at: a.endAt,
      reason: a.reason,
      state: a.state,
    };
  }
  return null;
}

export type AnyResource = Resource;
