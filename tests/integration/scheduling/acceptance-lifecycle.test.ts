// Acceptance: the booking lifecycle as a receptionist lives it, through the api on a real SQLite
// file (demo unit, now Monday 2026-11-23 09:10 CET) and the CLI: status marks, cancel and rebook
// (chains, reasons, cut-offs, overrides), absences and their rebooking, and a freed time reaching
// first-free search and återbudslistan. Speech therapists of their own profession, on hand-made
// slots, keep the answers independent of the demo's bookings; every expected answer follows from
// the rules and a Swedish desk's day, not from Tidbok's output.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Booking, Resource } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { ApiError } from '../../../src-main/api/result.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { createContext } from '../../../src-main/services/context.ts';
import { saveCentralUrl } from '../../../src-main/sync/config.ts';
import { spawnTidbok } from '../../helpers/cli-process.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { demoApi, patientOnWeb, type Api } from './helpers.ts';

let api: Api;
/** Logopedbesök: 30 min, cancel cut-off 24 h (reason mandatory, coded), rebook cut-off 48 h (no reason taken). */
let logo: AppointmentType;
/** Another type of the same profession, offered on slots of its own only. */
let sval: AppointmentType;
let l1: Resource;
let l2: Resource;
let serial = 300;

const at = (iso: string) => Date.parse(iso);

async function patient(extra: { protectedIdentity?: boolean } = {}): Promise<Patient> {
  serial += 1;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1975-03-14', serial),
    givenName: `Pat${serial}`,
    familyName: 'Logosson',
    phone: `0739${serial}000`,
    ...extra,
  });
}

async function slot(r: Resource, date: string, startTime: string, endTime: string, type: AppointmentType = logo) {
  return api.ok('slots.create', {
    resourceId: r.id,
    date,
    startTime,
    endTime,
    appointmentTypeIds: [type.id],
    webPublished: true,
  });
}

/** A call made at another instant, on the same database file (another desk, later that day). */
async function callAt<M extends MethodName>(
  iso: string,
  method: M,
  input: InputOf<M>,
): Promise<{ ok: true; value: ResultOf<M> } | { ok: false; error: ApiError }> {
  const ctx = createContext(api.ctx.db, { now: () => at(iso) });
  return (await dispatch({ ctx, caller: testCaller(), shell: 'web' }, method, input)) as never;
}
/**
 * The patient on 1177 at another instant: the web rules as the pull applies them (the staff api
 * refuses 'web'), through the booking services on the same database file.
 */
