// What a patient does on 1177 against the central booking API, as FHIR: book a free
// web-published slot, cancel, rebook. Each is one transaction with If-Match on the Slot, like
// any other client; the web rules (carried on the HealthcareService extension) decide what is
// allowed and until when. Used by the patient simulator and by the sync tests.
import type { Appointment, BundleEntry, HealthcareService, Patient, PractitionerRole, Schedule, Slot } from '@medplum/fhirtypes';
import { bookingWindow } from '../../domain/booking-rules.ts';
import { CentralError, ifMatch, type CentralApi } from '../../sync/central-api.ts';
import {
  EXT,
  ourId,
  PERSONNUMMER_SYSTEM,
  PROFESSION_SYSTEM,
  readWebRules,
  TYPE_SYSTEM,
  typeCoding,
  unitTagsOf,
  type WebRules,
} from '../../sync/fhir/mapping.ts';

export interface WebPatient {
  identityNumber: string;
  givenName: string;
  familyName: string;
}

/** A type's web rules on central, whether the unit still offers it, how long it takes and who performs it. */
export interface CentralTypeRules extends WebRules {
  active: boolean;
  durationMin: number;
  /** Professions allowed to perform it; empty: any. */
  professions: string[];
}

/** Web rules per appointment-type code, read from the central HealthcareServices. */
export async function webRulesByCode(api: CentralApi): Promise<Map<string, CentralTypeRules>> {
  const services = await api.searchAll<HealthcareService>('HealthcareService', { _count: '200' });
  const out = new Map<string, CentralTypeRules>();
  for (const s of services) {
    const code = s.type?.[0]?.coding?.find((c) => c.system === TYPE_SYSTEM)?.code;
    const rules = readWebRules(s);
    const durationMin = s.extension?.find((e) => e.url === EXT.durationMinutes)?.valueInteger ?? 0;
    const professions = (s.extension ?? []).filter((e) => e.url === EXT.profession).map((e) => e.valueCode ?? '');
    if (code && rules) out.set(code, { ...rules, active: s.active !== false, durationMin, professions });
  }
  return out;
}

/**
 * The profession of each Schedule's clinician ("Schedule/<id>" as a Slot refers to it; null for a
 * room), from the PractitionerRoles: a type may have been narrowed to professions its older slots'
 * clinicians lack, and the desk books those slots for it no more.
 */
export async function professionsBySchedule(api: CentralApi): Promise<Map<string, string | null>> {
  const roles = await api.searchAll<PractitionerRole>('PractitionerRole', { _count: '500' });
  const ofResource = new Map(
    roles.map((r) => [
      ourId(r),
      r.code?.flatMap((c) => c.coding ?? []).find((c) => c.system === PROFESSION_SYSTEM)?.code ?? null,
    ]),
  );
  const out = new Map<string, string | null>();
  for (const s of await api.searchAll<Schedule>('Schedule', { _count: '500' })) {
    out.set(`Schedule/${s.id}`, ofResource.get(ourId(s)) ?? null);
  }
  return out;
}

function slotCodes(s: Slot): string[] {
  return (s.serviceType ?? [])
    .flatMap((c) => c.coding ?? [])
    .filter((c) => c.system === TYPE_SYSTEM)
    .map((c) => c.code!);
}

/**
 * The type a web patient may book in this slot now, or null (published, free, rules and lead time;
 * with `professionOf`, from professionsBySchedule, also the slot's clinician's profession).
 */
export function webBookableType(
  s: Slot,
  rules: Map<string, CentralTypeRules>,
  now: number,
  professionOf?: Map<string, string | null>,
): string | null {
  if (s.status !== 'free' || !s.extension?.some((e) => e.url === EXT.webPublished && e.valueBoolean)) return null;
  const start = Date.parse(s.start);
  const minutes = (Date.parse(s.end) - start) / 60_000;
  for (const code of slotCodes(s)) {
    const r = rules.get(code);
    // A deactivated type is booked anew nowhere (its slots still list it), as at the desk.
    if (!r || !r.active || !r.webBookable || r.invitationOnly) continue;
    // A slot laid before the type was lengthened: the desk's search no longer offers it either.
    if (minutes < r.durationMin) continue;
    if (professionOf && r.professions.length > 0) {
      const profession = professionOf.get(s.schedule.reference ?? '');
      if (!profession || !r.professions.includes(profession)) continue;
    }
    // The desk's own window: the lead in real hours, the maximum in calendar days (the whole last day).
    const open = bookingWindow(r, now);
    if (start < open.earliest || start > open.latest) continue;
    return code;
  }
  return null;
}

