// Återbudslistan, the offer of a freed time through the api on a real SQLite file (demo unit,
// Monday 2026-11-23 09:10): a time is offered to one patient on the list at a time; when she says
// no or does not answer, "Tillbaka till väntande" puts her back in her place with her priority and
// wishes and releases the time, so the next patient can be offered it. One transaction each with
// its audit event; the entry has no outbox row (it stays local), the released time's slot has one
// (central then has it free again, sync/fhir/README.md). And the list says how many there are when
// its limit cuts it.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import type { WaitlistEntry } from '../../../src-main/api/methods/waitlist.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let lakbes: AppointmentType;
let erik: Resource;

const waitlistAudits = (entryId: string) =>
  api.ctx.db
    .prepare(`SELECT patient_id, detail FROM audit_events WHERE entity = 'waitlist' AND entity_id = ? ORDER BY seq`)
    .all(entryId) as { patient_id: string; detail: string }[];
const outboxRows = () => api.count(`SELECT count(*) AS n FROM outbox`);

async function patient(givenName: string, day: string, protectedIdentity = false) {
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber(day, 238),
    givenName,
    familyName: 'Återbud',
    phone: '0701234567',
    protectedIdentity,
  });
}

/** The n:th free Läkarbesök with Erik from tomorrow on (each test takes its own). */
async function freeLakbes(n: number) {
  const free = await api.ok('slots.findFree', {
    appointmentTypeId: lakbes.id,
    resourceId: erik.id,
    from: '2026-11-24',
    limit: 12,
  });
  if (!free[n]) throw new Error(`only ${free.length} free LAKBES slots with Erik`);
  return free[n];
}

