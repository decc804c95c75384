// The desk's visit day (issue 3 item 5), as a receptionist lives it on Monday 2026-11-23: a walk-in
// booked into a free time that has begun, and the marks arrived / no-show / completed with their
// undo, through the api (dispatch) on a real SQLite file, over HTTP on the real web shell, and with
// the `tidbok` command. Expected answers follow from the rules and a Swedish desk's day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Booking, Resource } from '../../../src-main/api/types.ts';
import type { InputOf, MethodName } from '../../../src-main/api/contract.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { createContext } from '../../../src-main/services/context.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { apiResultAs, startShell, type RunningShell } from '../../helpers/web-shell.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { demoApi, patientOnWeb, type Api } from '../scheduling/helpers.ts';

let api: Api;
/** Fotvård: 20 min, physical or phone, booked at least 2 h ahead (so a begun time is also "too soon"). */
let foot: AppointmentType;
let serial = 400;
let clinicians = 0;

const t = (hm: string, date = '2026-11-23') => `${date}T${hm}:00+01:00`;

async function patient(): Promise<{ id: string; identityNumber: string }> {
  serial += 1;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1961-03-14', serial),
    givenName: `Pat${serial}`,
    familyName: 'Dagsson',
  });
}
/** A clinician of their own, so each case's times are free whatever the others booked. */
const clinician = (): Promise<Resource> =>
  api.ok('resources.create', { kind: 'clinician', name: `Fotterapeut ${++clinicians}`, profession: 'fotterapeut', title: null });
const slot = (r: Resource, startTime: string, endTime: string, date = '2026-11-23') =>
  api.ok('slots.create', { resourceId: r.id, date, startTime, endTime, appointmentTypeIds: [foot.id], webPublished: true });

/** The api at another instant, on the same database file (the same desk, later that day). */
function callAt<M extends MethodName>(iso: string, method: M, input: InputOf<M>) {
  const ctx = createContext(api.ctx.db, { now: () => Date.parse(iso) });
  return dispatch({ ctx, caller: testCaller(), shell: 'web' }, method, input);
}
async function okAt<M extends MethodName>(iso: string, method: M, input: InputOf<M>): Promise<never> {
  const r = await callAt(iso, method, input);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.message}`);
  return r.value as never;
}
const said = (r: { ok: true } | { ok: false; error: { message: string } }) => (r.ok ? 'ok' : r.error.message);

/** Everything a change writes about one booking or slot: its row, its outbox rows, its access-log changes. */
function footprint(id: string) {
  const one = (sql: string) => api.ctx.db.prepare(sql).pluck().get(id);
  return {
    row: api.ctx.db.prepare(`SELECT status, version, updated_at FROM bookings WHERE id = ?`).get(id),
    outbox: one(`SELECT count(*) FROM outbox WHERE entity_id = ?`) as number,
    audit: one(`SELECT count(*) FROM audit_events WHERE action = 'change' AND entity_id = ?`) as number,
    bookings: api.count(`SELECT count(*) AS n FROM bookings`),
  };
}
const overrideLogged = (bookingId: string) =>
  JSON.parse(
    api.ctx.db
      .prepare(`SELECT detail ->> '$.override' FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' IN ('book', 'rebook')`)
      .pluck()
      .get(bookingId) as string,
  ) as unknown;

beforeAll(async () => {
  api = demoApi();
  foot = await api.ok('appointmentTypes.create', {
    code: 'FOT',
    nameSv: 'Fotvård',
    nameEn: 'Foot care',
    durationMin: 20,
    contactModes: ['physical', 'phone'],
    professions: ['fotterapeut'],
    webBookable: true,
    cancelCutoffH: 0,
    rebookCutoffH: 0,
    bookMinLeadH: 2,
    bookMaxDays: 30,
  });
});

