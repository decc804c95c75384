// Acceptance of issue 3 as an outside reviewer runs it: the real web shell on a real SQLite file
// (demo unit, "now" Monday 2026-11-23 09:10 in Stockholm), spoken to over HTTP with plain fetch and
// signed in as staff of one role each. Every expected answer is worked out here from the rules
// (Skatteverket's identity numbers, the issue's booking rules, DESIGN's protected identity), not
// read off Tidbok's output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESSION_HEADER, startWebShell, type WebShell } from '../../../src-main/shells/web/server.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { openTestDb } from '../../helpers/temp-db.ts';
import { createLogger } from '../../../src-main/log.ts';
import { luhn } from '../../helpers/luhn-oracle.ts';

interface Answer {
  ok: boolean;
  value?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  error?: { code: string; message: string; details?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const ANNA = '01a205b3-d000-7000-8000-2f8605734dbe'; // läkare, Mon–Fri 08–12, 13–15
const MARIA = '01a205b3-d000-7000-8004-da1e49b06cb6'; // sjuksköterska
const NOBODY = '01a205b3-d000-7000-8000-000000000000';
const PASSWORD = 'Acceptans-2026-lösen';

let shell: WebShell;
let ctx: ServiceContext;
const sessions = new Map<string, string>();
/** What the shell logged, one JSON object a line. */
const logLines: string[] = [];
const types: Record<string, { id: string; nameSv: string }> = {};

/** Raw POST to /api/<method>: status and parsed body. */
async function post(method: string, body: string | Uint8Array, session?: string): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`http://127.0.0.1:${shell.port}/api/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${shell.token}`,
      ...(session ? { [SESSION_HEADER]: session } : {}),
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

/** The api as one signed-in user. */
const as =
  (username: string) =>
  async (method: string, input: unknown = {}): Promise<Answer> => {
    if (!sessions.has(username)) {
      const password = username.startsWith('only-') ? PASSWORD : `demo-${username}`;
      const r = await post('auth.signIn', JSON.stringify({ username, password }));
      if (!r.body.ok) throw new Error(`sign-in ${username}: ${r.body.error?.message}`);
      sessions.set(username, r.body.value.token as string);
    }
    return (await post(method, JSON.stringify(input), sessions.get(username))).body;
  };
const admin = as('admin');
const reception = as('only-receptionist');
const scheduler = as('only-scheduler');
const adminOnly = as('only-admin');

async function ok(call: Promise<Answer>) {
  const r = await call;
  if (!r.ok) throw new Error(`${r.error?.code}: ${r.error?.message}`);
  return r.value;
}

const ten = (yymmdd: string, sep: string, nnn: string) => `${yymmdd}${sep}${nnn}${luhn(yymmdd + nnn)}`;
const twelve = (yyyymmdd: string, nnn: string, sep = '-') => `${yyyymmdd}${sep}${nnn}${luhn(yyyymmdd.slice(2) + nnn)}`;
const digits = (n: string) => n.replace(/\D/g, '');

beforeAll(async () => {
  ({ ctx } = openTestDb({ demo: true }));
  const staticDir = mkdtempSync(join(tmpdir(), 'tidbok-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tidbok</title>');
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  shell = await startWebShell({ ctx, staticDir, workstation: 'granskning-1', log });
  for (const role of ['receptionist', 'scheduler', 'admin']) {
    await ok(
      admin('users.create', { username: `only-${role}`, displayName: `Endast ${role}`, password: PASSWORD, roles: [role] }),
    );
  }
  for (const t of await ok(reception('appointmentTypes.list', {}))) types[t.code] = t;
});
afterAll(() => shell.close());

describe('the HTTP boundary', () => {
  it.each([
    ['{', 400, 'Ogiltig begäran (JSON).'],
    ['{"query": "ab"', 400, 'Ogiltig begäran (JSON).'],
    ['[]', 400, 'Ogiltiga uppgifter: Begäran ska vara ett objekt med uppgifter, inte en lista.'],
    ['"ab"', 400, 'Ogiltiga uppgifter: Begäran ska vara ett objekt med uppgifter, inte text.'],
    ['null', 400, 'Ogiltiga uppgifter: Sökord: Uppgiften saknas.'],
    ['{"query": 42}', 400, 'Ogiltiga uppgifter: Sökord: Ange text, inte ett tal.'],
    ['{"query": "ab", "extra": 1}', 400, 'Ogiltiga uppgifter: Okänd nyckel: "extra"'],
  ])('patients.search with body %s answers %i, code validation: %s', async (body, status, message) => {
    await reception('unit.get');
    const r = await post('patients.search', body, sessions.get('only-receptionist'));
    expect(r).toEqual({ status, body: { ok: false, error: expect.objectContaining({ code: 'validation', message }) } });
  });

  it('refuses a body over 1 MB with 413 and a Swedish answer, and goes on serving', async () => {
    const r = await post('patients.search', JSON.stringify({ query: 'a'.repeat(1_100_000) }), sessions.get('only-receptionist'));
    expect(r).toEqual({
      status: 413,
      body: { ok: false, error: { code: 'validation', message: 'Begäran är för stor (högst 1 MB).' } },
    });
    expect((await reception('patients.search', { query: 'öberg' })).ok).toBe(true);
  });

  it('refuses bytes that are not UTF-8 instead of storing a name with � in it', async () => {
    const before = ctx.db.prepare(`SELECT count(*) FROM patients`).pluck().get();
    const body = Buffer.concat([
      Buffer.from(`{"identityNumber":"${twelve('19700101', '345')}","givenName":"`),
      Buffer.from([0xd6, 0x73, 0x61]), // 'Äsa' in Latin-1, as an old system would send it
      Buffer.from('","familyName":"Berg"}'),
    ]);
    await reception('unit.get');
    const r = await post('patients.create', body, sessions.get('only-receptionist'));
    expect(r).toEqual({
      status: 400,
      body: { ok: false, error: { code: 'validation', message: 'Ogiltig begäran: texten är inte UTF-8.' } },
    });
    expect(ctx.db.prepare(`SELECT count(*) FROM patients`).pluck().get()).toBe(before);
  });

  it.each([
    ['slots.findFree', { appointmentTypeId: NOBODY }, 'Besökstypen hittades inte.'],
    [
      'slots.findFree',
      { appointmentTypeId: '01a205b3-d000-7000-8000-045f9fbaad45', resourceId: NOBODY },
      'Resursen hittades inte.',
    ],
    ['bookings.rebook', { id: NOBODY, slotId: NOBODY }, 'Bokningen hittades inte.'],
    ['bookings.forPatient', { patientId: NOBODY }, 'Patienten hittades inte.'],
    ['absences.proposeRebooking', { id: NOBODY }, 'Frånvaron hittades inte.'],
    ['slots.remove', { id: NOBODY }, 'Tiden hittades inte.'],
    ['templates.update', { id: NOBODY, changes: { name: 'x' } }, 'Schemamallen hittades inte.'],
  ])('%s %j answers not_found: %s', async (method, input, message) => {
    expect((await admin(method, input)).error).toMatchObject({ code: 'not_found', message, details: { id: NOBODY } });
  });

  it('logs why a call was refused: method, code, rule and fields, never the values typed', async () => {
    const from = logLines.length;
    const wrong = twelve('19640229', '246').slice(0, -1) + String((luhn('640229246') + 5) % 10);
    expect(
      (await reception('patients.create', { identityNumber: wrong, givenName: 'Åsa', familyName: 'Fel' })).error,
    ).toMatchObject({
      code: 'validation',
    });
    expect((await reception('patients.create', { identityNumber: wrong, givenName: '', familyName: 'Fel' })).error).toMatchObject(
      {
        code: 'validation',
      },
    );
    const logged = logLines.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'api call refused',
        method: 'patients.create',
        code: 'validation',
        details: { field: 'identityNumber' },
      }),
      expect.objectContaining({ msg: 'api call refused', method: 'patients.create', code: 'validation', fields: ['givenName'] }),
    ]);
    expect(logLines.slice(from).join('')).not.toMatch(/19640229|Åsa|Fel/);
  });

