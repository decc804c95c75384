// Closing or opening an eve changes the book, as a scheduler expects: the unbooked template slots
// leave a newly closed julafton (booked ones stay and are listed for the desk), a newly opened one
// gets its template slots at once; a slot added by hand is the scheduler's own and stays.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let lakbes: AppointmentType;
let anna: Resource;
const JULAFTON = { from: '2026-12-24', to: '2026-12-25' };

beforeAll(async () => {
  api = demoApi(); // Monday 2026-11-23; the demo unit closes on all eves, slots laid out to 2027-02-12
  lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
  anna = (await api.ok('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
});

describe('eves and the book', () => {
  it('lays out julafton when the unit opens on it, and takes it off again, keeping what is booked', async () => {
    expect((await api.ok('calendar.range', JULAFTON)).slots).toHaveLength(0);
    const opened = await api.ok('holidays.setRules', { julafton: false });
    expect(opened).toMatchObject({ julafton: false, slotsRemoved: 0, bookedKept: [] });
    const day = await api.ok('calendar.range', JULAFTON);
    expect(opened.slotsCreated).toBe(day.slots.length);
    expect(day.slots.length).toBeGreaterThan(20); // a Thursday of the demo's templates
    // Opening again changes nothing; the outbox carries the new slots for the central side.
    expect(await api.ok('holidays.setRules', { julafton: false })).toMatchObject({ slotsCreated: 0, slotsRemoved: 0 });

    const patient = await api.ok('patients.create', {
      identityNumber: '19121212-1212',
      givenName: 'Tolvan',
      familyName: 'Tolvansson',
    });
    const slot = day.slots.find((s) => s.resourceId === anna.id && s.appointmentTypeIds.includes(lakbes.id))!;
    const booking = await api.ok('bookings.book', { slotId: slot.id, patientId: patient.id, appointmentTypeId: lakbes.id });
    const byHand = await api.ok('slots.create', {
      resourceId: anna.id,
      date: '2026-12-24',
      startTime: '17:00',
      endTime: '17:30',
      appointmentTypeIds: [lakbes.id],
    });

    const closed = await api.ok('holidays.setRules', { julafton: true });
    expect(closed).toMatchObject({ julafton: true, slotsCreated: 0, slotsRemoved: day.slots.length - 1 });
    expect(closed.bookedKept).toEqual([
      expect.objectContaining({ slotId: slot.id, bookingId: booking.id, patientName: 'Tolvan Tolvansson' }),
    ]);
    const after = await api.ok('calendar.range', JULAFTON);
    expect(after.slots.map((s) => s.id).sort()).toEqual([slot.id, byHand.id].sort());
    // Each removed slot is queued for the central side (its Slot leaves 1177) and the change is logged.
    expect(
      api.count(
        `SELECT count(*) AS n FROM outbox WHERE entity = 'slot' AND op = 'update' AND json_extract(payload, '$.state') = 'removed'`,
      ),
    ).toBe(day.slots.length - 1);
    expect(
      api.count(`SELECT count(*) AS n FROM audit_events WHERE entity = 'slot' AND json_extract(detail, '$.op') = 'eve_rules'`),
    ).toBe(2);

    // Open once more: the template slots come back around the booked one (the hand-made stays).
    const reopened = await api.ok('holidays.setRules', { julafton: false });
    expect(reopened.slotsCreated).toBe(day.slots.length - 1);
    expect((await api.ok('calendar.range', JULAFTON)).slots).toHaveLength(day.slots.length + 1);
  });
});

describe('a template edit and the bookings left on a closed eve', () => {
  it('a rename reports nothing again; an edit of its slots reports the eve booking once more', async () => {
    const own = demoApi();
    const type = (await own.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const who = (await own.ok('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
    await own.ok('holidays.setRules', { julafton: false });
    const slot = (await own.ok('calendar.range', JULAFTON)).slots.find(
      (s) => s.resourceId === who.id && s.appointmentTypeIds.includes(type.id) && s.templateId !== null,
    )!;
    const patient = await own.ok('patients.create', {
      identityNumber: '19121212-1212',
      givenName: 'Tolvan',
      familyName: 'Tolvansson',
    });
    const booking = await own.ok('bookings.book', { slotId: slot.id, patientId: patient.id, appointmentTypeId: type.id });
    const closed = await own.ok('holidays.setRules', { julafton: true });
    expect(closed.bookedKept.map((n) => n.bookingId)).toEqual([booking.id]);
    const template = (await own.ok('templates.list', {})).find((t) => t.id === slot.templateId)!;
    const reads = () => own.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'read' AND patient_id = ?`, patient.id);
    const readsBefore = reads();

    // Only the name: no slot changes, so the eve booking is not news (no report, no read logged).
    const renamed = await own.ok('templates.update', { id: template.id, changes: { name: `${template.name} (ny)` } });
    expect(renamed.template.name).toBe(`${template.name} (ny)`);
    expect(renamed.expansion.bookedUnchanged).toEqual([]);
    expect(reads()).toBe(readsBefore);
    const audit = own.ctx.db
      .prepare(
        `SELECT json_extract(detail, '$.bookedUnchanged') AS n FROM audit_events
          WHERE entity = 'schedule_template' AND entity_id = ? ORDER BY rowid DESC LIMIT 1`,
      )
      .get(template.id) as { n: number };
    expect(audit.n).toBe(0);
    // Its types reordered: the same set, no slot changes either.
    if (template.appointmentTypeIds.length > 1) {
      const reordered = await own.ok('templates.update', {
        id: template.id,
        changes: { appointmentTypeIds: [...template.appointmentTypeIds].reverse() },
      });
      expect(reordered.expansion.bookedUnchanged).toEqual([]);
    }
    // Still behind its template: freed, it leaves the closed eve.
    expect(own.count(`SELECT count(*) AS n FROM slots_behind_template WHERE slot_id = ?`, slot.id)).toBe(1);

    // An edit of its slots (web publishing) reports the booked times it cannot change now, the eve's among them.
    const edited = await own.ok('templates.update', { id: template.id, changes: { publishWeb: !template.publishWeb } });
    expect(edited.expansion.bookedUnchanged.map((n) => n.bookingId)).toContain(booking.id);
    expect(own.count(`SELECT count(*) AS n FROM slots_behind_template WHERE slot_id = ?`, slot.id)).toBe(1);
    await own.ok('bookings.cancel', { id: booking.id, channel: 'desk' });
    expect((await own.ok('calendar.range', JULAFTON)).slots.filter((s) => s.id === slot.id)).toEqual([]);
  });
});
