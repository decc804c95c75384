// A booked slot that a template change could not reach follows the template once its booking
// goes, as a scheduler expects: the edit said how the times should be offered from now on, and a
// cancellation next week frees a time that should be offered that way, or leave the book when
// the template no longer plans it. Through the api on a real SQLite file (demo unit, Monday
// 2026-11-23 09:10); every case checks the slot itself, not only what the services report.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentType, Resource, Slot } from '../../../src-main/api/types.ts';
import { localTime } from '../../../src-main/domain/time.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { keepScheduleHorizon } from '../../../src-main/services/horizon.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let lakbes: AppointmentType;
let lakvid: AppointmentType;
let erik: Resource;
let serial = 0;

beforeEach(async () => {
  api = demoApi();
  const types = await api.ok('appointmentTypes.list', {});
  lakbes = types.find((t) => t.code === 'LAKBES')!;
  lakvid = types.find((t) => t.code === 'LAKVID')!;
  erik = (await api.ok('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
});

/** Erik's Saturday morning template (08:00–10:00, 30 minutes, doctor visits on the web) and a booking in its fifth slot. */
async function bookedSaturday() {
  const { template } = await api.ok('templates.create', {
    template: {
      resourceId: erik.id,
      name: 'Lördagsmottagning',
      weekdays: [6],
      validFrom: '2026-11-23',
      startTime: '08:00',
      endTime: '10:00',
      slotMin: 30,
      appointmentTypeIds: [lakbes.id],
      publishWeb: true,
    },
  });
  const slotId = api.ctx.db
    .prepare(`SELECT id FROM slots WHERE template_id = ? ORDER BY start_at LIMIT 1 OFFSET 4`)
    .pluck()
    .get(template.id) as string;
  const patient = await api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1950-05-05', 400 + serial++),
    givenName: 'Lisa',
    familyName: 'Lördag',
  });
  const booking = await api.ok('bookings.book', { slotId, patientId: patient.id, appointmentTypeId: lakbes.id });
  return { template, slotId, booking };
}

const slot = (id: string): Promise<Slot> => api.ok('slots.get', { id });
const marked = (slotId: string) => api.count(`SELECT count(*) AS n FROM slots_behind_template WHERE slot_id = ?`, slotId);
const cancel = (id: string) => api.ok('bookings.cancel', { id, reasonCode: 'SJUK' });

