// Bookings through the api on a real SQLite file (demo unit, Monday 2026-11-23 09:10): every
// refusal is a `conflict` or `validation` naming why; every change writes its outbox row and its
// audit event in the same transaction; cut-offs apply at the desk too, passed only by a logged override.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { demoApi, patientOnWeb, type Api } from './helpers.ts';

let api: Api;
/** The patient on 1177: the web rules, as the pull applies them (the staff api refuses 'web'). */
let web: ReturnType<typeof patientOnWeb>;
let lakbes: AppointmentType;
let vacc: AppointmentType;
let patient: Patient;
let other: Patient;

beforeAll(async () => {
  api = demoApi();
  web = patientOnWeb(api);
  const types = await api.ok('appointmentTypes.list', {});
  lakbes = types.find((t) => t.code === 'LAKBES')!;
  vacc = types.find((t) => t.code === 'VACC')!;
  patient = await api.ok('patients.create', {
    identityNumber: '19121212-1212',
    givenName: 'Tolvan',
    familyName: 'Tolvansson',
    phone: '0701234567',
  });
  other = await api.ok('patients.create', { identityNumber: '201212121212', givenName: 'Tolva', familyName: 'Tolvansson' });
});

/** A free LAKBES slot from `from` on (past the 24 h cut-offs by default). */
async function freeSlot(from = '2026-11-30', webOnly = false) {
  const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from, webOnly, limit: 1 });
  if (!slot) throw new Error('no free slot');
  return slot;
}

describe('booking', () => {
  it('books a free slot once; a second booking of the slot is a conflict', async () => {
    const slot = await freeSlot();
    const b = await api.ok('bookings.book', { slotId: slot.slotId, patientId: patient.id, appointmentTypeId: lakbes.id });
    expect(b).toMatchObject({ status: 'booked', channel: 'desk', contactMode: 'physical', slotId: slot.slotId });
    expect(b.patient).toMatchObject({ id: patient.id, identityNumber: '191212121212' });
    const again = await api.err('bookings.book', { slotId: slot.slotId, patientId: other.id, appointmentTypeId: lakbes.id });
    expect(again).toMatchObject({ code: 'conflict', message: 'Tiden är redan bokad.' });
    const free = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-30', limit: 50 });
    expect(free.map((f) => f.slotId)).not.toContain(slot.slotId);
    // Same transaction: the booking's outbox row and its audit event (with the patient).
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'booking' AND entity_id = ? AND op = 'create'`, b.id)).toBe(
      1,
    );
    expect(
      api.count(
        `SELECT count(*) AS n FROM audit_events WHERE entity = 'booking' AND entity_id = ? AND patient_id = ? AND action = 'change'`,
        b.id,
        patient.id,
      ),
    ).toBe(1);
  });

  it('names why a booking does not fit: type, contact mode, profession, blocked slot, web', async () => {
    const slot = await freeSlot();
    expect(
      await api.err('bookings.book', { slotId: slot.slotId, patientId: patient.id, appointmentTypeId: vacc.id }),
    ).toMatchObject({
      code: 'validation',
      message: 'Vaccination erbjuds inte på den här tiden. Tiden erbjuder Läkarbesök.',
    });
    expect(
      await api.err('bookings.book', {
        slotId: slot.slotId,
        patientId: patient.id,
        appointmentTypeId: lakbes.id,
        contactMode: 'video',
      }),
    ).toMatchObject({ code: 'validation', message: 'Läkarbesök erbjuds inte som videobesök, bara som fysiskt besök.' });
    const notWeb = (await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-30', limit: 40 })).find(
      (s) => !s.webPublished,
    )!;
    expect(
      await web.err('book', {
        slotId: notWeb.slotId,
        patientId: patient.id,
        appointmentTypeId: lakbes.id,
      }),
    ).toMatchObject({
      code: 'conflict',
      message: 'Tiden är inte publicerad för webbokning.',
    });
    await api.ok('slots.block', { id: slot.slotId, reason: 'Möte' });
    expect(
      await api.err('bookings.book', { slotId: slot.slotId, patientId: patient.id, appointmentTypeId: lakbes.id }),
    ).toMatchObject({
      code: 'conflict',
      message: 'Tiden är spärrad.',
    });
    await api.ok('slots.unblock', { id: slot.slotId });
    await api.ok('bookings.book', { slotId: slot.slotId, patientId: patient.id, appointmentTypeId: lakbes.id, channel: 'phone' });
  });

  it('keeps the booking window; staff may override it at the desk (logged), the web never', async () => {
    const anna = (await api.ok('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
    const far = await api.ok('slots.create', {
      resourceId: anna.id,
      date: '2027-04-01',
      startTime: '08:00',
      endTime: '08:30',
      appointmentTypeIds: [lakbes.id],
      webPublished: true,
    });
    expect(await api.err('bookings.book', { slotId: far.id, patientId: patient.id, appointmentTypeId: lakbes.id })).toMatchObject(
      {
        code: 'conflict',
        message: 'Läkarbesök kan bokas högst 90 dagar framåt: senast 2027-02-21.',
      },
    );
    const override = { reason: 'Uppföljning efter operation' };
    expect(
      await web.err('book', {
        slotId: far.id,
        patientId: patient.id,
        appointmentTypeId: lakbes.id,
        override,
      }),
    ).toMatchObject({
      code: 'conflict',
    });
    const b = await api.ok('bookings.book', { slotId: far.id, patientId: patient.id, appointmentTypeId: lakbes.id, override });
    const detail = api.ctx.db.prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND action = 'change'`).get(b.id) as {
      detail: string;
    };
    expect(JSON.parse(detail.detail)).toMatchObject({ op: 'book', override: { rule: 'too_far', reason: override.reason } });
    // Too soon for the web-bookable type (2 h lead): a slot at 10:00 today.
    const soon = await api.ok('slots.create', {
      resourceId: anna.id,
      date: '2026-11-23',
      startTime: '18:00',
      endTime: '18:30',
      appointmentTypeIds: [lakbes.id],
      webPublished: true,
    });
    await api.ok('appointmentTypes.update', { id: lakbes.id, bookMinLeadH: 12 });
    expect(
      await api.err('bookings.book', { slotId: soon.id, patientId: patient.id, appointmentTypeId: lakbes.id }),
    ).toMatchObject({
      code: 'conflict',
      message: 'Läkarbesök måste bokas minst 12 timmar i förväg: tidigast 2026-11-23 kl. 21:10.',
    });
    await api.ok('appointmentTypes.update', { id: lakbes.id, bookMinLeadH: 2 });
  });
});

