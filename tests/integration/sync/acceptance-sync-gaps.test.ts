// Acceptance: two gaps in sync that staff and IT would meet, against the real stand-in central.
// - A web rebooking is one transaction on central; pulled in pages of one entry its two halves
//   arrive apart (either first), and the desk must end exactly as when they arrive together: the
//   old booking rebooked to the new, the new pointing back, and a rebooking the unit's rules reject
//   gives the patient the old time back. Re-reading the pages changes nothing.
import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Appointment, BundleEntry, Slot } from '@medplum/fhirtypes';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import type { Role } from '../../../src-main/api/types.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webRebook, type WebPatient } from '../../../src-main/demo/central/web-patient.ts';
import { ifMatch, type CentralApi } from '../../../src-main/sync/central-api.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { EXT, ID_SYSTEM, localIdForRemote, typeCoding } from '../../../src-main/sync/fhir/mapping.ts';
import { pullChanges } from '../../../src-main/sync/pull.ts';
import { readCursor, writeCursor } from '../../../src-main/sync/local.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import {
  api,
  centralBookings,
  centralHolding,
  configureCentral,
  localBookings,
  openLocal,
  patientNumber,
  seedSmallUnit,
  sorted,
  tempDir,
  type SmallUnit,
} from './helpers.ts';

let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;
const now = Date.parse('2026-10-19T09:00:00+02:00');
const types: Record<string, string> = {};

async function ok<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]): Promise<ResultOf<M>> {
  const r = await dispatch({ ctx, caller: testCaller(roles), shell: 'web' }, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.details)}`);
  return r.value as ResultOf<M>;
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
      `SELECT status, channel, reason_code, reason_text, rebooked_from, rebooked_to, patient_id FROM bookings WHERE id = ?`,
    )
    .get(id) as {
    status: string;
    channel: string;
    reason_code: string | null;
    reason_text: string | null;
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
  const orders = ['new half first', 'old half first'] as const;
  const cases = orders.flatMap((order, o) => scenarios.map((s, i) => ({ ...s, order, n: o * scenarios.length + i })));

  it.each(cases)('$name, $order: ends as when both halves come together', async (c) => {
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
      c.order === 'new half first'
        ? await webRebook(web(), a, await onCentral(from), await onCentral(to), c.code)
        : await webRebookOldFirst(web(), a, await onCentral(from), await onCentral(to), c.code);
    const newId = localIdForRemote('Appointment', moved.id!);

    // Pull in pages of one entry: the two halves are applied in different transactions.
    const rec = recordingPages(api(central.url));
    const engine = new SyncEngine(ctx, rec.api, { pullPageSize: 1 });
    expect((await engine.runOnce()).error).toBeNull();
    const pageOf = (remote: string) => rec.pages.findIndex((p) => p.includes(remote));
    expect(rec.pages.every((p) => p.length <= 1)).toBe(true);
    const [newPage, oldPage] = [pageOf(moved.id!), pageOf(booked.id!)];
    expect(newPage).toBeGreaterThanOrEqual(0);
    expect(oldPage).toBeGreaterThanOrEqual(0);
    expect(c.order === 'new half first' ? newPage < oldPage : oldPage < newPage).toBe(true);
    await sync(1);

    expect(row(held.id)).toMatchObject({ status: 'rebooked', rebooked_to: newId });
    expect(row(newId)).toMatchObject({ channel: 'web', rebooked_from: held.id, patient_id: held.patient_id });
    if (c.rejected === null) {
      expect(row(newId).status).toBe('booked');
      expect(activeOn(from)).toEqual([]);
      expect(conflictsOf(newId)).toEqual([]);
      expect((await onCentral(from)).status).toBe('free');
      expect((await onCentral(to)).status).toBe('busy');
    } else {
      expect(row(newId)).toMatchObject({ status: 'cancelled', reason_code: 'WEB_REJECTED' });
      expect(row(newId).reason_text).toMatch(c.rejected);
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
