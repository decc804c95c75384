// Second-round edges of the booking rules over time (issue 3 items 1 and 5), through the api
// (dispatch) on a real SQLite file (demo unit, now Monday 2026-11-23 09:10 CET) and the `tidbok`
// command: what a refused step leaves behind (nothing: no version, no outbox row, no access-log
// change, no change event), how a phone cancellation or rebooking is recorded from a script, and the
// smallest window a type may have. The first round's cases (tests/**/*adversarial*, acceptance-*)
// are not repeated. Expected answers follow from the rules and a Swedish desk's day.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Booking, Resource } from '../../../src-main/api/types.ts';
import type { InputOf, MethodName } from '../../../src-main/api/contract.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { createContext } from '../../../src-main/services/context.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { apiResultAs, startShell } from '../../helpers/web-shell.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
/** Arbetsterapi: 45 min, cancel 24 h (reason mandatory, coded), rebook 0 h, lead 0, 1 day ahead at most. */
let at: AppointmentType;
let serial = 900;
let clinicians = 0;

const NOW = '2026-11-23T09:10:00+01:00';

async function patientId(): Promise<string> {
  serial += 1;
  const p = await api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1968-05-17', serial),
    givenName: `Pat${serial}`,
    familyName: 'Kantsson',
  });
  return p.id;
}
/** A clinician of their own, so each case's times are free whatever the others booked. */
const clinician = (): Promise<Resource> =>
  api.ok('resources.create', {
    kind: 'clinician',
    name: `Arbetsterapeut ${++clinicians}`,
    profession: 'arbetsterapeut',
    title: null,
  });
const slot = (r: Resource, date: string, startTime: string, endTime: string) =>
  api.ok('slots.create', { resourceId: r.id, date, startTime, endTime, appointmentTypeIds: [at.id] });

