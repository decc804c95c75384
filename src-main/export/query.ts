// The rows every export writer consumes: one per live slot of the period (with its active
// booking, if any), read in pages by keyset (start_at, slot id). Each page is read with
// .iterate() and finished before the writer awaits its output stream, so memory stays bounded
// by the page size and the shared connection is never left busy while a file is being written
// (the web shell serves other requests on the same connection meanwhile).
// Patient data is masked here, in one place, before any writer sees it.
import { AppError } from '../api/result.ts';
import type { BookingStatus, Channel, ContactMode } from '../api/types.ts';
import { addDays, startOfLocalDay } from '../domain/time.ts';
import { formatIdentityNumber } from '../domain/personnummer.ts';
import type { ServiceContext } from '../services/context.ts';

/** What the rows carry of the patient: all of it, initials only, or nothing. */
export type PatientData = 'full' | 'pseudonymised' | 'none';
/** Bookings only, every slot without patient data, or every slot with its booking. */
export type ExportContent = 'bookings' | 'slots' | 'both';

export const PROTECTED_NAME = 'Skyddad identitet';

export interface ExportScope {
  unitId: string;
  timeZone: string;
  /** First and last local date of the period, both included. */
  from: string;
  to: string;
  /** Limit to these resources; all of the unit's resources when absent. */
  resourceIds?: readonly string[] | undefined;
  content: ExportContent;
  patientData: PatientData;
}

export interface ExportPatient {
  id: string;
  /** Full name, initials, or 'Skyddad identitet' for a protected identity. */
  name: string;
  /** 'YYYYMMDD-NNNN', or null when pseudonymised or protected. */
  identityNumber: string | null;
  phone: string | null;
  protectedIdentity: boolean;
}

export interface ExportBooking {
  id: string;
  version: number;
  status: BookingStatus;
  channel: Channel;
  contactMode: ContactMode;
  typeCode: string;
  typeName: string;
  /** Empty when masked (pseudonymised or protected identity): free text may identify. */
  note: string;
  createdAt: number;
  /** Null when the export carries no patient data. */
  patient: ExportPatient | null;
}

export interface ExportRow {
  slotId: string;
  slotVersion: number;
  resourceId: string;
  resourceName: string;
  resourceTitle: string | null;
  startAt: number;
  endAt: number;
  slotState: 'open' | 'blocked';
  webPublished: boolean;
  /** Codes of the appointment types the slot offers. */
  offeredTypes: readonly string[];
  /** The slot holds an active booking (also known when content is 'slots'). */
  booked: boolean;
  /** The slot's active booking; always null when content is 'slots'. */
  booking: ExportBooking | null;
}

export interface ExportResource {
  id: string;
  name: string;
  title: string | null;
}

/** Patients whose data left the database, for the access log. */
export class PatientTally {
  readonly ids = new Set<string>();
  rows = 0;
}

interface RawRow {
  slot_id: string;
  slot_version: number;
  resource_id: string;
  resource_name: string;
  resource_title: string | null;
  start_at: number;
  end_at: number;
  state: 'open' | 'blocked';
  web_published: number;
  appointment_type_ids: string;
  booking_id: string | null;
  booking_version: number | null;
  status: BookingStatus | null;
  channel: Channel | null;
  contact_mode: ContactMode | null;
  note: string | null;
  created_at: number | null;
  type_id: string | null;
  patient_id: string | null;
  given_name: string | null;
  family_name: string | null;
  identity_number: string | null;
  phone: string | null;
  protected_identity: number | null;
}

/**
 * One page of rows after the keyset (afterStart, afterId). `slots` drives the join (CROSS JOIN
 * fixes the order) so SQLite walks slots_by_start, or slots_by_resource_start for one resource,
 * in time order and stops after LIMIT rows instead of sorting the whole period for every page.
 */
export function rowsSql(oneResource: boolean): string {
  return `
  SELECT s.id AS slot_id, s.version AS slot_version, s.resource_id, r.name AS resource_name, r.title AS resource_title,
         s.start_at, s.end_at, s.state, s.web_published, s.appointment_type_ids,
         b.id AS booking_id, b.version AS booking_version, b.status, b.channel, b.contact_mode, b.note, b.created_at,
         b.appointment_type_id AS type_id,
         p.id AS patient_id, p.given_name, p.family_name, p.identity_number, p.phone, p.protected_identity
    FROM slots s
    CROSS JOIN resources r ON r.id = s.resource_id
    LEFT JOIN bookings b ON b.slot_id = s.id AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show')
    LEFT JOIN patients p ON p.id = b.patient_id
   WHERE ${oneResource ? 's.resource_id = @resourceId' : '(@resources IS NULL OR s.resource_id IN (SELECT value FROM json_each(@resources)))'}
     AND r.unit_id = @unitId AND s.state <> 'removed'
     AND s.start_at >= @afterStart AND s.start_at < @toAt
     AND (s.start_at > @afterStart OR s.id > @afterId)
     AND (@bookedOnly = 0 OR b.id IS NOT NULL)
   ORDER BY s.start_at, s.id
   LIMIT @limit`;
}

export function initials(given: string, family: string): string {
  const first = (s: string) =>
    s
      .split(/[\s-]+/)
      .filter(Boolean)
      .map((w) => `${w[0]!.toUpperCase()}.`)
      .join('');
  return `${first(given)} ${first(family)}`.trim();
}

