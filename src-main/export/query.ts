// The rows every export writer consumes: one per live slot of the period (with its active
// booking, if any), read in pages by keyset (start_at, slot id). Each page is read whole and
// finished before the writer awaits its output stream, so memory stays bounded by the page size
// and the shared connection is never left busy while a file is being written (the web shell
// serves other requests on the same connection meanwhile).
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

/**
 * The columns of one page row, read as arrays (better-sqlite3's raw mode): building a named
 * object per row costs more than the SQL itself at 100k rows. Patients are not joined: their
 * fields are read once per patient (PatientCache) instead of once per booking.
 */
const SLOT_ID = 0;
const SLOT_VERSION = 1;
const RESOURCE_ID = 2;
const START_AT = 3;
const END_AT = 4;
const STATE = 5;
const WEB_PUBLISHED = 6;
const TYPE_IDS = 7;
const BOOKING_ID = 8;
const BOOKING_VERSION = 9;
const STATUS = 10;
const CHANNEL = 11;
const CONTACT_MODE = 12;
const NOTE = 13;
const CREATED_AT = 14;
const TYPE_ID = 15;
const PATIENT_ID = 16;
type RawRow = unknown[];

/**
 * One page of rows after the keyset (afterStart, afterId). SQLite walks slots_by_start (or
 * slots_by_resource_start for one resource) in time order and stops after LIMIT rows instead of
 * sorting the whole period for every page; the unary `+` keeps it from choosing the resource
 * index for the resource list, which would sort every page.
 */