const webAt = (iso: string) => patientOnWeb({ ctx: createContext(api.ctx.db, { now: () => at(iso) }) });
async function okAt<M extends MethodName>(iso: string, method: M, input: InputOf<M>) {
  const r = await callAt(iso, method, input);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.message}`);
  return r.value as never;
}

let clinicians = 0;
/** A speech therapist of their own, so that each case's times are free whatever the others booked. */
const clinician = () =>
  api.ok('resources.create', { kind: 'clinician', name: `Logoped ${++clinicians}`, profession: 'logoped', title: null });

/** A fresh booking of `logo` on a slot of its own clinician, booked at `bookedAt` (default: now). */
async function booking(date: string, startTime: string, endTime: string, bookedAt?: string): Promise<Booking> {
  const s = await slot(await clinician(), date, startTime, endTime);
  const input = { slotId: s.id, patientId: (await patient()).id, appointmentTypeId: logo.id };
  return bookedAt ? okAt(bookedAt, 'bookings.book', input) : api.ok('bookings.book', input);
}

const rows = (sql: string, ...params: unknown[]) => api.ctx.db.prepare(sql).all(...params) as Record<string, unknown>[];
const outboxOps = (id: string) =>
  rows(`SELECT op FROM outbox WHERE entity = 'booking' AND entity_id = ? ORDER BY seq`, id).map((r) => r.op);
const changeAudits = (id: string) =>
  api.count(`SELECT count(*) AS n FROM audit_events WHERE entity = 'booking' AND entity_id = ? AND action = 'change'`, id);

beforeAll(async () => {
  api = demoApi();
  const mk = (name: string, profession: string) =>
    api.ok('resources.create', { kind: 'clinician', name, profession, title: null });
  l1 = await mk('Lova Ett', 'logoped');
  l2 = await mk('Linus Två', 'logoped');
  logo = await api.ok('appointmentTypes.create', {
    code: 'LOGO',
    nameSv: 'Logopedbesök',
    nameEn: 'Speech therapy',
    durationMin: 30,
    contactModes: ['physical', 'video'],
    professions: ['logoped'],
    webBookable: true,
    webCancellable: true,
    webRebookable: true,
    cancelCutoffH: 24,
    rebookCutoffH: 48,
    reasonCancel: 'mandatory',
    reasonRebook: 'unsupported',
    reasonCodes: [
      { code: 'SJUK', textSv: 'Patienten är sjuk', textEn: 'Ill' },
      { code: 'ANNAN', textSv: 'Annan orsak', textEn: 'Other' },
    ],
  });
  sval = await api.ok('appointmentTypes.create', {
    code: 'SVAL',
    nameSv: 'Sväljbedömning',
    nameEn: 'Swallowing assessment',
    durationMin: 30,
    contactModes: ['physical'],
    professions: ['logoped'],
  });
});

// ------------------------------------------------------------------ status marks
describe('status marks through the day', () => {
  type Step = [when: string, to: 'booked' | 'arrived' | 'no_show' | 'completed', expect: string];
  // Today 14:00–14:30 unless the row says otherwise. 'ok:<status>' or the Swedish refusal.
  const FUTURE = 'Ett besök kan markeras först den dag det äger rum.';
  const NOT_STARTED = 'Uteblivet kan markeras först när besökstiden har börjat.';
  const ARRIVED_NO_SHOW =
    'Patienten är ankomstregistrerad och kan inte markeras som utebliven. Ångra ankomsten först om den blev fel.';
  const COMPLETED_NO_SHOW = 'Besöket är avslutat och kan inte markeras som uteblivet. Ångra markeringen först om den blev fel.';
  const NO_SHOW_COMPLETED = 'Besöket är markerat som uteblivet och kan inte avslutas. Ångra markeringen först om den blev fel.';
  const cases: [name: string, date: string, steps: Step[]][] = [
    ['a time three days ahead cannot be arrived', '2026-11-26', [['2026-11-23T09:10:00+01:00', 'arrived', FUTURE]]],
    ['nor marked no-show', '2026-11-26', [['2026-11-23T09:10:00+01:00', 'no_show', FUTURE]]],
    ['nor completed', '2026-11-26', [['2026-11-23T09:10:00+01:00', 'completed', FUTURE]]],
    [
      'an early arrival, marked twice (no change), then completed',
      '2026-11-23',
      [
        ['2026-11-23T09:10:00+01:00', 'arrived', 'ok:arrived'],
        ['2026-11-23T09:12:00+01:00', 'arrived', 'ok:arrived'],
        ['2026-11-23T14:35:00+01:00', 'completed', 'ok:completed'],
      ],
    ],
    [
      'no-show only once the time has begun; a late arrival after it',
      '2026-11-23',
      [
        ['2026-11-23T09:10:00+01:00', 'no_show', NOT_STARTED],
        ['2026-11-23T13:59:59+01:00', 'no_show', NOT_STARTED],
        ['2026-11-23T14:00:00+01:00', 'no_show', 'ok:no_show'],
        ['2026-11-23T14:10:00+01:00', 'arrived', 'ok:arrived'],
      ],
    ],
    [
      'an arrived patient is not a no-show until the arrival is undone',
      '2026-11-23',
      [
        ['2026-11-23T09:10:00+01:00', 'arrived', 'ok:arrived'],
        ['2026-11-23T14:20:00+01:00', 'no_show', ARRIVED_NO_SHOW],
        ['2026-11-23T14:21:00+01:00', 'booked', 'ok:booked'],
        ['2026-11-23T14:22:00+01:00', 'no_show', 'ok:no_show'],
        ['2026-11-23T14:23:00+01:00', 'completed', NO_SHOW_COMPLETED],
      ],
    ],
    [
      'a completed visit is not a no-show',
      '2026-11-23',
      [
        ['2026-11-23T14:30:00+01:00', 'completed', 'ok:completed'],
        ['2026-11-23T14:31:00+01:00', 'no_show', COMPLETED_NO_SHOW],
        ['2026-11-23T14:32:00+01:00', 'booked', 'ok:booked'],
      ],
    ],
    [
      'yesterday’s visit is registered the next morning',
      '2026-11-23',
      [
        ['2026-11-24T08:00:00+01:00', 'no_show', 'ok:no_show'],
        ['2026-11-24T08:01:00+01:00', 'booked', 'ok:booked'],
        ['2026-11-24T08:02:00+01:00', 'completed', 'ok:completed'],
      ],
    ],
  ];
  it.each(cases)('%s', async (_name, date, steps) => {
    const b = await booking(date, '14:00', '14:30');
    let expectedAudits = 1;
    let expectedUpdates = 0;
    let status = 'booked';
    for (const [when, to, want] of steps) {
      const r = await callAt(when, 'bookings.mark', { id: b.id, status: to });
      if (want.startsWith('ok:')) {
        expect(r.ok ? r.value.status : r.error.message, `${to} at ${when}`).toBe(want.slice(3));
        if (status !== to) expectedAudits += 1;
        if (status !== to) expectedUpdates += 1;
        status = to;
      } else {
        expect(r.ok ? `ok:${r.value.status}` : r.error, `${to} at ${when}`).toMatchObject({ code: 'conflict', message: want });
      }
    }
    // One outbox row and one audit event per change actually made; a refused or repeated mark writes none.
    expect(outboxOps(b.id)).toEqual(['create', ...Array<string>(expectedUpdates).fill('update')]);
    expect(changeAudits(b.id)).toBe(expectedAudits);
  });
});

describe('a preliminary booking (made while the central service could not confirm it)', () => {
  it('may be marked on the day; undoing the mark leaves it preliminary, never confirmed by the desk', async () => {
    saveCentralUrl(api.ctx, 'http://127.0.0.1:9');
    try {
      const b = await booking('2026-11-23', '16:00', '16:30');
      expect(b.status).toBe('preliminary');
      expect(await api.err('bookings.mark', { id: b.id, status: 'booked' })).toMatchObject({
        code: 'conflict',
        message: 'En preliminär bokning bekräftas av centrala tjänsten, inte här.',
      });
      expect((await api.ok('bookings.mark', { id: b.id, status: 'arrived' })).status).toBe('arrived');
      expect((await api.ok('bookings.mark', { id: b.id, status: 'booked' })).status).toBe('preliminary');
      expect(
        (await okAt<'bookings.mark'>('2026-11-23T16:05:00+01:00', 'bookings.mark', { id: b.id, status: 'no_show' })) as Booking,
      ).toMatchObject({ status: 'no_show' });
      expect(
        (await okAt<'bookings.mark'>('2026-11-23T16:06:00+01:00', 'bookings.mark', { id: b.id, status: 'booked' })) as Booking,
      ).toMatchObject({ status: 'preliminary' });
      // Once the central service has confirmed it (it holds it under its own id), undo means booked.
      api.ctx.db
        .prepare(`UPDATE bookings SET status = 'booked', remote_id = 'Appointment/1', remote_version = '1' WHERE id = ?`)
        .run(b.id);
      await api.ok('bookings.mark', { id: b.id, status: 'arrived' });
      expect((await api.ok('bookings.mark', { id: b.id, status: 'booked' })).status).toBe('booked');
    } finally {
      api.ctx.db.prepare(`DELETE FROM settings WHERE key = 'sync.central_url'`).run();
    }
  });
});

// ------------------------------------------------------------------ rebooking chains
describe('a rebooking chain A → B → C', () => {
  it('keeps patient, type, contact mode and note, links both ways, one active time, and the history', async () => {
    const p = await patient();
    const [sa, sb, sc] = [
      await slot(l1, '2026-12-07', '10:00', '10:30'),
      await slot(l2, '2026-12-08', '10:00', '10:30'),
      await slot(l1, '2026-12-09', '10:00', '10:30'),
    ];
    const a = await api.ok('bookings.book', {
      slotId: sa.id,
      patientId: p.id,
      appointmentTypeId: logo.id,
      contactMode: 'video',
      note: 'Tolk: arabiska',
    });
    // The type takes no rebooking reason: one given is refused, and nothing moves.
    expect(await api.err('bookings.rebook', { id: a.id, slotId: sb.id, reasonText: 'Krockar med jobbet' })).toMatchObject({
      code: 'validation',
      message: 'Besökstypen tar inte emot orsak vid ombokning.',
    });
    const ab = await api.ok('bookings.rebook', { id: a.id, slotId: sb.id });
    const bc = await api.ok('bookings.rebook', { id: ab.new.id, slotId: sc.id });
    const [A, B, C] = [ab.old, bc.old, bc.new];
    expect([A.status, B.status, C.status]).toEqual(['rebooked', 'rebooked', 'booked']);
    expect([A.rebookedFrom, A.rebookedTo, B.rebookedFrom, B.rebookedTo, C.rebookedFrom, C.rebookedTo]).toEqual([
      null,
      B.id,
      A.id,
      C.id,
      B.id,
      null,
    ]);
    expect(ab.new.id).toBe(B.id);
    for (const x of [A, B, C]) {
      expect(x).toMatchObject({ appointmentTypeId: logo.id, contactMode: 'video', note: 'Tolk: arabiska' });
      expect(x.patient.id).toBe(p.id);
    }
    expect([B.resourceId, C.resourceId]).toEqual([l2.id, l1.id]);
    const active = await api.ok('bookings.forPatient', { patientId: p.id });
    expect(active.map((x) => x.id)).toEqual([C.id]);
    const history = await api.ok('bookings.forPatient', { patientId: p.id, includeHistory: true });
    expect(history.map((x) => [x.id, x.status])).toEqual([
      [C.id, 'booked'],
      [B.id, 'rebooked'],
      [A.id, 'rebooked'],
    ]);
    // Each move: the new booking created and the old updated, in the outbox and the access log.
    expect(outboxOps(A.id)).toEqual(['create', 'update']);
    expect(outboxOps(B.id)).toEqual(['create', 'update']);
    expect(outboxOps(C.id)).toEqual(['create']);
    expect(changeAudits(B.id) + changeAudits(C.id)).toBe(2);
    // Only C is free to change; A and B are history.
    for (const old of [A, B]) {
      for (const e of [
        await api.err('bookings.rebook', { id: old.id, slotId: sa.id }),
        await api.err('bookings.cancel', { id: old.id, reasonCode: 'SJUK' }),
      ]) {
        expect(e).toMatchObject({ code: 'conflict', message: 'Bokningen är redan ombokad och kan inte ändras.' });
      }
      expect(await api.err('bookings.mark', { id: old.id, status: 'arrived' })).toMatchObject({
        code: 'conflict',
        message: 'Bokningen är ombokad och kan inte markeras: markera den nya tiden.',
      });
    }
    // The times left behind are free again at once, the one held is not.
    const free = (
      await api.ok('slots.findFree', { appointmentTypeId: logo.id, resourceId: l1.id, from: '2026-12-07', to: '2026-12-09' })
    ).map((f) => f.slotId);
    expect(free).toContain(sa.id);
    expect(free).not.toContain(sc.id);
  });

  it('cancels the end of the chain only with a known reason; a cancelled booking cannot be moved or marked', async () => {
    const p = await patient();
    const s1 = await slot(l1, '2026-12-14', '10:00', '10:30');
    const s2 = await slot(l1, '2026-12-15', '10:00', '10:30');
    const b = await api.ok('bookings.book', { slotId: s1.id, patientId: p.id, appointmentTypeId: logo.id });
    const refusals: [input: { reasonCode?: string; reasonText?: string }, message: string][] = [
      [{}, 'Ange orsak till avbokningen.'],
      [{ reasonText: '   ' }, 'Ange orsak till avbokningen.'],
      [{ reasonCode: 'FEBER' }, 'Orsakskoden FEBER finns inte för besökstypen.'],
    ];
    for (const [input, message] of refusals) {
      expect(await api.err('bookings.cancel', { id: b.id, ...input })).toMatchObject({ code: 'validation', message });
    }
    expect(outboxOps(b.id)).toEqual(['create']);
    const c = await api.ok('bookings.cancel', { id: b.id, reasonCode: 'SJUK', reasonText: 'Feber sedan i går' });
    expect(c.status).toBe('cancelled');
    expect(await api.ok('bookings.get', { id: b.id })).toMatchObject({
      cancelReasonCode: 'SJUK',
      cancelReasonText: 'Feber sedan i går',
    });
    expect(outboxOps(b.id)).toEqual(['create', 'update']);
    expect(await api.err('bookings.cancel', { id: b.id, reasonCode: 'SJUK' })).toMatchObject({
      code: 'conflict',
      message: 'Bokningen är avbokad och kan inte ändras.',
    });
    expect(await api.err('bookings.rebook', { id: b.id, slotId: s2.id })).toMatchObject({
      code: 'conflict',
      message: 'Bokningen är avbokad och kan inte ändras.',
    });
    expect(await api.err('bookings.mark', { id: b.id, status: 'arrived' })).toMatchObject({
      code: 'conflict',
      message: 'Bokningen är avbokad och kan inte markeras.',
    });
    expect(outboxOps(b.id)).toEqual(['create', 'update']);
    // Rebooked nowhere: the patient holds no time, and the freed one can be booked by the next.
    expect(await api.ok('bookings.forPatient', { patientId: p.id })).toEqual([]);
    const next = await api.ok('bookings.book', { slotId: s1.id, patientId: (await patient()).id, appointmentTypeId: logo.id });
    expect(next.status).toBe('booked');
  });
});

// ------------------------------------------------------------------ reasons per process
describe('reason rules per process', () => {
  it('takes a reason as the type says for booking, cancelling and rebooking', async () => {
    // The opposite of Logopedbesök: no reason when booking, optional when cancelling, mandatory (coded or free text) when rebooking.
    const type = await api.ok('appointmentTypes.create', {
      code: 'LOGORS',
      nameSv: 'Logoped, orsaker',
      nameEn: 'Speech, reasons',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['logoped'],
      reasonNew: 'unsupported',
      reasonCancel: 'optional',
      reasonRebook: 'mandatory',
      reasonCodes: [{ code: 'PATIENT', textSv: 'Patientens önskemål', textEn: "Patient's wish" }],
    });
    const r = await clinician();
    const mk = (date: string) =>
      api.ok('slots.create', { resourceId: r.id, date, startTime: '09:00', endTime: '09:30', appointmentTypeIds: [type.id] });
    const [s1, s2, s3, s4] = [await mk('2026-12-07'), await mk('2026-12-08'), await mk('2026-12-09'), await mk('2026-12-10')];
    const p = await patient();
    const book = (slotId: string, extra: { reasonText?: string; reasonCode?: string } = {}) =>
      api.ok('bookings.book', { slotId, patientId: p.id, appointmentTypeId: type.id, ...extra });
    expect(
      await api.err('bookings.book', { slotId: s1.id, patientId: p.id, appointmentTypeId: type.id, reasonText: 'Heshet' }),
    ).toMatchObject({ code: 'validation', message: 'Besökstypen tar inte emot orsak vid bokning.' });
    const b = await book(s1.id, { reasonText: '  ' });
    const rebookCases: [input: { reasonCode?: string; reasonText?: string }, want: string][] = [
      [{}, 'Ange orsak till ombokningen.'],
      [{ reasonText: ' ' }, 'Ange orsak till ombokningen.'],
      [{ reasonCode: 'SJUK' }, 'Orsakskoden SJUK finns inte för besökstypen.'],
    ];
    for (const [input, message] of rebookCases) {
      expect(await api.err('bookings.rebook', { id: b.id, slotId: s2.id, ...input })).toMatchObject({
        code: 'validation',
        message,
      });
    }
    const byCode = await api.ok('bookings.rebook', { id: b.id, slotId: s2.id, reasonCode: 'PATIENT' });
    const byText = await api.ok('bookings.rebook', { id: byCode.new.id, slotId: s3.id, reasonText: 'Krockar med skolan' });
    // The rebooking's reason stays with the time that was given up (the visit took none).
    expect(await api.ok('bookings.get', { id: b.id })).toMatchObject({ cancelReasonCode: 'PATIENT', cancelReasonText: null });
    expect(await api.ok('bookings.get', { id: byCode.new.id })).toMatchObject({
      cancelReasonCode: null,
      cancelReasonText: 'Krockar med skolan',
    });
    expect(await api.ok('bookings.get', { id: byText.new.id })).toMatchObject({
      reasonCode: null,
      reasonText: null,
      cancelReasonCode: null,
      cancelReasonText: null,
    });
    // Cancelling: a reason may be given, or not.
    expect((await api.ok('bookings.cancel', { id: byText.new.id })).status).toBe('cancelled');
    const again = await book(s4.id);
    expect((await api.ok('bookings.cancel', { id: again.id, reasonCode: 'PATIENT' })).status).toBe('cancelled');
  });
});

// ------------------------------------------------------------------ where a booking may move
describe('where a booking may be moved', () => {
  it('refuses, in Swedish, a time that cannot take it, and leaves the booking as it was', async () => {
    const b = await booking('2026-12-10', '10:00', '10:30');
    const otherType = await slot(l2, '2026-12-11', '08:00', '08:30', sval);
    const blocked = await slot(l2, '2026-12-11', '09:00', '09:30');
    await api.ok('slots.block', { id: blocked.id, reason: 'Möte' });
    const removed = await slot(l2, '2026-12-11', '10:00', '10:30');
    await api.ok('slots.remove', { id: removed.id });
    const taken = await slot(l2, '2026-12-11', '11:00', '11:30');
    await api.ok('bookings.book', { slotId: taken.id, patientId: (await patient()).id, appointmentTypeId: logo.id });
    // A slot that began this morning, laid out last week.
    const past = await okAt<'slots.create'>('2026-11-16T09:00:00+01:00', 'slots.create', {
      resourceId: l2.id,
      date: '2026-11-23',
      startTime: '08:00',
      endTime: '08:30',
      appointmentTypeIds: [logo.id],
      webPublished: true,
    });
    const cases: [what: string, slotId: string, code: string, message: string | RegExp][] = [
      ['the same time', b.slotId, 'validation', 'Välj en annan tid än den bokade.'],
      ['a time for another type', otherType.id, 'validation', /^(Logopedbesök|Besökstypen) erbjuds inte på den här tiden\./],
      ['a blocked time', blocked.id, 'conflict', 'Tiden är spärrad.'],
      ['a removed time', removed.id, 'conflict', 'Tiden är borttagen ur schemat.'],
      ['a time another patient holds', taken.id, 'conflict', 'Tiden är redan bokad.'],
      ['a time already begun', (past as { id: string }).id, 'conflict', 'Tiden har redan passerat.'],
    ];
    for (const [what, slotId, code, text] of cases) {
      const message = typeof text === 'string' ? text : expect.stringMatching(text);
      expect(await api.err('bookings.rebook', { id: b.id, slotId }), what).toMatchObject({ code, message });
      // Not even with a staff override: these are facts of the book, not cut-offs.
      expect(
        await api.err('bookings.rebook', { id: b.id, slotId, override: { reason: 'Patienten ringde' } }),
        `${what} (override)`,
      ).toMatchObject({ code, message });
    }
    expect((await api.ok('bookings.get', { id: b.id })).status).toBe('booked');
    expect(outboxOps(b.id)).toEqual(['create']);
    // Another clinician of the same profession, tomorrow: fine.
    const other = await slot(l2, '2026-11-24', '15:00', '15:30');
    const moved = await api.ok('bookings.rebook', { id: b.id, slotId: other.id, override: { reason: 'Patienten ringde' } });
    expect(moved.new).toMatchObject({ resourceId: l2.id, status: 'booked' });
  });
});

// ------------------------------------------------------------------ cut-offs
describe('cut-offs and the staff override', () => {
  // Booked for Tuesday 2026-11-24 14:00: the cancel deadline (24 h) is Monday 14:00, the rebook
  // deadline (48 h) Sunday 14:00, already gone at Monday 09:10.
  const CANCEL_LATE = 'Avbokning måste göras senast 24 timmar före besöket: det gick att göra till 2026-11-23 kl. 14:00.';
  const REBOOK_LATE = 'Ombokning måste göras senast 48 timmar före besöket: det gick att göra till 2026-11-22 kl. 14:00.';
  const STAFF = ' Personal kan göra det med en motiverad åsidosättning.';
  type Row = [
    what: string,
    when: string,
    method: 'bookings.cancel' | 'bookings.rebook',
    channel: 'desk' | 'web' | 'phone',
    override: string | null,
    expect: string,
  ];
  const cases: Row[] = [
    ['cancel at the desk before the deadline', '2026-11-23T13:59:00+01:00', 'bookings.cancel', 'desk', null, 'ok'],
    ['cancel at the desk at the deadline', '2026-11-23T14:00:00+01:00', 'bookings.cancel', 'desk', null, 'ok'],
    ['cancel on the web at the deadline', '2026-11-23T14:00:00+01:00', 'bookings.cancel', 'web', null, 'ok'],
    ['cancel at the desk a second late', '2026-11-23T14:00:01+01:00', 'bookings.cancel', 'desk', null, CANCEL_LATE + STAFF],
    ['cancel by phone a second late', '2026-11-23T14:00:01+01:00', 'bookings.cancel', 'phone', null, CANCEL_LATE + STAFF],
    ['cancel on the web a second late', '2026-11-23T14:00:01+01:00', 'bookings.cancel', 'web', null, CANCEL_LATE],
    ['cancel on the web late, override or not', '2026-11-23T14:00:01+01:00', 'bookings.cancel', 'web', 'Ringde', CANCEL_LATE],
    ['cancel at the desk late with an override', '2026-11-23T20:00:00+01:00', 'bookings.cancel', 'desk', 'Sjuk, ringde', 'ok'],
    ['cancel after the visit began, with an override', '2026-11-24T14:10:00+01:00', 'bookings.cancel', 'desk', 'Kom inte', 'ok'],
    ['rebook at the desk past its 48 h', '2026-11-23T09:10:00+01:00', 'bookings.rebook', 'desk', null, REBOOK_LATE + STAFF],
    ['rebook on the web past its 48 h', '2026-11-23T09:10:00+01:00', 'bookings.rebook', 'web', null, REBOOK_LATE],
    ['rebook on the web past it, override or not', '2026-11-23T09:10:00+01:00', 'bookings.rebook', 'web', 'Ringde', REBOOK_LATE],
    ['rebook at the desk with an override', '2026-11-23T09:10:00+01:00', 'bookings.rebook', 'desk', 'Barnet sjukt', 'ok'],
  ];
  it.each(cases)('%s', async (_what, when, method, channel, override, want) => {
    const b = await booking('2026-11-24', '14:00', '14:30', '2026-11-20T10:00:00+01:00');
    const target = await slot(await clinician(), '2026-12-21', '08:00', '08:30');
    const common = { id: b.id, ...(override ? { override: { reason: override } } : {}) };
    const web = webAt(when);
    const r =
      channel === 'web'
        ? method === 'bookings.cancel'
          ? await web.call('cancel', { ...common, reasonCode: 'SJUK' })
          : await web.call('rebook', { ...common, slotId: target.id })
        : method === 'bookings.cancel'
          ? await callAt(when, method, { ...common, channel, reasonCode: 'SJUK' })
          : await callAt(when, method, { ...common, channel, slotId: target.id });
    if (want !== 'ok') {
      expect(r.ok ? 'ok' : r.error).toMatchObject({ code: 'conflict', message: want });
      expect(outboxOps(b.id)).toEqual(['create']);
      return;
    }
    expect(r.ok ? 'ok' : r.error.message).toBe('ok');
    // The override is logged with its rule and reason only when a rule needed overriding.
    const detail = rows(
      `SELECT detail FROM audit_events WHERE entity = 'booking' AND action = 'change' AND (entity_id = ? OR detail LIKE ?)
        AND detail LIKE ?`,
      b.id,
      `%"from":"${b.id}"%`,
      method === 'bookings.cancel' ? '%"op":"cancel"%' : '%"op":"rebook"%',
    ).map((x) => JSON.parse(x.detail as string) as { override: unknown });
    expect(detail).toHaveLength(1);
    const late = at(when) > at('2026-11-23T14:00:00+01:00') || method === 'bookings.rebook';
    expect(detail[0]!.override).toEqual(
      late && override ? { rule: 'cutoff_passed', rules: ['cutoff_passed'], reason: override } : null,
    );
  });

  it('counts real hours over the autumn night: 24 h before Sunday 08:00 (CET) is Saturday 09:00 (CEST)', async () => {
    const b = await booking('2027-10-31', '08:00', '08:30', '2027-10-20T10:00:00+02:00');
    expect((await api.ok('bookings.onlinePermissions', { id: b.id })).cancel.deadline).toBe(at('2027-10-30T09:00:00+02:00'));
    const late = await webAt('2027-10-30T09:00:01+02:00').call('cancel', { id: b.id, reasonCode: 'SJUK' });
    expect(late.ok ? 'ok' : late.error.message).toBe(
      'Avbokning måste göras senast 24 timmar före besöket: det gick att göra till 2027-10-30 kl. 09:00.',
    );
    const inTime = await webAt('2027-10-30T09:00:00+02:00').call('cancel', { id: b.id, reasonCode: 'SJUK' });
    expect(inTime.ok ? inTime.value.status : inTime.error.message).toBe('cancelled');
  });

  it('logs every rule one override passes: a late rebooking to a time inside the lead time', async () => {
    const led = await api.ok('appointmentTypes.create', {
      code: 'LOGLED',
      nameSv: 'Logoped med ledtid',
      nameEn: 'Speech with lead time',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['logoped'],
      rebookCutoffH: 48,
      bookMinLeadH: 24,
    });
    const r = await clinician();
    const mk = (date: string) =>
      api.ok('slots.create', { resourceId: r.id, date, startTime: '08:00', endTime: '08:30', appointmentTypeIds: [led.id] });
    const [held, soon] = [await mk('2026-11-30'), await mk('2026-11-29')];
    const b = await api.ok('bookings.book', { slotId: held.id, patientId: (await patient()).id, appointmentTypeId: led.id });
    // Saturday 12:00: 44 h before the visit (rebooking closed 48 h before), 20 h before the new time (24 h lead).
    const when = '2026-11-28T12:00:00+01:00';
    expect((await callAt(when, 'bookings.rebook', { id: b.id, slotId: soon.id })).ok).toBe(false);
    const moved = await okAt<'bookings.rebook'>(when, 'bookings.rebook', {
      id: b.id,
      slotId: soon.id,
      override: { reason: 'Patienten opereras den 30:e' },
    });
    const detail = rows(
      `SELECT detail FROM audit_events WHERE entity_id = ? AND action = 'change'`,
      (moved as { new: Booking }).new.id,
    ).map((x) => JSON.parse(x.detail as string) as { override: unknown });
    expect(detail).toEqual([
      expect.objectContaining({
        override: { rule: 'cutoff_passed', rules: ['cutoff_passed', 'too_soon'], reason: 'Patienten opereras den 30:e' },
      }),
    ]);
  });

  it('asks for a real reason to override', async () => {
    const b = await booking('2026-11-24', '15:00', '15:30', '2026-11-20T10:00:00+01:00');
    const e = await api.err('bookings.cancel', { id: b.id, reasonCode: 'SJUK', override: { reason: ' x ' } });
    expect(e).toMatchObject({ code: 'validation' });
    expect(e.message).toContain('Ange varför regeln åsidosätts.');
  });
});

// ------------------------------------------------------------------ absences
describe('absences', () => {
  /** A type of its own, so that the free times proposals choose among are this block's alone. */
  let up: AppointmentType;
  let l3: Resource;
  const upSlot = (r: Resource, date: string, start: string, end: string) => slot(r, date, start, end, up);
  const bookUp = async (slotId: string, p?: Patient) =>
    api.ok('bookings.book', { slotId, patientId: (p ?? (await patient())).id, appointmentTypeId: up.id });
  const state = async (id: string) => (await api.ok('slots.get', { id })).state;

  beforeAll(async () => {
    up = await api.ok('appointmentTypes.create', {
      code: 'LOGUPP',
      nameSv: 'Logopedisk uppföljning',
      nameEn: 'Speech therapy follow-up',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['logoped'],
    });
    l3 = await clinician();
  });

  it('names the field of bad input in words', async () => {
    const [b] = await api.ok('absences.list', {});
    const cases: [method: MethodName, input: unknown, start: string][] = [
      ['absences.create', { resourceId: l1.id, from: '2027-03-01', to: '2027-03-01', reason: 'x'.repeat(501) }, 'Orsak: '],
      ['slots.block', { id: l1.id, reason: 'x'.repeat(501) }, 'Orsak: '],
      ['absences.proposeRebooking', { id: b?.id ?? l1.id, searchDays: 0 }, 'Antal dagar att söka: '],
      ['absences.applyRebooking', { id: b?.id ?? l1.id, items: [{ bookingId: 'x', slotId: l1.id }] }, 'Bokning: '],
      ['bookings.rebook', { id: l1.id, slotId: l1.id, waitlistEntryId: 'x' }, 'Post på återbudslistan: '],
    ];
    for (const [method, input, start] of cases) {
      const e = await api.err(method, input as never);
      expect(e.message, method).toMatch(new RegExp(`^Ogiltiga uppgifter: ${start}`));
    }
  });

  it('two absences back to back: withdrawing either leaves the shared slot blocked by the other, and its booking listed', async () => {
    const s0800 = await upSlot(l3, '2026-12-16', '08:00', '08:30');
    const s1000 = await upSlot(l3, '2026-12-16', '10:00', '10:30');
    const s1100 = await upSlot(l3, '2026-12-16', '11:00', '11:30');
    const s1200 = await upSlot(l3, '2026-12-16', '12:00', '12:30');
    const straddling = await bookUp(s1000.id);
    const morning = await api.ok('absences.create', {
      resourceId: l3.id,
      from: '2026-12-16',
      toTime: '10:15',
      to: '2026-12-16',
      reason: 'Tandläkare',
    });
    expect(morning.slotsChanged).toBe(2);
    expect(morning.affectedBookings.map((b) => b.id)).toEqual([straddling.id]);
    const late = await api.ok('absences.create', {
      resourceId: l3.id,
      from: '2026-12-16',
      fromTime: '10:15',
      to: '2026-12-16',
      toTime: '12:00',
      reason: 'Utbildning',
    });
    // 10:00–10:30 is blocked already (by the morning); 11:00 is new; 12:00 only touches the end.
    expect(late.slotsChanged).toBe(1);
    expect(late.affectedBookings.map((b) => b.id)).toEqual([straddling.id]);
    // A third one overlapping the late one is kept as its own record: it blocks only 12:00, which no
    // other covers, names the late one, and withdrawn it opens just that.
    const third = await api.ok('absences.create', {
      resourceId: l3.id,
      from: '2026-12-16',
      fromTime: '11:30',
      to: '2026-12-16',
      toTime: '13:00',
    });
    expect(third).toMatchObject({ slotsChanged: 1, unchanged: false });
    expect(third.overlapping.map((a) => a.id)).toEqual([late.absence.id]);
    expect(await api.ok('absences.withdraw', { id: third.absence.id })).toMatchObject({ slotsChanged: 1 });
    expect(await api.ok('absences.withdraw', { id: morning.absence.id })).toMatchObject({ slotsChanged: 1 });
    expect([await state(s0800.id), await state(s1000.id), await state(s1100.id), await state(s1200.id)]).toEqual([
      'open',
      'blocked',
      'blocked',
      'open',
    ]);
    expect((await api.ok('absences.affectedBookings', { id: late.absence.id })).map((b) => b.id)).toEqual([straddling.id]);
    expect(await api.ok('absences.affectedBookings', { id: morning.absence.id })).toEqual([]);
    // The patient cancels meanwhile: the time stays away from first-free search and återbudslistan.
    await api.ok('bookings.cancel', { id: straddling.id });
    const free = async () =>
      (await api.ok('slots.findFree', { appointmentTypeId: up.id, resourceId: l3.id, from: '2026-12-16', to: '2026-12-16' })).map(
        (f) => f.slotId,
      );
    expect(await free()).toEqual([s0800.id, s1200.id]);
    expect(await api.ok('waitlist.matchesForSlot', { slotId: s1000.id })).toEqual([]);
    expect(await api.ok('absences.withdraw', { id: late.absence.id })).toMatchObject({ slotsChanged: 2 });
    expect(await free()).toEqual([s0800.id, s1000.id, s1100.id, s1200.id]);
    // Withdrawn twice: nothing more happens.
    expect(await api.ok('absences.withdraw', { id: late.absence.id })).toMatchObject({ slotsChanged: 0 });
    expect(rows(`SELECT op FROM outbox WHERE entity = 'absence' AND entity_id = ? ORDER BY seq`, late.absence.id)).toEqual([
      { op: 'create' },
      { op: 'update' },
    ]);
  });

  it('two bookings, one free time: the earlier booking gets it; the same clinician within a week wins over an earlier colleague', async () => {
    // Only this case's free times.
    for (const f of await api.ok('slots.findFree', { appointmentTypeId: up.id, limit: 200 }))
      await api.ok('slots.remove', { id: f.slotId });
    const [pX, pY] = [await patient(), await patient({ protectedIdentity: true })];
    const x = await bookUp((await upSlot(l1, '2027-01-12', '09:00', '09:30')).id, pX);
    const y = await bookUp((await upSlot(l1, '2027-01-12', '09:30', '10:00')).id, pY);
    const only = await upSlot(l2, '2027-01-13', '10:00', '10:30');
    const { absence } = await api.ok('absences.create', {
      resourceId: l1.id,
      from: '2027-01-12',
      to: '2027-01-12',
      reason: 'VAB',
    });
    const proposed = async () =>
      (await api.ok('absences.proposeRebooking', { id: absence.id })).map((p) => [
        p.booking.id,
        p.proposal?.slotId ?? null,
        p.sameResource,
      ]);
    expect(await proposed()).toEqual([
      [x.id, only.id, false],
      [y.id, null, false],
    ]);
    // More times: l2 the next day, and l1 itself six days after the earliest.
    const l2Next = await upSlot(l2, '2027-01-14', '08:00', '08:30');
    const l1Own = await upSlot(l1, '2027-01-19', '09:00', '09:30');
    const l1TooLate = await upSlot(l1, '2027-01-21', '09:00', '09:30');
    expect(await proposed()).toEqual([
      [x.id, l1Own.id, true],
      [y.id, only.id, false],
    ]);
    // The receptionist moves only Y, to the time the patient chose on the phone.
    const bookingsBefore = api.count(`SELECT count(*) AS n FROM bookings`);
    const chosen = [{ bookingId: y.id, slotId: l2Next.id }];
    const first = await api.ok('absences.applyRebooking', { id: absence.id, items: chosen }, ['receptionist']);
    expect(first.rebooked.map((r) => [r.old.id, r.new.slotId, r.new.patient.id])).toEqual([[y.id, l2Next.id, pY.id]]);
    // Applied twice (a retry after a lost answer): nothing more moves.
    const again = await api.ok('absences.applyRebooking', { id: absence.id, items: chosen }, ['receptionist']);
    expect(again.rebooked.map((r) => r.new.id)).toEqual(first.rebooked.map((r) => r.new.id));
    expect(api.count(`SELECT count(*) AS n FROM bookings`)).toBe(bookingsBefore + 1);
    // What is left: X, to its own clinician; then nothing.
    const rest = await api.ok('absences.applyRebooking', { id: absence.id });
    expect(rest.rebooked.map((r) => [r.old.id, r.new.slotId])).toEqual([[x.id, l1Own.id]]);
    expect((await api.ok('absences.applyRebooking', { id: absence.id })).rebooked).toEqual([]);
    expect(await api.ok('absences.affectedBookings', { id: absence.id })).toEqual([]);
    // Each patient holds exactly one time, and the free ones are the ones nobody took.
    for (const p of [pX, pY]) expect(await api.ok('bookings.forPatient', { patientId: p.id }, ['receptionist'])).toHaveLength(1);
    const free = await api.ok('slots.findFree', { appointmentTypeId: up.id, from: '2027-01-12', to: '2027-01-31' });
    expect(free.map((f) => f.slotId)).toEqual([only.id, l1TooLate.id]);
    // The contact list: both patients with their new times for the desk; the protected one without
    // name, and for a scheduler without number, phone or new time.
    const desk = await api.ok('absences.contactList', { id: absence.id }, ['receptionist']);
    expect(desk.map((c) => [c.bookingId, c.moved, c.newStartAt, c.phone])).toEqual([
      [x.id, true, l1Own.startAt, pX.phone],
      [y.id, true, l2Next.startAt, pY.phone],
    ]);
    expect(desk[1]).toMatchObject({ displayName: '', identityNumber: pY.identityNumber, protectedIdentity: true });
    expect((await api.ok('absences.contactList', { id: absence.id }, ['scheduler']))[1]).toMatchObject({
      displayName: '',
      identityNumber: '',
      phone: null,
      contactMasked: true,
      moved: true,
      newStartAt: null,
      newResourceName: null,
    });
  });

  it('a desk that moved a patient meanwhile: the stale list is refused, the rest moves on a fresh one', async () => {
    for (const f of await api.ok('slots.findFree', { appointmentTypeId: up.id, limit: 200 }))
      await api.ok('slots.remove', { id: f.slotId });
    const r = await clinician();
    const x = await bookUp((await upSlot(r, '2027-02-09', '09:00', '09:30')).id);
    const y = await bookUp((await upSlot(r, '2027-02-09', '09:30', '10:00')).id);
    const [f1, f2, f3] = [
      await upSlot(l2, '2027-02-10', '09:00', '09:30'),
      await upSlot(l2, '2027-02-10', '09:30', '10:00'),
      await upSlot(l2, '2027-02-11', '09:00', '09:30'),
    ];
    const { absence } = await api.ok('absences.create', {
      resourceId: r.id,
      from: '2027-02-09',
      to: '2027-02-09',
      reason: 'Kurs',
    });
    const items = (await api.ok('absences.proposeRebooking', { id: absence.id })).map((p) => ({
      bookingId: p.booking.id,
      slotId: p.proposal!.slotId,
    }));
    expect(items).toEqual([
      { bookingId: x.id, slotId: f1.id },
      { bookingId: y.id, slotId: f2.id },
    ]);
    // Meanwhile the patient X calls the desk and takes the 11th instead.
    await api.ok('bookings.rebook', { id: x.id, slotId: f3.id });
    expect(await api.err('absences.applyRebooking', { id: absence.id, items })).toMatchObject({
      code: 'validation',
      message: 'En bokning i listan berörs inte av frånvaron (eller är redan flyttad).',
    });
    expect((await api.ok('bookings.get', { id: y.id })).status).toBe('booked');
    const rest = await api.ok('absences.applyRebooking', { id: absence.id });
    expect(rest.rebooked.map((m) => [m.old.id, m.new.slotId])).toEqual([[y.id, f1.id]]);
    // Both are on the list to call: X at the time the desk gave, Y at the new one.
    expect(
      (await api.ok('absences.contactList', { id: absence.id }, ['receptionist'])).map((c) => [c.bookingId, c.newStartAt]),
    ).toEqual([
      [x.id, f3.startAt],
      [y.id, f1.startAt],
    ]);
  });

  it('a booking the unit cannot move by itself (a contact mode no longer offered) is left for the desk, with the reason; the rest move', async () => {
    const modes = await api.ok('appointmentTypes.create', {
      code: 'LOGMOD',
      nameSv: 'Logoped, video',
      nameEn: 'Speech, video',
      durationMin: 30,
      contactModes: ['physical', 'video'],
      professions: ['logoped'],
    });
    const r = await clinician();
    const mk = (res: Resource, date: string, start: string, end: string) =>
      api.ok('slots.create', { resourceId: res.id, date, startTime: start, endTime: end, appointmentTypeIds: [modes.id] });
    const book = async (slotId: string, contactMode: 'physical' | 'video') =>
      api.ok('bookings.book', { slotId, patientId: (await patient()).id, appointmentTypeId: modes.id, contactMode });
    const viaVideo = await book((await mk(r, '2027-02-16', '09:00', '09:30')).id, 'video');
    const inPerson = await book((await mk(r, '2027-02-16', '10:00', '10:30')).id, 'physical');
    const [f1, f2] = [await mk(l2, '2027-02-17', '09:00', '09:30'), await mk(l2, '2027-02-17', '10:00', '10:30')];
    // The unit stops video visits of the type; the booked one stays as it was.
    await api.ok('appointmentTypes.update', { id: modes.id, contactModes: ['physical'] });
    const { absence } = await api.ok('absences.create', {
      resourceId: r.id,
      from: '2027-02-16',
      to: '2027-02-16',
      reason: 'Sjuk',
    });
    const proposals = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(proposals.map((p) => [p.booking.id, p.proposal?.slotId ?? null, p.problem ?? null])).toEqual([
      [viaVideo.id, null, 'Logoped, video erbjuds inte längre som videobesök: boka om tiden vid disken och välj kontaktsätt.'],
      [inPerson.id, f1.id, null],
    ]);
    const applied = await api.ok('absences.applyRebooking', { id: absence.id });
    expect(applied.rebooked.map((m) => [m.old.id, m.new.slotId])).toEqual([[inPerson.id, f1.id]]);
    expect(applied.contactList.map((c) => [c.bookingId, c.moved])).toEqual([
      [viaVideo.id, false],
      [inPerson.id, true],
    ]);
    // The desk moves it, choosing the mode with the patient.
    const desk = await api.ok('bookings.rebook', { id: viaVideo.id, slotId: f2.id, contactMode: 'physical' });
    expect(desk.new).toMatchObject({ contactMode: 'physical', slotId: f2.id });
  });

  it('refuses a chosen list that cannot be applied, in Swedish, and moves nobody', async () => {
    const b1 = await bookUp((await upSlot(l2, '2027-02-02', '09:00', '09:30')).id);
    const b2 = await bookUp((await upSlot(l2, '2027-02-02', '10:00', '10:30')).id);
    const inside = await upSlot(l2, '2027-02-02', '11:00', '11:30');
    const otherType = await slot(l3, '2027-02-03', '08:00', '08:30', sval);
    const good = await upSlot(l3, '2027-02-03', '09:00', '09:30');
    const stranger = await bookUp((await upSlot(l3, '2027-02-04', '09:00', '09:30')).id);
    const { absence } = await api.ok('absences.create', {
      resourceId: l2.id,
      from: '2027-02-02',
      to: '2027-02-02',
      reason: 'Sjuk',
    });
    const cases: [items: { bookingId: string; slotId: string }[], message: string | RegExp][] = [
      [
        [{ bookingId: b1.id, slotId: inside.id }],
        'Den valda tiden 2027-02-02 11:00 hos Linus Två går inte att använda: Tiden är spärrad. Ingen bokning har flyttats; hämta nya förslag och försök igen.',
      ],
      [
        [
          { bookingId: b1.id, slotId: good.id },
          { bookingId: b2.id, slotId: otherType.id },
        ],
        new RegExp(
          `^Den valda tiden 2027-02-03 08:00 hos ${l3.name} går inte att använda: (Logopedisk uppföljning|Besökstypen) erbjuds inte på den här tiden\\..* Ingen bokning har flyttats; hämta nya förslag och försök igen\\.$`,
        ),
      ],
      [
        [
          { bookingId: b1.id, slotId: good.id },
          { bookingId: b2.id, slotId: good.id },
        ],
        'Samma tid har valts för två bokningar.',
      ],
      [
        [
          { bookingId: b1.id, slotId: good.id },
          { bookingId: b1.id, slotId: inside.id },
        ],
        'Samma bokning finns två gånger i listan.',
      ],
      [[{ bookingId: stranger.id, slotId: good.id }], 'En bokning i listan berörs inte av frånvaron (eller är redan flyttad).'],
    ];
    for (const [items, message] of cases) {
      expect((await api.err('absences.applyRebooking', { id: absence.id, items })).message).toMatch(message);
    }
    expect((await api.ok('absences.affectedBookings', { id: absence.id })).map((b) => b.id)).toEqual([b1.id, b2.id]);
    expect(outboxOps(b1.id)).toEqual(['create']);
    expect(outboxOps(b2.id)).toEqual(['create']);
  });
});

// ------------------------------------------------------------------ rebooking on the web
describe('a patient rebooking on the web (1177)', () => {
  it('may move a time the unit booked when the type allows web rebooking, to a published time only', async () => {
    // The patient's own moves: the web rules as the pull applies them (the staff api refuses 'web').
    const web = patientOnWeb(api);
    // Invited by the unit (Inera's hidden time type) or never web-bookable: the patient holds the
    // time, so moving it is governed by web rebooking alone, not by whether the type may be booked anew on the web.
    const kinds = [
      { code: 'LOGKAL', invitationOnly: true, webBookable: false },
      { code: 'LOGENH', invitationOnly: false, webBookable: false },
    ];
    for (const k of kinds) {
      const type = await api.ok('appointmentTypes.create', {
        ...k,
        nameSv: `Logoped ${k.code}`,
        nameEn: `Speech ${k.code}`,
        durationMin: 30,
        contactModes: ['physical'],
        professions: ['logoped'],
        webCancellable: true,
        webRebookable: true,
      });
      const r = await clinician();
      const mk = (date: string, webPublished: boolean) =>
        api.ok('slots.create', {
          resourceId: r.id,
          date,
          startTime: '09:00',
          endTime: '09:30',
          appointmentTypeIds: [type.id],
          webPublished,
        });
      const [from, published, unpublished] = [
        await mk('2026-12-01', false),
        await mk('2026-12-02', true),
        await mk('2026-12-03', false),
      ];
      const b = await api.ok('bookings.book', { slotId: from.id, patientId: (await patient()).id, appointmentTypeId: type.id });
      expect((await api.ok('bookings.onlinePermissions', { id: b.id })).rebook.allowed, k.code).toBe(true);
      expect(await web.err('rebook', { id: b.id, slotId: unpublished.id }), k.code).toMatchObject({
        code: 'conflict',
        message: 'Tiden är inte publicerad för webbokning.',
      });
      const moved = await web.ok('rebook', { id: b.id, slotId: published.id });
      expect(moved.new, k.code).toMatchObject({ slotId: published.id, channel: 'web', rebookedFrom: b.id });
      // A new booking of the type on the web is still refused.
      expect(
        (
          await web.err('book', {
            slotId: from.id,
            patientId: (await patient()).id,
            appointmentTypeId: type.id,
          })
        ).code,
        k.code,
      ).toBe('conflict');
    }
  });
});

// ------------------------------------------------------------------ a freed time
describe('a cancelled or moved time', () => {
  it('is the first free time at once, and återbudslistan offers it to the right patients in order', async () => {
    const r = await clinician();
    const t = await slot(r, '2026-12-22', '10:00', '10:30');
    const later = await slot(r, '2026-12-29', '10:00', '10:30');
    const holder = await patient();
    const b = await api.ok('bookings.book', { slotId: t.id, patientId: holder.id, appointmentTypeId: logo.id });
    const wait = async (p: Patient, extra: Record<string, unknown> = {}) =>
      api.ok('waitlist.add', { patientId: p.id, appointmentTypeId: logo.id, ...extra });
    const [pAny, pUrgent, pTooEarly, pOther, pProf, pSval] = [
      await patient(),
      await patient(),
      await patient(),
      await patient(),
      await patient(),
      await patient(),
    ];
    const eAny = await wait(pAny);
    const eUrgent = await wait(pUrgent, { priority: 2, resourceId: r.id });
    await wait(pTooEarly, { latest: '2026-12-21' });
    await wait(pOther, { resourceId: l2.id });
    const eProf = await wait(pProf, { profession: 'logoped', earliest: '2026-12-22', latest: '2026-12-22' });
    await api.ok('waitlist.add', { patientId: pSval.id, appointmentTypeId: sval.id });
    const first = async () =>
      (await api.ok('slots.findFree', { appointmentTypeId: logo.id, resourceId: r.id, limit: 1 })).map((f) => f.slotId);
    const offered = async (slotId: string) => (await api.ok('waitlist.matchesForSlot', { slotId })).map((e) => e.id);
    expect(await first()).toEqual([later.id]);
    expect(await offered(t.id)).toEqual([]);
    await api.ok('bookings.cancel', { id: b.id, reasonCode: 'ANNAN' });
    expect(await first()).toEqual([t.id]);
    // Priority first, then who has waited longest; not outside the wished days, resource or type.
    expect(await offered(t.id)).toEqual([eUrgent.id, eAny.id, eProf.id]);
    // The calendar's hint on the freed time counts the same patients.
    expect(await api.ok('waitlist.countForSlot', { slotId: t.id })).toEqual({ count: 3 });
    // The urgent patient takes it from the list; the next in line is offered the next freed time.
    const taken = await api.ok('bookings.book', {
      slotId: t.id,
      patientId: pUrgent.id,
      appointmentTypeId: logo.id,
      waitlistEntryId: eUrgent.id,
    });
    expect(await offered(t.id)).toEqual([]);
    expect(await first()).toEqual([later.id]);
    // Then moved to the later time: the first is free again, for those still waiting.
    await api.ok('bookings.rebook', { id: taken.id, slotId: later.id });
    expect(await first()).toEqual([t.id]);
    expect(await offered(t.id)).toEqual([eAny.id, eProf.id]);
  });
});

describe('återbudslistan for a patient who holds a later time', () => {
  it('moves that time to the freed one (closing the entry), and the later time is offered to the next in line', async () => {
    // A type of its own: the other cases' waiting patients stay out of this list.
    const type = await api.ok('appointmentTypes.create', {
      code: 'LOGATB',
      nameSv: 'Logoped, återbesök',
      nameEn: 'Speech, follow-up',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['logoped'],
    });
    const r = await clinician();
    const early = await slot(r, '2026-12-22', '10:00', '10:30', type);
    const late = await slot(r, '2026-12-29', '10:00', '10:30', type);
    const [gone, keen, next] = [await patient(), await patient(), await patient()];
    const cancelled = await api.ok('bookings.book', { slotId: early.id, patientId: gone.id, appointmentTypeId: type.id });
    const held = await api.ok('bookings.book', { slotId: late.id, patientId: keen.id, appointmentTypeId: type.id });
    const eKeen = await api.ok('waitlist.add', { patientId: keen.id, appointmentTypeId: type.id, resourceId: r.id });
    const eNext = await api.ok('waitlist.add', { patientId: next.id, appointmentTypeId: type.id, resourceId: r.id });
    await api.ok('bookings.cancel', { id: cancelled.id });
    const offered = async (slotId: string) => (await api.ok('waitlist.matchesForSlot', { slotId })).map((e) => e.id);
    expect(await offered(early.id)).toEqual([eKeen.id, eNext.id]);
    // Another patient's entry, or one of another type, moves nothing.
    expect(await api.err('bookings.rebook', { id: held.id, slotId: early.id, waitlistEntryId: eNext.id })).toMatchObject({
      code: 'validation',
      message: 'Posten på återbudslistan gäller en annan patient.',
    });
    expect((await api.ok('bookings.get', { id: held.id })).status).toBe('booked');
    const moved = await api.ok('bookings.rebook', { id: held.id, slotId: early.id, waitlistEntryId: eKeen.id });
    expect(moved.new).toMatchObject({ slotId: early.id, rebookedFrom: held.id });
    expect(
      (await api.ok('waitlist.list', { states: ['booked'], appointmentTypeId: type.id, limit: 50 })).map((e) => e.id),
    ).toContain(eKeen.id);
    // The patient holds one time, the earlier; the later one is free and offered on.
    expect((await api.ok('bookings.forPatient', { patientId: keen.id })).map((b) => b.slotId)).toEqual([early.id]);
    expect(await offered(late.id)).toEqual([eNext.id]);
    // An entry already closed cannot be used again.
    expect(await api.err('bookings.rebook', { id: moved.new.id, slotId: late.id, waitlistEntryId: eKeen.id })).toMatchObject({
      code: 'conflict',
      message: 'Patienten har redan fått en tid från återbudslistan.',
    });
  });
});

// ------------------------------------------------------------------ the command line
describe('tidbok absences, as an HR feed or an admin runs it', () => {
  it('registers, applies and withdraws, in Swedish that counts right', async () => {
    // A database of its own: the CLI's admin sees what its role may see.
    const cliApi = demoApi();
    const r1 = await cliApi.ok('resources.create', { kind: 'clinician', name: 'Lisa Cli', profession: 'logoped', title: null });
    const r2 = await cliApi.ok('resources.create', { kind: 'clinician', name: 'Leo Cli', profession: 'logoped', title: null });
    const t = await cliApi.ok('appointmentTypes.create', {
      code: 'LOGCLI',
      nameSv: 'Logoped',
      nameEn: 'Speech',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['logoped'],
    });
    const mk = (r: Resource, date: string, start: string, end: string) =>
      cliApi.ok('slots.create', { resourceId: r.id, date, startTime: start, endTime: end, appointmentTypeIds: [t.id] });
    const person = (n: number, protectedIdentity: boolean) =>
      cliApi.ok('patients.create', {
        identityNumber: makeIdentityNumber('1962-08-30', 400 + n),
        givenName: 'Greta',
        familyName: `Cli${n}`,
        phone: `07011${n}0000`,
        protectedIdentity,
      });
    const [open, hidden] = [await person(1, false), await person(2, true)];
    const bOpen = await cliApi.ok('bookings.book', {
      slotId: (await mk(r1, '2027-01-12', '09:00', '09:30')).id,
      patientId: open.id,
      appointmentTypeId: t.id,
    });
    const bHidden = await cliApi.ok('bookings.book', {
      slotId: (await mk(r1, '2027-01-12', '09:30', '10:00')).id,
      patientId: hidden.id,
      appointmentTypeId: t.id,
    });
    await mk(r1, '2027-01-12', '10:00', '10:30');
    const free = await mk(r2, '2027-01-13', '10:00', '10:30');
    const cli = (...args: string[]) => spawnTidbok([...args, '--db', cliApi.path], { now: '2026-11-23T09:10:00+01:00' });

    const added = await cli('absences', 'add', '--resource', 'lisa cli', '--from', '2027-01-12', '--reason', 'Sjuk');
    const id = /^Frånvaro (\S+):/.exec(added.out)?.[1] ?? '';
    expect(added).toMatchObject({ code: 0, err: '' });
    // A whole day reads as the day typed, not as "2027-01-12 00:00 – 2027-01-13 00:00".
    expect(added.out.split('\n')[0]).toBe(`Frånvaro ${id}: Lisa Cli 2027-01-12`);
    expect((await cli('absences', 'list')).out).toMatch(/^2027-01-12 +2027-01-12 +Lisa Cli +Sjuk +aktiv/m);
    expect(added.out.split('\n').slice(1)).toEqual([
      '3 tider spärrade, 2 bokningar behöver bokas om.',
      `  2027-01-12 09:00  Greta Cli1  ${bOpen.id}`,
      `  2027-01-12 09:30  Skyddad identitet  ${bHidden.id}`,
      '',
    ]);
    const applied = await cli('absences', 'rebook', id, '--apply');
    expect(applied.code).toBe(0);
    const lines = applied.out.split('\n');
    expect(lines[0]).toBe('1 bokning ombokad. Patienter att kontakta:');
    expect(lines[2]).toMatch(/^Greta Cli1 +0701110000 +2027-01-12 09:00 Lisa Cli +2027-01-13 10:00 Leo Cli$/);
    // The admin does not need a protected patient's phone; nobody was free to take that time.
    expect(lines[3]).toMatch(/^Skyddad identitet +dolt +2027-01-12 09:30 Lisa Cli +ej ombokad$/);
    expect(cliApi.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status = 'booked'`, free.id)).toBe(1);
    expect(await cli('absences', 'withdraw', id)).toMatchObject({
      code: 0,
      out: 'Frånvaron är återkallad: 3 tider öppnade igen.\n',
    });
    // Withdrawn: nothing to propose, and the admin is told why.
    expect(await cli('absences', 'rebook', id)).toMatchObject({
      code: 0,
      out: 'Frånvaron är återkallad; dess bokningar bokas inte om härifrån.\n',
    });
  }, 60_000);
});

