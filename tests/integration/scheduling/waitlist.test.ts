// Återbudslistan through the api on a real SQLite file (demo unit, Monday 2026-11-23 09:10):
// entries are added, listed (masked per role like bookings.search), matched against a freed
// slot by the booking rules plus the patient's wish, booked from in the booking's transaction,
// offered and withdrawn. Every change writes its audit event with the patient; nothing goes to
// the outbox (the central API has no mapping for waitlist entries).
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import type { WaitlistEntry } from '../../../src-main/api/methods/waitlist.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let lakbes: AppointmentType;
let tele: AppointmentType;
let anna: Resource;
let erik: Resource;
let sara: Resource;
let astrid: Patient;
let bertil: Patient;
let cilla: Patient;
let hidden: Patient;
const entries: Record<string, WaitlistEntry> = {};
const HIDDEN_NUMBER = makeIdentityNumber('1985-05-05', 238);

const ids = (xs: WaitlistEntry[]) => xs.map((e) => e.patient.id);
const audits = (entryId: string) =>
  api.count(`SELECT count(*) AS n FROM audit_events WHERE entity = 'waitlist' AND entity_id = ? AND action = 'change'`, entryId);

async function freeSlot(type: AppointmentType, resource: Resource, from: string) {
  const [slot] = await api.ok('slots.findFree', { appointmentTypeId: type.id, resourceId: resource.id, from, limit: 1 });
  if (!slot) throw new Error(`no free ${type.code} slot for ${resource.name}`);
  return slot;
}

beforeAll(async () => {
  api = demoApi();
  // The demo's own återbudslista is emptied: these tests decide who waits, and in which order.
  api.ctx.db.exec(`DELETE FROM waitlist`);
  const types = await api.ok('appointmentTypes.list', {});
  lakbes = types.find((t) => t.code === 'LAKBES')!;
  tele = types.find((t) => t.code === 'TELE')!;
  const resources = await api.ok('resources.list', {});
  const byName = (n: string) => resources.find((r) => r.name === n)!;
  [anna, erik, sara] = [byName('Anna Lindqvist'), byName('Erik Johansson'), byName('Sara Nyström')];
  const make = (identityNumber: string, givenName: string, protectedIdentity = false) =>
    api.ok('patients.create', { identityNumber, givenName, familyName: 'Väntesson', phone: '0701112233', protectedIdentity });
  astrid = await make('19121212-1212', 'Astrid');
  bertil = await make('201212121212', 'Bertil');
  cilla = await make(makeIdentityNumber('1970-01-01', 238), 'Cilla');
  hidden = await make(HIDDEN_NUMBER, 'Hemlig', true);

  entries['astrid'] = await api.ok('waitlist.add', { patientId: astrid.id, appointmentTypeId: lakbes.id, note: 'Kan bara fm' });
  entries['bertil'] = await api.ok('waitlist.add', {
    patientId: bertil.id,
    appointmentTypeId: lakbes.id,
    resourceId: anna.id,
    priority: 1,
  });
  entries['hidden'] = await api.ok('waitlist.add', {
    patientId: hidden.id,
    appointmentTypeId: lakbes.id,
    priority: 2,
    earliest: '2026-12-01',
    note: 'Ring efter 15',
  });
  entries['cilla'] = await api.ok('waitlist.add', {
    patientId: cilla.id,
    appointmentTypeId: tele.id,
    profession: 'sjukskoterska',
  });
});

