// Templates, slots and absences through the api on a real SQLite file (demo unit, now Monday
// 2026-11-23 09:10): idempotent expansion, edits that spare booked slots and say so, holidays
// with the unit's eves, DST weeks, removed slots staying removed, absences and their rebooking.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { unfoldExpansions } from '../../../src-main/sync/push.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let lakbes: AppointmentType;
let anna: Resource;
let erik: Resource;

beforeAll(async () => {
  api = demoApi();
  lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
  const resources = await api.ok('resources.list', {});
  anna = resources.find((r) => r.name === 'Anna Lindqvist')!;
  erik = resources.find((r) => r.name === 'Erik Johansson')!;
});

const saturdays = () => ({
  resourceId: anna.id,
  name: 'Lördagsmottagning',
  weekdays: [6],
  validFrom: '2026-11-23',
  startTime: '08:00',
  endTime: '10:00',
  slotMin: 30,
  appointmentTypeIds: [lakbes.id],
  publishWeb: true,
});

describe('schedule templates', () => {
  it('expands over 12 weeks, skips holidays, and is idempotent', async () => {
    const { template, expansion } = await api.ok('templates.create', { template: saturdays() });
    // 12 Saturdays from 2026-11-28; 2026-12-26 (annandag jul) is skipped.
    expect(expansion.skippedHolidays).toEqual([{ date: '2026-12-26', holiday: 'annandag jul' }]);
    expect(expansion.created).toBe(11 * 4);
    const slotCount = () =>
      api.count(`SELECT count(*) AS n FROM slots WHERE template_id = ? AND state <> 'removed'`, template.id);
    // New slots are open and unbooked: all in the free-slot search index (migration 0005).
    const searchable = () =>
      api.count(
        `SELECT count(*) AS n FROM slots INDEXED BY slots_free WHERE state = 'open' AND booked = 0 AND template_id = ?`,
        template.id,
      );
    expect(slotCount()).toBe(44);
    expect(searchable()).toBe(44);
    const again = await api.ok('templates.expand', { templateIds: [template.id] });
    expect(again).toMatchObject({ created: 0, existing: 44 });
    expect(slotCount()).toBe(44);
    // The demo's own templates were laid two weeks ahead: the first full expansion fills the
    // horizon, the second finds everything in place.
    const first = await api.ok('templates.expand', {});
    expect(first.created).toBeGreaterThan(0);
    expect(first.existing).toBeGreaterThan(44);
    const second = await api.ok('templates.expand', {});
    expect(second).toMatchObject({ created: 0, existing: first.existing + first.created });
    // The wall clock is right: every slot at 08:00, 08:30, 09:00 or 09:30 local time.
    const starts = api.ctx.db.prepare(`SELECT start_at FROM slots WHERE template_id = ?`).all(template.id) as {
      start_at: number;
    }[];
    expect(new Set(starts.map((s) => localTime(s.start_at)))).toEqual(new Set(['08:00', '08:30', '09:00', '09:30']));
    // One outbox row per expansion that created slots, not one per slot; the push unfolds them
    // into a create entry for every slot that is not on the wire yet.
    const expansions = api.ctx.db
      .prepare(`SELECT json_extract(payload, '$.created') AS created FROM outbox WHERE entity_id LIKE 'expansion:%' ORDER BY seq`)
      .pluck()
      .all();
    expect(expansions).toEqual([44, first.created]);
    const unsentOfTemplate = () =>
      api.count(
        `SELECT count(*) AS n FROM slots s WHERE s.template_id = ? AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = s.id)`,
        template.id,
      );
    expect(unsentOfTemplate()).toBe(44);
    expect(unfoldExpansions(api.ctx)).toBeGreaterThanOrEqual(44 + first.created);
    expect(unsentOfTemplate()).toBe(0);
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity_id LIKE 'expansion:%' AND state = 'pending'`)).toBe(0);
    expect(unfoldExpansions(api.ctx)).toBe(0);
  });

  it('changes only future unbooked slots on edit and reports the booked ones it left', async () => {
    const { template } = await api.ok('templates.create', { template: { ...saturdays(), resourceId: erik.id } });
    const patient = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1950-05-05', 412),
      givenName: 'Lisa',
      familyName: 'Lördag',
    });
    const first = api.ctx.db
      .prepare(`SELECT id FROM slots WHERE template_id = ? ORDER BY start_at LIMIT 1 OFFSET 4`)
      .get(template.id) as { id: string };
    const booking = await api.ok('bookings.book', { slotId: first.id, patientId: patient.id, appointmentTypeId: lakbes.id });
    const { expansion } = await api.ok('templates.update', {
      id: template.id,
      changes: { startTime: '09:00', publishWeb: false },
    });
    expect(expansion.bookedUnchanged).toEqual([
      expect.objectContaining({ slotId: first.id, bookingId: booking.id, patientName: 'Lisa Lördag' }),
    ]);
    // 08:00 and 08:30 slots leave (one is booked and stays); 09:00 / 09:30 stay and lose the web flag.
    expect(expansion.removed).toBe(11 * 2 - 1);
    expect(expansion.updated).toBe(11 * 2);
    expect(expansion.created).toBe(0);
    const booked = await api.ok('slots.get', { id: first.id });
    expect(booked).toMatchObject({ state: 'open', webPublished: true, templateId: template.id });
    expect((await api.ok('bookings.get', { id: booking.id })).status).toBe('booked');
    const live = api.ctx.db
      .prepare(`SELECT start_at, web_published FROM slots WHERE template_id = ? AND state <> 'removed'`)
      .all(template.id) as {
      start_at: number;
      web_published: number;
    }[];
    expect(live).toHaveLength(11 * 2 + 1);
    // Removed slots are gone from the free-slot index too.
    const free = await api.ok('slots.findFree', {
      appointmentTypeId: lakbes.id,
      resourceId: erik.id,
      from: '2026-11-28',
      to: '2026-11-28',
      limit: 20,
    });
    expect(free.map((f) => localTime(f.startAt))).toEqual(['09:00', '09:30']);
    // Deactivating removes the rest but not the booked one.
    const off = await api.ok('templates.deactivate', { id: template.id });
    expect(off.expansion.removed).toBe(22);
    expect(off.expansion.bookedUnchanged.map((b) => b.slotId)).toEqual([first.id]);
  });

  it('does not recreate a slot removed by hand, nor one overlapping another live slot', async () => {
    const slot = (
      await api.ok('slots.findFree', {
        appointmentTypeId: lakbes.id,
        resourceId: anna.id,
        from: '2026-12-05',
        to: '2026-12-05',
        limit: 1,
      })
    )[0]!;
    const removed = await api.ok('slots.remove', { id: slot.slotId });
    expect(removed.state).toBe('removed');
    const again = await api.ok('templates.expand', {});
    expect(again.created).toBe(0);
    expect(
      api.count(
        `SELECT count(*) AS n FROM slots WHERE resource_id = ? AND start_at = ? AND state <> 'removed'`,
        anna.id,
        slot.startAt,
      ),
    ).toBe(0);
    expect(
      await api.err('slots.create', {
        resourceId: anna.id,
        date: '2026-12-12',
        startTime: '08:15',
        endTime: '08:45',
        appointmentTypeIds: [lakbes.id],
      }),
    ).toMatchObject({ code: 'conflict', message: 'Resursen har redan en tid som överlappar den nya.' });
    const manual = await api.ok('slots.create', {
      resourceId: anna.id,
      date: '2026-12-05',
      startTime: '08:00',
      endTime: '08:30',
      appointmentTypeIds: [lakbes.id],
    });
    expect(manual.templateId).toBeNull();
    // A booked slot cannot be removed.
    const p = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1961-06-16', 413),
      givenName: 'Per',
      familyName: 'Plats',
    });
    await api.ok('bookings.book', { slotId: manual.id, patientId: p.id, appointmentTypeId: lakbes.id });
    expect(await api.err('slots.remove', { id: manual.id })).toMatchObject({ code: 'conflict' });
  });

  it('previews DST weeks with the same wall-clock slots and opens eves the unit works on', async () => {
    const template = {
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      validFrom: '2026-03-01',
      startTime: '08:00',
      endTime: '09:00',
      slotMin: 20,
      appointmentTypeIds: [lakbes.id],
    };
    // A preview shows only times still to come (what saving would lay out): the 2026 DST weeks
    // are looked at from before them.
    api.setNow('2026-03-01T09:00:00+01:00');
    const dst = await api.ok('templates.preview', { template, from: '2026-03-28', to: '2026-03-30' });
    const byDate = (d: string) => dst.slots.filter((s) => s.date === d).map((s) => `${s.startTime}-${s.endTime}`);
    expect(byDate('2026-03-29')).toEqual(['08:00-08:20', '08:20-08:40', '08:40-09:00']);
    expect(byDate('2026-03-29')).toEqual(byDate('2026-03-28'));
    const autumn = await api.ok('templates.preview', { template, from: '2026-10-24', to: '2026-10-26' });
    expect(autumn.slots.filter((s) => s.date === '2026-10-25').map((s) => s.startTime)).toEqual(['08:00', '08:20', '08:40']);
    for (const s of autumn.slots) expect(localDate(s.startAt)).toBe(s.date);
    // A day template never meets the clock change; a night one is told which starts it touches.
    expect([...dst.clockChanges, ...autumn.clockChanges]).toEqual([]);
    const night = { ...template, startTime: '01:30', endTime: '03:30', slotMin: 30 };
    const spring = await api.ok('templates.preview', { template: night, from: '2026-03-28', to: '2026-03-30' });
    // 02:00 and 02:30 do not exist on 2026-03-29 (the clock goes 02:00 → 03:00).
    expect(spring.clockChanges).toEqual([{ date: '2026-03-29', change: 'forward', times: ['02:00', '02:30'] }]);
    expect(spring.slots.filter((s) => s.date === '2026-03-29').map((s) => s.startTime)).toEqual(['01:30', '03:00']);
    const fall = await api.ok('templates.preview', { template: night, from: '2026-10-24', to: '2026-10-26' });
    // 02:00–02:59 is shown twice on 2026-10-25; each start is laid out once.
    expect(fall.clockChanges).toEqual([{ date: '2026-10-25', change: 'back', times: ['02:00', '02:30'] }]);
    expect(fall.slots.filter((s) => s.date === '2026-10-25').map((s) => s.startTime)).toEqual([
      '01:30',
      '02:00',
      '02:30',
      '03:00',
    ]);
    api.setNow('2026-11-23T09:10:00+01:00'); // the file's Monday again

    const dec = { ...template, weekdays: [1, 2, 3, 4, 5], validFrom: '2026-12-01' };
    const closed = await api.ok('templates.preview', { template: dec, from: '2026-12-21', to: '2027-01-02' });
    expect(closed.skipped.map((s) => s.date)).toEqual(['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01']);
    expect(await api.ok('holidays.setRules', { julafton: false, nyarsafton: false })).toMatchObject({
      julafton: false,
      nyarsafton: false,
      midsommarafton: true,
    });
    const open = await api.ok('templates.preview', { template: dec, from: '2026-12-21', to: '2027-01-02' });
    expect(open.skipped.map((s) => s.date)).toEqual(['2026-12-25', '2027-01-01']);
    expect((await api.ok('holidays.list', { year: 2027 })).filter((h) => h.eve)).toEqual([
      { date: '2027-06-25', name: 'midsommarafton', eve: 'midsommarafton', closed: true },
      { date: '2027-12-24', name: 'julafton', eve: 'julafton', closed: false },
      { date: '2027-12-31', name: 'nyårsafton', eve: 'nyarsafton', closed: false },
    ]);
    await api.ok('holidays.setRules', { julafton: true, nyarsafton: true });
  });

  it('rejects templates that make no sense, in Swedish', async () => {
    expect(
      await api.err('templates.create', { template: { ...saturdays(), startTime: '10:00', endTime: '08:00' } }),
    ).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/Sluttiden måste vara efter starttiden/),
    });
    expect(await api.err('templates.create', { template: { ...saturdays(), weekdays: [] } })).toMatchObject({
      code: 'validation',
    });
    expect(await api.err('templates.create', { template: saturdays() }, ['receptionist'])).toMatchObject({ code: 'forbidden' });
  });
});

describe('absences', () => {
  it('blocks the resource, lists the affected bookings, proposes and applies rebooking in one step', async () => {
    const day = await api.ok('calendar.range', { from: '2026-11-25', to: '2026-11-26', resourceIds: [anna.id] });
    const bookedThere = day.bookings.filter((b) => b.status === 'booked').map((b) => b.id);
    expect(bookedThere.length).toBeGreaterThan(1);
    const created = await api.ok('absences.create', { resourceId: anna.id, from: '2026-11-25', to: '2026-11-25', reason: 'VAB' });
    expect(created.affectedBookings.map((b) => b.id).sort()).toEqual([...bookedThere].sort());
    expect(created.slotsChanged).toBe(day.slots.filter((s) => s.state === 'open').length);
    const free = await api.ok('slots.findFree', {
      appointmentTypeId: lakbes.id,
      resourceId: anna.id,
      from: '2026-11-25',
      to: '2026-11-25',
    });
    expect(free).toEqual([]);
    expect(await api.err('slots.unblock', { id: day.slots[0]!.id })).toMatchObject({ code: 'conflict' });

    const proposals = await api.ok('absences.proposeRebooking', { id: created.absence.id });
    expect(proposals).toHaveLength(bookedThere.length);
    const chosen = proposals.filter((p) => p.proposal);
    expect(new Set(chosen.map((p) => p.proposal!.slotId)).size).toBe(chosen.length);
    for (const p of chosen) {
      expect(p.proposal!.appointmentTypeIds).toContain(p.booking.appointmentTypeId);
      expect(p.proposal!.profession).toBe('lakare');
      expect(p.proposal!.startAt).toBeGreaterThan(api.ctx.now());
    }
    // Apply a subset: the first two.
    const subset = chosen.slice(0, 2).map((p) => ({ bookingId: p.booking.id, slotId: p.proposal!.slotId }));
    const applied = await api.ok('absences.applyRebooking', { id: created.absence.id, items: subset });
    expect(applied.rebooked.map((r) => r.old.id)).toEqual(subset.map((s) => s.bookingId));
    for (const r of applied.rebooked) expect(r.old.patient.id).toBe(r.new.patient.id);
    expect(applied.contactList).toHaveLength(bookedThere.length);
    const moved = applied.contactList.filter((c) => c.newStartAt !== null);
    expect(moved.map((c) => c.bookingId).sort()).toEqual(subset.map((s) => s.bookingId).sort());
    // What is left is still affected; the contact list now shows everyone, moved or not.
    expect((await api.ok('absences.affectedBookings', { id: created.absence.id })).length).toBe(bookedThere.length - 2);
    expect((await api.ok('absences.contactList', { id: created.absence.id })).length).toBe(bookedThere.length);

    // A proposal taken meanwhile fails the whole apply, and nothing moves.
    const rest = await api.ok('absences.proposeRebooking', { id: created.absence.id });
    const target = rest.find((p) => p.proposal)!;
    const intruder = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1977-07-07', 414),
      givenName: 'Ida',
      familyName: 'Först',
    });
    await api.ok('bookings.book', {
      slotId: target.proposal!.slotId,
      patientId: intruder.id,
      appointmentTypeId: target.booking.appointmentTypeId,
    });
    const items = rest.filter((p) => p.proposal).map((p) => ({ bookingId: p.booking.id, slotId: p.proposal!.slotId }));
    expect(await api.err('absences.applyRebooking', { id: created.absence.id, items })).toMatchObject({ code: 'conflict' });
    expect((await api.ok('absences.affectedBookings', { id: created.absence.id })).length).toBe(bookedThere.length - 2);
    // Apply all the fresh proposals.
    const all = await api.ok('absences.applyRebooking', { id: created.absence.id });
    expect(all.rebooked.length).toBe(bookedThere.length - 2);

    const withdrawn = await api.ok('absences.withdraw', { id: created.absence.id });
    expect(withdrawn.slotsChanged).toBe(created.slotsChanged);
    expect((await api.ok('slots.get', { id: day.slots[0]!.id })).state).toBe('open');
  });

  it('hides the phone of a protected patient in the contact list from roles that do not need it', async () => {
    const day = await api.ok('calendar.range', { from: '2026-11-26', to: '2026-11-27', resourceIds: [erik.id] });
    const b = day.bookings.find((x) => x.status === 'booked')!;
    await api.ok('patients.update', { id: b.patient.id, protectedIdentity: true });
    const { absence } = await api.ok('absences.create', {
      resourceId: erik.id,
      from: '2026-11-26',
      fromTime: '08:00',
      to: '2026-11-26',
      toTime: '17:00',
      reason: 'Kurs',
    });
    const asScheduler = await api.ok('absences.contactList', { id: absence.id }, ['scheduler']);
    expect(asScheduler.find((c) => c.bookingId === b.id)).toMatchObject({
      protectedIdentity: true,
      phone: null,
      contactMasked: true,
    });
    const asDesk = await api.ok('absences.contactList', { id: absence.id }, ['receptionist']);
    expect(asDesk.find((c) => c.bookingId === b.id)?.phone).toMatch(/^07/);
    // The whole day over the course is kept beside it (overlapping absences are separate records), and names it.
    const wholeDay = await api.ok('absences.create', { resourceId: erik.id, from: '2026-11-26', to: '2026-11-26' });
    expect(wholeDay.overlapping.map((a) => a.id)).toEqual([absence.id]);
  });
});
