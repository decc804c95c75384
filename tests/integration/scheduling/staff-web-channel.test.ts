// The web channel is the patient's own (1177): only sync's pull records it. The staff api refuses
// `channel: 'web'` for booking, cancelling and rebooking, from every staff role, with a Swedish
// message naming the field, and the refusal leaves the book as it was: no booking, no outbox row,
// no audit event, no change announced. Demo unit on a real SQLite file, Monday 2026-11-23 09:10.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Role } from '../../../src-main/api/types.ts';
import { ROLES } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { demoApi, patientOnWeb, type Api } from './helpers.ts';

let api: Api;
let lakbes: AppointmentType;
let serial = 300;
/** Web-published free LAKBES slots from 30 November on, each case taking its own. */
let free: string[] = [];

async function patient(): Promise<Patient> {
  serial += 1;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1971-02-03', serial),
    givenName: `Webb${serial}`,
    familyName: 'Kanalsson',
  });
}

const nextSlot = () => {
  const id = free.shift();
  if (!id) throw new Error('out of free slots');
  return id;
};

beforeAll(async () => {
  api = demoApi();
  lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
  free = (await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-30', webOnly: true, limit: 60 })).map(
    (s) => s.slotId,
  );
});

/** Everything a change would leave behind: rows, their sync records, the access log, events. */
function footprint() {
  return {
    bookings: api.count(`SELECT count(*) AS n FROM bookings`),
    webBookings: api.count(`SELECT count(*) AS n FROM bookings WHERE channel = 'web'`),
    outbox: api.count(`SELECT count(*) AS n FROM outbox`),
    audit: api.count(`SELECT count(*) AS n FROM audit_events`),
    bookingChanges: api.count(`SELECT count(*) AS n FROM audit_events WHERE entity = 'booking' AND action = 'change'`),
    booked: api.count(`SELECT count(*) AS n FROM bookings WHERE status IN ('booked', 'preliminary')`),
    versions: api.count(`SELECT coalesce(sum(version), 0) AS n FROM bookings`),
    events: api.events.length,
  };
}

type Method = 'bookings.book' | 'bookings.cancel' | 'bookings.rebook';

/** A valid call of `method` but for its channel, on a booking of its own. */
async function callFor(method: Method): Promise<Record<string, unknown>> {
  const p = await patient();
  if (method === 'bookings.book') return { slotId: nextSlot(), patientId: p.id, appointmentTypeId: lakbes.id };
  const held = await api.ok('bookings.book', { slotId: nextSlot(), patientId: p.id, appointmentTypeId: lakbes.id });
  return method === 'bookings.cancel' ? { id: held.id } : { id: held.id, slotId: nextSlot() };
}

const cases: [Method, Role][] = (['bookings.book', 'bookings.cancel', 'bookings.rebook'] as const).flatMap((m) =>
  ROLES.map((r): [Method, Role] => [m, r]),
);

describe("the staff api refuses the patient's web channel", () => {
  it.each(cases)('%s as %s: a validation error naming Kanal, and nothing changes', async (method, role) => {
    const input = await callFor(method);
    const before = footprint();
    const refused = await api.err(method, { ...input, channel: 'web' } as never, [role]);
    expect(refused).toMatchObject({
      code: 'validation',
      message:
        'Ogiltiga uppgifter: Kanal: Webb (1177) är patientens egen kanal och kommer bara in via synken. Ange desk (reception) eller phone (telefon).',
      details: { issues: [{ path: 'channel' }] },
    });
    expect(footprint()).toEqual(before);
    // The same call from the same role with a staff channel goes through: only the channel was refused.
    await api.ok(method, { ...input, channel: 'phone' } as never, [role]);
    expect(footprint().bookingChanges).toBeGreaterThan(before.bookingChanges);
    expect(footprint().webBookings).toBe(before.webBookings);
  });

  it('names the field for any other unknown channel too, in Swedish', async () => {
    const input = await callFor('bookings.book');
    const refused = await api.err('bookings.book', { ...input, channel: 'fax' } as never, ['receptionist']);
    expect(refused.code).toBe('validation');
    expect(refused.message).toMatch(/^Ogiltiga uppgifter: Kanal: /);
  });

  it('leaves the web channel to the layer below the api, where the pull records the patient’s own booking', async () => {
    const p = await patient();
    const slotId = nextSlot();
    const b = await patientOnWeb(api).ok('book', { slotId, patientId: p.id, appointmentTypeId: lakbes.id });
    expect(b).toMatchObject({ slotId, channel: 'web', status: 'booked' });
  });
});
