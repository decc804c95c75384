// Adversarial cases for appointment types and the booking rules (issue 3 items 1 and 5), run as a
// regional tester would: through the api (dispatch, as both shells call it) on a real SQLite file
// (demo unit, now Monday 2026-11-23 09:10 CET), over HTTP on the real web shell, and with the
// `tidbok` command. Cases the existing acceptance files already hold are not repeated here.
// Expected answers follow from the rules, not from Tidbok's output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { createContext } from '../../../src-main/services/context.ts';
import { SESSION_HEADER, startWebShell, type WebShell } from '../../../src-main/shells/web/server.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import { demoApi, type Api } from '../scheduling/helpers.ts';

let api: Api;
let psy: Resource;
/** A type without reason codes, cut-offs 0 h: the visit may be cancelled until it begins. */
let plain: AppointmentType;
let serial = 700;

const base = {
  nameSv: 'Psykologsamtal',
  nameEn: 'Psychologist',
  durationMin: 45,
  contactModes: ['physical' as const],
  professions: ['psykolog'],
};

async function patient(): Promise<Patient> {
  serial += 1;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1977-09-30', serial),
    givenName: `Pat${serial}`,
    familyName: 'Regelsson',
  });
}
const slot = (date: string, startTime: string, endTime: string, type: AppointmentType = plain, r: Resource = psy) =>
  api.ok('slots.create', { resourceId: r.id, date, startTime, endTime, appointmentTypeIds: [type.id] });
const book = async (slotId: string, type: AppointmentType = plain) =>
  api.ok('bookings.book', { slotId, patientId: (await patient()).id, appointmentTypeId: type.id });
/** The api at another instant, on the same database file (the same desk, later that day). */
const callAt = (iso: string, method: string, input: unknown) =>
  dispatch({ ctx: createContext(api.ctx.db, { now: () => Date.parse(iso) }), caller: testCaller(), shell: 'web' }, method, input);
const outboxRows = (id: string) => api.count(`SELECT count(*) AS n FROM outbox WHERE entity_id = ?`, id);

beforeAll(async () => {
  api = demoApi();
  psy = await api.ok('resources.create', { kind: 'clinician', name: 'Petra Psykolog', profession: 'psykolog', title: null });
  plain = await api.ok('appointmentTypes.create', { ...base, code: 'PSY0', cancelCutoffH: 0, rebookCutoffH: 0 });
});