describe('one patient, one place at a time', () => {
  it('refuses a time overlapping one the patient holds at another clinician; a logged override books a joint visit', async () => {
    const person = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1977-07-07', 123),
      givenName: 'Ulla',
      familyName: 'Överlapp',
    });
    // Two free doctor's times starting together at two clinicians, and one later.
    const day = await api.ok('calendar.range', { from: '2026-11-30', to: '2026-12-05' });
    const taken = new Set(day.bookings.map((b) => b.slotId));
    const free = day.slots.filter((x) => x.state === 'open' && !taken.has(x.id) && x.appointmentTypeIds.includes(lakbes.id));
    // The second one published for the web, so that the web's refusal is about her, not the slot.
    const twin = free.find((b) => b.webPublished && free.some((a) => a.resourceId !== b.resourceId && a.startAt === b.startAt))!;
    const first = free.find((a) => a.resourceId !== twin.resourceId && a.startAt === twin.startAt)!;
    const later = free.find((b) => b.startAt >= first.endAt)!;
    const held = await api.ok('bookings.book', { slotId: first.id, patientId: person.id, appointmentTypeId: lakbes.id });

    const refused = await api.err('bookings.book', { slotId: twin.id, patientId: person.id, appointmentTypeId: lakbes.id });
    const names = new Map((await api.ok('resources.list', {})).map((r) => [r.id, r.name]));
    const date = new Date(first.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    const hhmm = (at: number) =>
      new Date(at).toLocaleTimeString('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' });
    expect(refused).toMatchObject({
      code: 'conflict',
      message: `Patienten har redan en tid som överlappar: ${date} kl. ${hhmm(first.startAt)}–${hhmm(first.endAt)} hos ${names.get(first.resourceId)}.`,
      details: { rule: 'patient_busy', bookingId: held.id },
    });
    // Moving another of her times onto the overlapping one is refused the same way.
    const other = await api.ok('bookings.book', { slotId: later.id, patientId: person.id, appointmentTypeId: lakbes.id });
    expect(await api.err('bookings.rebook', { id: other.id, slotId: twin.id })).toMatchObject({
      code: 'conflict',
      details: { rule: 'patient_busy' },
    });
    // The web has no override; the desk's is logged with the rule it passed.
    const override = { reason: 'Gemensamt besök läkare och sjuksköterska' };
    expect(
      await web.err('book', {
        slotId: twin.id,
        patientId: person.id,
        appointmentTypeId: lakbes.id,
        override,
      }),
    ).toMatchObject({ details: { rule: 'patient_busy' } });
    const joint = await api.ok('bookings.book', {
      slotId: twin.id,
      patientId: person.id,
      appointmentTypeId: lakbes.id,
      override,
    });
    const detail = api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND action = 'change'`)
      .pluck()
      .get(joint.id);
    expect(JSON.parse(detail as string)).toMatchObject({ override: { rules: ['patient_busy'], reason: override.reason } });
    // Her own time does not stand in its own way: moving it to the other clinician at the same hour is fine.
    await api.ok('bookings.cancel', { id: joint.id, override });
    const moved = await api.ok('bookings.rebook', { id: held.id, slotId: twin.id });
    expect(moved.new).toMatchObject({ slotId: twin.id, status: 'booked' });
  });
});

describe('cancel and rebook', () => {
  it('applies the cancel cut-off at the desk; an override with a reason passes it and is logged', async () => {
    const tomorrow = await freeSlot('2026-11-24');
    expect(tomorrow.startAt - api.ctx.now()).toBeLessThan(24 * 3_600_000);
    const b = await api.ok('bookings.book', { slotId: tomorrow.slotId, patientId: patient.id, appointmentTypeId: lakbes.id });
    const refused = await api.err('bookings.cancel', { id: b.id });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/senast 24 timmar före/);
    expect(await web.err('cancel', { id: b.id, override: { reason: 'Ringde in' } })).toMatchObject({
      code: 'conflict',
    });
    const cancelled = await api.ok('bookings.cancel', {
      id: b.id,
      reasonCode: 'SJUK',
      override: { reason: 'Patienten ringde, sjuk' },
    });
    expect(cancelled.status).toBe('cancelled');
    const audit = api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? ORDER BY seq DESC LIMIT 1`)
      .get(b.id) as { detail: string };
    expect(JSON.parse(audit.detail)).toMatchObject({
      op: 'cancel',
      override: { rule: 'cutoff_passed', reason: 'Patienten ringde, sjuk' },
    });
    // The slot is free again.
    expect(
      (await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-24', to: '2026-11-24', limit: 50 })).map(
        (s) => s.slotId,
      ),
    ).toContain(tomorrow.slotId);
  });

  it('asks for a cancel reason when the type makes it mandatory, and only known codes', async () => {
    await api.ok('appointmentTypes.update', { id: lakbes.id, reasonCancel: 'mandatory' });
    const slot = await freeSlot('2026-12-01');
    const b = await api.ok('bookings.book', { slotId: slot.slotId, patientId: other.id, appointmentTypeId: lakbes.id });
    expect(await api.err('bookings.cancel', { id: b.id })).toMatchObject({
      code: 'validation',
      message: 'Ange orsak till avbokningen.',
    });
    expect(await api.err('bookings.cancel', { id: b.id, reasonCode: 'OKAND' })).toMatchObject({ code: 'validation' });
    expect((await api.ok('bookings.cancel', { id: b.id, reasonText: 'Förhinder' })).status).toBe('cancelled');
    await api.ok('appointmentTypes.update', { id: lakbes.id, reasonCancel: 'optional' });
  });

  it('rebooks atomically: the old booking points at the new, patient and type kept, the old slot free', async () => {
    const [a, b] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-02', limit: 2 });
    const first = await api.ok('bookings.book', {
      slotId: a!.slotId,
      patientId: patient.id,
      appointmentTypeId: lakbes.id,
      note: 'Tolk',
    });
    const activeBefore = api.count(
      `SELECT count(*) AS n FROM bookings WHERE patient_id = ? AND status IN ('booked','preliminary')`,
      patient.id,
    );
    const r = await api.ok('bookings.rebook', { id: first.id, slotId: b!.slotId });
    expect(r.old).toMatchObject({ id: first.id, status: 'rebooked', rebookedTo: r.new.id });
    expect(r.new).toMatchObject({
      status: 'booked',
      rebookedFrom: first.id,
      slotId: b!.slotId,
      appointmentTypeId: lakbes.id,
      note: 'Tolk',
    });
    expect(r.new.patient.id).toBe(patient.id);
    expect(
      api.count(`SELECT count(*) AS n FROM bookings WHERE patient_id = ? AND status IN ('booked','preliminary')`, patient.id),
    ).toBe(activeBefore);
    expect(
      (await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-02', limit: 5 })).map((s) => s.slotId),
    ).toContain(a!.slotId);
    // Rebooking onto a taken slot changes nothing.
    const taken = await freeSlot('2026-12-03');
    await api.ok('bookings.book', { slotId: taken.slotId, patientId: other.id, appointmentTypeId: lakbes.id });
    expect(await api.err('bookings.rebook', { id: r.new.id, slotId: taken.slotId })).toMatchObject({
      code: 'conflict',
      message: 'Tiden är redan bokad.',
    });
    expect((await api.ok('bookings.get', { id: r.new.id })).status).toBe('booked');
  });

  it('marks arrived, no-show and completed on the day; not before', async () => {
    const today = (await api.ok('calendar.range', { from: '2026-11-23', to: '2026-11-24' })).bookings.find(
      (b) => b.status === 'booked',
    )!;
    expect((await api.ok('bookings.mark', { id: today.id, status: 'arrived' })).status).toBe('arrived');
    expect((await api.ok('bookings.mark', { id: today.id, status: 'completed' })).status).toBe('completed');
    const future = await freeSlot('2026-12-04');
    const b = await api.ok('bookings.book', { slotId: future.slotId, patientId: other.id, appointmentTypeId: lakbes.id });
    expect(await api.err('bookings.mark', { id: b.id, status: 'arrived' })).toMatchObject({
      code: 'conflict',
      message: 'Ett besök kan markeras först den dag det äger rum.',
    });
  });

  it('tells whether the patient may still cancel or rebook online', async () => {
    const slot = await freeSlot('2026-12-07', true);
    const b = await web.ok('book', {
      slotId: slot.slotId,
      patientId: other.id,
      appointmentTypeId: lakbes.id,
    });
    const p = await api.ok('bookings.onlinePermissions', { id: b.id });
    expect(p.cancel).toEqual({ allowed: true, reason: null, deadline: slot.startAt - 24 * 3_600_000 });
    expect(p.rebook.allowed).toBe(lakbes.webRebookable);
  });
});

