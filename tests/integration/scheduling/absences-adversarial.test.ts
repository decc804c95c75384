// Adversarial cases for absences and absence rebooking (issue 3 items 3 and 7), through the api
// on a real SQLite file (demo unit, now Monday 2026-11-23 09:10 CET). Counsellors of their own
// profession on hand-made slots keep each answer independent of the demo's bookings; expected
// answers follow from the rules ("an absence blocks exactly the resource's slots overlapping it,
// withdrawing it unblocks only what it blocked"), not from Tidbok's output.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let type: AppointmentType;
let k1: Resource;
let k2: Resource;
let serial = 500;

beforeEach(async () => {
  api = demoApi();
  const mk = (name: string) => api.ok('resources.create', { kind: 'clinician', name, profession: 'kurator', title: 'Kurator' });
  k1 = await mk('Klara Ett');
  k2 = await mk('Kim Två');
  type = await api.ok('appointmentTypes.create', {
    code: 'KUR',
    nameSv: 'Kuratorssamtal',
    nameEn: 'Counselling',
    durationMin: 30,
    contactModes: ['physical'],
    professions: ['kurator'],
  });
});

async function patient(): Promise<Patient> {
  serial += 1;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1969-07-21', serial),
    givenName: `Pat${serial}`,
    familyName: 'Kursson',
    phone: `0708${serial}000`,
  });
}
const slot = (r: Resource, date: string, startTime: string, endTime: string) =>
  api.ok('slots.create', { resourceId: r.id, date, startTime, endTime, appointmentTypeIds: [type.id] });
const book = async (slotId: string, p?: Patient) =>
  api.ok('bookings.book', { slotId, patientId: (p ?? (await patient())).id, appointmentTypeId: type.id });
const state = async (id: string) => {
  const s = await api.ok('slots.get', { id });
  return `${s.state}:${s.blockReason ?? ''}`;
};
const statuses = (...ids: string[]) =>
  ids.map((id) => (api.ctx.db.prepare(`SELECT status FROM bookings WHERE id = ?`).get(id) as { status: string }).status);

describe('a hand block lifted while an absence lasts', () => {
  it('leaves the slot blocked by the absence (never bookable during it), and withdrawing the absence opens it', async () => {
    const meeting = await slot(k1, '2026-12-02', '08:00', '08:30');
    const open = await slot(k1, '2026-12-02', '09:00', '09:30');
    const renovated = await slot(k1, '2026-12-02', '10:00', '10:30');
    await api.ok('slots.block', { id: meeting.id, reason: 'Möte' });
    const { absence, slotsChanged } = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-02',
      to: '2026-12-02',
      reason: 'Semester',
    });
    expect(slotsChanged).toBe(2);
    // The scheduler's own block takes over one of the absence's slots (it outlives the absence) ...
    await api.ok('slots.block', { id: renovated.id, reason: 'Renovering' });
    expect([await state(meeting.id), await state(open.id), await state(renovated.id)]).toEqual([
      'blocked:Möte',
      'blocked:Semester',
      'blocked:Renovering',
    ]);

    // ... and lifting either hand block while the clinician is away leaves the absence's block.
    expect(await api.ok('slots.unblock', { id: meeting.id })).toMatchObject({ state: 'blocked', blockReason: 'Semester' });
    expect(await api.ok('slots.unblock', { id: renovated.id })).toMatchObject({ state: 'blocked', blockReason: 'Semester' });
    expect(
      await api.ok('slots.findFree', { appointmentTypeId: type.id, resourceId: k1.id, from: '2026-12-02', to: '2026-12-02' }),
    ).toEqual([]);
    expect(
      await api.err('bookings.book', { slotId: meeting.id, patientId: (await patient()).id, appointmentTypeId: type.id }),
    ).toMatchObject({
      code: 'conflict',
      message: 'Tiden är spärrad.',
    });
    // A slot the absence blocks cannot be unblocked by hand at all.
    expect(await api.err('slots.unblock', { id: open.id })).toMatchObject({ code: 'conflict' });

    // Withdrawn: all three belong to the absence now and open.
    expect((await api.ok('absences.withdraw', { id: absence.id })).slotsChanged).toBe(3);
    expect([await state(meeting.id), await state(open.id), await state(renovated.id)]).toEqual(['open:', 'open:', 'open:']);
  });

  it('opens a hand-blocked slot outside any absence, and one next to an absence, at once', async () => {
    await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-03',
      fromTime: '10:00',
      to: '2026-12-03',
      toTime: '12:00',
      reason: 'Kurs',
    });
    const before = await slot(k1, '2026-12-03', '09:30', '10:00');
    const after = await slot(k1, '2026-12-03', '12:00', '12:30');
    const elsewhere = await slot(k2, '2026-12-03', '10:30', '11:00');
    for (const s of [before, after, elsewhere]) {
      expect(s.state).toBe('open');
      await api.ok('slots.block', { id: s.id, reason: 'Möte' });
      expect(await api.ok('slots.unblock', { id: s.id })).toMatchObject({ state: 'open', blockReason: null });
    }
  });
});