/** The api at another instant, on the same database file (the same desk, later that day). */
function callAt<M extends MethodName>(iso: string, method: M, input: InputOf<M>) {
  const ctx = createContext(api.ctx.db, { now: () => Date.parse(iso) });
  ctx.events.subscribe((e) => api.events.push(e));
  return dispatch({ ctx, caller: testCaller(), shell: 'web' }, method, input);
}
async function okAt<M extends MethodName>(iso: string, method: M, input: InputOf<M>) {
  const r = await callAt(iso, method, input);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.message}`);
  return r.value as never;
}

/** Everything a change writes about one booking: its row, its outbox rows, its access-log changes. */
function footprint(id: string) {
  const one = (sql: string) => api.ctx.db.prepare(sql).get(id);
  return {
    row: one(
      `SELECT status, version, updated_at, updated_by, reason_code, reason_text, cancel_reason_code, cancel_reason_text, cancelled_via
         FROM bookings WHERE id = ?`,
    ),
    outbox: one(`SELECT count(*) AS n FROM outbox WHERE entity = 'booking' AND entity_id = ?`),
    audit: one(`SELECT count(*) AS n FROM audit_events WHERE action = 'change' AND entity_id = ?`),
    slots: api.count(`SELECT count(*) AS n FROM slots`),
  };
}

beforeAll(async () => {
  api = demoApi();
  at = await api.ok('appointmentTypes.create', {
    code: 'ARBT',
    nameSv: 'Arbetsterapi',
    nameEn: 'Occupational therapy',
    durationMin: 45,
    contactModes: ['physical', 'phone'],
    professions: ['arbetsterapeut'],
    webCancellable: true,
    webRebookable: true,
    cancelCutoffH: 24,
    rebookCutoffH: 0,
    reasonCancel: 'mandatory',
    reasonCodes: [{ code: 'SJUK', textSv: 'Patienten är sjuk', textEn: 'Ill' }],
    bookMinLeadH: 0,
    bookMaxDays: 1,
  });
});

// ------------------------------------------------------------------ refused steps
describe('a refused step leaves the booking exactly as it was', () => {
  type Setup = 'booked' | 'cancelled' | 'rebooked' | 'arrived' | 'completed' | 'no_show';
  type Step =
    | ['mark', 'booked' | 'arrived' | 'no_show' | 'completed']
    | ['cancel', { override?: string; reasonCode?: string }]
    | ['rebook', { override?: string }];
  // Today's visit at 14:00 (its own clinician), brought to `setup` at 14:05, then `step` at `when`.
  // [case, setup, step, when, expected: refusal message, or 'same' for an accepted no-op]
  const cases: [string, Setup, Step, string, string][] = [
    ['arrived for a cancelled booking', 'cancelled', ['mark', 'arrived'], '14:06', 'Bokningen är avbokad och kan inte markeras.'],
    [
      'undo to booked of a rebooked booking',
      'rebooked',
      ['mark', 'booked'],
      '14:06',
      'Bokningen är ombokad och kan inte markeras: markera den nya tiden.',
    ],
    [
      'no-show a minute before the start',
      'booked',
      ['mark', 'no_show'],
      '13:59',
      'Uteblivet kan markeras först när besökstiden har börjat.',
    ],
    [
      'a second cancellation, with an override',
      'cancelled',
      ['cancel', { reasonCode: 'SJUK', override: 'Ringde igen' }],
      '14:06',
      'Bokningen är avbokad och kan inte ändras.',
    ],
    [
      'cancel of a rebooked booking',
      'rebooked',
      ['cancel', { reasonCode: 'SJUK' }],
      '14:06',
      'Bokningen är redan ombokad och kan inte ändras.',
    ],
    [
      'cancel after arrival',
      'arrived',
      ['cancel', { reasonCode: 'SJUK', override: 'Gick hem' }],
      '14:06',
      'Patienten är redan ankomstregistrerad; bokningen kan inte ändras.',
    ],
    [
      'cancel of a completed visit',
      'completed',
      ['cancel', { reasonCode: 'SJUK' }],
      '15:00',
      'Besöket är avslutat och kan inte ändras.',
    ],
    [
      'rebook of a no-show, with an override',
      'no_show',
      ['rebook', { override: 'Ny tid' }],
      '14:20',
      'Besöket är markerat som uteblivet och kan inte ändras.',
    ],
    // The visit has begun (cut-off 24 h passed): the reason is asked only of a cancellation that may go on.
    [
      'late cancel without an override (and no reason)',
      'booked',
      ['cancel', {}],
      '13:00',
      'Avbokning måste göras senast 24 timmar före besöket: det gick att göra till 2026-11-22 kl. 14:00. Personal kan göra det med en motiverad åsidosättning.',
    ],
    [
      'an override that passes the cut-off but gives no reason the type asks for',
      'booked',
      ['cancel', { override: 'Ringde' }],
      '13:00',
      'Ange orsak till avbokningen.',
    ],
    ['arrived twice', 'arrived', ['mark', 'arrived'], '14:06', 'same'],
    ['completed twice', 'completed', ['mark', 'completed'], '15:00', 'same'],
    ['booked, marked booked', 'booked', ['mark', 'booked'], '14:06', 'same'],
  ];

  it.each(cases)('%s', async (_n, setup, [what, arg], when, want) => {
    const r = await clinician();
    const s = await slot(r, '2026-11-23', '14:00', '14:45');
    const other = await slot(r, '2026-11-23', '16:00', '16:45');
    const b: Booking = await api.ok('bookings.book', { slotId: s.id, patientId: await patientId(), appointmentTypeId: at.id });
    const t = (hm: string) => `2026-11-23T${hm}:00+01:00`;
    const o = { override: { reason: 'Patienten ringde' } };
    if (setup === 'cancelled') await okAt(t('14:05'), 'bookings.cancel', { id: b.id, reasonCode: 'SJUK', ...o });
    if (setup === 'rebooked') await okAt(t('13:00'), 'bookings.rebook', { id: b.id, slotId: other.id });
    if (setup === 'arrived' || setup === 'completed' || setup === 'no_show') {
      await okAt(t('14:05'), 'bookings.mark', { id: b.id, status: setup });
    }
    const before = footprint(b.id);
    const events = api.events.length;
    const result =
      what === 'mark'
        ? await callAt(t(when), 'bookings.mark', { id: b.id, status: arg })
        : what === 'cancel'
          ? await callAt(t(when), 'bookings.cancel', {
              id: b.id,
              ...(arg.reasonCode ? { reasonCode: arg.reasonCode } : {}),
              ...(arg.override ? { override: { reason: arg.override } } : {}),
            })
          : await callAt(t(when), 'bookings.rebook', {
              id: b.id,
              slotId: other.id,
              ...(arg.override ? { override: { reason: arg.override } } : {}),
            });
    if (want === 'same') expect(result.ok ? (result.value as Booking).status : result.error.message).toBe(setup);
    else expect(result.ok ? 'ok' : result.error.message).toBe(want);
    expect(footprint(b.id)).toEqual(before);
    expect(api.events.length).toBe(events);
  });
});

// ------------------------------------------------------------------ channels from a script
describe('tidbok records how a cancellation or rebooking came in', () => {
  it('takes --channel phone for cancel and rebook, as for book, and refuses web in Swedish, writing nothing', async () => {
    const r = await clinician();
    const [s1, s2, s3] = [
      await slot(r, '2026-11-24', '11:00', '11:45'),
      await slot(r, '2026-11-24', '12:00', '12:45'),
      await slot(r, '2026-11-24', '13:00', '13:45'),
    ];
    const b: Booking = await api.ok('bookings.book', { slotId: s1.id, patientId: await patientId(), appointmentTypeId: at.id });
    const db = ['--db', api.path];
    const before = footprint(b.id);
    for (const args of [
      ['bookings', 'cancel', b.id, '--channel', 'web', '--reason-code', 'SJUK'],
      ['bookings', 'rebook', b.id, '--slot', s2.id, '--channel', 'web'],
    ]) {
      const refused = await runTidbok([...args, ...db], NOW);
      expect([refused.code, refused.err], args[1]).toEqual([
        2,
        'tidbok: --channel ska vara desk eller phone, inte "web" (webbokningar kommer via synk).\n',
      ]);
    }
    expect(footprint(b.id)).toEqual(before);

    const moved = await runTidbok(['bookings', 'rebook', b.id, '--slot', s2.id, '--channel', 'phone', '--json', ...db], NOW);
    expect(moved.code).toBe(0);
    const newId = (JSON.parse(moved.out) as { new: Booking }).new.id;
    expect((await api.ok('bookings.get', { id: newId })).channel).toBe('phone');
    const cancelled = await runTidbok(['bookings', 'cancel', newId, '--channel', 'phone', '--reason-code', 'SJUK', ...db], NOW);
    expect(cancelled.code).toBe(0);
    expect(footprint(newId).row).toMatchObject({ status: 'cancelled', cancelled_via: 'phone', cancel_reason_code: 'SJUK' });
    const detail = api.ctx.db
      .prepare(`SELECT detail ->> '$.channel' FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' = 'cancel'`)
      .pluck()
      .get(newId);
    expect(detail).toBe('phone');
    // Without the flag a script speaks for the desk, as before.
    const plain: Booking = await api.ok('bookings.book', {
      slotId: s3.id,
      patientId: await patientId(),
      appointmentTypeId: at.id,
    });
    expect((await runTidbok(['bookings', 'cancel', plain.id, '--reason-code', 'SJUK', ...db], NOW)).code).toBe(0);
    expect(footprint(plain.id).row).toMatchObject({ cancelled_via: 'desk' });
  });
});