describe('appointment type edits are held to the same rules as a new type', () => {
  let t: AppointmentType;
  beforeAll(async () => {
    t = await api.ok('appointmentTypes.create', { ...base, code: 'PSYED', bookMinLeadH: 24, bookMaxDays: 30 });
  });
  it.each<[string, Record<string, unknown>, string]>([
    ['duration 0', { durationMin: 0 }, 'Ogiltiga uppgifter: Längd (minuter): Värdet måste vara minst 5.'],
    ['negative duration', { durationMin: -30 }, 'Ogiltiga uppgifter: Längd (minuter): Värdet måste vara minst 5.'],
    [
      'negative cancel cut-off',
      { cancelCutoffH: -1 },
      'Ogiltiga uppgifter: Avbokning senast (timmar före): Värdet måste vara minst 0.',
    ],
    [
      'negative rebook cut-off',
      { rebookCutoffH: -24 },
      'Ogiltiga uppgifter: Ombokning senast (timmar före): Värdet måste vara minst 0.',
    ],
    ['empty Swedish name', { nameSv: '' }, 'Ogiltiga uppgifter: Namn (svenska): Fältet får inte vara tomt.'],
    ['three-digit colour', { colour: '#abc' }, 'Ogiltiga uppgifter: Färg ska anges som #RRGGBB.'],
    ['colour without #', { colour: 'aabbcc' }, 'Ogiltiga uppgifter: Färg ska anges som #RRGGBB.'],
    ['colour not hex', { colour: '#GGHHII' }, 'Ogiltiga uppgifter: Färg ska anges som #RRGGBB.'],
    // The window is checked against what the type will be, not only what the call gives.
    [
      'a lead past the end of the stored 30 days',
      { bookMinLeadH: 744 },
      'Minsta framförhållning (744 timmar) når förbi sista bokningsbara dagen: den måste ta slut innan den dagen gör, ' +
        'räknat från midnatt i dag. Med bokning högst 30 dagar framåt får den vara högst 743 timmar.',
    ],
    [
      'a same-day window shorter than the stored 24 h lead',
      { bookMaxDays: 0 },
      'Minsta framförhållning (24 timmar) når förbi sista bokningsbara dagen: den måste ta slut innan den dagen gör, ' +
        'räknat från midnatt i dag. Med bokning bara samma dag får den vara högst 23 timmar.',
    ],
    [
      'both flags of web booking',
      { invitationOnly: true, webBookable: true },
      'En besökstyp kan inte vara både fritt webbokningsbar och bara bokningsbar efter kallelse.',
    ],
  ])('%s is refused and changes nothing', async (_n, patch, message) => {
    const before = await api.ok('appointmentTypes.get', { id: t.id });
    expect(await api.err('appointmentTypes.update', { id: t.id, ...patch } as never)).toMatchObject({
      code: 'validation',
      message,
    });
    expect(await api.ok('appointmentTypes.get', { id: t.id })).toEqual(before);
    expect(outboxRows(t.id)).toBe(1);
  });

  it('takes a lead ending within the last day counted from midnight (31 × 24 − 1 h for 30 days) and one day less of window only without it', async () => {
    expect((await api.ok('appointmentTypes.update', { id: t.id, bookMinLeadH: 743 })).bookMinLeadH).toBe(743);
    expect(await api.err('appointmentTypes.update', { id: t.id, bookMaxDays: 29 })).toMatchObject({
      message: expect.stringMatching(
        /^Minsta framförhållning \(743 timmar\) når förbi .* högst 29 dagar framåt får den vara högst 719 timmar\.$/,
      ),
    });
    const both = await api.ok('appointmentTypes.update', { id: t.id, bookMinLeadH: 24, bookMaxDays: 29 });
    expect([both.bookMinLeadH, both.bookMaxDays]).toEqual([24, 29]);
  });

  it('refuses another type’s code, whatever the case, and keeps its own', async () => {
    expect(await api.err('appointmentTypes.update', { id: t.id, code: 'psy0' })).toMatchObject({
      code: 'conflict',
      message: 'Det finns redan en besökstyp med koden psy0.',
    });
    expect((await api.ok('appointmentTypes.get', { id: t.id })).code).toBe('PSYED');
  });
});

describe('reason codes of a type', () => {
  it('are stored trimmed, so the code the desk picks matches; a blank code is refused', async () => {
    const t = await api.ok('appointmentTypes.create', {
      ...base,
      code: 'PSYKOD',
      reasonCancel: 'mandatory',
      cancelCutoffH: 0,
      reasonCodes: [{ code: ' SJUK ', textSv: ' Patienten är sjuk ', textEn: 'Ill' }],
    });
    expect(t.reasonCodes).toEqual([{ code: 'SJUK', textSv: 'Patienten är sjuk', textEn: 'Ill' }]);
    const b = await book((await slot('2026-12-01', '08:00', '08:45', t)).id, t);
    expect((await api.ok('bookings.cancel', { id: b.id, reasonCode: 'SJUK' })).status).toBe('cancelled');
    const e = await api.err('appointmentTypes.update', {
      id: t.id,
      reasonCodes: [{ code: '  ', textSv: 'Tom', textEn: 'Empty' }],
    });
    expect(e.code).toBe('validation');
    expect((await api.ok('appointmentTypes.get', { id: t.id })).reasonCodes).toEqual(t.reasonCodes);
  });

  it('a type without codes takes none at booking, cancelling or rebooking; a reason in words is fine', async () => {
    const NO_CODES = 'Orsakskoden SJUK finns inte för besökstypen: den har inga orsakskoder. Skriv orsaken som text.';
    const s = await slot('2026-12-02', '08:00', '08:45');
    const p = await patient();
    expect(
      await api.err('bookings.book', { slotId: s.id, patientId: p.id, appointmentTypeId: plain.id, reasonCode: 'SJUK' }),
    ).toMatchObject({
      code: 'validation',
      message: NO_CODES,
    });
    const b = await api.ok('bookings.book', { slotId: s.id, patientId: p.id, appointmentTypeId: plain.id, reasonText: 'Remiss' });
    const to = await slot('2026-12-02', '09:00', '09:45');
    expect(await api.err('bookings.rebook', { id: b.id, slotId: to.id, reasonCode: 'SJUK' })).toMatchObject({
      message: NO_CODES,
    });
    expect(await api.err('bookings.cancel', { id: b.id, reasonCode: 'SJUK' })).toMatchObject({ message: NO_CODES });
    expect(outboxRows(b.id)).toBe(1);
    expect((await api.ok('bookings.cancel', { id: b.id, reasonText: 'Sjuk' })).status).toBe('cancelled');
  });
});

