// A patient's own changes on 1177, pulled from central, are on the desk's access log: one event
// each (booked, rebooked, cancelled) under the patient, by sync (no user, workstation `sync`,
// channel web), written in the pull's transaction, never twice for a page pulled twice, and no
// read events from pulling. A desk booking the patient cancels on 1177 is logged the same way.
// One desk database and the real stand-in central over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webCancel, webRebook } from '../../../src-main/demo/central/web-patient.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { api, configureCentral, openLocal, patientNumber, seedSmallUnit, tempDir, type SmallUnit } from './helpers.ts';
import { settleDesks, staffOk } from './desk-staff.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { ResultOf } from '../../../src-main/api/contract.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { valueOf } from '../../helpers/results.ts';

const NOW = Date.parse('2026-11-23T09:10:00+01:00');
let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;

const sync = () => settleDesks(central.url, ctx);
const onCentral = async (slotId: string) => (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, slotId))!;
const bookingOn = (slotId: string) =>
  ctx.db.prepare(`SELECT id, patient_id FROM bookings WHERE slot_id = ? ORDER BY created_at DESC LIMIT 1`).get(slotId) as {
    id: string;
    patient_id: string;
  };
/** Events sync wrote about bookings: [booking, patient, op, channel, user]. */
const syncBookingEvents = () =>
  (
    ctx.db
      .prepare(
        `SELECT entity_id, patient_id, detail, user_id FROM audit_events WHERE workstation = 'sync' AND entity = 'booking' ORDER BY seq`,
      )
      .all() as { entity_id: string; patient_id: string; detail: string; user_id: string | null }[]
  ).map((e) => {
    const d = JSON.parse(e.detail) as { op: string; channel?: string; from?: string | null };
    return [e.entity_id, e.patient_id, d.op, d.channel, e.user_id, ...(d.from !== undefined ? [d.from] : [])];
  });
/** Every feed's cursor back to the start: the same pages are pulled again. */
const pullAllAgain = async () => {
  ctx.db.prepare(`DELETE FROM sync_state WHERE feed IN ('Slot', 'Appointment', 'Patient')`).run();
  await sync();
};

beforeAll(async () => {
  central = await startCentral({});
  ctx = openLocal(tempDir(), 'desk', () => NOW);
  unit = seedSmallUnit(ctx, { slots: 6, patients: 1 });
  configureCentral(ctx, central.url);
  await sync();
});

afterAll(async () => {
  ctx.db.close();
  await central.close();
});

describe('a patient’s changes on 1177, on the desk’s access log', () => {
  it('book, rebook, cancel: one event each under the patient, by sync, channel web; pulled again, none more', async () => {
    const [X, Y] = [unit.slotIds[0]!, unit.slotIds[1]!];
    const web = api(central.url);
    const booked = await webBook(web, await onCentral(X), 'LAKBES', {
      identityNumber: patientNumber(20),
      givenName: 'Webb',
      familyName: 'Patientsson',
    });
    await sync();
    const first = bookingOn(X);
    expect(syncBookingEvents()).toEqual([[first.id, first.patient_id, 'sync.web_booked', 'web', null]]);

    const current = (await web.read<Appointment>('Appointment', booked.id!))!;
    await webRebook(web, current, await onCentral(X), await onCentral(Y), 'LAKBES');
    await sync();
    const moved = bookingOn(Y);
    expect(syncBookingEvents()).toEqual([
      [first.id, first.patient_id, 'sync.web_booked', 'web', null],
      [moved.id, first.patient_id, 'sync.web_rebooked', 'web', null, first.id],
    ]);

    const movedOnCentral =
      (await web.byIdentifier<Appointment>('Appointment', ID_SYSTEM, moved.id)) ??
      (await web.searchAll<Appointment>('Appointment', { slot: `Slot/${(await onCentral(Y)).id}` })).find(
        (a) => a.status === 'booked',
      )!;
    await webCancel(web, movedOnCentral, await onCentral(Y));
    await sync();
    const events = syncBookingEvents();
    expect(events).toHaveLength(3);
    expect(events[2]).toEqual([moved.id, first.patient_id, 'sync.web_cancelled', 'web', null]);

    await pullAllAgain();
    expect(syncBookingEvents()).toEqual(events);
    // Pulling is not a staff read.
    expect(ctx.db.prepare(`SELECT count(*) FROM audit_events WHERE action = 'read' AND workstation = 'sync'`).pluck().get()).toBe(
      0,
    );
    // Åtkomstlogg and the patient's log extract name who acted: the patient, on 1177, through sync.
    const admin = testCaller(['admin']);
    const found = await dispatch({ ctx, caller: admin, shell: 'web' }, 'audit.search', { patientId: first.patient_id });
    const rows = valueOf<ResultOf<'audit.search'>>('audit.search', found).entries.filter((e) => e.entity === 'booking');
    expect(rows.map((e) => [e.userDisplayName, e.workstation])).toEqual([
      ['Patienten via 1177', 'sync'],
      ['Patienten via 1177', 'sync'],
      ['Patienten via 1177', 'sync'],
    ]);
    const extract = await dispatch({ ctx, caller: admin, shell: 'web' }, 'audit.patientExtract', { patientId: first.patient_id });
    expect(valueOf<ResultOf<'audit.patientExtract'>>('audit.patientExtract', extract).entries.map((e) => e.user)).toContain(
      'Patienten via 1177',
    );
  });

  it('a desk booking the patient cancels on 1177: one event, by sync', async () => {
    const Z = unit.slotIds[3]!;
    const desk = await staffOk(ctx, 'bookings.book', {
      slotId: Z,
      patientId: unit.patientIds[0]!,
      appointmentTypeId: unit.typeIds.lakbes,
      channel: 'phone',
    });
    await sync();
    const before = syncBookingEvents().length;
    const web = api(central.url);
    const a = (await web.byIdentifier<Appointment>('Appointment', ID_SYSTEM, desk.id))!;
    await webCancel(web, a, await onCentral(Z));
    await sync();
    const events = syncBookingEvents();
    expect(events.slice(before)).toEqual([[desk.id, unit.patientIds[0]!, 'sync.web_cancelled', 'web', null]]);
    await pullAllAgain();
    expect(syncBookingEvents()).toHaveLength(events.length);
  });
});