describe('a booked slot a template change left behind', () => {
  it('offers what the template now offers once the booking is cancelled', async () => {
    const { template, slotId, booking } = await bookedSaturday();
    const { expansion } = await api.ok('templates.update', {
      id: template.id,
      changes: { appointmentTypeIds: [lakvid.id], publishWeb: false },
    });
    expect(expansion.bookedUnchanged.map((b) => b.slotId)).toEqual([slotId]);
    expect(await slot(slotId)).toMatchObject({ appointmentTypeIds: [lakbes.id], webPublished: true });
    expect(marked(slotId)).toBe(1);
    const version = api.count(`SELECT version AS n FROM slots WHERE id = ?`, slotId);

    await cancel(booking.id);
    expect(await slot(slotId)).toMatchObject({
      state: 'open',
      appointmentTypeIds: [lakvid.id],
      webPublished: false,
      templateId: template.id,
    });
    expect(marked(slotId)).toBe(0);
    // A changed slot: new version, on its way to the central side, in the access log.
    expect(api.count(`SELECT version AS n FROM slots WHERE id = ?`, slotId)).toBe(version + 1);
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'slot' AND entity_id = ?`, slotId)).toBeGreaterThan(0);
    expect(
      api.count(
        `SELECT count(*) AS n FROM audit_events WHERE entity = 'slot' AND entity_id = ? AND json_extract(detail, '$.op') = 'follow_template'`,
        slotId,
      ),
    ).toBe(1);
    // The free-slot search offers it for the new type, not the old.
    const day = { resourceId: erik.id, from: '2026-12-05', to: '2026-12-05', limit: 20 };
    const start = (await slot(slotId)).startAt;
    const forNew = await api.ok('slots.findFree', { ...day, appointmentTypeId: lakvid.id });
    expect(forNew.map((f) => f.startAt)).toContain(start);
    const forOld = await api.ok('slots.findFree', { ...day, appointmentTypeId: lakbes.id });
    expect(forOld.map((f) => f.startAt)).not.toContain(start);
  });

  it('leaves the schedule once freed when the template no longer plans that time', async () => {
    const { template, slotId, booking } = await bookedSaturday();
    await api.ok('templates.update', { id: template.id, changes: { startTime: '09:00' } });
    expect(localTime((await slot(slotId)).startAt)).toBe('08:00');

    await cancel(booking.id);
    expect(await slot(slotId)).toMatchObject({ state: 'removed', templateId: null });
    expect(marked(slotId)).toBe(0);
    // Expansion does not bring it back: the template plans 09:00 and 09:30 only.
    expect((await api.ok('templates.expand', { templateIds: [template.id] })).created).toBe(0);
    expect(
      api.count(
        `SELECT count(*) AS n FROM slots WHERE template_id = ? AND state <> 'removed' AND start_at = ?`,
        template.id,
        (await slot(slotId)).startAt,
      ),
    ).toBe(0);
  });

  it('gives the freed time the template’s new, shorter slots at once', async () => {
    const { template, slotId, booking } = await bookedSaturday();
    const { expansion } = await api.ok('templates.update', {
      id: template.id,
      changes: { slotMin: 15, appointmentTypeIds: [lakvid.id] },
    });
    expect(expansion.bookedUnchanged.map((b) => b.slotId)).toEqual([slotId]);
    const { startAt } = await slot(slotId);
    const saturday = () =>
      (
        api.ctx.db
          .prepare(
            `SELECT start_at, end_at FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at >= ? AND start_at < ? ORDER BY start_at`,
          )
          .all(erik.id, startAt, startAt + 2 * 3_600_000) as { start_at: number; end_at: number }[]
      ).map((r) => `${localTime(r.start_at)}–${localTime(r.end_at)}`);
    const later = ['08:30–08:45', '08:45–09:00', '09:00–09:15', '09:15–09:30', '09:30–09:45', '09:45–10:00'];
    // The booked 30-minute slot holds 08:00–08:30: the new 08:15 slot could not be laid out.
    expect(saturday()).toEqual(['08:00–08:30', ...later]);

    await cancel(booking.id);
    expect((await slot(slotId)).state).toBe('removed');
    expect(saturday()).toEqual(['08:00–08:15', '08:15–08:30', ...later]);
    // Laid out again today, and idempotent afterwards.
    expect((await api.ok('templates.expand', { templateIds: [template.id] })).created).toBe(0);
  });

  it('follows when the patient is rebooked away from it, and when the template was deactivated', async () => {
    const { template, slotId, booking } = await bookedSaturday();
    await api.ok('templates.update', { id: template.id, changes: { appointmentTypeIds: [lakbes.id, lakvid.id] } });
    const target = api.ctx.db
      .prepare(`SELECT id FROM slots WHERE template_id = ? AND state = 'open' AND id <> ? ORDER BY start_at DESC LIMIT 1`)
      .pluck()
      .get(template.id, slotId) as string;
    await api.ok('bookings.rebook', { id: booking.id, slotId: target, reasonCode: 'SJUK' });
    expect((await slot(slotId)).appointmentTypeIds.sort()).toEqual([lakbes.id, lakvid.id].sort());

    // The new booking's slot is the template's as it is now: deactivating leaves it booked, and
    // a cancellation then takes it off the book.
    const off = await api.ok('templates.deactivate', { id: template.id });
    expect(off.expansion.bookedUnchanged.map((b) => b.slotId)).toEqual([target]);
    const moved = (await api.ok('bookings.get', { id: booking.id })).rebookedTo!;
    await cancel(moved);
    expect((await slot(target)).state).toBe('removed');
  });

  it('leaves a julafton the unit closed on once freed', async () => {
    await api.ok('holidays.setRules', { julafton: false });
    const day = await api.ok('calendar.range', { from: '2026-12-24', to: '2026-12-25' });
    const onEve = day.slots.find((s) => s.resourceId === erik.id && s.appointmentTypeIds.includes(lakbes.id))!;
    const patient = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1960-06-06', 512),
      givenName: 'Tolvan',
      familyName: 'Jul',
    });
    const booking = await api.ok('bookings.book', { slotId: onEve.id, patientId: patient.id, appointmentTypeId: lakbes.id });
    const closed = await api.ok('holidays.setRules', { julafton: true });
    expect(closed.bookedKept.map((b) => b.slotId)).toContain(onEve.id);
    expect(marked(onEve.id)).toBe(1);
    await cancel(booking.id);
    expect((await slot(onEve.id)).state).toBe('removed');
  });

  it('stays as it is when the template was changed back before the booking went', async () => {
    const { template, slotId, booking } = await bookedSaturday();
    await api.ok('templates.update', { id: template.id, changes: { publishWeb: false } });
    expect(marked(slotId)).toBe(1);
    await api.ok('templates.update', { id: template.id, changes: { publishWeb: true } });
    expect(marked(slotId)).toBe(0);
    const version = api.count(`SELECT version AS n FROM slots WHERE id = ?`, slotId);
    await cancel(booking.id);
    expect(await slot(slotId)).toMatchObject({ state: 'open', webPublished: true, appointmentTypeIds: [lakbes.id] });
    expect(api.count(`SELECT version AS n FROM slots WHERE id = ?`, slotId)).toBe(version);
  });

  it('is caught up by the schedule horizon when another writer freed it', async () => {
    const { template, slotId, booking } = await bookedSaturday();
    await api.ok('templates.update', { id: template.id, changes: { publishWeb: false } });
    // What a cancellation pulled from the central side does to the booking (sync/pull.ts).
    api.ctx.db.prepare(`UPDATE bookings SET status = 'cancelled', version = version + 1 WHERE id = ?`).run(booking.id);
    expect((await slot(slotId)).webPublished).toBe(true);
    expect(marked(slotId)).toBe(1);
    // The horizon keeper runs at start (and every few hours).
    keepScheduleHorizon(api.ctx, { everyMs: 3_600_000 }).stop();
    expect((await slot(slotId)).webPublished).toBe(false);
    expect(marked(slotId)).toBe(0);
  });

  it('keeps a scheduler’s own change to a freed slot', async () => {
    const { template, slotId, booking } = await bookedSaturday();
    await api.ok('templates.update', { id: template.id, changes: { appointmentTypeIds: [lakvid.id] } });
    api.ctx.db.prepare(`UPDATE bookings SET status = 'cancelled', version = version + 1 WHERE id = ?`).run(booking.id);
    // Before the horizon runs, the scheduler sets this time by hand: their choice wins.
    await api.ok('slots.update', { id: slotId, appointmentTypeIds: [lakbes.id, lakvid.id] });
    expect(marked(slotId)).toBe(0);
    keepScheduleHorizon(api.ctx, { everyMs: 3_600_000 }).stop();
    expect((await slot(slotId)).appointmentTypeIds.sort()).toEqual([lakbes.id, lakvid.id].sort());
  });
});
