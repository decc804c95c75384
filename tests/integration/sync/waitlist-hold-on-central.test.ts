// A time held on återbudslistan travels to central: while desk A holds it for a waiting patient,
// central's Slot is `busy-tentative` (not free), so 1177 neither offers nor takes it; once the hold
// ends (put back, withdrawn, another time offered, the time passed) the Slot is free again. Desk B
// of the same unit, which has no hold, keeps the time open (not booked, not blocked). Two desk
// databases and the real stand-in central over HTTP; every change through the api.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webBookableType, webRulesByCode } from '../../../src-main/demo/central/web-patient.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { CentralError } from '../../../src-main/sync/central-api.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import {
  api,
  configureCentral,
  deskCopiedFrom,
  openLocal,
  patientNumber,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
} from './helpers.ts';
import { settleDesks, staffOk } from './desk-staff.ts';

let now = Date.parse('2026-11-23T09:10:00+01:00');
let central: Central;
let a: ServiceContext;
let b: ServiceContext;
let unit: SmallUnit;

const sync = (...desks: ServiceContext[]) => settleDesks(central.url, ...desks);
const onCentral = async (slotId: string) => (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, slotId))!;
const webPatient = (i: number) => ({ identityNumber: patientNumber(40 + i), givenName: 'Webb', familyName: `Patient${i}` });
/** The patient on 1177 tries to book the time as central has it now; the error when refused. */
async function webTry(slotId: string, i: number): Promise<CentralError | null> {
  try {
    await webBook(api(central.url), await onCentral(slotId), 'LAKBES', webPatient(i));
    return null;
  } catch (err) {
    if (err instanceof CentralError) return err;
    throw err;
  }
}
const slotRow = (ctx: ServiceContext, id: string) =>
  ctx.db
    .prepare(
      `SELECT s.state, s.absence_id AS absence,
              (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status IN ('booked', 'preliminary')) AS bookings
         FROM slots s WHERE s.id = ?`,
    )
    .get(id);
async function waiting(patient: number) {
  return staffOk(a, 'waitlist.add', { patientId: unit.patientIds[patient]!, appointmentTypeId: unit.typeIds.lakbes });
}

beforeAll(async () => {
  central = await startCentral({ clock: () => now });
  const dir = tempDir();
  a = openLocal(dir, 'a', () => now);
  unit = seedSmallUnit(a, { slots: 8, patients: 6 });
  configureCentral(a, central.url);
  await sync(a);
  b = deskCopiedFrom(a, dir, 'b', () => now);
  await sync(b);
});

afterAll(async () => {
  a.db.close();
  b.db.close();
  await central.close();
});