describe('adding', () => {
  it('adds entries as waiting, each change audited with its patient and nothing queued for the central API', () => {
    expect(entries['bertil']).toMatchObject({ state: 'waiting', priority: 1, resourceId: anna.id, resourceName: anna.name });
    expect(entries['cilla']).toMatchObject({ profession: 'sjukskoterska', resourceId: null, earliest: null, latest: null });
    for (const [key, e] of Object.entries(entries)) {
      expect(audits(e.id), key).toBe(1);
      expect(api.count(`SELECT count(*) AS n FROM audit_events WHERE entity_id = ? AND patient_id = ?`, e.id, e.patient.id)).toBe(
        1,
      );
    }
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'waitlist'`)).toBe(0);
  });

  it('refuses a wish the type cannot meet, both wishes, a backwards period and a second open entry', async () => {
    const base = { patientId: astrid.id, appointmentTypeId: tele.id };
    expect(await api.err('waitlist.add', { ...base, resourceId: anna.id, profession: 'lakare' })).toMatchObject({
      code: 'validation',
    });
    expect(await api.err('waitlist.add', { ...base, earliest: '2026-12-10', latest: '2026-12-01' })).toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Sista dag') as string,
    });
    expect(
      await api.err('waitlist.add', { patientId: astrid.id, appointmentTypeId: lakbes.id, resourceId: sara.id }),
    ).toMatchObject({
      code: 'validation',
      message: 'Sara Nyström kan inte ta emot Läkarbesök: besökstypen är för en annan yrkesgrupp.',
    });
    expect(await api.err('waitlist.add', { patientId: astrid.id, appointmentTypeId: lakbes.id })).toMatchObject({
      code: 'conflict',
      message: 'Patienten står redan på återbudslistan för Läkarbesök.',
    });
    expect(api.count(`SELECT count(*) AS n FROM waitlist`)).toBe(4);
  });
});

describe('the list', () => {
  it('orders by priority, then longest waiting; filters by type and by what a resource could serve', async () => {
    const all = await api.ok('waitlist.list', {});
    expect(ids(all)).toEqual([hidden.id, bertil.id, astrid.id, cilla.id]);
    expect(ids(await api.ok('waitlist.list', { appointmentTypeId: tele.id }))).toEqual([cilla.id]);
    // Erik is a doctor: not Bertil (wants Anna), not Cilla (wants a nurse).
    expect(ids(await api.ok('waitlist.list', { resourceId: erik.id }))).toEqual([hidden.id, astrid.id]);
    expect(ids(await api.ok('waitlist.list', { resourceId: sara.id }))).toEqual([cilla.id]);
  });

  it('masks a protected identity like bookings.search: no name in a list; number, phone and note only for the desk', async () => {
    const desk = (await api.ok('waitlist.list', {}, ['receptionist'])).find((e) => e.id === entries['hidden']!.id)!;
    expect(desk.patient).toMatchObject({ displayName: null, identityNumber: HIDDEN_NUMBER, phone: '0701112233' });
    expect(desk.note).toBe('Ring efter 15');
    const scheduler = await api.ok('waitlist.list', {}, ['scheduler']);
    const masked = scheduler.find((e) => e.id === entries['hidden']!.id)!;
    // No id either (as bookings.search): patients.get would name her.
    expect(masked.patient).toEqual({
      id: '',
      displayName: null,
      identityNumber: null,
      protectedIdentity: true,
      phone: null,
    });
    expect(masked.note).toBe('');
    expect(scheduler.find((e) => e.id === entries['astrid']!.id)).toMatchObject({
      patient: { displayName: 'Astrid Väntesson', identityNumber: '191212121212' },
      note: 'Kan bara fm',
    });
  });

  it('writes one read per patient shown', async () => {
    const before = api.count(`SELECT max(seq) AS n FROM audit_events`);
    const list = await api.ok('waitlist.list', { appointmentTypeId: lakbes.id });
    const reads = api.ctx.db
      .prepare(`SELECT patient_id FROM audit_events WHERE seq > ? AND action = 'read' ORDER BY patient_id`)
      .pluck()
      .all(before);
    expect(reads).toEqual(ids(list).sort());
  });
});

describe('matches for a freed slot', () => {
  it('honours the resource wish, the period and priority order', async () => {
    const annaMonday = await freeSlot(lakbes, anna, '2026-11-30');
    const erikMonday = await freeSlot(lakbes, erik, '2026-11-30');
    // The protected patient can come from 1 December only.
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: annaMonday.slotId }))).toEqual([bertil.id, astrid.id]);
    // The hint after a cancellation asks only how many: no patient leaves main, no read is logged.
    const reads = () => api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'read'`);
    const before = reads();
    expect(await api.ok('waitlist.countForSlot', { slotId: annaMonday.slotId })).toEqual({ count: 2 });
    expect(reads()).toBe(before);
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: erikMonday.slotId }))).toEqual([astrid.id]);
    const annaTuesday = await freeSlot(lakbes, anna, '2026-12-01');
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: annaTuesday.slotId }))).toEqual([
      hidden.id,
      bertil.id,
      astrid.id,
    ]);
  });

  it('matches a profession wish only to a resource of that profession', async () => {
    const nurse = await freeSlot(tele, sara, '2026-11-30');
    const doctor = await freeSlot(tele, anna, '2026-11-30');
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: nurse.slotId }))).toEqual([cilla.id]);
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: doctor.slotId }))).toEqual([]);
  });

  it('offers nothing the booking rules would refuse: beyond the booking window, a blocked or a taken slot', async () => {
    const far = await api.ok('slots.create', {
      resourceId: anna.id,
      date: '2027-04-01',
      startTime: '08:00',
      endTime: '08:30',
      appointmentTypeIds: [lakbes.id],
    });
    expect(await api.ok('waitlist.matchesForSlot', { slotId: far.id })).toEqual([]);
    const slot = await freeSlot(lakbes, erik, '2026-12-02');
    await api.ok('slots.block', { id: slot.slotId, reason: 'Möte' });
    expect(await api.ok('waitlist.matchesForSlot', { slotId: slot.slotId })).toEqual([]);
    await api.ok('slots.unblock', { id: slot.slotId });
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: slot.slotId }))).toEqual([hidden.id, astrid.id]);
  });

  it('leaves out a patient who already has an earlier time of the type', async () => {
    const early = await freeSlot(lakbes, erik, '2026-12-03');
    const later = await freeSlot(lakbes, anna, '2026-12-04');
    const before = await freeSlot(lakbes, anna, '2026-12-02');
    const booked = await api.ok('bookings.book', { slotId: early.slotId, patientId: astrid.id, appointmentTypeId: lakbes.id });
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: later.slotId }))).not.toContain(astrid.id);
    // A time before the one she holds is still worth offering.
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: before.slotId }))).toContain(astrid.id);
    await api.ok('bookings.cancel', { id: booked.id });
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: later.slotId }))).toContain(astrid.id);
  });
});

