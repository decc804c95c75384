// Acceptance: two gaps in sync that staff and IT would meet, against the real stand-in central.
// - A failure inside the desk's own database (a trigger refusing a page, a read-only or full
//   database: real SQLite faults) is not "offline": the status says error/local so staff call IT,
//   the log says what failed, the engine retries slowly, and nothing is lost once it is mended.
//   The network, 5xx and timeouts stay "offline"; central refusing the desk is error/central.
// - A web rebooking is one transaction on central; pulled in pages of one entry its two halves
//   arrive apart (either first), and the desk must end exactly as when they arrive together: the
//   old booking rebooked to the new, the new pointing back, and a rebooking the unit's rules reject
//   gives the patient the old time back. Re-reading the pages changes nothing.
import { v4 as uuidv4 } from 'uuid';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type { Appointment, BundleEntry, Slot } from '@medplum/fhirtypes';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import type { Role } from '../../../src-main/api/types.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webRebook, type WebPatient } from '../../../src-main/demo/central/web-patient.ts';
import { ifMatch, type CentralApi } from '../../../src-main/sync/central-api.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { EXT, ID_SYSTEM, localIdForRemote, typeCoding, unitTagsOf } from '../../../src-main/sync/fhir/mapping.ts';
import { pullChanges } from '../../../src-main/sync/pull.ts';
import { readCursor, writeCursor } from '../../../src-main/sync/local.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { bookSlot } from '../../../src-main/services/bookings.ts';
import { deskBookingStatus } from '../../../src-main/services/sync-claims.ts';
import { createLogger, type Logger } from '../../../src-main/log.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import {
  api,
  centralBookings,
  centralHolding,
  configureCentral,
  desk as deskCaller,
  localActive,
  localBookings,
  openLocal,
  patientNumber,
  seedSmallUnit,
  sorted,
  tempDir,
  type SmallUnit,
} from './helpers.ts';
import { valueOf } from '../../helpers/results.ts';

let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;
const now = Date.parse('2026-10-19T09:00:00+02:00');
const types: Record<string, string> = {};

async function ok<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]): Promise<ResultOf<M>> {
  return valueOf<ResultOf<M>>(method, await dispatch({ ctx, caller: testCaller(roles), shell: 'web' }, method, input));
}
const web = () => api(central.url);
const onCentral = async (slotId: string) => (await web().byIdentifier<Slot>('Slot', ID_SYSTEM, slotId))!;
const person = (i: number): WebPatient => ({ identityNumber: patientNumber(i), givenName: `Webb${i}`, familyName: 'Delad' });

/** Which Appointments each pull page carried, in order (to prove the halves were split). */
function recordingPages(inner: CentralApi): { api: CentralApi; pages: string[][] } {
  const pages: string[][] = [];
  const recording: CentralApi = Object.create(inner) as CentralApi;
  recording.searchPage = async (url) => {
    const page = await inner.searchPage(url);
    if (url.includes('/Appointment?')) pages.push(page.resources.map((r) => r.id!));
    return page as never;
  };
  return { api: recording, pages };
}

async function sync(pageSize?: number) {
  const r = await new SyncEngine(ctx, api(central.url), pageSize ? { pullPageSize: pageSize } : {}).settle();
  expect(r.error).toBeNull();
}

async function slot(date: string, start: string, typeCode: string, webPublished = true): Promise<string> {
  const [h, m] = start.split(':').map(Number) as [number, number];
  const end = `${String(h + (m + 30 >= 60 ? 1 : 0)).padStart(2, '0')}:${String((m + 30) % 60).padStart(2, '0')}`;
  const s = await ok('slots.create', {
    resourceId: unit.resourceIds[0]!,
    date,
    startTime: start,
    endTime: end,
    appointmentTypeIds: [types[typeCode]!],
    webPublished,
    withinCareGuarantee: true,
  });
  return s.id;
}

/**
 * A web rebooking as another central may store it: one transaction whose old half (cancelled,
 * rebooked-to) is written before the new one, so the change feed lists the old half first. (A
 * POST is processed before every PUT, so the new half is a PUT of an id chosen here.)
 */