// ------------------------------------------------------------------ a window of one day
describe('a type bookable one day ahead (today and tomorrow)', () => {
  it('takes tomorrow 23:00, refuses the day after in the singular, and tidbok slots free says the same', async () => {
    const r = await clinician();
    const last = await slot(r, '2026-11-24', '23:00', '23:45');
    const after = await slot(r, '2026-11-25', '08:00', '08:45');
    expect(
      await api.err('bookings.book', { slotId: after.id, patientId: await patientId(), appointmentTypeId: at.id }),
    ).toMatchObject({
      code: 'conflict',
      message: 'Arbetsterapi kan bokas högst 1 dag framåt: senast 2026-11-24.',
    });
    expect(
      (await api.ok('bookings.book', { slotId: last.id, patientId: await patientId(), appointmentTypeId: at.id })).status,
    ).toBe('booked');
    const free = await runTidbok(['slots', 'free', '--type', 'ARBT', '--from', '2026-11-25', '--db', api.path], NOW);
    expect([free.code, free.out]).toEqual([
      0,
      'Inga lediga tider för ARBT: ARBT kan bokas högst 1 dag framåt, till och med 2026-11-24.\n',
    ]);
  });
});

// ------------------------------------------------------------------ contact mode on a move
describe('a move keeps the contact mode only while the type offers it', () => {
  it('a phone visit whose type dropped phone is moved only by choosing a mode the type offers, at the api and from tidbok', async () => {
    const t = await api.ok('appointmentTypes.create', {
      code: 'ARBTEL',
      nameSv: 'Arbetsterapi, uppföljning',
      nameEn: 'Occupational therapy, follow-up',
      durationMin: 30,
      contactModes: ['phone', 'video'],
      professions: ['arbetsterapeut'],
    });
    const r = await clinician();
    const mk = (start: string, end: string) =>
      api.ok('slots.create', {
        resourceId: r.id,
        date: '2026-12-02',
        startTime: start,
        endTime: end,
        appointmentTypeIds: [t.id],
      });
    const [held, next] = [await mk('08:00', '08:30'), await mk('09:00', '09:30')];
    const b: Booking = await api.ok('bookings.book', { slotId: held.id, patientId: await patientId(), appointmentTypeId: t.id });
    expect(b.contactMode).toBe('phone');
    await api.ok('appointmentTypes.update', { id: t.id, contactModes: ['video'] });
    const NOT_PHONE = 'Arbetsterapi, uppföljning erbjuds inte som telefonsamtal, bara som videobesök.';
    expect(await api.err('bookings.rebook', { id: b.id, slotId: next.id })).toMatchObject({
      code: 'validation',
      message: NOT_PHONE,
    });
    const cli = await runTidbok(['bookings', 'rebook', b.id, '--slot', next.id, '--mode', 'physical', '--db', api.path], NOW);
    expect([cli.code, cli.err]).toEqual([
      2,
      'tidbok: Arbetsterapi, uppföljning erbjuds inte som fysiskt besök, bara som videobesök.\n',
    ]);
    expect(footprint(b.id).row).toMatchObject({ status: 'booked', version: 1 });
    const moved = await runTidbok(
      ['bookings', 'rebook', b.id, '--slot', next.id, '--mode', 'video', '--json', ...['--db', api.path]],
      NOW,
    );
    expect(moved.code).toBe(0);
    expect((JSON.parse(moved.out) as { new: Booking }).new).toMatchObject({ contactMode: 'video', slotId: next.id });
  });
});

