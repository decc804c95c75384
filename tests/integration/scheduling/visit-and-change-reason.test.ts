// Why the patient booked and why the booking was cancelled or moved are two facts: a cancellation
// or rebooking adds its own reason and never overwrites the visit's (the receptionist calling back,
// the clinician and Statistik still read why the patient came). Through the api on a real SQLite
// file (demo unit, Monday 2026-11-23 09:10) and `tidbok bookings show` in process.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let type: AppointmentType;
let patient: Patient;

beforeAll(async () => {
  api = demoApi();
  // A type whose list names visit, cancel and rebook reasons alike (one list per type).
  type = await api.ok('appointmentTypes.create', {
    code: 'ORSAK',
    nameSv: 'Läkarbesök, orsaker',
    nameEn: 'Doctor, reasons',
    durationMin: 30,
    contactModes: ['physical'],
    professions: ['lakare'],
    reasonNew: 'mandatory',
    reasonCancel: 'optional',
    reasonRebook: 'mandatory',
    reasonCodes: [
      { code: 'HOSTA', textSv: 'Långvarig hosta', textEn: 'Persistent cough' },
      { code: 'SJUK', textSv: 'Patienten är sjuk', textEn: 'Patient is ill' },
      { code: 'PATIENT', textSv: 'Patientens önskemål', textEn: "Patient's wish" },
    ],
  });
  patient = await api.ok('patients.create', { identityNumber: '19121212-1212', givenName: 'Tolvan', familyName: 'Tolvansson' });
});

let day = 0;
/** A new slot of the type on its own day (from Monday 30 November). */
async function slot(): Promise<string> {
  const [r] = (await api.ok('resources.list', {})).filter((x) => x.kind === 'clinician' && x.profession === 'lakare');
  const date = `2026-12-${String(1 + day++).padStart(2, '0')}`;
  const s = await api.ok('slots.create', {
    resourceId: r!.id,
    date,
    startTime: '07:00',
    endTime: '07:30',
    appointmentTypeIds: [type.id],
  });
  return s.id;
}

const book = async () =>
  api.ok('bookings.book', {
    slotId: await slot(),
    patientId: patient.id,
    appointmentTypeId: type.id,
    reasonCode: 'HOSTA',
    reasonText: 'sedan september',
  });

const row = (id: string) =>
  api.ctx.db
    .prepare(`SELECT reason_code, reason_text, cancel_reason_code, cancel_reason_text FROM bookings WHERE id = ?`)
    .get(id);