async function webRebookOldFirst(central: CentralApi, a: Appointment, from: Slot, to: Slot, code: string): Promise<Appointment> {
  const newId = uuidv4();
  const patientRef = a.participant.find((p) => p.actor?.reference?.startsWith('Patient/'))!.actor!.reference!;
  const entries: BundleEntry[] = [
    {
      resource: {
        ...a,
        status: 'cancelled',
        extension: [...(a.extension ?? []), { url: EXT.rebookedTo, valueReference: { reference: `Appointment/${newId}` } }],
      },
      request: { method: 'PUT', url: `Appointment/${a.id}`, ifMatch: ifMatch(a.meta!.versionId!) },
    },
    {
      resource: {
        resourceType: 'Appointment',
        // The unit's tag, copied from the Slot as 1177 does.
        meta: { tag: unitTagsOf(to) },
        id: newId,
        status: 'booked',
        serviceType: [typeCoding(code)],
        slot: [{ reference: `Slot/${to.id}` }],
        start: to.start,
        end: to.end,
        created: new Date().toISOString(),
        participant: [{ actor: { reference: patientRef }, status: 'accepted', required: 'required' }],
        extension: [
          { url: EXT.channel, valueCode: 'web' },
          { url: EXT.rebookedFrom, valueReference: { reference: `Appointment/${a.id}` } },
        ],
      },
      request: { method: 'PUT', url: `Appointment/${newId}` },
    },
    {
      resource: { ...from, status: 'free' },
      request: { method: 'PUT', url: `Slot/${from.id}`, ifMatch: ifMatch(from.meta!.versionId!) },
    },
    {
      resource: { ...to, status: 'busy' },
      request: { method: 'PUT', url: `Slot/${to.id}`, ifMatch: ifMatch(to.meta!.versionId!) },
    },
  ];
  const res = await central.transaction(entries);
  return res[1]!.resource as Appointment;
}

beforeAll(async () => {
  // The patient's browser and central share the unit's clock (Appointment.created is judged).
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  central = await startCentral({});
  ctx = openLocal(tempDir(), 'desk', () => now);
  unit = seedSmallUnit(ctx, { slots: 0, patients: 1 });
  types.LAKBES = unit.typeIds.lakbes;
  const ins = ctx.db.prepare(
    `INSERT INTO appointment_types (id, unit_id, code, name_sv, name_en, duration_min, contact_modes, professions, web_bookable, invitation_only,
       web_cancellable, web_rebookable, cancel_cutoff_h, rebook_cutoff_h, book_min_lead_h, book_max_days, updated_at)
     VALUES (?, ?, ?, ?, ?, 30, '["physical"]', '[]', 1, 0, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // web_cancellable, web_rebookable, cancel_h, rebook_h, lead_h, max_days
  const add = (code: string, name: string, f: [number, number, number, number, number, number]) => {
    types[code] = ctx.newId();
    ins.run(types[code], unit.unitId, code, name, name, ...f, now);
  };
  add('KORT', 'Specialistbesök', [1, 1, 72, 72, 0, 30]);
  add('FAST', 'Hälsokontroll', [0, 0, 24, 24, 0, 180]);
  configureCentral(ctx, central.url);
  await sync();
});

afterAll(async () => {
  vi.useRealTimers();
  ctx.db.close();
  await central.close();
});

const row = (id: string) =>
  ctx.db
    .prepare(
      `SELECT status, channel, cancel_reason_code, cancel_reason_text, rebooked_from, rebooked_to, patient_id FROM bookings WHERE id = ?`,
    )
    .get(id) as {
    status: string;
    channel: string;
    cancel_reason_code: string | null;
    cancel_reason_text: string | null;
    rebooked_from: string | null;
    rebooked_to: string | null;
    patient_id: string;
  };
const activeOn = (slotId: string) =>
  ctx.db
    .prepare(
      `SELECT id, patient_id, status, channel FROM bookings WHERE slot_id = ? AND status IN ('preliminary','booked','arrived','completed','no_show')`,
    )
    .all(slotId) as { id: string; patient_id: string; status: string; channel: string }[];
const conflictsOf = (bookingId: string) =>
  (
    ctx.db.prepare(`SELECT kind, detail, suggested FROM conflicts WHERE entity_id = ?`).all(bookingId) as {
      kind: string;
      detail: string;
      suggested: string;
    }[]
  ).map((c) => ({
    kind: c.kind,
    reason: (JSON.parse(c.detail) as { reason?: string }).reason,
    suggested: JSON.parse(c.suggested),
  }));
const auditOps = (entityId: string) =>
  (
    ctx.db.prepare(`SELECT workstation, detail FROM audit_events WHERE entity_id = ? ORDER BY seq`).all(entityId) as {
      workstation: string;
      detail: string;
    }[]
  ).map((e) => `${e.workstation === 'sync' ? '' : `${e.workstation}:`}${(JSON.parse(e.detail) as { op?: string }).op}`);
/** Everything a pull may write, row by row. */
const snapshot = () =>
  Object.fromEntries(
    ['bookings', 'conflicts', 'outbox', 'sync_state', 'audit_events', 'slots', 'patients'].map((t) => [
      t,
      ctx.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all(),
    ]),
  );

async function converged(): Promise<void> {
  expect(sorted(localBookings(ctx))).toEqual(sorted(await centralBookings(web())));
  for (const [, held] of await centralHolding(web())) expect(held).toHaveLength(1);
  expect(ctx.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state <> 'done'`).get()).toEqual({ n: 0 });
}