// ------------------------------------------------------------------ walk-ins
describe('a walk-in into a free time that has begun', () => {
  const WALK_IN = 'Patienten står i receptionen';
  const STARTED =
    'Tiden började kl. 10:00 och pågår till kl. 10:20. Personal kan boka en patient som är på plats med en motiverad åsidosättning.';

  it('is refused without an override, naming the rule, writing nothing; booked with one, the override logged', async () => {
    const r = await clinician();
    const s = await slot(r, '10:00', '10:20');
    const p = await patient();
    const input = { slotId: s.id, patientId: p.id, appointmentTypeId: foot.id, channel: 'desk' as const };
    const before = api.count(`SELECT count(*) AS n FROM audit_events`);
    const refused = await callAt(t('10:05'), 'bookings.book', input);
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: STARTED, details: { rule: 'started' } } });
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ?`, s.id)).toBe(0);
    expect(api.count(`SELECT count(*) AS n FROM audit_events`)).toBe(before);

    const booked: Booking = await okAt(t('10:05'), 'bookings.book', { ...input, override: { reason: WALK_IN } });
    expect(booked).toMatchObject({ slotId: s.id, status: 'booked', channel: 'desk' });
    // The override passed the begun time, and with it the type's 2 h lead: one reason, both rules.
    expect(overrideLogged(booked.id)).toEqual({ rule: 'started', rules: ['started'], reason: WALK_IN });
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity_id = ?`, booked.id)).toBe(1);
  });

  it.each<[string, string, 'desk' | 'phone' | 'web', boolean, string]>([
    ['a minute after the start, by phone', '10:01', 'phone', true, 'ok'],
    ['a minute before the end', '10:19', 'desk', true, 'ok'],
    ['at its very end', '10:20', 'desk', true, 'Tiden har redan passerat.'],
    ['after it ended', '10:45', 'desk', true, 'Tiden har redan passerat.'],
    ['after it ended, without an override', '10:45', 'desk', false, 'Tiden har redan passerat.'],
    ['on 1177 while it runs', '10:05', 'web', false, 'Tiden har redan passerat.'],
    ['on 1177 while it runs, asking to override', '10:05', 'web', true, 'Tiden har redan passerat.'],
    ['before it starts, inside the 2 h lead, with an override', '09:55', 'desk', true, 'ok'],
  ])('%s: %s', async (_name, when, channel, override, want) => {
    const r = await clinician();
    const s = await slot(r, '10:00', '10:20');
    const p = await patient();
    const input = {
      slotId: s.id,
      patientId: p.id,
      appointmentTypeId: foot.id,
      ...(override ? { override: { reason: WALK_IN } } : {}),
    };
    const result =
      channel === 'web'
        ? await (async () => {
            const ctx = createContext(api.ctx.db, { now: () => Date.parse(t(when)) });
            return patientOnWeb({ ctx }).call('book', input);
          })()
        : await callAt(t(when), 'bookings.book', { ...input, channel });
    expect(said(result)).toBe(want);
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ?`, s.id)).toBe(want === 'ok' ? 1 : 0);
  });

  it('moves a patient onto a begun time with an override, not without; never onto one that ended', async () => {
    const r = await clinician();
    const later = await slot(r, '15:00', '15:20');
    const begun = await slot(r, '10:00', '10:20');
    const ended = await slot(r, '09:30', '09:50');
    const b: Booking = await api.ok('bookings.book', {
      slotId: later.id,
      patientId: (await patient()).id,
      appointmentTypeId: foot.id,
    });
    const before = footprint(b.id);
    expect(said(await callAt(t('10:05'), 'bookings.rebook', { id: b.id, slotId: begun.id }))).toBe(STARTED);
    const late = { override: { reason: 'Kom tidigare' } };
    expect(said(await callAt(t('10:05'), 'bookings.rebook', { id: b.id, slotId: ended.id, ...late }))).toBe(
      'Tiden har redan passerat.',
    );
    expect(footprint(b.id)).toEqual(before);
    const moved = (await okAt(t('10:05'), 'bookings.rebook', { id: b.id, slotId: begun.id, ...late })) as {
      new: Booking;
    };
    expect(moved.new.slotId).toBe(begun.id);
    expect(overrideLogged(moved.new.id)).toEqual({ rule: 'started', rules: ['started'], reason: 'Kom tidigare' });
  });

  it('passes only the rules the override names: a walk-in reason does not pass her other time unseen', async () => {
    const [r1, r2] = [await clinician(), await clinician()];
    const other = await slot(r2, '10:00', '10:20');
    const s = await slot(r1, '10:00', '10:20');
    const p = await patient();
    await api.ok('bookings.book', {
      slotId: other.id,
      patientId: p.id,
      appointmentTypeId: foot.id,
      override: { reason: 'Inom 2 h' },
    });
    const input = { slotId: s.id, patientId: p.id, appointmentTypeId: foot.id };
    const shown = (rules: ('started' | 'patient_busy')[]) => ({ ...input, override: { reason: WALK_IN, rules } });
    // The desk was shown only the walk-in: her time with the other clinician refuses, nothing written.
    expect(await callAt(t('10:05'), 'bookings.book', shown(['started']))).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { rule: 'patient_busy' } },
    });
    expect(await callAt(t('10:05'), 'bookings.book', shown(['patient_busy']))).toMatchObject({
      ok: false,
      error: { message: STARTED },
    });
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ?`, s.id)).toBe(0);
    // Shown both (a joint visit), the desk passes both, and the log names both.
    const booked: Booking = await okAt(t('10:05'), 'bookings.book', shown(['started', 'patient_busy']));
    expect(overrideLogged(booked.id)).toEqual({ rule: 'started', rules: ['started', 'patient_busy'], reason: WALK_IN });
    // An override naming a rule that is not the desk's to pass is refused as input.
    expect(
      await callAt(t('10:05'), 'bookings.book', { ...input, override: { reason: WALK_IN, rules: ['past' as 'started'] } }),
    ).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('is booked with `tidbok bookings book --override` and refused without, in Swedish', async () => {
    const r = await clinician();
    const s = await slot(r, '10:00', '10:20');
    const p = await patient();
    const args = ['bookings', 'book', '--slot', s.id, '--patient', p.identityNumber, '--type', 'FOT', '--db', api.path];
    const refused = await runTidbok(args, t('10:05'));
    expect([refused.code, refused.err]).toEqual([2, `tidbok: ${STARTED}\n`]);
    const booked = await runTidbok([...args, '--override', WALK_IN, '--json'], t('10:05'));
    expect(booked.code).toBe(0);
    expect(JSON.parse(booked.out)).toMatchObject({ slotId: s.id, status: 'booked' });
  });
});