describe('a multi-day absence over the autumn night (2027-10-29 12:00 – 2027-11-01 10:00)', () => {
  it('blocks exactly the slots overlapping it, lists exactly their bookings, and withdraws exactly them', async () => {
    api.setNow('2027-10-20T09:00:00+02:00');
    const mk = (date: string, from: string, to: string) => slot(k1, date, from, to);
    const endsAtStart = await mk('2027-10-29', '11:30', '12:00');
    const straddlesStart = await mk('2027-10-29', '11:45', '12:15').catch(() => null); // overlaps the slot before: refused
    expect(straddlesStart).toBeNull();
    const atStart = await mk('2027-10-29', '12:00', '12:30');
    const sunday = await mk('2027-10-31', '02:30', '03:00'); // laid once, after the clock went back
    const lastBefore = await mk('2027-11-01', '09:30', '10:00');
    const atEnd = await mk('2027-11-01', '10:00', '10:30');
    const other = await slot(k2, '2027-10-30', '10:00', '10:30');
    const [bIn, bSunday, bEnd, bOther] = [
      await book(atStart.id),
      await book(sunday.id),
      await book(atEnd.id),
      await book(other.id),
    ];

    const r = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2027-10-29',
      fromTime: '12:00',
      to: '2027-11-01',
      toTime: '10:00',
      reason: 'Konferens',
    });
    // 12:00 CEST to 10:00 CET: 71 real hours.
    expect((r.absence.endAt - r.absence.startAt) / 3_600_000).toBe(71);
    expect(r.slotsChanged).toBe(3);
    expect(r.affectedBookings.map((b) => b.id)).toEqual([bIn.id, bSunday.id]);
    const states = async () =>
      Promise.all(
        [endsAtStart, atStart, sunday, lastBefore, atEnd, other].map(
          async (s) => (await api.ok('slots.get', { id: s.id })).state,
        ),
      );
    expect(await states()).toEqual(['open', 'blocked', 'blocked', 'blocked', 'open', 'open']);
    expect(statuses(bEnd.id, bOther.id)).toEqual(['booked', 'booked']);

    expect((await api.ok('absences.withdraw', { id: r.absence.id })).slotsChanged).toBe(3);
    expect(await states()).toEqual(['open', 'open', 'open', 'open', 'open', 'open']);
    // Withdrawn twice: nothing more changes, nothing more is logged.
    const audits = api.count(`SELECT count(*) AS n FROM audit_events WHERE entity_id = ?`, r.absence.id);
    expect((await api.ok('absences.withdraw', { id: r.absence.id })).slotsChanged).toBe(0);
    expect(api.count(`SELECT count(*) AS n FROM audit_events WHERE entity_id = ?`, r.absence.id)).toBe(audits);
  });
});

describe('listing absences', () => {
  it('by a period of whole local days; a reversed period is refused in Swedish, not answered with none', async () => {
    const { absence } = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-05',
      to: '2026-12-06',
      reason: 'Ledig',
    });
    const ids = async (from: string, to: string) =>
      (await api.ok('absences.list', { from, to, resourceId: k1.id })).map((a) => a.id);
    expect(await ids('2026-12-06', '2026-12-06')).toEqual([absence.id]);
    expect(await ids('2026-12-07', '2026-12-08')).toEqual([]);
    expect(await ids('2026-12-01', '2026-12-04')).toEqual([]);
    expect(await api.err('absences.list', { from: '2026-12-06', to: '2026-12-05' })).toMatchObject({
      code: 'validation',
      message: 'Ogiltiga uppgifter: Slutdatum får inte vara före startdatum.',
    });
  });
});

describe('absence rebooking proposals around the absence', () => {
  it('propose the absent clinician’s own time ending exactly when the absence starts, never one inside it', async () => {
    const earlierSame = await slot(k1, '2026-12-15', '09:30', '10:00');
    const inside = await slot(k1, '2026-12-15', '11:00', '11:30');
    const colleague = await slot(k2, '2026-12-14', '13:00', '13:30');
    const b = await book((await slot(k1, '2026-12-15', '10:30', '11:00')).id);
    const { absence } = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-15',
      fromTime: '10:00',
      to: '2026-12-15',
      toTime: '12:00',
      reason: 'Tandläkare',
    });
    expect(await state(inside.id)).toBe('blocked:Tandläkare');
    const [p] = await api.ok('absences.proposeRebooking', { id: absence.id });
    // The colleague's time is earlier, but the clinician's own is within a week of it.
    expect(p).toMatchObject({ booking: { id: b.id }, proposal: { slotId: earlierSame.id }, sameResource: true });
    expect(colleague.state).toBe('open');
  });
});