describe('the reason a visit was booked for', () => {
  it('moves with the visit on every rebooking, by the desk and by an absence; the time given up keeps why it was moved', async () => {
    const t = await api.ok('appointmentTypes.create', {
      ...base,
      code: 'PSYREM',
      reasonNew: 'mandatory',
      reasonRebook: 'optional',
      rebookCutoffH: 0,
      reasonCodes: [{ code: 'REM', textSv: 'Remiss', textEn: 'Referral' }],
    });
    const [s1, s2, s3] = [
      await slot('2026-12-14', '08:00', '08:45', t),
      await slot('2026-12-15', '08:00', '08:45', t),
      await slot('2026-12-16', '08:00', '08:45', t),
    ];
    const other = await api.ok('resources.create', {
      kind: 'clinician',
      name: 'Pål Psykolog',
      profession: 'psykolog',
      title: null,
    });
    const s4 = await slot('2026-12-17', '08:00', '08:45', t, other);
    const p = await patient();
    const b = await api.ok('bookings.book', {
      slotId: s1.id,
      patientId: p.id,
      appointmentTypeId: t.id,
      reasonCode: 'REM',
      reasonText: 'Sömnbesvär',
    });
    const visit = { reasonCode: 'REM', reasonText: 'Sömnbesvär' };
    const moved1 = await api.ok('bookings.rebook', { id: b.id, slotId: s2.id });
    const moved2 = await api.ok('bookings.rebook', { id: moved1.new.id, slotId: s3.id, reasonText: 'Krockar med jobbet' });
    const { absence } = await api.ok('absences.create', {
      resourceId: psy.id,
      from: '2026-12-16',
      to: '2026-12-16',
      reason: 'Sjuk',
    });
    const [byAbsence] = (
      await api.ok('absences.applyRebooking', { id: absence.id, items: [{ bookingId: moved2.new.id, slotId: s4.id }] })
    ).rebooked;
    const reasons = async (id: string) => {
      const d = await api.ok('bookings.get', { id });
      return {
        status: d.status,
        reasonCode: d.reasonCode,
        reasonText: d.reasonText,
        moved: { code: d.cancelReasonCode, text: d.cancelReasonText },
      };
    };
    // Every time of the visit keeps why it was booked; each one given up, why it was moved.
    expect(await reasons(b.id)).toEqual({ status: 'rebooked', ...visit, moved: { code: null, text: null } });
    expect(await reasons(moved1.new.id)).toEqual({
      status: 'rebooked',
      ...visit,
      moved: { code: null, text: 'Krockar med jobbet' },
    });
    expect(await reasons(moved2.new.id)).toEqual({ status: 'rebooked', ...visit, moved: { code: null, text: 'Sjuk' } });
    expect(await reasons(byAbsence!.new.id)).toEqual({ status: 'booked', ...visit, moved: { code: null, text: null } });
  });
});