/** A new patient carries the booked Slot's unit tag too, so the unit's desks hear her later changes. */
function patientEntry(p: WebPatient, s: Slot): BundleEntry {
  const tags = unitTagsOf(s);
  const resource: Patient = {
    resourceType: 'Patient',
    ...(tags.length ? { meta: { tag: tags } } : {}),
    identifier: [{ system: PERSONNUMMER_SYSTEM, value: p.identityNumber }],
    name: [{ family: p.familyName, given: [p.givenName] }],
  };
  return {
    fullUrl: 'urn:uuid:7d9f1c2e-0000-4000-8000-000000000001',
    resource,
    request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${PERSONNUMMER_SYSTEM}|${p.identityNumber}` },
  };
}

/** A new booking of slot `s`; it carries the Slot's unit tag, as 1177 copies it, so the unit's desks read it. */
function appointmentFor(s: Slot, code: string, patientRef: string, extra: Partial<Appointment> = {}): Appointment {
  const tags = unitTagsOf(s);
  return {
    resourceType: 'Appointment',
    ...(tags.length ? { meta: { tag: tags } } : {}),
    status: 'booked',
    serviceType: [typeCoding(code)],
    slot: [{ reference: `Slot/${s.id}` }],
    start: s.start,
    end: s.end,
    // No `created`: central stamps it with its own clock (the moment the booking reached it), as
    // 1177's booking system does; the patient's device clock is not the booking's time.
    participant: [{ actor: { reference: patientRef }, status: 'accepted', required: 'required' }],
    extension: [{ url: EXT.channel, valueCode: 'web' }],
    ...extra,
  };
}

const slotPut = (s: Slot, status: Slot['status']): BundleEntry => ({
  resource: { ...s, status },
  request: { method: 'PUT', url: `Slot/${s.id}`, ifMatch: ifMatch(s.meta!.versionId!) },
});

/**
 * 1177 gives a patient only a free time: one booked, blocked or held on a unit's återbudslista
 * (busy-tentative) is refused as taken (409), as when another client changed it since it was read (412).
 */
function refuseUnlessFree(s: Slot): void {
  if (s.status !== 'free') throw new CentralError('http', `HTTP 409 Slot/${s.id} is ${s.status}, not free`, 409);
}

/**
 * Books slot `s` (as read, with its version) for the patient. Throws CentralError (409/412) when it
 * was taken. `anyStatus`: a client that books whatever the Slot says (tests of a central that lets
 * a closed slot be booked).
 */
export async function webBook(
  api: CentralApi,
  s: Slot,
  code: string,
  p: WebPatient,
  options: { anyStatus?: boolean } = {},
): Promise<Appointment> {
  if (!options.anyStatus) refuseUnlessFree(s);
  const pe = patientEntry(p, s);
  const res = await api.transaction([
    pe,
    {
      fullUrl: 'urn:uuid:7d9f1c2e-0000-4000-8000-000000000002',
      resource: appointmentFor(s, code, pe.fullUrl!),
      request: { method: 'POST', url: 'Appointment' },
    },
    slotPut(s, 'busy'),
  ]);
  return res[1]!.resource as Appointment;
}

/** Whether the type's rules let the patient cancel / rebook online now. */
export function mayChangeOnline(
  a: Appointment,
  rules: Map<string, CentralTypeRules>,
  now: number,
  what: 'cancel' | 'rebook',
): boolean {
  const code = a.serviceType?.[0]?.coding?.find((c) => c.system === TYPE_SYSTEM)?.code;
  const r = code ? rules.get(code) : undefined;
  if (!r || !a.start || !['booked', 'pending'].includes(a.status)) return false;
  // A deactivated type's booking is still cancelled online, never moved (mayPatientRebookOnline).
  const allowed = what === 'cancel' ? r.webCancellable : r.webRebookable && r.active;
  const cutoffH = what === 'cancel' ? r.cancelCutoffH : r.rebookCutoffH;
  return allowed && Date.parse(a.start) - now >= cutoffH * 3_600_000;
}

/** Cancels an appointment and frees its slot, in one transaction. */
export async function webCancel(api: CentralApi, a: Appointment, s: Slot): Promise<void> {
  await api.transaction([
    {
      resource: { ...a, status: 'cancelled', cancelationReason: { text: 'Avbokad av patienten via 1177' } },
      request: { method: 'PUT', url: `Appointment/${a.id}`, ifMatch: ifMatch(a.meta!.versionId!) },
    },
    slotPut(s, 'free'),
  ]);
}

/** Rebooks: cancels `a` (linked to the new one) and books `to`, in one transaction. */
export async function webRebook(api: CentralApi, a: Appointment, from: Slot, to: Slot, code: string): Promise<Appointment> {
  refuseUnlessFree(to);
  const newUrl = 'urn:uuid:7d9f1c2e-0000-4000-8000-000000000003';
  const patientRef = a.participant.find((p) => p.actor?.reference?.startsWith('Patient/'))!.actor!.reference!;
  const res = await api.transaction([
    {
      fullUrl: newUrl,
      resource: appointmentFor(to, code, patientRef, {
        extension: [
          { url: EXT.channel, valueCode: 'web' },
          { url: EXT.rebookedFrom, valueReference: { reference: `Appointment/${a.id}` } },
        ],
      }),
      request: { method: 'POST', url: 'Appointment' },
    },
    {
      resource: {
        ...a,
        status: 'cancelled',
        extension: [...(a.extension ?? []), { url: EXT.rebookedTo, valueReference: { reference: newUrl } }],
      },
      request: { method: 'PUT', url: `Appointment/${a.id}`, ifMatch: ifMatch(a.meta!.versionId!) },
    },
    slotPut(from, 'free'),
    slotPut(to, 'busy'),
  ]);
  return res[0]!.resource as Appointment;
}