describe('booking from the list', () => {
  it('refuses an entry of another patient or another type, and books nothing then', async () => {
    const slot = await freeSlot(lakbes, anna, '2026-12-07');
    const book = (patientId: string, entryId: string) =>
      api.err('bookings.book', { slotId: slot.slotId, patientId, appointmentTypeId: lakbes.id, waitlistEntryId: entryId });
    expect(await book(astrid.id, entries['bertil']!.id)).toMatchObject({
      code: 'validation',
      message: 'Posten på återbudslistan gäller en annan patient.',
    });
    expect(await book(cilla.id, entries['cilla']!.id)).toMatchObject({
      code: 'validation',
      message: 'Posten på återbudslistan gäller en annan besökstyp.',
    });
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ?`, slot.slotId)).toBe(0);
    expect(api.count(`SELECT count(*) AS n FROM waitlist WHERE state = 'booked'`)).toBe(0);
  });

  it('marks the entry booked in the booking transaction, audited; the entry cannot be booked twice', async () => {
    const slot = await freeSlot(lakbes, anna, '2026-11-30');
    const entry = entries['bertil']!;
    const b = await api.ok('bookings.book', {
      slotId: slot.slotId,
      patientId: bertil.id,
      appointmentTypeId: lakbes.id,
      waitlistEntryId: entry.id,
    });
    const [after] = (await api.ok('waitlist.list', { states: ['booked'] })).filter((e) => e.id === entry.id);
    expect(after).toMatchObject({ state: 'booked' });
    expect(audits(entry.id)).toBe(2);
    const detail = api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity = 'waitlist' AND entity_id = ? ORDER BY seq DESC LIMIT 1`)
      .pluck()
      .get(entry.id) as string;
    expect(JSON.parse(detail)).toMatchObject({ op: 'booked', bookingId: b.id });
    expect(ids(await api.ok('waitlist.list', {}))).not.toContain(bertil.id);

    const next = await freeSlot(lakbes, anna, '2026-12-03');
    expect(
      await api.err('bookings.book', {
        slotId: next.slotId,
        patientId: bertil.id,
        appointmentTypeId: lakbes.id,
        waitlistEntryId: entry.id,
      }),
    ).toMatchObject({ code: 'conflict', message: 'Patienten har redan fått en tid från återbudslistan.' });
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ?`, next.slotId)).toBe(0);
  });
});

describe('offered, changed, withdrawn', () => {
  it('marks offered (still matched), updates, withdraws (off the list, closed), each audited', async () => {
    const entry = entries['astrid']!;
    const slot = await freeSlot(lakbes, erik, '2026-12-07');
    const offered = await api.ok('waitlist.markOffered', { id: entry.id, slotId: slot.slotId });
    expect(offered.state).toBe('offered');
    expect(ids(await api.ok('waitlist.matchesForSlot', { slotId: slot.slotId }))).toContain(astrid.id);
    const updated = await api.ok('waitlist.update', { id: entry.id, priority: 1, latest: '2026-12-31', note: 'Även em' });
    expect(updated).toMatchObject({ priority: 1, latest: '2026-12-31', note: 'Även em', state: 'offered' });
    const moved = await api.ok('waitlist.update', { id: entry.id, resourceId: erik.id });
    expect(moved).toMatchObject({ resourceId: erik.id, profession: null });
    const withdrawn = await api.ok('waitlist.withdraw', { id: entry.id });
    expect(withdrawn.state).toBe('withdrawn');
    expect(ids(await api.ok('waitlist.list', {}))).not.toContain(astrid.id);
    expect(await api.err('waitlist.update', { id: entry.id, priority: 0 })).toMatchObject({ code: 'conflict' });
    expect(audits(entry.id)).toBe(5);
    // Withdrawn, the patient may be put on the list again.
    await api.ok('waitlist.add', { patientId: astrid.id, appointmentTypeId: lakbes.id });
  });
});

describe('declined: an offered entry waits again', () => {
  const lastDetail = (entryId: string) =>
    api.ctx.db
      .prepare(
        `SELECT patient_id, detail FROM audit_events WHERE entity = 'waitlist' AND entity_id = ? ORDER BY seq DESC LIMIT 1`,
      )
      .get(entryId) as { patient_id: string; detail: string };

  it('goes back to waiting with its waiting-since and its place in the list, audited with the patient', async () => {
    const entry = entries['hidden']!;
    // She has waited three weeks (the test clock stands still, so a reset to now would show).
    const since = entry.createdAt - 21 * 86_400_000;
    api.ctx.db.prepare(`UPDATE waitlist SET created_at = ? WHERE id = ?`).run(since, entry.id);
    const before = await api.ok('waitlist.list', {});
    await api.ok('waitlist.markOffered', { id: entry.id });
    const audited = audits(entry.id);
    const back = await api.ok('waitlist.markWaiting', { id: entry.id });
    expect(back).toMatchObject({ state: 'waiting', createdAt: since, priority: 2 });
    const after = await api.ok('waitlist.list', {});
    expect(after.map((e) => [e.id, e.state, e.createdAt])).toEqual(before.map((e) => [e.id, e.state, e.createdAt]));
    expect(audits(entry.id)).toBe(audited + 1);
    const last = lastDetail(entry.id);
    expect(last.patient_id).toBe(hidden.id);
    expect(JSON.parse(last.detail)).toMatchObject({ op: 'returned', reason: 'declined', from: 'offered' });
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'waitlist'`)).toBe(0);
  });

  it('refuses an entry that is waiting, booked or withdrawn, and changes nothing', async () => {
    const cases: [WaitlistEntry, string, string][] = [
      [entries['hidden']!, 'waiting', 'Posten väntar redan: patienten har inte erbjudits någon tid.'],
      [entries['bertil']!, 'booked', 'Patienten har redan fått en tid från återbudslistan.'],
      [entries['astrid']!, 'withdrawn', 'Posten är borttagen från återbudslistan.'],
    ];
    for (const [entry, state, message] of cases) {
      const audited = audits(entry.id);
      expect(await api.err('waitlist.markWaiting', { id: entry.id }), state).toMatchObject({ code: 'conflict', message });
      expect(api.ctx.db.prepare(`SELECT state FROM waitlist WHERE id = ?`).pluck().get(entry.id), state).toBe(state);
      expect(audits(entry.id), state).toBe(audited);
    }
  });
});

