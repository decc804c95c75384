// Guards found by mutation testing of the scheduling core, through the api on a real SQLite file
// (demo unit, now Monday 2026-11-23 09:10 CET). Each case fails with a plausible slip that the
// other scheduling tests let pass; the expected answers follow from the rules. Own
// resources of professions the demo does not use keep the answers independent of the demo data.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { centralUrlSetting } from '../../../src-main/services/sync-claims.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let serial = 300;

async function patient(): Promise<Patient> {
  serial += 1;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1975-03-03', serial),
    givenName: `Mut${serial}`,
    familyName: 'Vakt',
  });
}

const resource = (name: string, profession: string): Promise<Resource> =>
  api.ok('resources.create', { kind: 'clinician', name, profession, title: profession });

beforeAll(() => {
  api = demoApi();
});

describe('absence rebooking', () => {
  let counsel: AppointmentType;
  let dietA: Resource;
  let curator: Resource;
  let dietB: Resource;

  beforeAll(async () => {
    dietA = await resource('Dietist Absent', 'dietist');
    curator = await resource('Kurator Tidig', 'kurator');
    dietB = await resource('Dietist Kollega', 'dietist');
    // A type two professions may perform: the proposal must still keep the absent one's profession.
    counsel = await api.ok('appointmentTypes.create', {
      code: 'MUTSAMT',
      nameSv: 'Levnadsvanesamtal',
      nameEn: 'Lifestyle talk',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['dietist', 'kurator'],
    });
  });

  it('proposes a slot of the same profession even when another profession may perform the type earlier', async () => {
    const slot = (r: Resource, date: string) =>
      api.ok('slots.create', { resourceId: r.id, date, startTime: '09:00', endTime: '09:30', appointmentTypeIds: [counsel.id] });
    const hit = await slot(dietA, '2026-12-14');
    const other = await slot(curator, '2026-12-15');
    const same = await slot(dietB, '2026-12-16');
    const booking = await api.ok('bookings.book', {
      slotId: hit.id,
      patientId: (await patient()).id,
      appointmentTypeId: counsel.id,
    });
    const { absence } = await api.ok('absences.create', {
      resourceId: dietA.id,
      from: '2026-12-14',
      to: '2026-12-14',
      reason: 'Kurs',
    });
    const [proposal] = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(proposal!.booking.id).toBe(booking.id);
    expect(proposal!.proposal?.slotId).toBe(same.id);
    expect(proposal!.proposal?.slotId).not.toBe(other.id);
  });
});

describe('free-slot search', () => {
  let visit: AppointmentType;
  let a: Resource;
  let b: Resource;

  beforeAll(async () => {
    a = await resource('Logoped Ett', 'logoped');
    b = await resource('Logoped Två', 'logoped');
    visit = await api.ok('appointmentTypes.create', {
      code: 'MUTLOGO',
      nameSv: 'Logopedbesök',
      nameEn: 'Speech therapy',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['logoped'],
      webBookable: true,
    });
  });

  it('offers only web-published slots on the web, and only the asked resource when one is named', async () => {
    const slot = (r: Resource, date: string, webPublished: boolean) =>
      api.ok('slots.create', {
        resourceId: r.id,
        date,
        startTime: '10:00',
        endTime: '10:30',
        appointmentTypeIds: [visit.id],
        webPublished,
      });
    const hidden = await slot(a, '2026-12-07', false);
    const onWeb = await slot(a, '2026-12-08', true);
    const ofB = await slot(b, '2026-12-06', true);
    const ids = async (q: { webOnly?: boolean; resourceId?: string }) =>
      (await api.ok('slots.findFree', { appointmentTypeId: visit.id, to: '2026-12-31', limit: 10, ...q })).map((f) => f.slotId);
    expect(await ids({})).toEqual([ofB.id, hidden.id, onWeb.id]);
    expect(await ids({ webOnly: true })).toEqual([ofB.id, onWeb.id]);
    expect(await ids({ resourceId: a.id })).toEqual([hidden.id, onWeb.id]);
    expect(await ids({ resourceId: a.id, webOnly: true })).toEqual([onWeb.id]);
  });
});