describe('a booking keeps why the patient came', () => {
  it('when cancelled: the visit reason stays, the cancellation has its own', async () => {
    const b = await book();
    expect(await api.ok('bookings.get', { id: b.id })).toMatchObject({
      reasonCode: 'HOSTA',
      reasonText: 'sedan september',
      cancelReasonCode: null,
      cancelReasonText: null,
    });
    await api.ok('bookings.cancel', { id: b.id, reasonCode: 'SJUK', reasonText: 'feber' });
    expect(await api.ok('bookings.get', { id: b.id })).toMatchObject({
      status: 'cancelled',
      reasonCode: 'HOSTA',
      reasonText: 'sedan september',
      cancelReasonCode: 'SJUK',
      cancelReasonText: 'feber',
    });
    expect(row(b.id)).toEqual({
      reason_code: 'HOSTA',
      reason_text: 'sedan september',
      cancel_reason_code: 'SJUK',
      cancel_reason_text: 'feber',
    });
    // The outbox carries both to the push; the access log names the cancellation's code.
    const payload = JSON.parse(
      (
        api.ctx.db
          .prepare(`SELECT payload FROM outbox WHERE entity = 'booking' AND entity_id = ? ORDER BY seq DESC LIMIT 1`)
          .get(b.id) as { payload: string }
      ).payload,
    ) as Record<string, unknown>;
    expect(payload).toMatchObject({ reasonCode: 'HOSTA', cancelReasonCode: 'SJUK', cancelReasonText: 'feber' });
    const detail = JSON.parse(
      (
        api.ctx.db
          .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND action = 'change' ORDER BY seq DESC LIMIT 1`)
          .get(b.id) as { detail: string }
      ).detail,
    ) as Record<string, unknown>;
    expect(detail).toMatchObject({ op: 'cancel', reasonCode: 'SJUK' });
  });

  it('cancelled without a reason (optional): the visit reason stays, no cancel reason', async () => {
    const b = await book();
    await api.ok('bookings.cancel', { id: b.id });
    expect(await api.ok('bookings.get', { id: b.id })).toMatchObject({
      reasonCode: 'HOSTA',
      reasonText: 'sedan september',
      cancelReasonCode: null,
      cancelReasonText: null,
    });
  });

  it('when moved: both times keep the visit reason, the old one gets why it was moved', async () => {
    const b = await book();
    const moved = await api.ok('bookings.rebook', {
      id: b.id,
      slotId: await slot(),
      reasonCode: 'PATIENT',
      reasonText: 'semester',
    });
    expect(await api.ok('bookings.get', { id: b.id })).toMatchObject({
      status: 'rebooked',
      reasonCode: 'HOSTA',
      reasonText: 'sedan september',
      cancelReasonCode: 'PATIENT',
      cancelReasonText: 'semester',
    });
    expect(await api.ok('bookings.get', { id: moved.new.id })).toMatchObject({
      status: 'booked',
      reasonCode: 'HOSTA',
      reasonText: 'sedan september',
      cancelReasonCode: null,
      cancelReasonText: null,
    });
    // Moved again, then cancelled: each step's reason on its own row, the visit's on all three.
    const again = await api.ok('bookings.rebook', { id: moved.new.id, slotId: await slot(), reasonText: 'krockar med jobbet' });
    await api.ok('bookings.cancel', { id: again.new.id, reasonCode: 'SJUK' });
    expect(row(moved.new.id)).toEqual({
      reason_code: 'HOSTA',
      reason_text: 'sedan september',
      cancel_reason_code: null,
      cancel_reason_text: 'krockar med jobbet',
    });
    expect(row(again.new.id)).toEqual({
      reason_code: 'HOSTA',
      reason_text: 'sedan september',
      cancel_reason_code: 'SJUK',
      cancel_reason_text: null,
    });
  });

  it('each process keeps its own rule: a rebook reason is still required, the visit reason does not count for it', async () => {
    const b = await book();
    expect(await api.err('bookings.rebook', { id: b.id, slotId: await slot() })).toMatchObject({
      code: 'validation',
      message: 'Ange orsak till ombokningen.',
    });
    expect(row(b.id)).toMatchObject({ reason_code: 'HOSTA', cancel_reason_code: null });
  });
});

describe('tidbok bookings show', () => {
  it('prints the visit reason and, once cancelled or moved, why', async () => {
    const b = await book();
    const moved = await api.ok('bookings.rebook', { id: b.id, slotId: await slot(), reasonCode: 'PATIENT' });
    await api.ok('bookings.cancel', { id: moved.new.id, reasonCode: 'SJUK', reasonText: 'feber' });
    const show = async (id: string) => {
      const r = await runTidbok(['bookings', 'show', id, '--db', api.path]);
      expect(r.code, r.err).toBe(0);
      return r.out;
    };
    const old = await show(b.id);
    expect(old).toMatch(/^ {2}Orsak till besöket: HOSTA – sedan september$/m);
    expect(old).toMatch(/^ {2}Orsak till ombokning: PATIENT$/m);
    expect(old).not.toMatch(/avbokning/);
    const cancelled = await show(moved.new.id);
    expect(cancelled).toMatch(/^ {2}Orsak till besöket: HOSTA – sedan september$/m);
    expect(cancelled).toMatch(/^ {2}Orsak till avbokning: SJUK – feber$/m);
    const json = JSON.parse((await runTidbok(['bookings', 'show', moved.new.id, '--db', api.path, '--json'])).out) as object;
    expect(json).toMatchObject({ reasonCode: 'HOSTA', cancelReasonCode: 'SJUK', cancelReasonText: 'feber' });
  });
});

describe('tidbok bookings list', () => {
  it('says both reasons in one column, and --json carries them', async () => {
    const b = await book();
    await api.ok('bookings.cancel', { id: b.id, reasonCode: 'SJUK', reasonText: 'feber' });
    const date = new Date(b.startAt + 3_600_000).toISOString().slice(0, 10);
    const args = ['bookings', 'list', '--from', date, '--patient', '191212121212', '--status', 'cancelled', '--db', api.path];
    const r = await runTidbok(args);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/Kanal +Orsak +Id$/);
    expect(r.out).toContain(`HOSTA – sedan september; avbokning: SJUK – feber  ${b.id}`);
    const json = JSON.parse((await runTidbok([...args, '--json'])).out) as { rows: object[] };
    expect(json.rows).toEqual([
      expect.objectContaining({
        id: b.id,
        reasonCode: 'HOSTA',
        reasonText: 'sedan september',
        cancelReasonCode: 'SJUK',
        cancelReasonText: 'feber',
      }),
    ]);
  });
});

describe('a protected patient', () => {
  it('her reasons, free text as the note, reach only the roles that need her details', async () => {
    const hidden = await api.ok('patients.create', {
      identityNumber: '19460413-4512',
      givenName: 'Skyddad',
      familyName: 'Person',
      protectedIdentity: true,
    });
    const b = await api.ok('bookings.book', {
      slotId: await slot(),
      patientId: hidden.id,
      appointmentTypeId: type.id,
      reasonText: 'sömnbesvär',
      note: 'ring på mobilen',
    });
    await api.ok('bookings.cancel', { id: b.id, reasonText: 'flyttat' });
    const none = { reasonCode: null, reasonText: null, cancelReasonCode: null, cancelReasonText: null };
    expect(await api.ok('bookings.get', { id: b.id }, ['scheduler'])).toMatchObject({ note: '', ...none });
    expect(await api.ok('bookings.get', { id: b.id }, ['receptionist'])).toMatchObject({
      note: 'ring på mobilen',
      reasonText: 'sömnbesvär',
      cancelReasonText: 'flyttat',
    });
    const date = new Date(b.startAt + 3_600_000).toISOString().slice(0, 10);
    const listed = async (roles: ('scheduler' | 'receptionist')[]) =>
      (await api.ok('bookings.search', { from: date, to: date, statuses: ['cancelled'] }, roles)).rows.find((x) => x.id === b.id);
    expect(await listed(['scheduler'])).toMatchObject({ note: '', ...none });
    expect(await listed(['receptionist'])).toMatchObject({ reasonText: 'sömnbesvär', cancelReasonText: 'flyttat' });
  });
});