// ------------------------------------------------------------------ bookkeeping over all of the above
describe('after every case above', () => {
  it('each booking has one outbox row per change, and every rebooking link points both ways', () => {
    const mine = rows(
      `SELECT b.id, b.status, b.version, b.patient_id, b.appointment_type_id, b.rebooked_from, b.rebooked_to,
              (SELECT count(*) FROM outbox o WHERE o.entity = 'booking' AND o.entity_id = b.id) AS queued
         FROM bookings b
        WHERE b.created_by = 'test' OR b.rebooked_from IN (SELECT id FROM bookings WHERE created_by = 'test')`,
    ); // the second: where a patient moved a time of the tests on the web (patientOnWeb, created by 'web')
    expect(mine.length).toBeGreaterThan(50);
    const byId = new Map(mine.map((b) => [b.id, b]));
    for (const b of mine) {
      expect(b.queued, `outbox rows of ${String(b.id)}`).toBe(b.version);
      expect(b.status === 'rebooked', `status of ${String(b.id)}`).toBe(b.rebooked_to !== null);
      if (b.rebooked_to !== null) {
        const next = byId.get(b.rebooked_to as string)!;
        expect([next.rebooked_from, next.patient_id, next.appointment_type_id]).toEqual([
          b.id,
          b.patient_id,
          b.appointment_type_id,
        ]);
      }
      if (b.rebooked_from !== null) expect(byId.get(b.rebooked_from as string)!.rebooked_to).toBe(b.id);
    }
  });
});