describe('free-slot search: profession and active resources', () => {
  it('keeps to the asked profession when the type has two, and never offers an inactive resource', async () => {
    const nurse = await resource('Distriktssköterska Ett', 'distriktsskoterska');
    const doctor = await resource('Distriktsläkare Ett', 'distriktslakare');
    const gone = await resource('Distriktssköterska Slutat', 'distriktsskoterska');
    const call = await api.ok('appointmentTypes.create', {
      code: 'MUTRING',
      nameSv: 'Telefonsamtal',
      nameEn: 'Phone call',
      durationMin: 15,
      contactModes: ['phone'],
      professions: ['distriktsskoterska', 'distriktslakare'],
    });
    const slot = (r: Resource, date: string) =>
      api.ok('slots.create', { resourceId: r.id, date, startTime: '13:00', endTime: '13:15', appointmentTypeIds: [call.id] });
    const ofDoctor = await slot(doctor, '2026-12-02');
    const ofNurse = await slot(nurse, '2026-12-03');
    await api.ok('resources.setActive', { id: gone.id, active: false });
    // The api lays no slots for an inactive resource; a pull from the central service can deliver one.
    const pulledId = api.ctx.newId();
    api.ctx.db
      .prepare(
        `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, state, updated_at) VALUES (?, ?, ?, ?, ?, 'open', 0)`,
      )
      .run(pulledId, gone.id, ofDoctor.startAt - 86_400_000, ofDoctor.endAt - 86_400_000, JSON.stringify([call.id]));
    const ids = async (q: { profession?: string }) =>
      (await api.ok('slots.findFree', { appointmentTypeId: call.id, to: '2026-12-31', limit: 10, ...q })).map((f) => f.slotId);
    expect(await ids({})).toEqual([ofDoctor.id, ofNurse.id]);
    expect(await ids({ profession: 'distriktsskoterska' })).toEqual([ofNurse.id]);
    expect(await ids({ profession: 'distriktslakare' })).toEqual([ofDoctor.id]);
  });
});

describe('rebooking at the desk', () => {
  it('keeps the booking window: a new time too soon or too far needs an explicit override', async () => {
    const r = await resource('Audionom Ett', 'audionom');
    const hearing = await api.ok('appointmentTypes.create', {
      code: 'MUTHOR',
      nameSv: 'Hörselkontroll',
      nameEn: 'Hearing check',
      durationMin: 20,
      contactModes: ['physical'],
      professions: ['audionom'],
      bookMinLeadH: 48,
      bookMaxDays: 14,
    });
    const slot = (date: string, startTime: string, endTime: string) =>
      api.ok('slots.create', { resourceId: r.id, date, startTime, endTime, appointmentTypeIds: [hearing.id] });
    const inWindow = await slot('2026-11-30', '10:00', '10:20');
    const tooFar = await slot('2026-12-08', '10:00', '10:20'); // 15 days after Monday 23 November
    const tooSoon = await slot('2026-11-24', '10:00', '10:20'); // 25 hours ahead, 48 needed
    const booking = await api.ok('bookings.book', {
      slotId: inWindow.id,
      patientId: (await patient()).id,
      appointmentTypeId: hearing.id,
    });
    for (const target of [tooFar, tooSoon]) {
      const e = await api.err('bookings.rebook', { id: booking.id, slotId: target.id });
      expect(e.code).toBe('conflict');
    }
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE id = ? AND status = 'booked'`, booking.id)).toBe(1);
    const moved = await api.ok('bookings.rebook', {
      id: booking.id,
      slotId: tooFar.id,
      override: { reason: 'Patienten reser bort' },
    });
    expect(moved.new.slotId).toBe(tooFar.id);
  });
});

describe('rebooking a preliminary booking', () => {
  it('books the new time outright when no central service is configured to confirm it', async () => {
    const r = await resource('Logoped Ett', 'logoped');
    const speech = await api.ok('appointmentTypes.create', {
      code: 'MUTLOG',
      nameSv: 'Logopedbesök',
      nameEn: 'Speech therapy',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['logoped'],
    });
    const slot = (startTime: string, endTime: string) =>
      api.ok('slots.create', { resourceId: r.id, date: '2026-12-01', startTime, endTime, appointmentTypeIds: [speech.id] });
    const first = await slot('10:00', '10:30');
    const second = await slot('11:00', '11:30');
    const booking = await api.ok('bookings.book', {
      slotId: first.id,
      patientId: (await patient()).id,
      appointmentTypeId: speech.id,
    });
    // Booked while a central service was configured (then removed): still waiting for its confirmation.
    api.ctx.db.prepare(`UPDATE bookings SET status = 'preliminary' WHERE id = ?`).run(booking.id);
    expect(centralUrlSetting(api.ctx)).toBeNull();
    const moved = await api.ok('bookings.rebook', { id: booking.id, slotId: second.id });
    // Nothing would ever confirm a preliminary time now: the desk's booking stands.
    expect(moved.new.status).toBe('booked');
  });
});

describe('a resource is never booked twice at once', () => {
  it('refuses a booking on a slot that overlaps a booked one, such as a slot the central feed delivered', async () => {
    const r = await resource('Ortoptist Ett', 'ortoptist');
    const eye = await api.ok('appointmentTypes.create', {
      code: 'MUTOGA',
      nameSv: 'Ortoptistbesök',
      nameEn: 'Orthoptist visit',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['ortoptist'],
    });
    const first = await api.ok('slots.create', {
      resourceId: r.id,
      date: '2026-12-09',
      startTime: '10:00',
      endTime: '10:30',
      appointmentTypeIds: [eye.id],
    });
    await api.ok('bookings.book', { slotId: first.id, patientId: (await patient()).id, appointmentTypeId: eye.id });
    // The api never lays overlapping slots itself; a pull from the central service can deliver one.
    const pulledId = api.ctx.newId();
    api.ctx.db
      .prepare(
        `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, state, updated_at) VALUES (?, ?, ?, ?, ?, 'open', 0)`,
      )
      .run(pulledId, r.id, first.startAt + 15 * 60_000, first.endAt + 15 * 60_000, JSON.stringify([eye.id]));
    const e = await api.err('bookings.book', { slotId: pulledId, patientId: (await patient()).id, appointmentTypeId: eye.id });
    expect(e.code).toBe('conflict');
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ?`, pulledId)).toBe(0);
  });
});