function toPatient(r: RawRow, patientData: PatientData): ExportPatient | null {
  if (patientData === 'none' || r.patient_id === null) return null;
  const isProtected = r.protected_identity === 1;
  if (isProtected) {
    return { id: r.patient_id, name: PROTECTED_NAME, identityNumber: null, phone: null, protectedIdentity: true };
  }
  if (patientData === 'pseudonymised') {
    return {
      id: r.patient_id,
      name: initials(r.given_name ?? '', r.family_name ?? ''),
      identityNumber: null,
      phone: null,
      protectedIdentity: false,
    };
  }
  return {
    id: r.patient_id,
    name: `${r.given_name ?? ''} ${r.family_name ?? ''}`.trim(),
    identityNumber: formatIdentityNumber(r.identity_number ?? ''),
    phone: r.phone,
    protectedIdentity: false,
  };
}

export class ExportQuery {
  /** The unit's appointment types by id (few): joined here rather than per row in SQL. */
  private readonly types: Map<string, { code: string; name: string }>;
  readonly fromAt: number;
  readonly toAt: number;

  constructor(
    private readonly ctx: ServiceContext,
    readonly scope: ExportScope,
  ) {
    if (scope.to < scope.from) throw new AppError('validation', 'Slutdatum får inte vara före startdatum.');
    this.fromAt = startOfLocalDay(scope.from, scope.timeZone);
    this.toAt = startOfLocalDay(addDays(scope.to, 1), scope.timeZone);
    const types = ctx.db
      .prepare(`SELECT id, code, name_sv AS name FROM appointment_types WHERE unit_id = ?`)
      .all(scope.unitId) as {
      id: string;
      code: string;
      name: string;
    }[];
    this.types = new Map(types.map((t) => [t.id, { code: t.code, name: t.name }]));
  }

  /** The resources in scope, in the unit's order; unknown ids are an input error. */
  resources(): ExportResource[] {
    const all = this.ctx.db
      .prepare(`SELECT id, name, title FROM resources WHERE unit_id = ? ORDER BY sort_order, name`)
      .all(this.scope.unitId) as ExportResource[];
    if (!this.scope.resourceIds) return all;
    const wanted = new Set(this.scope.resourceIds);
    const found = all.filter((r) => wanted.has(r.id));
    if (found.length !== wanted.size) throw new AppError('validation', 'En eller flera valda resurser finns inte på enheten.');
    return found;
  }

  /**
   * Pages of rows in time order, optionally for one resource only. Patients seen are counted
   * into `tally`. Each page is complete when yielded: no statement stays open in between.
   */
  *pages(tally: PatientTally, options: { resourceId?: string; pageSize?: number } = {}): Generator<ExportRow[]> {
    const one = options.resourceId !== undefined;
    const stmt = this.ctx.db.prepare(rowsSql(one));
    const limit = options.pageSize ?? 2000;
    const resources = this.scope.resourceIds ? JSON.stringify(this.scope.resourceIds) : null;
    let afterStart = this.fromAt;
    let afterId = '';
    for (;;) {
      const page: ExportRow[] = [];
      const params = {
        unitId: this.scope.unitId,
        toAt: this.toAt,
        ...(one ? { resourceId: options.resourceId } : { resources }),
        bookedOnly: this.scope.content === 'bookings' ? 1 : 0,
        afterStart,
        afterId,
        limit,
      };
      for (const r of stmt.iterate(params) as Iterable<RawRow>) page.push(this.toRow(r, tally));
      if (page.length === 0) return;
      const last = page[page.length - 1]!;
      afterStart = last.startAt;
      afterId = last.slotId;
      tally.rows += page.length;
      yield page;
      if (page.length < limit) return;
    }
  }

  /** Type codes of a slot's JSON id list; slots share a handful of lists, so each is parsed once. */
  private readonly offeredCache = new Map<string, readonly string[]>();
  private offered(json: string): readonly string[] {
    let codes = this.offeredCache.get(json);
    if (!codes) {
      codes = (JSON.parse(json) as string[]).map((id) => this.types.get(id)?.code ?? id);
      this.offeredCache.set(json, codes);
    }
    return codes;
  }

  private toRow(r: RawRow, tally: PatientTally): ExportRow {
    let booking: ExportBooking | null = null;
    if (r.booking_id !== null && this.scope.content !== 'slots') {
      const patient = toPatient(r, this.scope.patientData);
      if (patient) tally.ids.add(patient.id);
      const masked = this.scope.patientData !== 'full' || r.protected_identity === 1;
      booking = {
        id: r.booking_id,
        version: r.booking_version ?? 1,
        status: r.status!,
        channel: r.channel!,
        contactMode: r.contact_mode!,
        typeCode: this.types.get(r.type_id ?? '')?.code ?? '',
        typeName: this.types.get(r.type_id ?? '')?.name ?? '',
        note: masked ? '' : (r.note ?? ''),
        createdAt: r.created_at ?? 0,
        patient,
      };
    }
    return {
      slotId: r.slot_id,
      slotVersion: r.slot_version,
      resourceId: r.resource_id,
      resourceName: r.resource_name,
      resourceTitle: r.resource_title,
      startAt: r.start_at,
      endAt: r.end_at,
      slotState: r.state,
      webPublished: r.web_published === 1,
      booked: r.booking_id !== null,
      offeredTypes: this.offered(r.appointment_type_ids),
      booking,
    };
  }
}