describe('deleting an appointment type', () => {
  const mk = (code: string) => api.ok('appointmentTypes.create', { ...base, code });
  it.each<[string, (t: AppointmentType) => Promise<unknown>, Record<string, number>]>([
    [
      'offered on a removed slot only',
      async (t) => api.ok('slots.remove', { id: (await slot('2026-12-03', '08:00', '08:45', t)).id }),
      { slots: 1 },
    ],
    [
      'in a template only',
      (t) =>
        api.ok('templates.create', {
          template: {
            resourceId: psy.id,
            // A Saturday past the horizon: the template has laid out no slot yet.
            weekdays: [6],
            validFrom: '2027-06-05',
            validTo: '2027-06-05',
            startTime: '08:00',
            endTime: '09:00',
            slotMin: 45,
            appointmentTypeIds: [t.id],
          },
        }),
      { templates: 1 },
    ],
    [
      'wished on återbudslistan only',
      async (t) => api.ok('waitlist.add', { patientId: (await patient()).id, appointmentTypeId: t.id }),
      { waitlist: 1 },
    ],
  ])('is refused when %s, in Swedish, and the type stays', async (_n, use, uses) => {
    const t = await mk(`DEL${++serial}`);
    await use(t);
    const e = await api.err('appointmentTypes.delete', { id: t.id });
    expect(e).toMatchObject({
      code: 'conflict',
      message: 'Besökstypen används och kan inte tas bort. Inaktivera den i stället.',
    });
    expect(e.details).toMatchObject(uses);
    expect((await api.ok('appointmentTypes.get', { id: t.id })).active).toBe(true);
  });

  it('is refused to a receptionist; a never-used type is deleted and its code is free again', async () => {
    const t = await mk('DELFRI');
    expect(await api.err('appointmentTypes.delete', { id: t.id }, ['receptionist'])).toMatchObject({ code: 'forbidden' });
    expect(await api.ok('appointmentTypes.delete', { id: t.id })).toEqual({ id: t.id });
    expect(await api.err('appointmentTypes.get', { id: t.id })).toMatchObject({ code: 'not_found' });
    expect((await mk('DELFRI')).code).toBe('DELFRI');
  });
});

describe('a profession nobody at the unit has', () => {
  it('is kept on the type, and a slot offering it to a clinician of another profession is refused in Swedish', async () => {
    const t = await api.ok('appointmentTypes.create', {
      ...base,
      code: 'TAND',
      nameSv: 'Tandläkarbesök',
      professions: ['tandlakare'],
    });
    expect(t.professions).toEqual(['tandlakare']);
    expect(
      await api.err('slots.create', {
        resourceId: psy.id,
        date: '2026-12-04',
        startTime: '08:00',
        endTime: '08:45',
        appointmentTypeIds: [t.id],
      }),
    ).toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Petra Psykolog kan inte ta emot Tandläkarbesök: besökstypen är för en annan yrkesgrupp.'),
    });
  });
});

describe('bookings that cannot be changed any more', () => {
  // Today at `hour`:00, marked ten minutes in; the new time offered is a week later at `hour`:00.
  it.each<[string, 'arrived' | 'completed' | 'no_show', string, string]>([
    ['arrived', 'arrived', '11', 'Patienten är redan ankomstregistrerad; bokningen kan inte ändras.'],
    ['completed', 'completed', '12', 'Besöket är avslutat och kan inte ändras.'],
    ['a no-show', 'no_show', '13', 'Besöket är markerat som uteblivet och kan inte ändras.'],
  ])('%s: neither cancelled nor rebooked, not even with an override; nothing is written', async (_n, mark, hour, message) => {
    const b = await book((await slot('2026-11-23', `${hour}:00`, `${hour}:45`)).id);
    const later = await slot('2026-11-30', `${hour}:00`, `${hour}:45`);
    const when = `2026-11-23T${hour}:10:00+01:00`;
    expect((await callAt(when, 'bookings.mark', { id: b.id, status: mark })).ok).toBe(true);
    const rows = outboxRows(b.id);
    for (const [method, input] of [
      ['bookings.cancel', { id: b.id, reasonText: 'Ångrat', override: { reason: 'Patienten ringde' } }],
      ['bookings.rebook', { id: b.id, slotId: later.id, override: { reason: 'Patienten ringde' } }],
    ] as const) {
      const r = await callAt(when, method, input);
      expect(r.ok ? 'ok' : r.error).toMatchObject({ code: 'conflict', message, details: { rule: 'not_active' } });
    }
    expect(outboxRows(b.id)).toBe(rows);
  });
});