describe('a time held on återbudslistan', () => {
  it('is not proposed for absence rebooking while it is offered to a waiting patient; the next free time is', async () => {
    const held = await slot(k2, '2026-12-01', '08:00', '08:30');
    const next = await slot(k2, '2026-12-01', '09:00', '09:30');
    const waiting = await api.ok('waitlist.add', { patientId: (await patient()).id, appointmentTypeId: type.id });
    await api.ok('waitlist.markOffered', { id: waiting.id, slotId: held.id });
    const b = await book((await slot(k1, '2026-12-02', '08:00', '08:30')).id);
    const b2 = await book((await slot(k1, '2026-12-02', '09:00', '09:30')).id);
    const { absence } = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-02',
      to: '2026-12-02',
      reason: 'Sjuk',
    });
    const proposals = async () =>
      (await api.ok('absences.proposeRebooking', { id: absence.id })).map((p) => [p.booking.id, p.proposal?.slotId ?? null]);
    expect(await proposals()).toEqual([
      [b.id, next.id],
      [b2.id, null],
    ]);
    // Moved there; the offer stays as it was.
    await api.ok('absences.applyRebooking', { id: absence.id });
    const entry = (await api.ok('waitlist.list', {})).find((e) => e.id === waiting.id);
    expect(entry).toMatchObject({ state: 'offered', offeredSlot: { id: held.id } });
    // The patient said no: the time is free to propose again.
    await api.ok('waitlist.markWaiting', { id: waiting.id });
    expect(await proposals()).toEqual([[b2.id, held.id]]);
  });
});

describe('applying a hand-chosen absence rebooking list', () => {
  async function setup() {
    const p = await patient();
    const b1 = await book((await slot(k1, '2026-12-10', '09:00', '09:30')).id, p);
    const b2 = await book((await slot(k1, '2026-12-10', '11:00', '11:30')).id, p);
    const b3 = await book((await slot(k1, '2026-12-10', '13:00', '13:30')).id);
    const { absence } = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-10',
      to: '2026-12-10',
      reason: 'Sjuk',
    });
    return { p, b1, b2, b3, absence };
  }

  it('refuses, moving nobody, a time of the absent clinician inside the absence', async () => {
    const { b1, b3, absence } = await setup();
    const inside = await slot(k1, '2026-12-10', '15:00', '15:30'); // laid inside: blocked
    const fine = await slot(k2, '2026-12-11', '09:00', '09:30');
    const e = await api.err('absences.applyRebooking', {
      id: absence.id,
      items: [
        { bookingId: b1.id, slotId: fine.id },
        { bookingId: b3.id, slotId: inside.id },
      ],
    });
    expect(e).toMatchObject({
      code: 'conflict',
      message:
        'Den valda tiden 2026-12-10 15:00 hos Klara Ett går inte att använda: Tiden är spärrad. Ingen bokning har flyttats; hämta nya förslag och försök igen.',
    });
    expect(statuses(b1.id, b3.id)).toEqual(['booked', 'booked']);
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ?`, fine.id)).toBe(0);
  });

  it('refuses, moving nobody, two of one patient’s bookings chosen at overlapping times at two clinicians', async () => {
    const { b1, b2, absence } = await setup();
    const k3 = await api.ok('resources.create', { kind: 'clinician', name: 'Kai Tre', profession: 'kurator', title: null });
    const a = await slot(k2, '2026-12-11', '09:00', '09:30');
    const b = await slot(k3, '2026-12-11', '09:15', '09:45');
    const e = await api.err('absences.applyRebooking', {
      id: absence.id,
      items: [
        { bookingId: b1.id, slotId: a.id },
        { bookingId: b2.id, slotId: b.id },
      ],
    });
    expect(e.code).toBe('conflict');
    expect(e.message).toBe(
      'Den valda tiden 2026-12-11 09:15 hos Kai Tre går inte att använda: Patienten har redan en tid som överlappar: ' +
        '2026-12-11 kl. 09:00–09:30 hos Kim Två. Ingen bokning har flyttats; hämta nya förslag och försök igen.',
    );
    expect(statuses(b1.id, b2.id)).toEqual(['booked', 'booked']);
  });

  it('an empty list moves nobody and still lists every patient to contact', async () => {
    const { b1, b2, b3, absence } = await setup();
    const r = await api.ok('absences.applyRebooking', { id: absence.id, items: [] });
    expect(r.rebooked).toEqual([]);
    expect(r.contactList.map((c) => [c.bookingId, c.moved])).toEqual([
      [b1.id, false],
      [b2.id, false],
      [b3.id, false],
    ]);
    expect(statuses(b1.id, b2.id, b3.id)).toEqual(['booked', 'booked', 'booked']);
  });
});