export function rowsSql(oneResource: boolean): string {
  return `
  SELECT s.id, s.version, s.resource_id, s.start_at, s.end_at, s.state, s.web_published, s.appointment_type_ids,
         b.id, b.version, b.status, b.channel, b.contact_mode, b.note, b.created_at, b.appointment_type_id, b.patient_id
    FROM slots s
    LEFT JOIN bookings b ON b.slot_id = s.id AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show')
   WHERE ${oneResource ? 's.resource_id = @resourceId' : '+s.resource_id IN (SELECT value FROM json_each(@resources))'}
     AND s.state <> 'removed'
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

/** A patient's row: id, given name, family name, identity number, phone, protected identity. */
type PatientRecord = [string, string, string, string, string | null, number];

/** A patient as the export may show them: masked for a protected identity or pseudonymised. */
function toPatient(
  [id, given, family, identityNumber, phone, isProtected]: PatientRecord,
  patientData: PatientData,
): ExportPatient {
  if (isProtected === 1) return { id, name: PROTECTED_NAME, identityNumber: null, phone: null, protectedIdentity: true };
  if (patientData === 'pseudonymised') {
    return { id, name: initials(given, family), identityNumber: null, phone: null, protectedIdentity: false };
  }
  return {
    id,
    name: `${given} ${family}`.trim(),
    identityNumber: formatIdentityNumber(identityNumber),
    phone,
    protectedIdentity: false,
  };
}

/**
 * Patients of the export, read and masked once each (a patient has several bookings in a
 * period) and shared by their rows. Bounded: past PATIENT_CACHE_LIMIT entries it starts over,
 * so a region-wide export costs at most that many patients of memory.
 */
const PATIENT_CACHE_LIMIT = 50_000;

class PatientCache {
  private readonly known = new Map<string, ExportPatient>();
  private readonly read: ReturnType<ServiceContext['db']['prepare']>;

  constructor(
    db: ServiceContext['db'],
    private readonly patientData: PatientData,
  ) {
    // Driven by the id list (CROSS JOIN keeps that order): one index lookup per patient.
    this.read = db
      .prepare(
        `SELECT p.id, p.given_name, p.family_name, p.identity_number, p.phone, p.protected_identity
           FROM json_each(?) j CROSS JOIN patients p ON p.id = j.value`,
      )
      .raw(true);
  }

  /**
   * The patient of each row of a page (null for a row without one), reading those not yet known
   * in one statement. Every patient read is counted into `tally`: their data leaves in this page.
   */
  forPage(rows: readonly RawRow[], tally: PatientTally): (ExportPatient | null)[] {
    const found = new Array<ExportPatient | null>(rows.length).fill(null);
    const missing: string[] = [];
    const missingAt: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const id = rows[i]![PATIENT_ID] as string | null;
      if (id === null) continue;
      const known = this.known.get(id);
      if (known) found[i] = known;
      else {
        missing.push(id);
        missingAt.push(i);
      }
    }
    if (missing.length === 0) return found;
    if (this.known.size + missing.length > PATIENT_CACHE_LIMIT) this.known.clear();
    for (const p of this.read.all(JSON.stringify(missing)) as PatientRecord[]) {
      this.known.set(p[0], toPatient(p, this.patientData));
      tally.ids.add(p[0]);
    }
    for (let k = 0; k < missing.length; k++) found[missingAt[k]!] = this.known.get(missing[k]!) ?? null;
    return found;
  }
}

export class ExportQuery {
  /** The unit's appointment types by id (few): joined here rather than per row in SQL. */
  private readonly types: Map<string, { code: string; name: string }>;
  /** The unit's resources in their order, by id: joined here rather than per row in SQL. */
  private readonly unitResources: ExportResource[];
  private readonly resourceById: Map<string, ExportResource>;
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
    this.unitResources = ctx.db
      .prepare(`SELECT id, name, title FROM resources WHERE unit_id = ? ORDER BY sort_order, name`)
      .all(scope.unitId) as ExportResource[];
    this.resourceById = new Map(this.unitResources.map((r) => [r.id, r]));
  }

  /** The resources in scope, in the unit's order; unknown ids are an input error. */
  resources(): ExportResource[] {
    if (!this.scope.resourceIds) return this.unitResources;
    const wanted = new Set(this.scope.resourceIds);
    const found = this.unitResources.filter((r) => wanted.has(r.id));
    if (found.length !== wanted.size) throw new AppError('validation', 'En eller flera valda resurser finns inte på enheten.');
    return found;
  }

  /**
   * Pages of rows in time order, optionally for one resource only. Patients seen are counted
   * into `tally`. Each page is complete when yielded: no statement stays open in between.
   */
  *pages(tally: PatientTally, options: { resourceId?: string; pageSize?: number } = {}): Generator<ExportRow[]> {
    const one = options.resourceId !== undefined;
    if (one && !this.resourceById.has(options.resourceId!)) return; // not the unit's: nothing of it leaves
    const stmt = this.ctx.db.prepare(rowsSql(one)).raw(true);
    const patients =
      this.scope.content !== 'slots' && this.scope.patientData !== 'none'
        ? new PatientCache(this.ctx.db, this.scope.patientData)
        : null;
    const limit = options.pageSize ?? 1000;
    const resources = JSON.stringify(this.resources().map((r) => r.id));
    let afterStart = this.fromAt;
    let afterId = '';
    for (;;) {
      const params = {
        toAt: this.toAt,
        ...(one ? { resourceId: options.resourceId } : { resources }),
        bookedOnly: this.scope.content === 'bookings' ? 1 : 0,
        afterStart,
        afterId,
        limit,
      };
      const raw = stmt.all(params) as RawRow[];
      if (raw.length === 0) return;
      const pagePatients = patients?.forPage(raw, tally);
      const page = raw.map((r, i) => this.toRow(r, pagePatients?.[i] ?? null));
      const last = page[page.length - 1]!;
      afterStart = last.startAt;
      afterId = last.slotId;
      tally.rows += page.length;
      yield page;
      if (page.length < limit) return;
    }
  }

  /**
   * Type codes of a slot's JSON id list. Slots share a handful of lists, so each is parsed once;
   * neighbouring slots mostly share one, so the last is compared first (cheaper than hashing).
   */
  private readonly offeredCache = new Map<string, readonly string[]>();
  private lastOffered: { json: string; codes: readonly string[] } = { json: '', codes: [] };
  private offered(json: string): readonly string[] {
    if (json === this.lastOffered.json) return this.lastOffered.codes;
    let codes = this.offeredCache.get(json);
    if (!codes) {
      codes = (JSON.parse(json) as string[]).map((id) => this.types.get(id)?.code ?? id);
      this.offeredCache.set(json, codes);
    }
    this.lastOffered = { json, codes };
    return codes;
  }

  private toRow(r: RawRow, patient: ExportPatient | null): ExportRow {
    const bookingId = r[BOOKING_ID] as string | null;
    let booking: ExportBooking | null = null;
    if (bookingId !== null && this.scope.content !== 'slots') {
      const masked = this.scope.patientData !== 'full' || patient?.protectedIdentity === true;
      const type = this.types.get(r[TYPE_ID] as string);
      booking = {
        id: bookingId,
        version: r[BOOKING_VERSION] as number,
        status: r[STATUS] as BookingStatus,
        channel: r[CHANNEL] as Channel,
        contactMode: r[CONTACT_MODE] as ContactMode,
        typeCode: type?.code ?? '',
        typeName: type?.name ?? '',
        note: masked ? '' : ((r[NOTE] as string | null) ?? ''),
        createdAt: r[CREATED_AT] as number,
        patient,
      };
    }
    const resource = this.resourceById.get(r[RESOURCE_ID] as string);
    return {
      slotId: r[SLOT_ID] as string,
      slotVersion: r[SLOT_VERSION] as number,
      resourceId: r[RESOURCE_ID] as string,
      resourceName: resource?.name ?? '',
      resourceTitle: resource?.title ?? null,
      startAt: r[START_AT] as number,
      endAt: r[END_AT] as number,
      slotState: r[STATE] as 'open' | 'blocked',
      webPublished: r[WEB_PUBLISHED] === 1,
      booked: bookingId !== null,
      offeredTypes: this.offered(r[TYPE_IDS] as string),
      booking,
    };
  }
}