describe('a walk-in over HTTP on the web shell', () => {
  let shell: RunningShell;
  beforeAll(async () => {
    shell = await startShell({ env: { TIDBOK_NOW: t('11:05') } });
  }, 120_000);
  afterAll(() => shell.stop());

  it('books the desk patient into the begun time with an override, refuses it without, and refuses an ended one', async () => {
    const post = apiResultAs(() => shell, 'admin', 'demo-admin');
    const value = async <T>(method: string, input: unknown): Promise<T> => {
      const r = await post<T>(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error!.message}`);
      return r.value!;
    };
    const lakbes = (await value<AppointmentType[]>('appointmentTypes.list', {})).find((x) => x.code === 'LAKBES')!;
    const r = await value<Resource>('resources.create', {
      kind: 'clinician',
      name: 'Dr Drop-in',
      profession: 'lakare',
      title: null,
    });
    const laid = (startTime: string, endTime: string) =>
      value<{ id: string }>('slots.create', {
        resourceId: r.id,
        date: '2026-11-23',
        startTime,
        endTime,
        appointmentTypeIds: [lakbes.id],
      });
    const [ended, begun] = [await laid('10:00', '10:30'), await laid('11:00', '11:30')];
    const p = await value<{ id: string }>('patients.create', {
      identityNumber: makeIdentityNumber('1950-01-02', 417),
      givenName: 'Disa',
      familyName: 'Drop',
    });
    const desk = apiResultAs(() => shell, 'reception', 'demo-reception');
    const input = { slotId: begun.id, patientId: p.id, appointmentTypeId: lakbes.id };
    expect(await desk('bookings.book', input)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/^Tiden började kl\. 11:00 och pågår till kl\. 11:30\./) },
    });
    expect(await desk('bookings.book', { ...input, slotId: ended.id, override: { reason: 'Drop-in' } })).toMatchObject({
      ok: false,
      error: { message: 'Tiden har redan passerat.' },
    });
    const booked = await desk<Booking>('bookings.book', { ...input, override: { reason: 'Drop-in' } });
    expect(booked).toMatchObject({ ok: true, value: { slotId: begun.id, status: 'booked' } });
    const db = openDatabase(shell.dbPath);
    try {
      const logged = db
        .prepare(`SELECT detail ->> '$.override' FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' = 'book'`)
        .pluck()
        .get(booked.value!.id) as string;
      expect(JSON.parse(logged)).toMatchObject({ rules: ['started'], reason: 'Drop-in' });
    } finally {
      db.close();
    }
  });
});