// ------------------------------------------------------------------ overrides without a reason
describe('an override needs a reason in words', () => {
  it.each<[string, string]>([
    ['empty', ''],
    ['spaces and a tab', '   \t '],
    ['two letters between spaces', '  ok  '],
  ])('%s: refused in Swedish for book, cancel and rebook, at the api and from tidbok, writing nothing', async (_n, reason) => {
    const r = await clinician();
    // Tomorrow 08:00: inside the cancel cut-off (24 h) from 09:10 today, so each call needs its override.
    const [held, free, far] = [
      await slot(r, '2026-11-24', '08:00', '08:45'),
      await slot(r, '2026-11-24', '09:00', '09:45'),
      await slot(r, '2026-11-25', '09:00', '09:45'),
    ];
    const b: Booking = await api.ok('bookings.book', { slotId: held.id, patientId: await patientId(), appointmentTypeId: at.id });
    const before = footprint(b.id);
    const override = { reason };
    const refusals = [
      await api.err('bookings.cancel', { id: b.id, reasonCode: 'SJUK', override }),
      await api.err('bookings.rebook', { id: b.id, slotId: free.id, override }),
      // Two days ahead is past the type's one-day window.
      await api.err('bookings.book', { slotId: far.id, patientId: await patientId(), appointmentTypeId: at.id, override }),
    ];
    for (const e of refusals) {
      expect(e).toMatchObject({ code: 'validation', message: 'Ogiltiga uppgifter: Ange varför regeln åsidosätts.' });
    }
    const cli = await runTidbok(
      ['bookings', 'cancel', b.id, '--reason-code', 'SJUK', '--override', reason, '--db', api.path],
      NOW,
    );
    expect([cli.code, cli.err]).toEqual([2, 'tidbok: Ogiltiga uppgifter: Ange varför regeln åsidosätts. (override.reason)\n']);
    expect(footprint(b.id)).toEqual(before);
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id IN (?, ?)`, free.id, far.id)).toBe(0);
  });

  it('is logged trimmed, with the rule it passed, and the channel it came by', async () => {
    const r = await clinician();
    const s = await slot(r, '2026-11-24', '08:00', '08:45');
    const b: Booking = await api.ok('bookings.book', { slotId: s.id, patientId: await patientId(), appointmentTypeId: at.id });
    await api.ok('bookings.cancel', {
      id: b.id,
      channel: 'phone',
      reasonCode: 'SJUK',
      override: { reason: '  Ringde kl. 8, feber  ' },
    });
    const detail = api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' = 'cancel'`)
      .pluck()
      .get(b.id) as string;
    expect(JSON.parse(detail)).toMatchObject({
      channel: 'phone',
      reasonCode: 'SJUK',
      override: { rule: 'cutoff_passed', rules: ['cutoff_passed'], reason: 'Ringde kl. 8, feber' },
    });
  });
});