  it('answers an unknown method with not_found and a GET with 405', async () => {
    expect(await reception('patients.delete', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const get = await fetch(`http://127.0.0.1:${shell.port}/api/patients.search`, {
      headers: { authorization: `Bearer ${shell.token}` },
    });
    expect(get.status).toBe(405);
  });
});

describe('validation messages name the field in words', () => {
  const today = '2026-11-30';
  it.each([
    ['patients.create', 'identityNumber', { givenName: 'Åsa', familyName: 'Berg' }, 'Personnummer: Uppgiften saknas.'],
    [
      'patients.create',
      'givenName',
      { identityNumber: '191212121212', givenName: '   ', familyName: 'Berg' },
      'Förnamn: Fältet får inte vara tomt.',
    ],
    ['patients.create', 'familyName', { identityNumber: '191212121212', givenName: 'Åsa' }, 'Efternamn: Uppgiften saknas.'],
    [
      'patients.create',
      'givenName',
      { identityNumber: '191212121212', givenName: 7, familyName: 'B' },
      'Förnamn: Ange text, inte ett tal.',
    ],
    [
      'patients.create',
      'givenName',
      { identityNumber: '191212121212', givenName: 'x'.repeat(201), familyName: 'B' },
      'Förnamn: Högst 200 tecken.',
    ],
    [
      'patients.create',
      'givenName',
      { identityNumber: '191212121212', givenName: '\u200b', familyName: 'B' },
      'Förnamn: Namnet får inte innehålla styrtecken.',
    ],
    [
      'patients.create',
      'givenName',
      { identityNumber: '191212121212', givenName: 'A\u0000B', familyName: 'B' },
      'Förnamn: Namnet får inte innehålla styrtecken.',
    ],
    [
      'patients.create',
      'familyName',
      { identityNumber: '191212121212', givenName: 'Åsa', familyName: '-' },
      'Efternamn: Namnet måste innehålla bokstäver.',
    ],
    [
      'patients.create',
      'phone',
      { identityNumber: '191212121212', givenName: 'Åsa', familyName: 'B', phone: 'ring mig' },
      'Telefon: Skriv ett telefonnummer med siffror, t.ex. 070-123 45 67.',
    ],
    [
      'patients.create',
      'phone',
      { identityNumber: '191212121212', givenName: 'Åsa', familyName: 'B', phone: '12' },
      'Telefon: Skriv ett telefonnummer med siffror, t.ex. 070-123 45 67.',
    ],
    [
      'patients.create',
      'email',
      { identityNumber: '191212121212', givenName: 'Åsa', familyName: 'B', email: 'asa.berg' },
      'E-post: Skriv en e-postadress, t.ex. namn@exempel.se.',
    ],
    [
      'patients.create',
      'protectedIdentity',
      { identityNumber: '191212121212', givenName: 'Åsa', familyName: 'B', protectedIdentity: 'ja' },
      'Skyddad identitet: Ange ja eller nej (true eller false).',
    ],
    ['patients.search', 'query', { query: 'a' }, 'Skriv minst två tecken.'],
    ['patients.checkIdentityNumber', 'value', { value: 191212121212 }, 'Personnummer: Ange text, inte ett tal.'],
    ['holidays.list', 'year', { year: '2027' }, 'År: Ange ett tal.'],
    ['templates.update', 'changes', { id: NOBODY }, 'Ändringar: Uppgiften saknas.'],
    ['absences.applyRebooking', 'items', { id: NOBODY, items: 'alla' }, 'Bokningar att flytta: Ange en lista, inte text.'],
    ['patients.update', 'email', { id: NOBODY, email: 'asa@berg' }, 'E-post: Skriv en e-postadress, t.ex. namn@exempel.se.'],
    ['patients.update', 'familyName', { id: NOBODY, familyName: "'" }, 'Efternamn: Namnet måste innehålla bokstäver.'],
    ['bookings.book', 'slotId', { patientId: NOBODY, appointmentTypeId: NOBODY }, 'Tid: Uppgiften saknas.'],
    ['bookings.book', 'slotId', { slotId: 'abc', patientId: NOBODY, appointmentTypeId: NOBODY }, 'Tid: Ogiltigt id.'],
    ['bookings.book', 'patientId', { slotId: NOBODY, appointmentTypeId: NOBODY }, 'Patient: Uppgiften saknas.'],
    [
      'bookings.book',
      'channel',
      { slotId: NOBODY, patientId: NOBODY, appointmentTypeId: NOBODY, channel: 'fax' },
      /^Kanal: Ogiltigt val/,
    ],
    [
      'bookings.book',
      'contactMode',
      { slotId: NOBODY, patientId: NOBODY, appointmentTypeId: NOBODY, contactMode: 'sms' },
      /^Kontaktsätt: Ogiltigt val/,
    ],
    [
      'bookings.book',
      'note',
      { slotId: NOBODY, patientId: NOBODY, appointmentTypeId: NOBODY, note: 'x'.repeat(2001) },
      'Anteckning: Högst 2000 tecken.',
    ],
    [
      'bookings.book',
      'override.reason',
      { slotId: NOBODY, patientId: NOBODY, appointmentTypeId: NOBODY, override: { reason: '  ok ' } },
      'Ange varför regeln åsidosätts.',
    ],
    ['bookings.cancel', 'reasonText', { id: NOBODY, reasonText: 'x'.repeat(1001) }, 'Orsak: Högst 1000 tecken.'],
    ['bookings.mark', 'status', { id: NOBODY, status: 'cancelled' }, /^Status: Ogiltigt val/],
    ['slots.findFree', 'from', { appointmentTypeId: NOBODY, from: '2027-02-29' }, 'Från och med: Datumet finns inte.'],
    ['slots.findFree', 'to', { appointmentTypeId: NOBODY, to: '2027-13-01' }, 'Till och med: Datumet finns inte.'],
    ['slots.findFree', 'limit', { appointmentTypeId: NOBODY, limit: 0 }, 'Antal: Värdet måste vara minst 1.'],
    ['slots.findFree', 'limit', { appointmentTypeId: NOBODY, limit: 1e9 }, 'Antal: Värdet får vara högst 200.'],
    [
      'slots.create',
      'startTime',
      { resourceId: ANNA, date: today, startTime: '24:00', endTime: '08:30', appointmentTypeIds: [NOBODY] },
      'Från kl.: En tid kan inte börja 24:00: 24:00 är dygnets slut och kan bara vara en sluttid. Det nya dygnet börjar 00:00.',
    ],
    [
      'slots.create',
      'startTime',
      { resourceId: ANNA, date: today, startTime: '7:5', endTime: '08:30', appointmentTypeIds: [NOBODY] },
      'Från kl.: Tid ska skrivas TT:MM.',
    ],
    [
      'slots.create',
      'date',
      { resourceId: ANNA, date: '2027-02-29', startTime: '08:00', endTime: '08:30', appointmentTypeIds: [NOBODY] },
      'Datum: Datumet finns inte.',
    ],
    [
      'slots.create',
      'endTime',
      { resourceId: ANNA, date: today, startTime: '08:30', endTime: '08:00', appointmentTypeIds: [NOBODY] },
      'Sluttiden måste vara efter starttiden.',
    ],
    [
      'absences.create',
      'toTime',
      // 24:00 ends the day (30c581c); past it is no time.
      { resourceId: ANNA, from: today, to: today, toTime: '24:30' },
      'Till kl.: Tid ska skrivas TT:MM (senast 24:00).',
    ],
    [
      'absences.create',
      'fromTime',
      { resourceId: ANNA, from: today, to: today, fromTime: '24:00' },
      'Från kl.: En tid kan inte börja 24:00: 24:00 är dygnets slut och kan bara vara en sluttid. Det nya dygnet börjar 00:00.',
    ],
    [
      'absences.create',
      'to',
      { resourceId: ANNA, from: today, to: '2026-11-29' },
      'Slutdatum måste vara samma som eller efter startdatum.',
    ],
    ['absences.create', 'resourceId', { resourceId: 'anna', from: today, to: today }, 'Resurs: Ogiltigt id.'],
    [
      'appointmentTypes.create',
      'durationMin',
      { code: 'X', nameSv: 'X', nameEn: 'X', durationMin: 0, contactModes: ['physical'] },
      'Längd (minuter): Värdet måste vara minst 5.',
    ],
    [
      'appointmentTypes.create',
      'durationMin',
      { code: 'X', nameSv: 'X', nameEn: 'X', durationMin: -30, contactModes: ['physical'] },
      'Längd (minuter): Värdet måste vara minst 5.',
    ],
    [
      'appointmentTypes.create',
      'durationMin',
      { code: 'X', nameSv: 'X', nameEn: 'X', durationMin: 1e6, contactModes: ['physical'] },
      'Längd (minuter): Värdet får vara högst 480.',
    ],
    [
      'appointmentTypes.create',
      'durationMin',
      { code: 'X', nameSv: 'X', nameEn: 'X', durationMin: 22.5, contactModes: ['physical'] },
      'Längd (minuter): Ange ett heltal.',
    ],
    [
      'appointmentTypes.create',
      'cancelCutoffH',
      { code: 'X', nameSv: 'X', nameEn: 'X', durationMin: 20, contactModes: ['physical'], cancelCutoffH: -1 },
      'Avbokning senast (timmar före): Värdet måste vara minst 0.',
    ],
    [
      'appointmentTypes.create',
      'rebookCutoffH',
      { code: 'X', nameSv: 'X', nameEn: 'X', durationMin: 20, contactModes: ['physical'], rebookCutoffH: 1e9 },
      'Ombokning senast (timmar före): Värdet får vara högst 8760.',
    ],
    [
      'appointmentTypes.create',
      'webBookable',
      { code: 'X', nameSv: 'X', nameEn: 'X', durationMin: 20, contactModes: ['physical'], webBookable: 'true' },
      'Kan bokas på webben: Ange ja eller nej (true eller false).',
    ],
    [
      'appointmentTypes.create',
      'professions',
      { code: 'X', nameSv: 'X', nameEn: 'X', durationMin: 20, contactModes: ['physical'], professions: ['lakare', ' lakare'] },
      'Yrkesgrupper får inte upprepas.',
    ],
  ] as const)('%s %s', async (method, path, input, message) => {
    const r =
      method.startsWith('appointmentTypes') ||
      method.startsWith('templates') ||
      method.startsWith('slots.create') ||
      method.startsWith('absences')
        ? await scheduler(method, input)
        : await reception(method, input);
    expect(r.ok).toBe(false);
    expect(r.error!.code).toBe('validation');
    const issue = (r.error!.details.issues as { path: string; message: string }[]).find((i) => i.path === path);
    expect(issue, JSON.stringify(r.error)).toBeDefined();
    if (typeof message === 'string') expect(issue!.message).toBe(message);
    else expect(issue!.message).toMatch(message);
    expect(r.error!.message).toMatch(/^Ogiltiga uppgifter: /);
  });
});

describe('identity numbers over HTTP (today is 2026-11-23)', () => {
  it.each([
    // [typed, reserve flag, normalised, kind, birth date] — worked out from Skatteverket's rules
    [twelve('19640229', '246'), false, `19640229246${luhn('640229246')}`, 'personnummer', '1964-02-29'],
    [ten('640229', '', '246'), false, `19640229246${luhn('640229246')}`, 'personnummer', '1964-02-29'],
    [ten('040289', '-', '123'), false, `20040289123${luhn('040289123')}`, 'samordningsnummer', '2004-02-29'],
    [twelve('19120372', '234', '+'), false, `19120372234${luhn('120372234')}`, 'samordningsnummer', '1912-03-12'],
    [twelve('20261123', '234'), false, `20261123234${luhn('261123234')}`, 'personnummer', '2026-11-23'], // born today
    [ten('261124', '-', '234'), false, `19261124234${luhn('261124234')}`, 'personnummer', '1926-11-24'], // 2026-11-24 is tomorrow
    [ten('261123', '+', '234'), false, `19261123234${luhn('261123234')}`, 'personnummer', '1926-11-23'], // 100 today
    [ten('251124', '+', '234'), false, `19251124234${luhn('251124234')}`, 'personnummer', '1925-11-24'],
    [twelve('18991231', '234'), false, `18991231234${luhn('991231234')}`, 'personnummer', '1899-12-31'],
    ['99res-0042', true, '99RES-0042', 'reserve', null],
  ] as const)('%s (reserve: %s) is %s, a %s', async (value, reserve, normalised, kind, birthDate) => {
    expect(await ok(reception('patients.checkIdentityNumber', { value, reserve }))).toEqual({
      ok: true,
      normalised,
      kind,
      birthDate,
      message: null,
    });
  });

  it.each([
    [ten('050289', '-', '123'), /^Samordningsnumret innehåller ett datum som inte finns \(dag 89 − 60 ger 2005-02-29\)/],
    [twelve('19000229', '234'), /datum som inte finns \(1900-02-29\)/],
    [twelve('20261124', '234'), /Födelsedatumet 2026-11-24 ligger i framtiden/],
    [twelve('19640229', '246').slice(0, -1) + String((luhn('640229246') + 3) % 10), /^Kontrollsiffran stämmer inte/],
    [twelve('19800101', '234', '+'), /^Plustecknet används från det år personen fyller 100/],
    ['99res-0042', /./], // a reserve number without the flag
    ['19640229-24', /ska stå före de fyra sista siffrorna/],
    ['1964022924', /^Kontrollsiffran stämmer inte|datum som inte finns/],
  ])('%s is refused: %s', async (value, message) => {
    const r = await ok(reception('patients.checkIdentityNumber', { value }));
    expect(r).toMatchObject({ ok: false, normalised: null, kind: null });
    expect(r.message).toMatch(message);
  });

  it('stores a patient once in 12 digits and finds them by every accepted form, and by name', async () => {
    const n = twelve('19640229', '246');
    const asa = await ok(
      reception('patients.create', {
        identityNumber: ten('640229', '-', '246'),
        givenName: ' Åsa ',
        familyName: 'Öberg-Ängström',
        phone: '+46 70-123 45 67',
        email: 'asa@exempel.se',
      }),
    );
    expect(asa).toMatchObject({
      identityNumber: digits(n),
      givenName: 'Åsa',
      familyName: 'Öberg-Ängström',
      phone: '+46 70-123 45 67',
    });
    const again = await reception('patients.create', { identityNumber: digits(n), givenName: 'Åsa', familyName: 'Igen' });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Det finns redan en patient med det personnumret.' },
    });
    const obrien = await ok(
      reception('patients.create', { identityNumber: twelve('19811111', '236'), givenName: 'Seán', familyName: "O'Brien" }),
    );
    // Up to 100: the demo lists ~40 Öbergs, and the default 25 stops before Åsa (Å sorts after Z).
    const found = async (query: string) =>
      ((await ok(reception('patients.search', { query, limit: 100 }))) as { id: string }[]).map((p) => p.id);
    for (const q of [
      n,
      digits(n),
      digits(n).slice(2),
      ten('640229', '-', '246'),
      `${digits(n).slice(0, 8)}–${digits(n).slice(8)}`,
    ]) {
      expect(await found(q), q).toEqual([asa.id]);
    }
    for (const q of ['ängström', 'ÖBERG', 'åsa öberg', 'öberg-ängström', 'Ängs']) expect(await found(q), q).toContain(asa.id);
    for (const q of ["o'brien", 'seán', "O'BRIEN SEÁN"]) expect(await found(q), q).toEqual([obrien.id]);
    // Typed with a decomposed 'å' (a + ring, as some systems send it): stored as the one letter.
    const nfd = await ok(
      reception('patients.create', {
        identityNumber: twelve('19700303', '235'),
        givenName: 'A\u030asa',
        familyName: 'Lo\u0308f',
      }),
    );
    expect([nfd.givenName, nfd.familyName, nfd.displayName]).toEqual(['Åsa', 'Löf', 'Åsa Löf']);
    // Letters a Swedish keyboard lacks are found typed plainly, the apostrophe left out; å ä ö stay letters
    // of their own ('oberg' is not Öberg), and the Danish/Norwegian ø æ are typed as ö ä.
    const others = [
      await ok(
        reception('patients.create', { identityNumber: twelve('19720202', '239'), givenName: 'Zoë', familyName: 'Müller' }),
      ),
      await ok(
        reception('patients.create', { identityNumber: twelve('19730303', '238'), givenName: 'Søren', familyName: 'Kjær' }),
      ),
    ] as { id: string }[];
    for (const q of ['obrien', 'sean obrien', 'OBrien']) expect(await found(q), q).toEqual([obrien.id]);
    for (const q of ['muller', 'zoe', 'zoe müller']) expect(await found(q), q).toEqual([others[0]!.id]);
    for (const q of ['sören', 'kjär', 'søren']) expect(await found(q), q).toEqual([others[1]!.id]);
    for (const q of ['oberg', 'angstrom', 'asa']) expect(await found(q), q).not.toContain(asa.id);
    // A typed number that can be nobody's finds nobody (and does not fall back to a name search).
    expect(await found(digits(n).slice(0, -1) + String((luhn('640229246') + 1) % 10))).toEqual([]);
  });
});