// ------------------------------------------------------------------ marks
describe('arrived, no-show and completed over the visit day', () => {
  type Mark = 'booked' | 'arrived' | 'no_show' | 'completed';
  type Setup = 'booked' | 'arrived' | 'no_show' | 'completed' | 'cancelled' | 'rebooked';
  const NOT_BEFORE_START = 'Uteblivet kan markeras först när besökstiden har börjat.';
  const NOT_ARRIVED =
    'Besöket kan inte markeras som genomfört före besökstiden utan att patienten har ankomstregistrerats. Registrera ankomsten först.';
  // A visit at 14:00–14:20 (or on `date`), brought to `setup`, then marked `to` at `when`.
  // [case, setup, to, when, expected: 'ok', 'same' (accepted, nothing written) or the refusal, contact mode, date]
  const cases: [string, Setup, Mark, string, string, ('physical' | 'phone')?, string?][] = [
    ['no-show before the start', 'booked', 'no_show', '13:55', NOT_BEFORE_START],
    ['no-show at the start', 'booked', 'no_show', '14:00', 'ok'],
    ['no-show an hour later', 'booked', 'no_show', '15:00', 'ok'],
    ['arrived in the morning, the same day', 'booked', 'arrived', '09:30', 'ok'],
    ['arrived a little late', 'booked', 'arrived', '14:07', 'ok'],
    [
      'arrived for a visit in three days',
      'booked',
      'arrived',
      '09:30',
      'Ett besök kan markeras först den dag det äger rum.',
      'physical',
      '2026-11-26',
    ],
    [
      'completed for a visit tomorrow',
      'booked',
      'completed',
      '16:00',
      'Ett besök kan markeras först den dag det äger rum.',
      'physical',
      '2026-11-24',
    ],
    ['completed before the start, not arrived', 'booked', 'completed', '13:40', NOT_ARRIVED],
    ['completed before the start, arrived', 'arrived', 'completed', '13:50', 'ok'],
    ['completed before the start, a phone visit (called early)', 'booked', 'completed', '13:50', 'ok', 'phone'],
    ['completed after the start, not arrived (arrival never registered)', 'booked', 'completed', '14:30', 'ok'],
    ['arrived twice', 'arrived', 'arrived', '14:05', 'same'],
    ['no-show twice', 'no_show', 'no_show', '14:30', 'same'],
    ['completed twice', 'completed', 'completed', '15:00', 'same'],
    ['booked, marked booked', 'booked', 'booked', '14:05', 'same'],
    ['undo an arrival', 'arrived', 'booked', '14:10', 'ok'],
    ['undo a no-show (she came after all)', 'no_show', 'booked', '14:30', 'ok'],
    ['undo a completion', 'completed', 'booked', '15:00', 'ok'],
    ['arrived after a no-show (came late)', 'no_show', 'arrived', '14:30', 'ok'],
    [
      'no-show after an arrival',
      'arrived',
      'no_show',
      '14:30',
      'Patienten är ankomstregistrerad och kan inte markeras som utebliven. Ångra ankomsten först om den blev fel.',
    ],
    ['arrived on a cancelled visit', 'cancelled', 'arrived', '14:05', 'Bokningen är avbokad och kan inte markeras.'],
    ['undo on a cancelled visit', 'cancelled', 'booked', '14:05', 'Bokningen är avbokad och kan inte markeras.'],
    [
      'completed on a moved visit',
      'rebooked',
      'completed',
      '14:30',
      'Bokningen är ombokad och kan inte markeras: markera den nya tiden.',
    ],
  ];

  it.each(cases)('%s', async (_name, setup, to, when, want, mode = 'physical', date = '2026-11-23') => {
    const r = await clinician();
    const s = await slot(r, '14:00', '14:20', date);
    const other = await slot(r, '15:30', '15:50', date);
    const b: Booking = await api.ok('bookings.book', {
      slotId: s.id,
      patientId: (await patient()).id,
      appointmentTypeId: foot.id,
      contactMode: mode,
    });
    if (setup === 'cancelled') await api.ok('bookings.cancel', { id: b.id });
    if (setup === 'rebooked') await api.ok('bookings.rebook', { id: b.id, slotId: other.id });
    if (setup === 'arrived') await okAt(t('13:45', date), 'bookings.mark', { id: b.id, status: 'arrived' });
    if (setup === 'no_show') await okAt(t('14:15', date), 'bookings.mark', { id: b.id, status: 'no_show' });
    if (setup === 'completed') await okAt(t('14:20', date), 'bookings.mark', { id: b.id, status: 'completed' });
    const before = footprint(b.id);
    const result = await callAt(t(when), 'bookings.mark', { id: b.id, status: to });
    expect(result.ok ? 'ok' : result.error.message).toBe(want === 'same' ? 'ok' : want);
    if (want === 'ok') {
      expect(footprint(b.id)).toMatchObject({
        row: { status: to, version: (before.row as { version: number }).version + 1 },
        outbox: before.outbox + 1,
        audit: before.audit + 1,
      });
    } else {
      // Refused, or a repeat of the status it has: nothing written (no version, outbox row or access-log change).
      expect(footprint(b.id)).toEqual(before);
    }
    if (!result.ok) expect(result.error.code).toBe('conflict');
  });

  it('`tidbok bookings mark` refuses completing a physical visit before its time without an arrival', async () => {
    const r = await clinician();
    const s = await slot(r, '14:00', '14:20');
    const b: Booking = await api.ok('bookings.book', {
      slotId: s.id,
      patientId: (await patient()).id,
      appointmentTypeId: foot.id,
    });
    const refused = await runTidbok(['bookings', 'mark', b.id, 'completed', '--db', api.path], t('13:30'));
    expect([refused.code, refused.err]).toEqual([2, `tidbok: ${NOT_ARRIVED}\n`]);
    expect((await runTidbok(['bookings', 'mark', b.id, 'arrived', '--db', api.path], t('13:30'))).code).toBe(0);
    expect((await runTidbok(['bookings', 'mark', b.id, 'completed', '--db', api.path], t('13:35'))).code).toBe(0);
    expect(footprint(b.id).row).toMatchObject({ status: 'completed' });
  });
});