describe('a web rebooking whose two halves arrive on different pull pages', () => {
  // now = Mon 2026-10-19 09:00. KORT: rebook cut-off 72 h; FAST: not rebookable on the web.
  const scenarios = [
    { name: 'that the rules allow', code: 'LAKBES', from: '2026-11-02', to: '2026-11-03', rejected: null },
    {
      name: 'of a type not rebookable on the web',
      code: 'FAST',
      from: '2026-11-04',
      to: '2026-11-05',
      rejected: /får inte ombokas via webben/,
    },
    {
      name: 'past the cut-off',
      code: 'KORT',
      from: '2026-10-21',
      to: '2026-10-30',
      rejected: /Ombokning måste göras senast 72 timmar före besöket/,
    },
  ] as const;
  // The desk noting something on the old booking meanwhile: pull leaves that row to push, whose
  // If-Match meets central's version (central wins), so the old half is applied by push instead.
  const variants = [
    { order: 'both on one page', deskNote: false },
    { order: 'new half first', deskNote: false },
    { order: 'old half first', deskNote: false },
    { order: 'both on one page', deskNote: true },
    { order: 'new half first', deskNote: true },
  ] as const;
  const cases = variants.flatMap((v, o) =>
    scenarios.map((s, i) => ({
      ...s,
      ...v,
      n: o * scenarios.length + i,
      how: `${v.order}${v.deskNote ? ', the desk noting the old booking meanwhile' : ''}`,
    })),
  );

  it.each(cases)('$name, $how: ends as when both halves come together', async (c) => {
    const start = `${String(8 + c.n).padStart(2, '0')}:00`;
    const from = await slot(c.from, start, c.code);
    const to = await slot(c.to, start, c.code);
    await sync();
    const booked = await webBook(web(), await onCentral(from), c.code, person(300 + c.n));
    await sync();
    const held = activeOn(from)[0]!;
    expect(held.channel).toBe('web');
    const cursorBefore = readCursor(ctx, 'Appointment');

    const a = (await web().read<Appointment>('Appointment', booked.id!))!;
    const moved =
      c.order === 'old half first'
        ? await webRebookOldFirst(web(), a, await onCentral(from), await onCentral(to), c.code)
        : await webRebook(web(), a, await onCentral(from), await onCentral(to), c.code);
    const newId = localIdForRemote('Appointment', moved.id!);
    if (c.deskNote) await ok('bookings.setNote', { id: held.id, note: 'Behöver tolk' });

    // Pulled in pages of one entry, the two halves are applied in different transactions.
    const pageSize = c.order === 'both on one page' ? 500 : 1;
    const rec = recordingPages(api(central.url));
    await pullChanges(ctx, rec.api, { pageSize });
    const pageOf = (remote: string) => rec.pages.findIndex((p) => p.includes(remote));
    const [newPage, oldPage] = [pageOf(moved.id!), pageOf(booked.id!)];
    expect(newPage).toBeGreaterThanOrEqual(0);
    expect(oldPage).toBeGreaterThanOrEqual(0);
    expect(Math.sign(oldPage - newPage)).toBe({ 'both on one page': 0, 'new half first': 1, 'old half first': -1 }[c.order]);
    await sync(pageSize);

    expect(row(held.id)).toMatchObject({ status: 'rebooked', rebooked_to: newId });
    expect(row(newId)).toMatchObject({ channel: 'web', rebooked_from: held.id, patient_id: held.patient_id });
    // The desk's note lost to central's change, and staff are told (Konflikter: 'Centralt: ombokad').
    expect(conflictsOf(held.id).map((x) => x.kind)).toEqual(c.deskNote ? ['stale_version'] : []);
    if (c.rejected === null) {
      expect(row(newId).status).toBe('booked');
      expect(activeOn(from)).toEqual([]);
      expect(conflictsOf(newId)).toEqual([]);
      expect((await onCentral(from)).status).toBe('free');
      expect((await onCentral(to)).status).toBe('busy');
    } else {
      expect(row(newId)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'WEB_REJECTED' });
      expect(row(newId).cancel_reason_text).toMatch(c.rejected);
      // The old time is the patient's again, confirmed by central; the new one is free there.
      const back = activeOn(from);
      expect(back).toHaveLength(1);
      expect(back[0]).toMatchObject({ patient_id: held.patient_id, status: 'booked' });
      expect((await onCentral(from)).status).toBe('busy');
      expect((await onCentral(to)).status).toBe('free');
      const conflicts = conflictsOf(newId);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ kind: 'rejected', suggested: [] });
      expect(conflicts[0]!.reason).toMatch(/^Ombokningen via webben avvisades: .*Patientens tidigare tid är bokad igen\.$/);
      // The unit's decisions are on the audit log, as changes made by sync.
      expect(auditOps(newId)).toEqual(['sync.web_rejected']);
      expect(auditOps(back[0]!.id)).toEqual(['sync.rebooking_rejected']);
    }
    // Nothing is left waiting for a half that came.
    expect(ctx.db.prepare(`SELECT feed FROM sync_state WHERE feed LIKE 'rebook%'`).all()).toEqual([]);
    await converged();

    // The same pages once more (the cursor back where it was): nothing changes.
    const before = snapshot();
    writeCursor(ctx, 'Appointment', cursorBefore!);
    await pullChanges(ctx, api(central.url), { pageSize: 1, feeds: ['Appointment'] });
    expect(snapshot()).toEqual(before);
  });
});