describe('a patient on the list who holds a later time of the type', () => {
  it('shows the held time on the entry (hidden from roles that may not see a protected patient’s times), and moving it books the entry', async () => {
    const dagny = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1962-03-14', 238),
      givenName: 'Dagny',
      familyName: 'Väntesson',
    });
    // The demo lays out two weeks (to Sunday 6 December): her two times are in the second week.
    const held = await freeSlot(lakbes, anna, '2026-12-03');
    const heldBooking = await api.ok('bookings.book', { slotId: held.slotId, patientId: dagny.id, appointmentTypeId: lakbes.id });
    const later = await freeSlot(lakbes, anna, '2026-12-03');
    await api.ok('bookings.book', { slotId: later.slotId, patientId: dagny.id, appointmentTypeId: lakbes.id });
    expect(later.startAt).toBeGreaterThan(held.startAt);
    const entry = await api.ok('waitlist.add', { patientId: dagny.id, appointmentTypeId: lakbes.id });
    // The next of her two upcoming times, not the last.
    expect(entry.heldBooking).toEqual({ id: heldBooking.id, startAt: held.startAt });
    expect((await api.ok('waitlist.list', {})).find((e) => e.id === entries['cilla']!.id)!.heldBooking).toBeNull();

    const earlier = await freeSlot(lakbes, anna, '2026-11-30');
    expect(earlier.startAt).toBeLessThan(held.startAt);
    const match = (await api.ok('waitlist.matchesForSlot', { slotId: earlier.slotId })).find((e) => e.id === entry.id);
    expect(match?.heldBooking).toEqual({ id: heldBooking.id, startAt: held.startAt });
    const moved = await api.ok('bookings.rebook', { id: heldBooking.id, slotId: earlier.slotId, waitlistEntryId: entry.id });
    expect(moved.old).toMatchObject({ status: 'rebooked', rebookedTo: moved.new.id });
    expect(moved.new).toMatchObject({ slotId: earlier.slotId, patient: { id: dagny.id }, appointmentTypeId: lakbes.id });
    expect((await api.ok('waitlist.list', { states: ['booked'] })).find((e) => e.id === entry.id)?.state).toBe('booked');
    // Still two upcoming times, not three; the one she held is free for the next in line.
    expect(
      api.count(`SELECT count(*) AS n FROM bookings WHERE patient_id = ? AND status IN ('booked', 'preliminary')`, dagny.id),
    ).toBe(2);
    expect(api.count(`SELECT count(*) AS n FROM slots WHERE id = ? AND booked = 0`, held.slotId)).toBe(1);

    // A protected patient's held time: the desk sees when, a scheduler only that there is one.
    const hiddenHeld = await freeSlot(lakbes, erik, '2026-12-02');
    const hb = await api.ok('bookings.book', { slotId: hiddenHeld.slotId, patientId: hidden.id, appointmentTypeId: lakbes.id });
    const seen = async (roles: ('receptionist' | 'scheduler')[]) =>
      (await api.ok('waitlist.list', {}, roles)).find((e) => e.id === entries['hidden']!.id)!.heldBooking;
    expect(await seen(['receptionist'])).toEqual({ id: hb.id, startAt: hiddenHeld.startAt });
    // Nor the booking's id: bookings.get would say when and with whom.
    expect(await seen(['scheduler'])).toEqual({ id: '', startAt: null });
  });
});