// ------------------------------------------------------------------ the largest cut-off
describe('a cut-off of a whole year (8760 h, the most a type may hold)', () => {
  it('closes online (its deadline) and at the desk alike exactly 8760 real hours before the visit; more is refused in Swedish', async () => {
    const year = await api.ok('appointmentTypes.create', {
      code: 'ARBTAR',
      nameSv: 'Årskontroll',
      nameEn: 'Yearly check',
      durationMin: 45,
      contactModes: ['physical'],
      professions: ['arbetsterapeut'],
      webCancellable: true,
      cancelCutoffH: 8760,
      bookMaxDays: 400,
    });
    expect(await api.err('appointmentTypes.update', { id: year.id, cancelCutoffH: 8761 })).toMatchObject({
      code: 'validation',
      message: 'Ogiltiga uppgifter: Avbokning senast (timmar före): Värdet får vara högst 8760.',
    });
    const r = await clinician();
    const s = await api.ok('slots.create', {
      resourceId: r.id,
      date: '2027-11-23',
      startTime: '10:00',
      endTime: '10:45',
      appointmentTypeIds: [year.id],
    });
    const b: Booking = await api.ok('bookings.book', { slotId: s.id, patientId: await patientId(), appointmentTypeId: year.id });
    // 2027 is no leap year and both ends are winter time: a year of hours ends on the same wall clock.
    const deadline = Date.parse('2026-11-23T10:00:00+01:00');
    const perms = await api.ok('bookings.onlinePermissions', { id: b.id });
    expect(perms.cancel).toEqual({ allowed: true, reason: null, deadline });
    const late = await callAt('2026-11-23T10:00:01+01:00', 'bookings.cancel', { id: b.id });
    expect(late.ok ? 'ok' : late.error.message).toBe(
      'Avbokning måste göras senast 8760 timmar före besöket: det gick att göra till 2026-11-23 kl. 10:00. Personal kan göra det med en motiverad åsidosättning.',
    );
    const inTime = await callAt('2026-11-23T10:00:00+01:00', 'bookings.cancel', { id: b.id });
    expect(inTime.ok ? (inTime.value as Booking).status : inTime.error.message).toBe('cancelled');
  });
});

// ------------------------------------------------------------------ over HTTP
describe("a receptionist's marks over the web shell's HTTP api (Monday 2026-11-23 14:20)", () => {
  it('refuses a no-show before the start and contradicting marks, in Swedish, writing nothing; repeats change nothing', async () => {
    const shell = await startShell({ env: { TIDBOK_NOW: '2026-11-23T14:20:00+01:00' } });
    try {
      const post = apiResultAs(() => shell, 'reception', 'demo-reception');
      type Day = { bookings: { id: string; startAt: number; status: string }[] };
      const day = (await post<Day>('calendar.range', { from: '2026-11-23', to: '2026-11-24' })).value!;
      const now = Date.parse('2026-11-23T14:20:00+01:00');
      const begun = day.bookings.find((b) => b.status === 'booked' && b.startAt <= now)!;
      const coming = day.bookings.find(
        (b) => b.status === 'booked' && b.startAt > now && b.startAt < Date.parse('2026-11-24T00:00:00+01:00'),
      )!;
      expect([begun, coming].every(Boolean)).toBe(true);
      const db = openDatabase(shell.dbPath);
      const state = (id: string) => ({
        row: db.prepare(`SELECT status, version, updated_at FROM bookings WHERE id = ?`).get(id),
        outbox: db.prepare(`SELECT count(*) FROM outbox WHERE entity_id = ?`).pluck().get(id),
        audit: db.prepare(`SELECT count(*) FROM audit_events WHERE action = 'change' AND entity_id = ?`).pluck().get(id),
      });
      const steps: [string, string, string][] = [
        [coming.id, 'no_show', 'Uteblivet kan markeras först när besökstiden har börjat.'],
        [coming.id, 'arrived', 'ok'],
        [coming.id, 'arrived', 'ok'],
        [
          coming.id,
          'no_show',
          'Patienten är ankomstregistrerad och kan inte markeras som utebliven. Ångra ankomsten först om den blev fel.',
        ],
        [begun.id, 'no_show', 'ok'],
        [
          begun.id,
          'completed',
          'Besöket är markerat som uteblivet och kan inte avslutas. Ångra markeringen först om den blev fel.',
        ],
      ];
      for (const [id, status, want] of steps) {
        const before = state(id);
        const r = await post<{ status: string }>('bookings.mark', { id, status });
        expect(r.ok ? 'ok' : r.error!.message, `${status}`).toBe(want);
        const changed = want === 'ok' && (before.row as { status: string }).status !== status;
        if (!changed) expect(state(id), `${status} wrote nothing`).toEqual(before);
        else expect(state(id).row).toMatchObject({ status, version: (before.row as { version: number }).version + 1 });
      }
      const cancel = await post('bookings.cancel', {
        id: coming.id,
        reasonText: 'Gick hem',
        override: { reason: 'Ångrade sig' },
      });
      expect(cancel).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: 'Patienten är redan ankomstregistrerad; bokningen kan inte ändras.' },
      });
      db.close();
    } finally {
      await shell.stop();
    }
  }, 60_000);
});