describe("a failure inside the desk's own database is not shown as offline", () => {
  let c: Central;
  let desk: ServiceContext;
  let small: SmallUnit;
  let dir: string;
  let logLines: Record<string, unknown>[];
  let log: Logger;

  beforeEach(async () => {
    c = await startCentral({});
    dir = tempDir();
    desk = openLocal(dir, 'desk');
    small = seedSmallUnit(desk, { slots: 40, patients: 2 });
    configureCentral(desk, c.url);
    logLines = [];
    log = createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(JSON.parse(line)) } });
  });
  afterEach(async () => {
    desk.db.close();
    await c.close();
  });

  const engineOf = (central: CentralApi = api(c.url), extra: ConstructorParameters<typeof SyncEngine>[2] = {}) =>
    new SyncEngine(desk, central, { log, ...extra });
  const online = async (engine: SyncEngine) => {
    expect((await engine.settle()).error).toBeNull();
    expect(engine.status()).toMatchObject({ mode: 'online', errorKind: null });
  };
  const webBookOn = async (i: number) =>
    webBook(api(c.url), (await api(c.url).byIdentifier<Slot>('Slot', ID_SYSTEM, small.slotIds[i]!))!, 'LAKBES', person(400 + i));
  const deskBook = (i: number, patient = 0) =>
    bookSlot(desk, deskCaller, {
      slotId: small.slotIds[i]!,
      patientId: small.patientIds[patient]!,
      appointmentTypeId: small.typeIds.lakbes,
      channel: 'desk',
      note: '',
      status: deskBookingStatus(desk),
    });
  const errors = () => logLines.filter((l) => l['level'] === 50);

  it('a trigger refusing a pulled page: error (local), the log names step and code, the page is kept; the desk still sends', async () => {
    const engine = engineOf();
    await online(engine);
    desk.db.exec(
      `CREATE TRIGGER refuse_pulled_booking BEFORE INSERT ON bookings WHEN NEW.updated_by = 'central'
         BEGIN SELECT RAISE(ABORT, 'injected: this desk refuses pulled bookings'); END`,
    );
    await webBookOn(1);
    const cursor = readCursor(desk, 'Appointment');
    const r = await engine.runOnce();
    expect(r.failure).toBe('local');
    expect(engine.status()).toMatchObject({ mode: 'error', errorKind: 'local' });
    expect(engine.status().lastError).toBe('SQLITE_CONSTRAINT_TRIGGER: injected: this desk refuses pulled bookings');
    // Nothing of the page was applied, and its cursor did not pass it.
    expect(localActive(desk).get(small.slotIds[1]!)).toBeUndefined();
    expect(readCursor(desk, 'Appointment')).toBe(cursor);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({
      step: 'pull',
      code: 'SQLITE_CONSTRAINT_TRIGGER',
      database: join(dir, 'desk.db'),
      err: { message: 'injected: this desk refuses pulled bookings', stack: expect.stringContaining('pull') as unknown },
      msg: 'sync: the local database failed in pull (SQLITE_CONSTRAINT_TRIGGER); call IT',
    });
    expect(logLines.some((l) => l['msg'] === 'sync: error (local)')).toBe(true);
    // `tidbok sync --once` (a scheduled job) says the same, and fails.
    const cli = await runTidbok(['sync', '--central', c.url, '--once', '--db', join(dir, 'desk.db')]);
    const exitCode = process.exitCode; // the command sets it (in this process: put it back)
    process.exitCode = undefined;
    expect(exitCode).toBe(1);
    expect(cli.out).toMatch(/ — local: SQLITE_CONSTRAINT_TRIGGER: injected: this desk refuses pulled bookings\n$/);

    // The desk books on, and its changes still reach central (push comes before the refused pull).
    const b = deskBook(2);
    const again = await engine.runOnce();
    expect(again).toMatchObject({ failure: 'local', pushed: 1 });
    // Logged in full once; a retry meeting the same error says so in a line.
    expect(errors()).toHaveLength(1);
    expect(logLines.filter((l) => l['msg'] === 'sync: still failing (local)')).toHaveLength(1);
    expect((await centralHolding(api(c.url))).has(small.slotIds[2]!)).toBe(true);

    desk.db.exec(`DROP TRIGGER refuse_pulled_booking`);
    expect((await engine.settle()).error).toBeNull();
    expect(engine.status()).toMatchObject({ mode: 'online', errorKind: null, lastError: null });
    expect(localActive(desk).get(small.slotIds[1]!)).toMatchObject({ channel: 'web', status: 'booked' });
    expect(localActive(desk).get(small.slotIds[2]!)).toMatchObject({ id: b.id, status: 'booked' });
  });

  it('a read-only database: error (local); the booking central took meanwhile is not sent twice once it is writable', async () => {
    // The file turns read-only while central answers: central has the booking, the desk cannot
    // note that it does. (Read-only before the push, nothing is sent: the push's transactions take
    // the write lock when they begin, store/database.ts.)
    let readOnlyOnAnswer = false;
    const central = api(c.url);
    const engine = engineOf(
      new Proxy(central, {
        get(target, key) {
          const value = Reflect.get(target, key, target) as unknown;
          if (key !== 'transaction' || typeof value !== 'function')
            return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: Parameters<CentralApi['transaction']>) => {
            const answer = await central.transaction(...args);
            if (readOnlyOnAnswer) desk.db.pragma('query_only = ON');
            return answer;
          };
        },
      }),
    );
    await online(engine);
    const b = deskBook(3);
    readOnlyOnAnswer = true;
    const r = await engine.runOnce();
    readOnlyOnAnswer = false;
    expect(r.failure).toBe('local');
    expect(engine.status()).toMatchObject({ mode: 'error', errorKind: 'local' });
    expect(engine.status().lastError).toMatch(/^SQLITE_READONLY: /);
    expect(errors()[0]).toMatchObject({ step: 'push', code: 'SQLITE_READONLY' });
    // Central took the booking; the desk could not note that it did (as if the answer were lost).
    expect((await centralHolding(api(c.url))).get(small.slotIds[3]!)).toHaveLength(1);
    expect(localActive(desk).get(small.slotIds[3]!)?.status).toBe('preliminary');
    desk.db.pragma('query_only = OFF');
    expect((await engine.settle()).error).toBeNull();
    expect(localActive(desk).get(small.slotIds[3]!)).toMatchObject({ id: b.id, status: 'booked' });
    expect(sorted(localBookings(desk))).toEqual(sorted(await centralBookings(api(c.url))));
    for (const [, held] of await centralHolding(api(c.url))) expect(held).toHaveLength(1);
  });

  it('a full database (disk full): error (local) until there is room, then every web booking arrives', async () => {
    const engine = engineOf();
    await online(engine);
    for (let i = 0; i < 40; i++) await webBookOn(i);
    // No room left: no free page in the file, and it may not grow.
    desk.db.exec('VACUUM');
    desk.db.pragma(`max_page_count = ${desk.db.pragma('page_count', { simple: true }) as number}`);
    const r = await engine.runOnce();
    expect(r.failure).toBe('local');
    expect(engine.status().lastError).toMatch(/^SQLITE_FULL: /);
    expect(localActive(desk).size).toBe(0);
    desk.db.pragma('max_page_count = 1073741823');
    expect((await engine.settle()).error).toBeNull();
    expect([...localActive(desk).values()].filter((b) => b.channel === 'web')).toHaveLength(40);
  });

  it('the running engine retries a local error slowly, and a 5xx or a timeout fast, as offline (the network: engine.test.ts)', async () => {
    const proxy = await startFaultProxy(c.url, { timeoutMs: 300 });
    // The proxy carries HTTP only: this is the polling path (notifications: subscription.test.ts).
    const engine = engineOf(api(proxy.url, null, 300), {
      random: () => 0,
      idleMaxMs: 200,
      backoffMaxMs: 30_000,
      notifications: false,
    });
    try {
      await online(engine);
      engine.start();
      const nextIn = async (mode: string) => {
        await vi.waitFor(() => expect(engine.status()).toMatchObject({ mode, nextAttemptAt: expect.any(Number) as unknown }), {
          timeout: 10_000,
          interval: 20,
        });
        return engine.status().nextAttemptAt! - desk.now();
      };
      for (const fault of ['error503', 'timeout'] as const) {
        proxy.setChooser(() => fault);
        expect(await nextIn('offline')).toBeLessThanOrEqual(2_000); // 1 s, then 2 s: back soon after the network
        expect(engine.status().errorKind).toBeNull();
        proxy.setChooser(() => 'none');
        await vi.waitFor(() => expect(engine.status()).toMatchObject({ mode: 'online', nextAttemptAt: null }), {
          timeout: 10_000,
          interval: 20,
        });
      }
      desk.db.exec(
        `CREATE TRIGGER refuse_pulled_booking BEFORE INSERT ON bookings WHEN NEW.updated_by = 'central'
           BEGIN SELECT RAISE(ABORT, 'injected'); END`,
      );
      await webBookOn(4); // the next poll pulls it, and the database refuses the page
      expect(await nextIn('error')).toBeGreaterThanOrEqual(15_000); // no spinning on a broken database
      expect(engine.status().errorKind).toBe('local');
    } finally {
      await engine.stop();
      await proxy.close();
    }
  });

  it('central refusing the desk (401) is error (central), not offline', async () => {
    await c.close();
    c = await startCentral({ token: 'the-right-token' });
    configureCentral(desk, c.url);
    const engine = engineOf(api(c.url, 'a-revoked-token'));
    const r = await engine.runOnce();
    expect(r.failure).toBe('central');
    expect(engine.status()).toMatchObject({ mode: 'error', errorKind: 'central' });
    expect(errors()[0]).toMatchObject({ step: 'pull', err: { message: expect.stringMatching(/HTTP 401/) as unknown } });
  });
});