describe('appointment types', () => {
  it('creates with every field, edits, deactivates; never deletes one in use', async () => {
    const t = await api.ok('appointmentTypes.create', {
      code: 'SPEC',
      nameSv: 'Specialistbesök',
      nameEn: 'Specialist visit',
      durationMin: 40,
      contactModes: ['physical', 'video'],
      professions: ['lakare'],
      webBookable: true,
      webCancellable: true,
      webRebookable: true,
      cancelCutoffH: 72,
      rebookCutoffH: 72,
      reasonNew: 'mandatory',
      reasonCancel: 'optional',
      reasonRebook: 'unsupported',
      reasonCodes: [{ code: 'REM', textSv: 'Remiss', textEn: 'Referral' }],
      bookMinLeadH: 24,
      bookMaxDays: 365,
      colour: '#aa3366',
    });
    expect(t).toMatchObject({ code: 'SPEC', cancelCutoffH: 72, reasonNew: 'mandatory', invitationOnly: false, active: true });
    expect(
      await api.err('appointmentTypes.create', {
        code: 'SPEC',
        nameSv: 'x',
        nameEn: 'x',
        durationMin: 30,
        contactModes: ['phone'],
      }),
    ).toMatchObject({
      code: 'conflict',
    });
    const edited = await api.ok('appointmentTypes.update', { id: t.id, nameSv: 'Specialistläkarbesök', bookMaxDays: 200 });
    expect(edited).toMatchObject({ nameSv: 'Specialistläkarbesök', bookMaxDays: 200, colour: '#aa3366' });
    expect((await api.ok('appointmentTypes.delete', { id: t.id })).id).toBe(t.id);
    expect(await api.err('appointmentTypes.delete', { id: lakbes.id })).toMatchObject({
      code: 'conflict',
      message: 'Besökstypen används och kan inte tas bort. Inaktivera den i stället.',
    });
    const off = await api.ok('appointmentTypes.setActive', { id: vacc.id, active: false });
    expect(off.active).toBe(false);
    const [slot] = await api.ok('slots.findFree', { appointmentTypeId: vacc.id, limit: 1 });
    expect(slot).toBeUndefined();
    await api.ok('appointmentTypes.setActive', { id: vacc.id, active: true });
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'appointment_type' AND entity_id = ?`, vacc.id)).toBe(2);
  });
});

describe('roles and protected identity', () => {
  it('lets receptionists book but not manage types; schedulers manage', async () => {
    expect(
      await api.err(
        'appointmentTypes.create',
        { code: 'X1', nameSv: 'x', nameEn: 'x', durationMin: 30, contactModes: ['phone'] },
        ['receptionist'],
      ),
    ).toMatchObject({
      code: 'forbidden',
    });
    const slot = await freeSlot('2026-12-03');
    const caller = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1990-02-02', 123),
      givenName: 'Rut',
      familyName: 'Roll',
    });
    await api.ok('bookings.book', { slotId: slot.slotId, patientId: caller.id, appointmentTypeId: lakbes.id }, ['receptionist']);
    await api.ok('slots.block', { id: (await freeSlot('2026-12-03')).slotId, reason: '' }, ['scheduler']);
    expect(await api.err('slots.block', { id: slot.slotId, reason: '' }, ['receptionist'])).toMatchObject({ code: 'forbidden' });
  });

  it('hides contact details and upcoming times of a protected patient from roles that do not need them', async () => {
    const hidden = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1985-03-14', 238),
      givenName: 'Skyddad',
      familyName: 'Person',
      phone: '0709999999',
      protectedIdentity: true,
    });
    const slot = await freeSlot('2026-12-04');
    await api.ok('bookings.book', { slotId: slot.slotId, patientId: hidden.id, appointmentTypeId: lakbes.id });
    const asScheduler = await api.ok('patients.get', { id: hidden.id }, ['scheduler']);
    expect(asScheduler).toMatchObject({ phone: null, upcoming: null, contactMasked: true, protectedIdentity: true });
    const asDesk = await api.ok('patients.get', { id: hidden.id }, ['receptionist']);
    expect(asDesk.phone).toBe('0709999999');
    expect(asDesk.upcoming?.map((b) => b.slotId)).toContain(slot.slotId);
    const [hit] = await api.ok('patients.search', { query: 'Skyddad Per' }, ['scheduler']);
    expect(hit).toMatchObject({ id: hidden.id, phone: null, contactMasked: true });
    expect(await api.ok('bookings.forPatient', { patientId: hidden.id }, ['admin'])).toEqual([]);
  });

  it('finds patients by any form of their number or by name, and logs the read', async () => {
    const reads = () => api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'read' AND patient_id = ?`, patient.id);
    const before = reads();
    for (const q of ['191212121212', '19121212-1212', '121212+1212', '1912121212'.slice(0, 8)]) {
      expect((await api.ok('patients.search', { query: q })).map((p) => p.id)).toContain(patient.id);
    }
    expect((await api.ok('patients.search', { query: 'tolvansson tolva' })).map((p) => p.id)).toEqual(
      expect.arrayContaining([other.id]),
    );
    // One read event per search that listed the patient (Patientdatalagen access log).
    expect(reads()).toBe(before + 5); // four number searches and the name search
    expect(await api.err('patients.create', { identityNumber: '19121212-1213', givenName: 'A', familyName: 'B' })).toMatchObject({
      code: 'validation',
      message: 'Kontrollsiffran stämmer inte. Kontrollera personnumret.',
    });
    expect(
      (
        await api.ok('patients.create', {
          identityNumber: '19121212-1213',
          reserve: true,
          givenName: 'Reserv',
          familyName: 'Nummer',
        })
      ).identityKind,
    ).toBe('reserve');
    expect(await api.err('patients.create', { identityNumber: '191212121212', givenName: 'A', familyName: 'B' })).toMatchObject({
      code: 'conflict',
    });
  });
});