describe('an absence that covers part of a booked slot', () => {
  it('lists the booking as affected and proposes a new time for it', async () => {
    const r = await resource('Arbetsterapeut Ett', 'arbetsterapeut');
    const colleague = await resource('Arbetsterapeut Två', 'arbetsterapeut');
    const ot = await api.ok('appointmentTypes.create', {
      code: 'MUTAT',
      nameSv: 'Arbetsterapi',
      nameEn: 'Occupational therapy',
      durationMin: 45,
      contactModes: ['physical'],
      professions: ['arbetsterapeut'],
    });
    const slot = (res: Resource, date: string, startTime: string, endTime: string) =>
      api.ok('slots.create', { resourceId: res.id, date, startTime, endTime, appointmentTypeIds: [ot.id] });
    const book = async (slotId: string) =>
      api.ok('bookings.book', { slotId, patientId: (await patient()).id, appointmentTypeId: ot.id });
    const straddlesStart = await book((await slot(r, '2026-12-10', '08:00', '08:45')).id);
    const straddlesEnd = await book((await slot(r, '2026-12-10', '11:30', '12:15')).id);
    const touchesEnd = await book((await slot(r, '2026-12-10', '12:15', '13:00')).id);
    await slot(colleague, '2026-12-11', '08:00', '08:45');
    await slot(colleague, '2026-12-11', '09:00', '09:45');
    const { absence } = await api.ok('absences.create', {
      resourceId: r.id,
      from: '2026-12-10',
      fromTime: '08:30',
      to: '2026-12-10',
      toTime: '12:00',
      reason: 'Möte',
    });
    const affected = (await api.ok('absences.affectedBookings', { id: absence.id })).map((b) => b.id);
    expect(affected).toEqual([straddlesStart.id, straddlesEnd.id]);
    expect(affected).not.toContain(touchesEnd.id);
    const proposals = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(proposals.map((p) => [p.booking.id, p.proposal?.resourceId])).toEqual([
      [straddlesStart.id, colleague.id],
      [straddlesEnd.id, colleague.id],
    ]);
  });
});

describe('återbudslistan: the wished period is whole local days', () => {
  it('matches a slot on the last and on the first wished day, also a night slot just after local midnight', async () => {
    const r = await resource('Barnmorska Natt', 'barnmorska');
    const mvc = await api.ok('appointmentTypes.create', {
      code: 'MUTMVC',
      nameSv: 'Barnmorskebesök',
      nameEn: 'Midwife visit',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['barnmorska'],
    });
    const slot = (date: string, startTime: string, endTime: string) =>
      api.ok('slots.create', { resourceId: r.id, date, startTime, endTime, appointmentTypeIds: [mvc.id] });
    const lastDay = await api.ok('waitlist.add', {
      patientId: (await patient()).id,
      appointmentTypeId: mvc.id,
      latest: '2026-12-10',
    });
    const firstDay = await api.ok('waitlist.add', {
      patientId: (await patient()).id,
      appointmentTypeId: mvc.id,
      earliest: '2026-12-11',
    });
    const matches = async (slotId: string) => (await api.ok('waitlist.matchesForSlot', { slotId })).map((e) => e.id).sort();
    // 15:00 on the last wished day: still in the period.
    expect(await matches((await slot('2026-12-10', '15:00', '15:30')).id)).toEqual([lastDay.id].sort());
    // 00:30 on 11 December in Stockholm is 23:30 on 10 December in UTC: the 11th counts.
    expect(await matches((await slot('2026-12-11', '00:30', '01:00')).id)).toEqual([firstDay.id].sort());
  });
});

describe('templates', () => {
  it('lays no template on an inactive resource: its slots could never be booked', async () => {
    const r = await resource('Kiropraktor Slutat', 'kiropraktor');
    const visit = await api.ok('appointmentTypes.create', {
      code: 'MUTKIRO',
      nameSv: 'Kiropraktik',
      nameEn: 'Chiropractic',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['kiropraktor'],
    });
    await api.ok('resources.setActive', { id: r.id, active: false });
    const e = await api.err('templates.create', {
      template: {
        resourceId: r.id,
        weekdays: [1, 2, 3],
        validFrom: '2026-11-30',
        startTime: '08:00',
        endTime: '10:00',
        slotMin: 30,
        appointmentTypeIds: [visit.id],
      },
    });
    expect(e.code).toBe('conflict');
    expect(api.count(`SELECT count(*) AS n FROM slots WHERE resource_id = ?`, r.id)).toBe(0);
  });
});