describe('booking refusals say which rule, as conflict or validation', () => {
  let patient: { id: string };
  let free: { slotId: string; startAt: number }[];
  const lakbes = () => types['LAKBES']!;
  const book = (input: Record<string, unknown>) =>
    reception('bookings.book', { slotId: free[0]!.slotId, patientId: patient.id, appointmentTypeId: lakbes().id, ...input });

  beforeAll(async () => {
    patient = await ok(
      reception('patients.create', { identityNumber: twelve('19850505', '237'), givenName: 'Kim', familyName: 'Berg' }),
    );
    free = await ok(
      reception('slots.findFree', { appointmentTypeId: lakbes().id, resourceId: ANNA, from: '2026-11-30', limit: 3 }),
    );
  });

  it('names the type a slot does not offer, and what it offers', async () => {
    const r = await book({ appointmentTypeId: types['VACC']!.id });
    expect(r.error).toEqual({
      code: 'validation',
      message: 'Vaccination erbjuds inte på den här tiden. Tiden erbjuder Läkarbesök.',
      details: { rule: 'type_not_in_slot', appointmentTypeId: types['VACC']!.id, offered: [lakbes().id] },
    });
  });

  it('names the contact modes the type offers', async () => {
    expect((await book({ contactMode: 'video' })).error).toMatchObject({
      code: 'validation',
      message: 'Läkarbesök erbjuds inte som videobesök, bara som fysiskt besök.',
      details: { rule: 'contact_mode' },
    });
  });

  it('names the first bookable minute of a type with a lead time (2 h from 09:10)', async () => {
    const today = (await ok(
      scheduler('slots.create', {
        resourceId: ANNA,
        date: '2026-11-23',
        startTime: '17:00',
        endTime: '17:30',
        appointmentTypeIds: [lakbes().id],
      }),
    )) as { id: string; startAt: number };
    await ok(scheduler('appointmentTypes.update', { id: lakbes().id, bookMinLeadH: 12 }));
    try {
      expect((await book({ slotId: today.id })).error).toEqual({
        code: 'conflict',
        message: 'Läkarbesök måste bokas minst 12 timmar i förväg: tidigast 2026-11-23 kl. 21:10.',
        details: { rule: 'too_soon', startAt: today.startAt, earliest: Date.parse('2026-11-23T21:10:00+01:00') },
      });
    } finally {
      await ok(scheduler('appointmentTypes.update', { id: lakbes().id, bookMinLeadH: 2 }));
    }
  });

  it('names the last bookable day of the window (90 days from 2026-11-23), and a logged override passes it', async () => {
    const far = (await ok(
      scheduler('slots.create', {
        resourceId: ANNA,
        date: '2027-02-22',
        startTime: '08:00',
        endTime: '08:30',
        appointmentTypeIds: [lakbes().id],
      }),
    )) as { id: string; startAt: number };
    const r = await book({ slotId: far.id });
    expect(r.error).toEqual({
      code: 'conflict',
      message: 'Läkarbesök kan bokas högst 90 dagar framåt: senast 2027-02-21.',
      details: { rule: 'too_far', startAt: far.startAt, latest: Date.parse('2027-02-22T00:00:00+01:00') - 1 },
    });
    expect((await book({ slotId: far.id, override: { reason: 'Uppföljning om tre månader' } })).ok).toBe(true);
  });

  it('refuses a taken, a blocked and a past slot as conflicts', async () => {
    const second = free[1]!.slotId;
    const mine = await ok(book({ slotId: second }));
    // The same request again (a retry after a lost answer, a double click): taken, and by this very patient.
    expect((await book({ slotId: second })).error).toEqual({
      code: 'conflict',
      message: 'Tiden är redan bokad.',
      details: { rule: 'slot_taken', samePatient: true, bookingId: mine.id },
    });
    const other = await ok(
      reception('patients.create', { identityNumber: twelve('19850505', '245'), givenName: 'Annan', familyName: 'Berg' }),
    );
    expect((await book({ slotId: second, patientId: other.id })).error).toEqual({
      code: 'conflict',
      message: 'Tiden är redan bokad.',
      details: { rule: 'slot_taken' },
    });
    await ok(scheduler('slots.block', { id: free[2]!.slotId, reason: 'Möte' }));
    expect((await book({ slotId: free[2]!.slotId })).error).toMatchObject({ code: 'conflict', message: 'Tiden är spärrad.' });
    // Friday is history: no new time can be laid there.
    const laid = (date: string, startTime: string, endTime: string) =>
      scheduler('slots.create', { resourceId: ANNA, date, startTime, endTime, appointmentTypeIds: [lakbes().id] });
    expect((await laid('2026-11-20', '16:00', '16:30')).error).toMatchObject({
      code: 'validation',
      message: '2026-11-20 har redan varit: en ny tid kan läggas idag (2026-11-23) eller senare.',
    });
    // This morning's time laid afterwards (catching up the book at 09:10): never bookable, override or not.
    const past = await ok(laid('2026-11-23', '07:00', '07:30'));
    expect((await book({ slotId: past.id, override: { reason: 'Efterregistrering' } })).error).toMatchObject({
      code: 'conflict',
      message: 'Tiden har redan passerat.',
    });
    expect((await book({ slotId: NOBODY })).error).toMatchObject({ code: 'not_found', message: 'Tiden hittades inte.' });
  });

  it('tells every open window of a booking at once (server-sent events), and of nothing refused', async () => {
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${shell.port}/api/events`, {
      headers: { authorization: `Bearer ${shell.token}` },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until(': ansluten');
    const slot = free[0]!.slotId;
    expect((await book({ slotId: slot, appointmentTypeId: types['VACC']!.id })).ok).toBe(false);
    const booked = await ok(book({ slotId: slot }));
    await until(booked.id);
    controller.abort();
    const events = text.split('\n\n').filter((f) => f.startsWith('event: changed'));
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.split('data: ')[1]!)).toEqual({ entities: ['booking', 'slot'], ids: [booked.id, slot] });
    await ok(reception('bookings.cancel', { id: booked.id, reasonText: 'Händelsetest' }));
  });

  it('gives one of eight desks booking the same slot at once the time, the rest a conflict', async () => {
    const desks = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ok(
          reception('patients.create', {
            identityNumber: twelve('19900101', String(300 + i)),
            givenName: 'Desk',
            familyName: `Nr ${i}`,
          }),
        ),
      ),
    );
    const answers = await Promise.all(
      desks.map((p: { id: string }) =>
        reception('bookings.book', { slotId: free[0]!.slotId, patientId: p.id, appointmentTypeId: lakbes().id }),
      ),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    for (const a of answers.filter((x) => !x.ok))
      expect(a.error).toMatchObject({ code: 'conflict', message: 'Tiden är redan bokad.' });
    expect(
      ctx.db.prepare(`SELECT count(*) FROM bookings WHERE slot_id = ? AND status = 'booked'`).pluck().get(free[0]!.slotId),
    ).toBe(1);
  });
});

describe('two desks at once over HTTP', () => {
  it('moves a booking once when two desks rebook it to different times at the same moment', async () => {
    const lakbes = types['LAKBES']!;
    const p = await ok(
      reception('patients.create', { identityNumber: twelve('19551212', '231'), givenName: 'Flytt', familyName: 'Två' }),
    );
    const [from, a, b] = (await ok(
      reception('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-07', limit: 3 }),
    )) as {
      slotId: string;
    }[];
    const booking = await ok(reception('bookings.book', { slotId: from!.slotId, patientId: p.id, appointmentTypeId: lakbes.id }));
    const [first, second] = await Promise.all([
      reception('bookings.rebook', { id: booking.id, slotId: a!.slotId }),
      as('schema')('bookings.rebook', { id: booking.id, slotId: b!.slotId }),
    ]);
    const answers = [first, second];
    expect(answers.filter((r) => r.ok)).toHaveLength(1);
    expect(answers.find((r) => !r.ok)!.error).toMatchObject({
      code: 'conflict',
      message: 'Bokningen är redan ombokad och kan inte ändras.',
    });
    const active = ctx.db
      .prepare(`SELECT count(*) FROM bookings WHERE patient_id = ? AND status IN ('booked', 'preliminary')`)
      .pluck()
      .get(p.id);
    expect(active).toBe(1);
    const winner = answers.find((r) => r.ok)!.value;
    expect(winner.old).toMatchObject({ id: booking.id, status: 'rebooked' });
  });
});

describe('the Christmas and New Year weeks over HTTP', () => {
  it('closes the public holidays and the eves, and offers no free time on them', async () => {
    // Julafton, juldagen, annandag jul, nyårsafton, nyårsdagen, trettondedag jul; and the weekends.
    const closed = [
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
      '2026-12-27',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
      '2027-01-06',
    ];
    // The demo lays two weeks; a running `tidbok serve` keeps the horizon, here the scheduler lays it.
    await ok(scheduler('templates.expand', {}));
    const range = await ok(reception('calendar.range', { from: '2026-12-21', to: '2027-01-08' }));
    expect(range.closedDates).toEqual(closed);
    const free = (await ok(
      reception('slots.findFree', { appointmentTypeId: types['LAKBES']!.id, from: '2026-12-21', to: '2027-01-07', limit: 200 }),
    )) as { startAt: number }[];
    const days = new Set(free.map((f) => new Date(f.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' })));
    expect(days.size).toBeGreaterThan(0);
    for (const d of closed) expect(days.has(d), d).toBe(false);
  });
});

describe('two desks registering one person at once', () => {
  it('keeps one patient whatever form each desk typed; the others get a conflict', async () => {
    const n = twelve('19301130', '246'); // 96 years old: '-' in the ten-digit form
    const forms = [
      n,
      digits(n),
      digits(n).slice(2),
      `${digits(n).slice(2, 8)}-${digits(n).slice(8)}`,
      `${n.slice(0, 8)}–${n.slice(9)}`,
    ];
    const answers = await Promise.all(
      forms.map((identityNumber, i) =>
        reception('patients.create', { identityNumber, givenName: 'Samma', familyName: `Person ${i}` }),
      ),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    for (const a of answers.filter((x) => !x.ok)) {
      expect(a.error).toMatchObject({ code: 'conflict', message: 'Det finns redan en patient med det personnumret.' });
    }
    expect(ctx.db.prepare(`SELECT count(*) FROM patients WHERE identity_number = ?`).pluck().get(digits(n))).toBe(1);
  });
});

describe('roles over HTTP: each refusal writes nothing', () => {
  const users = { receptionist: reception, scheduler, admin: adminOnly } as const;
  const domainWrites = () =>
    ctx.db
      .prepare(
        `SELECT (SELECT count(*) FROM appointment_types) + (SELECT count(*) FROM slots) + (SELECT count(*) FROM absences)
              + (SELECT count(*) FROM patients) + (SELECT count(*) FROM users) + (SELECT count(*) FROM outbox)`,
      )
      .pluck()
      .get() as number;
  let n = 0;
  // [method, input (fresh per call), the roles allowed to call it]
  const cases: [string, () => Record<string, unknown>, string[]][] = [
    [
      'appointmentTypes.create',
      () => ({ code: `ROLL${++n}`, nameSv: 'Rolltest', nameEn: 'Role test', durationMin: 20, contactModes: ['physical'] }),
      ['scheduler', 'admin'],
    ],
    [
      'slots.create',
      () => {
        const h = String(7 + (++n % 10)).padStart(2, '0');
        return {
          resourceId: ANNA,
          date: '2027-01-16',
          startTime: `${h}:00`,
          endTime: `${h}:30`,
          appointmentTypeIds: [types['LAKBES']!.id],
        };
      },
      ['scheduler', 'admin'],
    ],
    [
      'absences.create',
      () => ({
        resourceId: MARIA,
        from: `2027-01-${String(18 + (++n % 10))}`,
        to: `2027-01-${String(18 + (n % 10))}`,
        reason: 'Kurs',
      }),
      ['scheduler', 'admin'],
    ],
    ['holidays.setRules', () => ({ julafton: true }), ['scheduler', 'admin']],
    [
      'patients.create',
      () => ({ identityNumber: twelve('19700707', String(500 + ++n)), givenName: 'Roll', familyName: 'Test' }),
      ['receptionist', 'scheduler', 'admin'],
    ],
    [
      'users.create',
      () => ({ username: `roll-${++n}`, displayName: 'Roll', password: PASSWORD, roles: ['receptionist'] }),
      ['admin'],
    ],
    ['audit.search', () => ({ action: 'read', limit: 5 }), ['admin']],
    [
      'export.create',
      () => ({ from: '2026-11-23', to: '2026-11-23', content: 'bookings', patientData: 'full', format: 'csv' }),
      ['admin'],
    ],
  ];
  it.each(
    cases.flatMap(([method, input, allowed]) =>
      (['receptionist', 'scheduler', 'admin'] as const).map((role) => [method, role, input, allowed.includes(role)] as const),
    ),
  )('%s as %s', async (method, role, input, allowed) => {
    const before = domainWrites();
    const r = await users[role](method, input());
    if (allowed) {
      expect(r.ok, JSON.stringify(r.error)).toBe(true);
    } else {
      expect(r.error).toMatchObject({ code: 'forbidden' });
      // Refused by the method's roles, naming who may; or by the handler (patient data leaves the unit only with an admin).
      const who = { receptionist: 'reception', scheduler: 'schemaläggare', admin: 'administratör' } as const;
      const allowedRoles = cases.find(([m]) => m === method)![2] as (keyof typeof who)[];
      if (method === 'export.create') expect(r.error!.message).toMatch(/administratör/i);
      else
        expect(r.error!.message).toBe(
          `Din roll får inte göra detta. Det kräver rollen ${allowedRoles.map((x) => who[x]).join(' eller ')}.`,
        );
      expect(domainWrites()).toBe(before);
    }
  });
});

describe('protected identity over HTTP, and the access log of every list', () => {
  let secret: { id: string; identityNumber: string };
  let bookingId: string;
  const contact = { phone: '070-765 43 21', email: 'hemlig@exempel.se', address: 'Hemlig gata 1, 123 45 Ort' };

  beforeAll(async () => {
    secret = await ok(
      reception('patients.create', {
        identityNumber: twelve('19790321', '248'),
        givenName: 'Skyddad',
        familyName: 'Hemlig',
        ...contact,
        protectedIdentity: true,
      }),
    );
    const [slot] = await ok(
      reception('slots.findFree', { appointmentTypeId: types['LAKBES']!.id, from: '2026-11-26', limit: 1 }),
    );
    bookingId = (
      await ok(
        reception('bookings.book', {
          slotId: slot.slotId,
          patientId: secret.id,
          appointmentTypeId: types['LAKBES']!.id,
          note: 'Ring före',
        }),
      )
    ).id;
  });

  const userId = (username: string) => ctx.db.prepare(`SELECT id FROM users WHERE username = ?`).pluck().get(username) as string;
  const reads = (patientId: string, username: string) =>
    ctx.db
      .prepare(
        `SELECT count(*) FROM audit_events WHERE action = 'read' AND patient_id = ? AND user_id = ? AND workstation = 'granskning-1'`,
      )
      .pluck()
      .get(patientId, userId(username)) as number;

  it.each([
    ['receptionist', true, reception, 'only-receptionist'],
    ['scheduler', false, scheduler, 'only-scheduler'],
    ['admin', false, adminOnly, 'only-admin'],
  ] as const)(
    '%s sees contact details and upcoming times: %s; every list read is logged',
    async (_role, shows, call, username) => {
      const logged = reads(secret.id, username);
      const [hit] = await ok(call('patients.search', { query: secret.identityNumber }));
      expect(hit).toMatchObject({
        id: secret.id,
        protectedIdentity: true,
        ...(shows ? contact : { phone: null, email: null, address: null, contactMasked: true }),
      });
      expect(reads(secret.id, username)).toBe(logged + 1);
      const detail = await ok(call('patients.get', { id: secret.id }));
      expect(detail.upcoming === null ? null : detail.upcoming.map((b: { id: string }) => b.id)).toEqual(
        shows ? [bookingId] : null,
      );
      const week = await ok(call('calendar.range', { from: '2026-11-23', to: '2026-11-30' }));
      const b = week.bookings.find((x: { id: string }) => x.id === bookingId);
      expect(b.patient).toMatchObject({
        displayName: '',
        protectedIdentity: true,
        identityNumber: shows ? digits(secret.identityNumber) : '',
      });
      // Where and when a protected patient is seen cannot be linked to who, not even by id (patients.get names them).
      expect(b.patient.id).toBe(shows ? secret.id : '');
      expect((await ok(call('bookings.get', { id: bookingId }))).patient.id).toBe(shows ? secret.id : '');
      const day = new Date(b.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
      const dayList = await ok(call('bookings.search', { from: day, to: day }));
      const row = dayList.rows.find((r: { id: string }) => r.id === bookingId);
      expect(row.patient).toMatchObject({ id: shows ? secret.id : '', displayName: null, protectedIdentity: true });
      expect(JSON.stringify(week)).not.toContain('Hemlig');
      if (!shows) expect(JSON.stringify(week)).not.toContain('Ring före');
      const list = await ok(call('bookings.search', { from: '2026-11-23', to: '2026-12-31', patient: secret.identityNumber }));
      expect(list.rows.map((r: { id: string }) => r.id)).toEqual(shows ? [bookingId] : []);
      // Each list read wrote one event per patient shown: the patient's log extract finds them all.
      expect(reads(secret.id, username)).toBeGreaterThanOrEqual(logged + 3);
    },
  );

  it('logs one read per patient a name search lists, for that user at that workstation', async () => {
    for (const [i, givenName] of ['Ärla', 'Örjan', "D'Arcy", 'Zoë'].entries()) {
      await ok(
        reception('patients.create', { identityNumber: twelve('19660606', String(700 + i)), givenName, familyName: 'Listasson' }),
      );
    }
    const hits = (await ok(reception('patients.search', { query: 'listasson', limit: 100 }))) as { id: string }[];
    expect(hits).toHaveLength(4);
    const last = ctx.db
      .prepare(
        `SELECT patient_id, user_id, workstation, detail FROM audit_events WHERE action = 'read' ORDER BY seq DESC LIMIT ?`,
      )
      .all(hits.length) as { patient_id: string; user_id: string; workstation: string; detail: string }[];
    expect(new Set(last.map((e) => e.patient_id))).toEqual(new Set(hits.map((h) => h.id)));
    for (const e of last) {
      expect(e).toMatchObject({ user_id: userId('only-receptionist'), workstation: 'granskning-1' });
      expect(JSON.parse(e.detail)).toMatchObject({ op: 'search' });
    }
  });
});

describe('changes that list patients log a read of each patient shown', () => {
  const ERIK = '01a205b3-d000-7000-8002-f9816644af89'; // läkare, Mon–Thu
  /** The read events of one user since a sequence number, as patient ids. */
  const readsSince = (seq: number, username: string) =>
    ctx.db
      .prepare(
        `SELECT patient_id FROM audit_events WHERE seq > ? AND action = 'read'
            AND user_id = (SELECT id FROM users WHERE username = ?) ORDER BY patient_id`,
      )
      .pluck()
      .all(seq, username) as string[];
  const lastSeq = () => ctx.db.prepare(`SELECT max(seq) FROM audit_events`).pluck().get() as number;
  const patientsOf = (bookingIds: string[]) =>
    ctx.db
      .prepare(`SELECT DISTINCT patient_id FROM bookings WHERE id IN (SELECT value FROM json_each(?)) ORDER BY patient_id`)
      .pluck()
      .all(JSON.stringify(bookingIds)) as string[];

  it('absences.create: the bookings it hits', async () => {
    const seq = lastSeq();
    const r = await ok(scheduler('absences.create', { resourceId: ERIK, from: '2026-12-01', to: '2026-12-01', reason: 'Kurs' }));
    const shown = (r.affectedBookings as { id: string }[]).map((b) => b.id);
    expect(shown.length).toBeGreaterThan(0);
    expect(readsSince(seq, 'only-scheduler')).toEqual(patientsOf(shown));
  });

  it('templates.update and templates.deactivate: the booked times left as they were', async () => {
    const [template] = (await ok(scheduler('templates.list', { resourceId: ERIK }))) as { id: string; endTime: string }[];
    let seq = lastSeq();
    const updated = await ok(scheduler('templates.update', { id: template!.id, changes: { endTime: '11:00' } }));
    const kept = (updated.expansion.bookedUnchanged as { bookingId: string }[]).map((n) => n.bookingId);
    expect(kept.length).toBeGreaterThan(0);
    expect(readsSince(seq, 'only-scheduler')).toEqual(patientsOf(kept));
    seq = lastSeq();
    const gone = await ok(adminOnly('templates.deactivate', { id: template!.id }));
    const left = (gone.expansion.bookedUnchanged as { bookingId: string }[]).map((n) => n.bookingId);
    expect(left.length).toBeGreaterThan(0);
    expect(readsSince(seq, 'only-admin')).toEqual(patientsOf(left));
  });

  it('holidays.setRules: the bookings kept on an eve the unit closes again', async () => {
    await ok(scheduler('holidays.setRules', { nyarsafton: false }));
    const lakbes = types['LAKBES']!;
    const [slot] = await ok(
      reception('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-31', to: '2026-12-31', limit: 1 }),
    );
    const p = await ok(
      reception('patients.create', { identityNumber: twelve('19610101', '233'), givenName: 'Nyår', familyName: 'Afton' }),
    );
    const booking = await ok(reception('bookings.book', { slotId: slot.slotId, patientId: p.id, appointmentTypeId: lakbes.id }));
    const seq = lastSeq();
    const closed = await ok(scheduler('holidays.setRules', { nyarsafton: true }));
    expect((closed.bookedKept as { bookingId: string }[]).map((n) => n.bookingId)).toEqual([booking.id]);
    expect(readsSince(seq, 'only-scheduler')).toEqual([p.id]);
  });
});

describe('a clock-change week and an Easter week, laid and booked over HTTP', () => {
  let typeId: string;
  let resourceId: string;
  /** Free starts as Stockholm wall clock, 'YYYY-MM-DD HH:mm', with the instant's UTC hour. */
  const freeStarts = async (from: string, to: string) =>
    ((await ok(reception('slots.findFree', { appointmentTypeId: typeId, from, to, limit: 200 }))) as { startAt: number }[]).map(
      (s) => new Date(s.startAt).toISOString().slice(0, 16),
    );

  beforeAll(async () => {
    resourceId = (await ok(scheduler('resources.create', { kind: 'clinician', name: 'Dag Klocka', profession: 'lakare' }))).id;
    typeId = (
      await ok(
        scheduler('appointmentTypes.create', {
          code: 'KLOCKA',
          nameSv: 'Klockkontroll',
          nameEn: 'Clock check',
          durationMin: 30,
          contactModes: ['physical'],
          professions: ['lakare'],
          bookMaxDays: 400,
        }),
      )
    ).id;
    for (const [validFrom, validTo, weekdays] of [
      ['2027-03-21', '2027-04-04', [1, 2, 3, 4, 5, 7]],
      ['2027-10-24', '2027-11-07', [7]],
    ] as const) {
      const t = {
        resourceId,
        weekdays,
        validFrom,
        validTo,
        startTime: '08:00',
        endTime: '09:00',
        slotMin: 30,
        appointmentTypeIds: [typeId],
      };
      await ok(scheduler('templates.create', { template: t, horizonWeeks: 52 }));
    }
  });

  it('keeps 08:00 and 08:30 on the wall clock across 2027-03-28, and skips Långfredag, Påskdagen and Annandag påsk', async () => {
    // CET (UTC+1) until Sunday 28 March 02:00, CEST (UTC+2) after; 26, 28 and 29 March are public holidays.
    const cet = ['2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24', '2027-03-25'];
    const cest = ['2027-03-30', '2027-03-31', '2027-04-01', '2027-04-02', '2027-04-04'];
    expect(await freeStarts('2027-03-21', '2027-04-04')).toEqual([
      ...cet.flatMap((d) => [`${d}T07:00`, `${d}T07:30`]),
      ...cest.flatMap((d) => [`${d}T06:00`, `${d}T06:30`]),
    ]);
  });

  it('keeps them across 2027-10-31 too, and books that Sunday 08:00 at 07:00 UTC', async () => {
    expect(await freeStarts('2027-10-24', '2027-11-07')).toEqual([
      '2027-10-24T06:00',
      '2027-10-24T06:30',
      '2027-10-31T07:00',
      '2027-10-31T07:30',
      '2027-11-07T07:00',
      '2027-11-07T07:30',
    ]);
    const [slot] = await ok(
      reception('slots.findFree', { appointmentTypeId: typeId, from: '2027-10-31', to: '2027-10-31', limit: 1 }),
    );
    const p = await ok(
      reception('patients.create', { identityNumber: twelve('19451031', '235'), givenName: 'Höst', familyName: 'Tid' }),
    );
    const b = await ok(reception('bookings.book', { slotId: slot.slotId, patientId: p.id, appointmentTypeId: typeId }));
    expect(b.startAt).toBe(Date.parse('2027-10-31T08:00:00+01:00'));
    const day = await ok(reception('calendar.range', { from: '2027-10-31', to: '2027-11-01', resourceIds: [resourceId] }));
    expect(day.bookings.map((x: { id: string }) => x.id)).toEqual([b.id]);
  });
});
