// A patient's web booking is judged from the moment central took it, on central's clock. The
// stand-in 1177's patient once stamped Appointment.created with its own device clock, so once the
// real date came near a test's pinned day, the desk rejected a booking 3 h ahead as "too soon"
// (created = the real clock, minutes before the visit) — and a device clock years off would make
// any booking "too far". Here central and desk agree on 2031 while the real clock does not.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook } from '../../../src-main/demo/central/web-patient.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { api, configureCentral, openLocal, seedSmallUnit, tempDir, type SmallUnit } from './helpers.ts';
import { testCaller } from '../../helpers/temp-db.ts';

const NOW = Date.parse('2031-03-03T09:00:00+01:00');
let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;
let engine: SyncEngine;

const call = async (method: string, input: unknown) => {
  const r = await dispatch({ ctx, caller: testCaller(['scheduler', 'receptionist']), shell: 'web' }, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as never;
};

beforeAll(async () => {
  central = await startCentral({ clock: () => NOW });
  ctx = openLocal(tempDir(), 'desk', () => NOW);
  unit = seedSmallUnit(ctx, { slots: 0 });
  configureCentral(ctx, central.url);
  engine = new SyncEngine(ctx, api(central.url));
  await call('appointmentTypes.update', { id: unit.typeIds.lakbes, bookMinLeadH: 2, bookMaxDays: 30 });
});

afterAll(async () => {
  ctx.db.close();
  await central.close();
});

it('a web booking 3 h ahead is accepted, and its created time is central clock', async () => {
  const s: { id: string } = await call('slots.create', {
    resourceId: unit.resourceIds[0]!,
    date: '2031-03-03',
    startTime: '12:00',
    endTime: '12:30',
    appointmentTypeIds: [unit.typeIds.lakbes],
    webPublished: true,
  });
  expect((await engine.settle()).error).toBeNull();
  const onCentral = (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, s.id))!;
  const appointment: Appointment = await webBook(api(central.url), onCentral, 'LAKBES', {
    identityNumber: makeIdentityNumber('1980-05-05', 982, false),
    givenName: 'Klara',
    familyName: 'Klocksson',
  });
  expect(appointment.created).toBe(new Date(NOW).toISOString());
  expect((await engine.settle()).error).toBeNull();
  const booking = ctx.db.prepare(`SELECT status, channel, created_at FROM bookings WHERE slot_id = ?`).get(s.id);
  expect(booking).toEqual({ status: 'booked', channel: 'web', created_at: NOW });
});
