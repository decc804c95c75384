// Protected identity in every booking the api returns: the calendar, booking details, absences and
// template notices never carry a protected patient's name; the identity number and the note reach
// only the receptionist (the role whose work needs them), as in bookings.search.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Booking, Role } from '../../../src-main/api/types.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let booking: Booking; // a demo booking of a protected patient, on the demo Monday
const SCHEDULER: Role[] = ['scheduler'];
const ADMIN: Role[] = ['admin'];
const RECEPTION: Role[] = ['receptionist'];

beforeAll(async () => {
  api = demoApi();
  const week = await api.ok('calendar.range', { from: '2026-11-23', to: '2026-11-30' }, RECEPTION);
  booking = week.bookings.find((b) => b.patient.protectedIdentity)!;
  expect(booking).toBeDefined();
  await api.ok('bookings.setNote', { id: booking.id, note: 'Ring före besöket' }, RECEPTION);
});

const masked = { displayName: '', identityNumber: '', protectedIdentity: true };

describe('a protected patient in bookings', () => {
  it('shows the receptionist the number and note, never the name', async () => {
    const week = await api.ok('calendar.range', { from: '2026-11-23', to: '2026-11-30' }, RECEPTION);
    const b = week.bookings.find((x) => x.id === booking.id)!;
    expect(b.patient).toMatchObject({ displayName: '', protectedIdentity: true });
    expect(b.patient.identityNumber).toMatch(/^\d{12}$/);
    expect(b.note).toBe('Ring före besöket');
    expect((await api.ok('bookings.get', { id: booking.id }, RECEPTION)).patient.identityNumber).toMatch(/^\d{12}$/);
  });

  it('shows scheduler and admin that the time is taken, not by whom', async () => {
    for (const roles of [SCHEDULER, ADMIN]) {
      const week = await api.ok('calendar.range', { from: '2026-11-23', to: '2026-11-30' }, roles);
      const b = week.bookings.find((x) => x.id === booking.id)!;
      expect(b.patient).toMatchObject(masked);
      expect(b.note).toBe('');
      expect(JSON.stringify(week)).not.toContain('Ring före besöket');
    }
    const detail = await api.ok('bookings.get', { id: booking.id }, SCHEDULER);
    expect(detail.patient).toMatchObject(masked);
    expect(detail.note).toBe('');
  });

  it('masks the bookings an absence hits, its proposals and the moved bookings for the scheduler', async () => {
    const day = new Date(booking.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    const created = await api.ok(
      'absences.create',
      { resourceId: booking.resourceId, from: day, to: day, reason: 'Sjuk' },
      SCHEDULER,
    );
    const hit = created.affectedBookings.find((b) => b.id === booking.id)!;
    expect(hit.patient).toMatchObject(masked);
    const listed = await api.ok('absences.affectedBookings', { id: created.absence.id }, SCHEDULER);
    expect(listed.find((b) => b.id === booking.id)!.patient).toMatchObject(masked);
    const proposals = await api.ok('absences.proposeRebooking', { id: created.absence.id }, SCHEDULER);
    expect(proposals.find((p) => p.booking.id === booking.id)!.booking.patient).toMatchObject(masked);
    // The receptionist moving them sees the number on both sides of the move.
    const proposal = proposals.find((p) => p.booking.id === booking.id)!.proposal!;
    const applied = await api.ok(
      'absences.applyRebooking',
      { id: created.absence.id, items: [{ bookingId: booking.id, slotId: proposal.slotId }] },
      RECEPTION,
    );
    expect(applied.rebooked[0]!.old.patient.identityNumber).toMatch(/^\d{12}$/);
    expect(applied.rebooked[0]!.new.patient).toMatchObject({ displayName: '', protectedIdentity: true });
  });
});