beforeEach(async () => {
  api = demoApi();
  lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
  erik = (await api.ok('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
});

describe('an offered time is held for one patient until she answers', () => {
  it('declined or no answer: back to waiting in her place with her wishes, the time released for the next patient', async () => {
    const first = await patient('Agnes', '1950-02-03');
    const second = await patient('Bodil', '1961-04-05');
    const agnes = await api.ok('waitlist.add', {
      patientId: first.id,
      appointmentTypeId: lakbes.id,
      resourceId: erik.id,
      earliest: '2026-11-24',
      latest: '2026-12-31',
      priority: 2,
      note: 'Ring efter 15',
    });
    const bodil = await api.ok('waitlist.add', { patientId: second.id, appointmentTypeId: lakbes.id });
    const slot = await freeLakbes(0);
    const order = async () => (await api.ok('waitlist.list', {})).map((e) => e.id);
    const listed = await order();

    const offered = await api.ok('waitlist.markOffered', { id: agnes.id, slotId: slot.slotId });
    expect(offered).toMatchObject({ state: 'offered', offeredSlot: { id: slot.slotId, startAt: slot.startAt, taken: false } });
    // Meanwhile nobody else on the list is offered the same time.
    const busy = await api.err('waitlist.markOffered', { id: bodil.id, slotId: slot.slotId });
    expect(busy).toMatchObject({ code: 'conflict', details: { rule: 'waitlist_slot_offered' } });
    expect(busy.message).toMatch(/redan erbjuden till en annan patient/);
    expect((await api.ok('waitlist.list', {})).find((e) => e.id === bodil.id)).toMatchObject({
      state: 'waiting',
      offeredSlot: null,
    });

    const outbox = outboxRows();
    const back = await api.ok('waitlist.markWaiting', { id: agnes.id, reason: 'no_answer' });
    const keep = ({ priority, resourceId, earliest, latest, note, createdAt, appointmentTypeId }: WaitlistEntry) => ({
      priority,
      resourceId,
      earliest,
      latest,
      note,
      createdAt,
      appointmentTypeId,
    });
    expect(back).toMatchObject({ state: 'waiting', offeredSlot: null, ...keep(agnes) });
    expect(await order()).toEqual(listed);
    const last = waitlistAudits(agnes.id).at(-1)!;
    expect(last.patient_id).toBe(first.id);
    expect(JSON.parse(last.detail)).toEqual({ op: 'returned', reason: 'no_answer', from: 'offered', released: slot.slotId });
    expect(outboxRows()).toBe(outbox + 1);
    expect(api.ctx.db.prepare(`SELECT entity, entity_id FROM outbox ORDER BY seq DESC LIMIT 1`).get()).toEqual({
      entity: 'slot',
      entity_id: slot.slotId,
    });

    // Released: the next patient can be offered the time; she declines it in turn.
    const next = await api.ok('waitlist.markOffered', { id: bodil.id, slotId: slot.slotId });
    expect(next.offeredSlot?.id).toBe(slot.slotId);
    const declined = await api.ok('waitlist.markWaiting', { id: bodil.id });
    expect(declined).toMatchObject({ state: 'waiting', offeredSlot: null });
    expect(JSON.parse(waitlistAudits(bodil.id).at(-1)!.detail)).toMatchObject({ op: 'returned', reason: 'declined' });
    expect(api.count(`SELECT count(*) AS n FROM waitlist WHERE offered_slot_id IS NOT NULL`)).toBe(0);
  });

  it('the database itself holds one offer per time, whoever writes', async () => {
    const [a, b] = [await patient('Cecilia', '1970-06-07'), await patient('Dora', '1972-08-09')];
    const ea = await api.ok('waitlist.add', { patientId: a.id, appointmentTypeId: lakbes.id });
    const eb = await api.ok('waitlist.add', { patientId: b.id, appointmentTypeId: lakbes.id });
    const slot = await freeLakbes(1);
    await api.ok('waitlist.markOffered', { id: ea.id, slotId: slot.slotId });
    expect(() =>
      api.ctx.db.prepare(`UPDATE waitlist SET state = 'offered', offered_slot_id = ? WHERE id = ?`).run(slot.slotId, eb.id),
    ).toThrow(/UNIQUE/);
  });

  it('withdrawing, booking from the list or a new offer releases the time too', async () => {
    const [a, b, c] = [
      await patient('Ebba', '1940-01-02'),
      await patient('Frida', '1945-03-04'),
      await patient('Gun', '1947-05-06'),
    ];
    const [ea, eb, ec] = [
      await api.ok('waitlist.add', { patientId: a.id, appointmentTypeId: lakbes.id }),
      await api.ok('waitlist.add', { patientId: b.id, appointmentTypeId: lakbes.id }),
      await api.ok('waitlist.add', { patientId: c.id, appointmentTypeId: lakbes.id }),
    ];
    const s1 = await freeLakbes(2);
    await api.ok('waitlist.markOffered', { id: ea.id, slotId: s1.slotId });
    expect(JSON.parse(waitlistAudits(ea.id).at(-1)!.detail)).toMatchObject({ op: 'offered', slotId: s1.slotId });
    await api.ok('waitlist.withdraw', { id: ea.id });
    await api.ok('waitlist.markOffered', { id: eb.id, slotId: s1.slotId });
    // Booked from the list: the entry closes and holds no time.
    await api.ok('bookings.book', { slotId: s1.slotId, patientId: b.id, appointmentTypeId: lakbes.id, waitlistEntryId: eb.id });
    expect(api.ctx.db.prepare(`SELECT state, offered_slot_id AS slot FROM waitlist WHERE id = ?`).get(eb.id)).toEqual({
      state: 'booked',
      slot: null,
    });
    // A new offer moves the hold: the first time is free for others again.
    const s2 = await freeLakbes(3);
    const s3 = await freeLakbes(4);
    await api.ok('waitlist.markOffered', { id: ec.id, slotId: s2.slotId });
    const moved = await api.ok('waitlist.markOffered', { id: ec.id, slotId: s3.slotId });
    expect(moved.offeredSlot?.id).toBe(s3.slotId);
    expect(JSON.parse(waitlistAudits(ec.id).at(-1)!.detail)).toMatchObject({ released: s2.slotId, slotId: s3.slotId });
    expect(api.count(`SELECT count(*) AS n FROM waitlist WHERE offered_slot_id = ?`, s2.slotId)).toBe(0);
  });

  it('only a free time of the entry’s type can be offered; a time she is booked into outside the list closes her entry', async () => {
    const [a, b] = [await patient('Hanna', '1980-07-08'), await patient('Ines', '1982-09-10')];
    const ea = await api.ok('waitlist.add', { patientId: a.id, appointmentTypeId: lakbes.id });
    const slot = await freeLakbes(5);
    await api.ok('bookings.book', { slotId: slot.slotId, patientId: b.id, appointmentTypeId: lakbes.id });
    expect(await api.err('waitlist.markOffered', { id: ea.id, slotId: slot.slotId })).toMatchObject({
      code: 'conflict',
      message: 'Tiden är inte längre ledig.',
      details: { rule: 'slot_taken' },
    });
    const other = api.ctx.db
      .prepare(
        `SELECT id FROM slots s WHERE state = 'open' AND booked = 0 AND start_at > ?
           AND NOT EXISTS (SELECT 1 FROM json_each(s.appointment_type_ids) WHERE value = ?) LIMIT 1`,
      )
      .pluck()
      .get(api.ctx.now(), lakbes.id) as string;
    expect(await api.err('waitlist.markOffered', { id: ea.id, slotId: other })).toMatchObject({
      code: 'validation',
      details: { rule: 'waitlist_slot_type' },
    });
    expect(api.ctx.db.prepare(`SELECT state FROM waitlist WHERE id = ?`).pluck().get(ea.id)).toBe('waiting');

    // Someone else booked into a held time ends the hold; her own booking of it, made without the
    // list, ends her wait (both in waitlist-hold-release.test.ts): the entry leaves the list.
    const later = await freeLakbes(6);
    await api.ok('waitlist.markOffered', { id: ea.id, slotId: later.slotId });
    await api.ok('bookings.book', { slotId: later.slotId, patientId: a.id, appointmentTypeId: lakbes.id });
    expect((await api.ok('waitlist.list', {})).find((e) => e.id === ea.id)).toBeUndefined();
    expect(api.ctx.db.prepare(`SELECT state FROM waitlist WHERE id = ?`).pluck().get(ea.id)).toBe('booked');
  });

  it('a protected patient’s offered time is hidden from roles that may not see her times', async () => {
    const hidden = await patient('Hemlig', '1990-11-12', true);
    const entry = await api.ok('waitlist.add', { patientId: hidden.id, appointmentTypeId: lakbes.id });
    const slot = await freeLakbes(7);
    await api.ok('waitlist.markOffered', { id: entry.id, slotId: slot.slotId }, ['receptionist']);
    const seen = async (roles: ('receptionist' | 'scheduler')[]) =>
      (await api.ok('waitlist.list', {}, roles)).find((e) => e.id === entry.id)!.offeredSlot;
    expect(await seen(['receptionist'])).toEqual({ id: slot.slotId, startAt: slot.startAt, taken: false, passed: false });
    // Nor the slot's id: slots.get would say when and with whom.
    expect(await seen(['scheduler'])).toEqual({ id: '', startAt: null, taken: false, passed: false });
  });
});

describe('the list says how many there are past its limit', () => {
  it('waitlist.count counts what the same filters select, however many the list returns', async () => {
    const before = (await api.ok('waitlist.count', {})).count;
    for (const [i, name] of ['Jenny', 'Karin', 'Lisa'].entries()) {
      const p = await patient(name, `1955-0${i + 1}-1${i}`);
      await api.ok('waitlist.add', { patientId: p.id, appointmentTypeId: lakbes.id });
    }
    const all = await api.ok('waitlist.list', {});
    expect(all.length).toBe(before + 3);
    expect(await api.ok('waitlist.count', {})).toEqual({ count: before + 3 });
    const capped = await api.ok('waitlist.list', { limit: 2 });
    expect(capped.length).toBe(2);
    const typed = await api.ok('waitlist.list', { appointmentTypeId: lakbes.id });
    expect(await api.ok('waitlist.count', { appointmentTypeId: lakbes.id })).toEqual({ count: typed.length });
    expect(await api.ok('waitlist.count', { states: ['booked'] })).toEqual({
      count: (await api.ok('waitlist.list', { states: ['booked'] })).length,
    });
    const erikCan = await api.ok('waitlist.list', { resourceId: erik.id });
    expect(await api.ok('waitlist.count', { resourceId: erik.id })).toEqual({ count: erikCan.length });
  });
});