describe('a cut-off of 0 hours', () => {
  it('lets the desk cancel until the start, as the web; from the start on only with an override, which is logged', async () => {
    const s = await slot('2026-11-23', '16:00', '16:45');
    const b = await book(s.id);
    const atStart = await callAt('2026-11-23T16:00:00+01:00', 'bookings.cancel', { id: b.id });
    expect(atStart.ok ? 'ok' : atStart.error).toMatchObject({
      code: 'conflict',
      message:
        'Avbokning måste göras innan besöket börjar: det gick att göra till 2026-11-23 kl. 16:00. Personal kan göra det med en motiverad åsidosättning.',
    });
    const justBefore = await callAt('2026-11-23T15:59:59+01:00', 'bookings.cancel', { id: b.id });
    expect(justBefore.ok ? justBefore.value : justBefore.error).toMatchObject({ status: 'cancelled' });

    const b2 = await book(s.id);
    const r = await callAt('2026-11-23T16:05:00+01:00', 'bookings.cancel', {
      id: b2.id,
      override: { reason: 'Kom inte, ringde efteråt' },
    });
    expect(r.ok).toBe(true);
    const detail = api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' = 'cancel'`)
      .pluck()
      .get(b2.id) as string;
    expect(JSON.parse(detail).override).toEqual({
      rule: 'cutoff_passed',
      rules: ['cutoff_passed'],
      reason: 'Kom inte, ringde efteråt',
    });
  });
});

describe('the command line', () => {
  it('refuses a reason code a type does not have with exit 2 in Swedish, and cancels with the reason in words', async () => {
    const s = await slot('2026-12-08', '08:00', '08:45');
    const b = await book(s.id);
    const refused = await runTidbok(
      ['bookings', 'cancel', b.id, '--reason-code', 'SJK', '--db', api.path],
      '2026-11-23T09:10:00+01:00',
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      'Orsakskoden SJK finns inte för besökstypen: den har inga orsakskoder. Skriv orsaken som text.',
    );
    expect(outboxRows(b.id)).toBe(1);
    const done = await runTidbok(
      ['bookings', 'cancel', b.id, '--reason-text', 'Sjuk', '--db', api.path],
      '2026-11-23T09:10:00+01:00',
    );
    expect(done.code).toBe(0);
    expect((await api.ok('bookings.get', { id: b.id })).status).toBe('cancelled');
  });
});

describe('status marks and closed bookings, from the command line', () => {
  it('refuses each wrong step with exit 2 and the Swedish reason, and writes nothing', async () => {
    const now = '2026-11-23T09:10:00+01:00';
    const future = await book((await slot('2026-12-10', '08:00', '08:45')).id);
    const gone = await book((await slot('2026-12-10', '09:00', '09:45')).id);
    await api.ok('bookings.cancel', { id: gone.id, reasonText: 'Flyttar' });
    const cases: [string[], string][] = [
      [['bookings', 'mark', future.id, 'arrived'], 'Ett besök kan markeras först den dag det äger rum.'],
      [['bookings', 'mark', future.id, 'no-show'], 'Ett besök kan markeras först den dag det äger rum.'],
      [['bookings', 'mark', gone.id, 'completed'], 'Bokningen är avbokad och kan inte markeras.'],
      [['bookings', 'cancel', gone.id, '--reason-text', 'Igen'], 'Bokningen är avbokad och kan inte ändras.'],
      [['bookings', 'mark', future.id, 'done'], 'status ska vara arrived, no-show, completed eller booked, inte "done".'],
    ];
    const before = [outboxRows(future.id), outboxRows(gone.id)];
    for (const [args, message] of cases) {
      const r = await runTidbok([...args, '--db', api.path], now);
      expect([r.code, r.err], args.join(' ')).toEqual([2, expect.stringContaining(message)]);
    }
    expect([outboxRows(future.id), outboxRows(gone.id)]).toEqual(before);
  });
});

describe('a type in use, from the command line', () => {
  it('has no delete command (exit 2); an import deactivates it, its booking stays, and it is no longer bookable', async () => {
    const t = await api.ok('appointmentTypes.create', { ...base, code: 'PSYCLI' });
    const b = await book((await slot('2026-12-09', '08:00', '08:45', t)).id, t);
    const free = await slot('2026-12-09', '09:00', '09:45', t);
    const now = '2026-11-23T09:10:00+01:00';
    const del = await runTidbok(['types', 'delete', 'PSYCLI', '--db', api.path], now);
    expect(del.code).toBe(2);
    expect(del.err).toContain('okänt kommando delete');
    const dir = mkdtempSync(join(tmpdir(), 'tidbok-types-'));
    writeFileSync(join(dir, 'types.json'), JSON.stringify([{ code: 'PSYCLI', active: false }]));
    const imported = await runTidbok(['types', 'import', join(dir, 'types.json'), '--db', api.path], now);
    expect([imported.code, imported.out.trim().split('\n').at(-1)]).toEqual([
      0,
      'Besökstyper importerade: 0 nya, 1 ändrade, 0 oförändrade.',
    ]);
    expect((await api.ok('appointmentTypes.get', { id: t.id })).active).toBe(false);
    expect((await api.ok('bookings.get', { id: b.id })).status).toBe('booked');
    expect(
      await api.err('bookings.book', { slotId: free.id, patientId: (await patient()).id, appointmentTypeId: t.id }),
    ).toMatchObject({
      code: 'validation',
      message: 'Besökstypen är inaktiverad och kan inte bokas.',
    });
  });
});