// ------------------------------------------------------------------ codes as typed
// A scheduler types codes as she says them: `--reason-code sjuk` means the type's SJUK, and a
// clinician entered as "Lakare" is the unit's lakare. Codes match without regard to case and are
// written as the unit defined them, so lists, statistics and central see one code, not two.
describe('reason and profession codes typed in another case', () => {
  let coded: AppointmentType;
  let r: Resource;
  const stored = (id: string) =>
    api.ctx.db.prepare(`SELECT reason_code AS visit, cancel_reason_code AS change FROM bookings WHERE id = ?`).get(id);
  beforeAll(async () => {
    coded = await api.ok('appointmentTypes.create', {
      code: 'FOTK',
      nameSv: 'Fotvård med orsak',
      nameEn: 'Foot care with reason',
      durationMin: 20,
      contactModes: ['physical'],
      professions: ['fotterapeut'],
      cancelCutoffH: 0,
      rebookCutoffH: 0,
      reasonNew: 'optional',
      reasonCancel: 'mandatory',
      reasonRebook: 'optional',
      reasonCodes: [
        { code: 'SJUK', textSv: 'Patienten är sjuk', textEn: 'Ill' },
        { code: 'Resa', textSv: 'Bortrest', textEn: 'Away' },
        { code: 'ÅTERBESÖK', textSv: 'Återbesök', textEn: 'Follow-up' },
      ],
    });
    r = await clinician();
  });
  const codedSlot = (startTime: string, endTime: string) =>
    api.ok('slots.create', { resourceId: r.id, date: '2026-11-27', startTime, endTime, appointmentTypeIds: [coded.id] });

  it('books, rebooks and cancels with a code in any case, storing the type’s code; an unknown code is still refused', async () => {
    const [s1, s2, s3] = [
      await codedSlot('08:00', '08:20'),
      await codedSlot('08:20', '08:40'),
      await codedSlot('08:40', '09:00'),
    ];
    const b: Booking = await api.ok('bookings.book', {
      slotId: s1.id,
      patientId: (await patient()).id,
      appointmentTypeId: coded.id,
      reasonCode: 'återbesök',
    });
    expect(stored(b.id)).toEqual({ visit: 'ÅTERBESÖK', change: null });
    const moved = await api.ok('bookings.rebook', { id: b.id, slotId: s2.id, reasonCode: 'RESA' });
    expect(stored(b.id)).toMatchObject({ change: 'Resa' });
    expect(await api.err('bookings.cancel', { id: moved.new.id, reasonCode: 'sjukk' })).toMatchObject({
      code: 'validation',
      message: 'Orsakskoden sjukk finns inte för besökstypen.',
    });
    await api.ok('bookings.cancel', { id: moved.new.id, reasonCode: ' sjuk ' });
    expect(stored(moved.new.id)).toEqual({ visit: 'ÅTERBESÖK', change: 'SJUK' });
    const logged = api.ctx.db
      .prepare(`SELECT detail ->> '$.reasonCode' FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' = 'cancel'`)
      .pluck()
      .get(moved.new.id);
    expect(logged).toBe('SJUK');
    // From the command line, as a scheduler types it.
    const b3: Booking = await api.ok('bookings.book', {
      slotId: s3.id,
      patientId: (await patient()).id,
      appointmentTypeId: coded.id,
    });
    const cli = await runTidbok(['bookings', 'cancel', b3.id, '--reason-code', 'sjuk', '--db', api.path], t('07:00'));
    expect([cli.code, cli.err]).toEqual([0, '']);
    expect(stored(b3.id)).toMatchObject({ change: 'SJUK' });
  });

  it('refuses a type whose codes differ only in case: one code, two meanings', async () => {
    expect(
      await api.err('appointmentTypes.create', {
        code: 'FOTD',
        nameSv: 'Fotvård dubbel',
        nameEn: 'Foot care twice',
        durationMin: 20,
        contactModes: ['physical'],
        professions: ['fotterapeut'],
        reasonCodes: [
          { code: 'SJUK', textSv: 'Sjuk', textEn: 'Ill' },
          { code: 'sjuk', textSv: 'Sjukt barn', textEn: 'Child ill' },
        ],
      }),
    ).toMatchObject({
      code: 'validation',
      message: 'Orsakskoderna SJUK och sjuk räknas som samma kod: stora och små bokstäver skiljs inte åt.',
    });
  });

  it('writes a profession typed in another case as the unit has it, for resources, types and the free-slot search', async () => {
    const doctor = await api.ok('resources.create', { kind: 'clinician', name: 'Dr Versal', profession: 'LAKARE', title: null });
    expect(doctor.profession).toBe('lakare');
    expect((await api.ok('resources.update', { id: doctor.id, profession: 'Lakare' })).profession).toBe('lakare');
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((x) => x.code === 'LAKBES')!;
    const s = await api.ok('slots.create', {
      resourceId: doctor.id,
      date: '2026-11-30',
      startTime: '16:00',
      endTime: '16:30',
      appointmentTypeIds: [lakbes.id],
    });
    const typed = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, profession: 'LAKARE', limit: 200 });
    const asIs = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, profession: 'lakare', limit: 200 });
    expect(typed.length).toBeGreaterThan(0);
    expect(typed).toEqual(asIs);
    expect(typed.map((f) => f.slotId)).toContain(s.id);
    const type = await api.ok('appointmentTypes.create', {
      code: 'SSKV',
      nameSv: 'Sköterskebesök kväll',
      nameEn: 'Nurse visit evening',
      durationMin: 20,
      contactModes: ['physical'],
      professions: ['Sjukskoterska', 'LAKARE'],
    });
    expect(type.professions).toEqual(['sjukskoterska', 'lakare']);
    const wish = await api.ok('waitlist.add', {
      patientId: (await patient()).id,
      appointmentTypeId: type.id,
      profession: 'SJUKSKOTERSKA',
    });
    expect(wish.profession).toBe('sjukskoterska');
    // A new profession nobody has yet is written as typed.
    expect(
      (await api.ok('resources.create', { kind: 'clinician', name: 'Kurator K', profession: 'Kurator', title: null })).profession,
    ).toBe('Kurator');
  });
});