describe('a time held on återbudslistan, on central and on 1177', () => {
  it('held on desk A: busy-tentative on central, not offered nor taken on 1177; open and unbooked on desk B', async () => {
    const X = unit.slotIds[1]!;
    const entry = await waiting(0);
    await staffOk(a, 'waitlist.markOffered', { id: entry.id, slotId: X });
    await sync(a, b);
    const slot = await onCentral(X);
    expect(slot.status).toBe('busy-tentative');
    expect(webBookableType(slot, await webRulesByCode(api(central.url)), now)).toBeNull();
    const refused = await webTry(X, 0);
    expect(refused?.conflict).toBe(true);
    expect((await onCentral(X)).status).toBe('busy-tentative');
    // Desk B has no hold: the time is open there, booked by no one, and nothing is left to explain.
    expect(slotRow(b, X)).toEqual({ state: 'open', absence: null, bookings: 0 });
    expect(b.db.prepare(`SELECT count(*) FROM sync_state WHERE feed LIKE 'slot-check:%'`).pluck().get()).toBe(0);
    // A's own hold read back is still a hold, not a booking or a block.
    await sync(a);
    expect(slotRow(a, X)).toEqual({ state: 'open', absence: null, bookings: 0 });
    expect(a.db.prepare(`SELECT state, offered_slot_id FROM waitlist WHERE id = ?`).get(entry.id)).toEqual({
      state: 'offered',
      offered_slot_id: X,
    });

    // Put back (no answer): free on central again, and the patient on 1177 gets it.
    await staffOk(a, 'waitlist.markWaiting', { id: entry.id, reason: 'no_answer' });
    await sync(a);
    expect((await onCentral(X)).status).toBe('free');
    expect(await webTry(X, 1)).toBeNull();
    await sync(a, b);
    expect(a.db.prepare(`SELECT channel FROM bookings WHERE slot_id = ? AND status = 'booked'`).pluck().get(X)).toBe('web');
    expect(slotRow(b, X)).toMatchObject({ state: 'open', bookings: 1 });
  });

  it('another time offered, or the entry withdrawn: the time held before is free on central', async () => {
    const [Y, Z] = [unit.slotIds[2]!, unit.slotIds[3]!];
    const entry = await waiting(1);
    await staffOk(a, 'waitlist.markOffered', { id: entry.id, slotId: Y });
    await sync(a);
    expect((await onCentral(Y)).status).toBe('busy-tentative');
    await staffOk(a, 'waitlist.markOffered', { id: entry.id, slotId: Z });
    await sync(a);
    expect([(await onCentral(Y)).status, (await onCentral(Z)).status]).toEqual(['free', 'busy-tentative']);
    await staffOk(a, 'waitlist.withdraw', { id: entry.id });
    await sync(a);
    expect((await onCentral(Z)).status).toBe('free');
  });

  it('desk B rewrites the held slot (unaware of the hold): desk A holds it on central again', async () => {
    const V = unit.slotIds[4]!;
    const entry = await waiting(2);
    await staffOk(a, 'waitlist.markOffered', { id: entry.id, slotId: V });
    await sync(a, b);
    await staffOk(b, 'slots.update', { id: V, webPublished: false });
    await sync(b);
    expect((await onCentral(V)).status).toBe('free');
    await sync(a);
    await sync(a);
    const slot = await onCentral(V);
    expect(slot.status).toBe('busy-tentative');
    expect(slot.extension?.find((e) => e.url.endsWith('/web-published'))?.valueBoolean).toBe(false);
    await staffOk(a, 'waitlist.markWaiting', { id: entry.id });
    await sync(a);
  });

  it('desk B books the held time for another patient (it knows no hold, read it free): the claim stands, and A’s hold ends as taken', async () => {
    const U = unit.slotIds[6]!;
    const entry = await waiting(4);
    // B read the slot free; A's hold reaches central after (B's claim is on an older version).
    await sync(b);
    await staffOk(a, 'waitlist.markOffered', { id: entry.id, slotId: U });
    await sync(a);
    expect((await onCentral(U)).status).toBe('busy-tentative');
    const booked = await staffOk(b, 'bookings.book', {
      slotId: U,
      patientId: unit.patientIds[5]!,
      appointmentTypeId: unit.typeIds.lakbes,
      channel: 'phone',
    });
    await sync(b, a);
    expect(b.db.prepare(`SELECT status FROM bookings WHERE id = ?`).pluck().get(booked.id)).toBe('booked');
    expect(b.db.prepare(`SELECT count(*) FROM conflicts`).pluck().get()).toBe(0);
    expect((await onCentral(U)).status).toBe('busy');
    expect(a.db.prepare(`SELECT state, offered_slot_id FROM waitlist WHERE id = ?`).get(entry.id)).toEqual({
      state: 'waiting',
      offered_slot_id: null,
    });
    await sync(a);
    expect((await onCentral(U)).status).toBe('busy');
  });

  it('the held time passes: free on central at the next cycle, nothing changed on the list', async () => {
    const W = unit.slotIds[5]!;
    const entry = await waiting(3);
    await staffOk(a, 'waitlist.markOffered', { id: entry.id, slotId: W });
    await sync(a);
    expect((await onCentral(W)).status).toBe('busy-tentative');
    const saved = now;
    now = (a.db.prepare(`SELECT start_at FROM slots WHERE id = ?`).pluck().get(W) as number) + 60_000;
    try {
      await sync(a);
      expect((await onCentral(W)).status).toBe('free');
      expect(a.db.prepare(`SELECT state FROM waitlist WHERE id = ?`).pluck().get(entry.id)).toBe('offered');
      // Nothing more to send on the next cycles.
      await sync(a);
      expect(a.db.prepare(`SELECT count(*) FROM outbox WHERE entity_id = ? AND state = 'pending'`).pluck().get(W)).toBe(0);
    } finally {
      now = saved;
    }
  });
});