describe('over HTTP: a receptionist’s override of a cut-off', () => {
  let shell: WebShell;
  let ctx: ReturnType<typeof openTestDb>['ctx'];
  const sessions = new Map<string, string>();
  const post = async (username: string, method: string, input: unknown) => {
    const call = (m: string, body: unknown, session?: string) =>
      fetch(`http://127.0.0.1:${shell.port}/api/${m}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${shell.token}`,
          ...(session ? { [SESSION_HEADER]: session } : {}),
        },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }>); // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!sessions.has(username)) {
      const r = await call('auth.signIn', { username, password: `demo-${username}` });
      sessions.set(username, r.value.token);
    }
    return call(method, input, sessions.get(username));
  };
  beforeAll(async () => {
    ({ ctx } = openTestDb({ demo: true }));
    const staticDir = mkdtempSync(join(tmpdir(), 'tidbok-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tidbok</title>');
    shell = await startWebShell({ ctx, staticDir, workstation: 'reception-2' });
  });
  afterAll(() => shell.close());

  it('is refused without a reason, passes with one, and the access log says who, where, which rule and why', async () => {
    const [type] = (await post('reception', 'appointmentTypes.list', {})).value.filter(
      (t: AppointmentType) => t.code === 'LAKBES',
    );
    // Tomorrow 10:00 at the latest: inside the 24 h cancel cut-off from Monday 09:10.
    const [free] = (
      await post('reception', 'slots.findFree', { appointmentTypeId: type.id, from: '2026-11-24', to: '2026-11-24' })
    ).value;
    expect(free.startAt).toBeLessThan(Date.parse('2026-11-24T09:10:00+01:00'));
    const p = (
      await post('reception', 'patients.create', {
        identityNumber: makeIdentityNumber('1990-02-02', 123),
        givenName: 'Sen',
        familyName: 'Avbokning',
      })
    ).value;
    const b = (
      await post('reception', 'bookings.book', {
        slotId: free.slotId,
        patientId: p.id,
        appointmentTypeId: type.id,
        override: { reason: 'Akut' },
      })
    ).value;
    const refused = await post('reception', 'bookings.cancel', { id: b.id, reasonCode: 'SJUK' });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        // The deadline named on the wall clock: the same time the day before (no clock change between).
        message:
          'Avbokning måste göras senast 24 timmar före besöket: det gick att göra till 2026-11-23 kl. ' +
          `${new Date(free.startAt).toLocaleTimeString('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' })}.` +
          ' Personal kan göra det med en motiverad åsidosättning.',
      },
    });
    expect(
      (await post('reception', 'bookings.cancel', { id: b.id, reasonCode: 'SJUK', override: { reason: '  ' } })).error?.code,
    ).toBe('validation');
    expect(
      (await post('reception', 'bookings.cancel', { id: b.id, reasonCode: 'SJUK', override: { reason: 'Feber sedan natten' } }))
        .value.status,
    ).toBe('cancelled');

    const log = (await post('admin', 'audit.search', { patientId: p.id, action: 'change' })).value.entries as {
      username: string;
      workstation: string;
      entityId: string;
      detail: string;
    }[];
    const cancel = log.find((e) => e.entityId === b.id && JSON.parse(e.detail).op === 'cancel')!;
    expect({ ...cancel, detail: JSON.parse(cancel.detail).override }).toMatchObject({
      username: 'reception',
      workstation: 'reception-2',
      detail: { rule: 'cutoff_passed', rules: ['cutoff_passed'], reason: 'Feber sedan natten' },
    });
  });
});
