// Acceptance cases for issue 3's patients (item 4) through the api (dispatch on a real SQLite
// file with the demo unit) and the CLI, as a region's test lead would run them. "Today" is
// Sunday 2026-11-22 in Stockholm. Every expected answer is worked out by hand from Skatteverket's
// rules (18 § FOL: '+' from the YEAR of the 100th birthday; century 18/19/20; Luhn over the ten
// digits; samordningsnummer = day + 60), never read off Tidbok's output.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import type { Role } from '../../../src-main/api/types.ts';
import { demoApi, type Api } from './helpers.ts';
import { luhn } from '../../helpers/luhn-oracle.ts';
import { runTidbok } from '../../helpers/cli-process.ts';

const SUNDAY_NOON = '2026-11-22T12:00:00+01:00';

/** YYMMDD + sep + NNN + the right check digit. */
const ten = (yymmdd: string, sep: string, nnn: string) => `${yymmdd}${sep}${nnn}${luhn(yymmdd + nnn)}`;
/** YYYYMMDD + sep + NNN + the right check digit. */
const twelve = (yyyymmdd: string, nnn: string, sep = '-') => `${yyyymmdd}${sep}${nnn}${luhn(yyyymmdd.slice(2) + nnn)}`;
/** The same with the check digit one off. */
const wrongCheck = (n: string) => n.slice(0, -1) + String((Number(n.slice(-1)) + 1) % 10);

const RECEPTION: Role[] = ['receptionist'];
const SCHEDULER: Role[] = ['scheduler'];
const ADMIN: Role[] = ['admin'];

let api: Api;
beforeAll(() => {
  api = demoApi({ now: Date.parse(SUNDAY_NOON) });
});

const patientCount = () => api.count(`SELECT count(*) AS n FROM patients`);
const writes = () =>
  api.count(`SELECT count(*) AS n FROM outbox`) + api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`);

describe('identity numbers as typed (patients.checkIdentityNumber)', () => {
  it.each([
    // 100th birthday and century: today is 2026-11-22
    [ten('261122', '+', '402'), `19261122402${luhn('261122402')}`, '1926-11-22', 'personnummer'],
    [ten('261123', '+', '402'), `19261123402${luhn('261123402')}`, '1926-11-23', 'personnummer'],
    [ten('261122', '-', '402'), `20261122402${luhn('261122402')}`, '2026-11-22', 'personnummer'],
    [ten('261123', '-', '402'), `19261123402${luhn('261123402')}`, '1926-11-23', 'personnummer'],
    [ten('270101', '-', '402'), `19270101402${luhn('270101402')}`, '1927-01-01', 'personnummer'],
    [ten('991231', '', '402'), `19991231402${luhn('991231402')}`, '1999-12-31', 'personnummer'],
    [ten('000229', '-', '402'), `20000229402${luhn('000229402')}`, '2000-02-29', 'personnummer'],
    [twelve('19040229', '402'), `19040229402${luhn('040229402')}`, '1904-02-29', 'personnummer'],
    [twelve('19121212', '121', '+'), '191212121212', '1912-12-12', 'personnummer'],
    // samordningsnummer: kept with day + 60, birth date without
    [ten('920289', '-', '402'), `19920289402${luhn('920289402')}`, '1992-02-29', 'samordningsnummer'],
    [twelve('19850374', '123'), `19850374123${luhn('850374123')}`, '1985-03-14', 'samordningsnummer'],
    [ten('050191', '', '402'), `20050191402${luhn('050191402')}`, '2005-01-31', 'samordningsnummer'],
    // separators and characters from other systems
    ['19121212–1212', '191212121212', '1912-12-12', 'personnummer'],
    [' 1912 1212 - 1212 ', '191212121212', '1912-12-12', 'personnummer'],
    ['１９１２１２１２１２１２', '191212121212', '1912-12-12', 'personnummer'],
  ])('%j is %s', async (value, normalised, birthDate, kind) => {
    expect(await api.ok('patients.checkIdentityNumber', { value })).toEqual({
      ok: true,
      normalised,
      kind,
      birthDate,
      message: null,
    });
  });

  it.each([
    [twelve('19000229', '402'), /datum som inte finns \(1900-02-29\)/],
    [ten('000229', '+', '402'), /datum som inte finns \(1900-02-29\)/],
    [twelve('21000229', '402'), /århundradet 21/],
    [twelve('19900100', '402'), /datum som inte finns \(1990-01-00\)/],
    [twelve('19901301', '402'), /datum som inte finns \(1990-13-01\)/],
    [ten('900160', '-', '402'), /datum som inte finns/],
    [ten('900289', '-', '402'), /Samordningsnumret .*1990-02-29/],
    [ten('900192', '-', '402'), /Samordningsnumret .*1990-01-32/],
    [twelve('20261123', '402'), /2026-11-23 ligger i framtiden/],
    [twelve('19900101', '402', '+'), /Plustecknet/],
    [wrongCheck(twelve('19900101', '402')), /^Kontrollsiffran stämmer inte/],
    [wrongCheck(ten('900101', '-', '402')), /^Kontrollsiffran stämmer inte/],
    ['', /Ange ett personnummer/],
    ['19121212-121', /10 eller 12 siffror, inte 11/],
    ['1912121212120', /10 eller 12 siffror, inte 13/],
    ['TOLVAN', /bara innehålla siffrorna 0–9/],
    ['19121212/1212', /bara innehålla siffrorna 0–9/],
    ['19121-2121212', /fyra sista siffrorna/],
  ])('%j is refused, saying why', async (value, message) => {
    const r = await api.ok('patients.checkIdentityNumber', { value });
    expect(r).toMatchObject({ ok: false, normalised: null, kind: null });
    expect(r.message).toMatch(message);
  });

  it("reads the century from the unit's date (Stockholm), not UTC's", async () => {
    const number = ten('261123', '-', '402');
    // 22:59 UTC is 23:59 on the 22nd in Stockholm; 23:00 UTC is already the 23rd.
    const before = demoApi({ now: Date.parse('2026-11-22T22:59:00Z') });
    const after = demoApi({ now: Date.parse('2026-11-22T23:00:00Z') });
    expect(await before.ok('patients.checkIdentityNumber', { value: number })).toMatchObject({ birthDate: '1926-11-23' });
    expect(await after.ok('patients.checkIdentityNumber', { value: number })).toMatchObject({ birthDate: '2026-11-23' });
    const newborn = twelve('20261123', '402');
    expect(await before.ok('patients.checkIdentityNumber', { value: newborn })).toMatchObject({ ok: false });
    expect(await after.ok('patients.checkIdentityNumber', { value: newborn })).toMatchObject({ ok: true });
  });
});

describe('creating patients', () => {
  it('stores one patient per person whatever the form typed, normalised to 12 digits', async () => {
    const before = patientCount();
    const tolvan = await api.ok('patients.create', {
      identityNumber: '121212+1212',
      givenName: 'Tolvan',
      familyName: 'Tolvansson',
    });
    expect(tolvan).toMatchObject({ identityNumber: '191212121212', identityKind: 'personnummer' });
    for (const identityNumber of [
      '191212121212',
      '19121212-1212',
      '19121212+1212',
      ' 19121212–1212 ',
      '１９１２１２１２－１２１２',
    ]) {
      const e = await api.err('patients.create', { identityNumber, givenName: 'Tolvan', familyName: 'Igen' });
      expect(e, identityNumber).toMatchObject({ code: 'conflict', message: 'Det finns redan en patient med det personnumret.' });
    }
    // Without '+' the same ten digits are a child born 2012: another person.
    const child = await api.ok('patients.create', { identityNumber: '1212121212', givenName: 'Tolva', familyName: 'Barnsson' });
    expect(child.identityNumber).toBe('201212121212');
    expect(patientCount()).toBe(before + 2);
    expect(api.count(`SELECT count(*) AS n FROM patients WHERE identity_number = '191212121212'`)).toBe(1);

    const samordning = ten('850374', '-', '123');
    expect(
      await api.ok('patients.create', { identityNumber: samordning, givenName: 'Samir', familyName: 'Samordning' }),
    ).toMatchObject({ identityNumber: `19${samordning.replace('-', '')}`, identityKind: 'samordningsnummer' });
    expect(
      await api.err('patients.create', { identityNumber: `19${samordning}`, givenName: 'Samir', familyName: 'Igen' }),
    ).toMatchObject({ code: 'conflict' });
  });

  it('refuses a bad number with the rule that failed and writes nothing', async () => {
    const [count, written] = [patientCount(), writes()];
    for (const [identityNumber, message] of [
      [wrongCheck(twelve('19800505', '234')), /^Kontrollsiffran stämmer inte/],
      [twelve('19810229', '234'), /datum som inte finns \(1981-02-29\)/],
      [twelve('20270105', '234'), /framtiden/],
      ['8005052341', /Kontrollsiffran/],
      ['800505-23', /10 eller 12 siffror, inte 8/],
      ['800505-2341x', /bara innehålla siffrorna/],
      ['   ', /./],
    ] as const) {
      const e = await api.err('patients.create', { identityNumber, givenName: 'Fel', familyName: 'Nummer' });
      expect(e.code, identityNumber).toBe('validation');
      expect(e.message, identityNumber).toMatch(message);
    }
    expect(patientCount()).toBe(count);
    expect(writes()).toBe(written);
  });

  it('takes a reserve number only when flagged, stores it upper case and finds it again', async () => {
    const written = writes();
    expect(
      await api.err('patients.create', { identityNumber: '99res-4711', givenName: 'Okänd', familyName: 'Man' }),
    ).toMatchObject({
      code: 'validation',
    });
    expect(writes()).toBe(written);
    const reserve = await api.ok('patients.create', {
      identityNumber: '99res-4711',
      reserve: true,
      givenName: 'Okänd',
      familyName: 'Man',
    });
    expect(reserve).toMatchObject({ identityNumber: '99RES-4711', identityKind: 'reserve' });
    expect(
      await api.err('patients.create', { identityNumber: '99RES-4711', reserve: true, givenName: 'Okänd', familyName: 'Igen' }),
    ).toMatchObject({ code: 'conflict' });
    expect((await api.ok('patients.search', { query: '99res-4711' })).map((p) => p.id)).toEqual([reserve.id]);
    // A valid personnummer stays one even with the flag.
    expect(
      await api.ok('patients.create', {
        identityNumber: twelve('19700101', '238'),
        reserve: true,
        givenName: 'Vanlig',
        familyName: 'Person',
      }),
    ).toMatchObject({ identityKind: 'personnummer' });
    // Shorter than the 10 characters the patients table holds: a validation error, not a crash.
    for (const identityNumber of ['A1', 'RES-1234', '99RES_00123']) {
      expect(
        await api.err('patients.create', { identityNumber, reserve: true, givenName: 'Kort', familyName: 'Nummer' }),
        identityNumber,
      ).toMatchObject({ code: 'validation', message: expect.stringMatching(/reservnummer ska ha 10–20 tecken/) });
    }
  });
});

describe('searching patients', () => {
  const ids = (ps: Patient[]) => ps.map((p) => p.id).sort();
  /** The hits among the patients made here (the demo unit has its own Öbergs and Saras). */
  const found = async (query: string) => {
    const mine = new Set(Object.values(names).map((p) => p.id));
    return ids((await api.ok('patients.search', { query, limit: 100 })).filter((p) => mine.has(p.id)));
  };
  const names: Record<string, Patient> = {};

  beforeAll(async () => {
    const people: [string, string, string][] = [
      ['Åsa', 'Öberg', twelve('19640312', '246')],
      ['Örjan', 'Ärlig', twelve('19581101', '235')],
      ['Ängla', 'Svensson-Åkesson', twelve('19770707', '248')],
      ['ÉLISE', 'ÖSTLUND', twelve('19900909', '240')],
      ['Oskar', 'Oberg', twelve('19910101', '239')],
      ['Hundra', 'Åring', twelve('19261122', '402')],
    ];
    for (const [givenName, familyName, identityNumber] of people) {
      names[givenName] = await api.ok('patients.create', { identityNumber, givenName, familyName });
    }
  });

  it.each([
    ['åsa', ['Åsa']],
    ['ÅSA', ['Åsa']],
    ['Åsa Öberg', ['Åsa']],
    ['öberg åsa', ['Åsa']],
    ['öb', ['Åsa']],
    ['oberg', ['Oskar']], // å ä ö are letters of their own: no match without the dots
    ['örjan ärl', ['Örjan']],
    ['åkesson', ['Ängla']], // the second half of a double name
    ['svensson-åk', ['Ängla']],
    ['élise östlund', ['ÉLISE']],
    ['o\u0308stlund', ['ÉLISE']], // 'ö' as o + combining diaeresis, as some systems send it
    ['sa', []], // the start of a word, not the middle
    ['--', []],
    ['– –', []],
    ['%_', []],
  ])('name %j finds %j', async (query, who) => {
    expect(await found(query)).toEqual(ids(who.map((n) => names[n]!)));
  });

  it('lists names in Swedish alphabetical order: a–z, then å ä ö', async () => {
    const family = ['Öberg', 'Zetterlund', 'Åberg', 'oberg', 'Äberg', 'Aberg', 'Ekström', 'Éden'];
    for (const [i, familyName] of family.entries()) {
      await api.ok('patients.create', { identityNumber: twelve('19500101', String(300 + i)), givenName: 'Sortera', familyName });
    }
    const hits = await api.ok('patients.search', { query: 'sortera' });
    expect(hits.map((p) => p.familyName)).toEqual(['Aberg', 'Éden', 'Ekström', 'oberg', 'Zetterlund', 'Åberg', 'Äberg', 'Öberg']);
  });

  it('finds a patient by the number in every accepted form, and by its start', async () => {
    const asa = names['Åsa']!;
    const n = asa.identityNumber; // 12 digits
    for (const q of [
      n,
      `${n.slice(0, 8)}-${n.slice(8)}`,
      n.slice(2),
      `${n.slice(2, 8)}-${n.slice(8)}`,
      `${n.slice(0, 8)}–${n.slice(8)}`,
    ]) {
      expect(await found(q), q).toEqual([asa.id]);
    }
    expect(await found(n.slice(0, 8))).toEqual([asa.id]);
    expect(await found(n.slice(2, 8))).toEqual([asa.id]);
    // Someone who turns 100 today, typed without the '+' by mistake: nobody holds 2026-11-22,
    // so the same ten digits of 1926 are found.
    const hundred = names['Hundra']!;
    expect(await found(ten('261122', '-', '402'))).toEqual([hundred.id]);
    expect(await found(ten('261122', '+', '402'))).toEqual([hundred.id]);
  });

  it('finds a booking of a patient with å ä ö in the booking list by name', async () => {
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-24', limit: 1 });
    const booking = await api.ok('bookings.book', {
      slotId: slot!.slotId,
      patientId: names['Örjan']!.id,
      appointmentTypeId: lakbes.id,
    });
    expect((await api.ok('bookings.search', { from: '2026-11-23', to: '2027-01-31', patient: '--' })).total).toBe(0);
    for (const patient of ['Örjan', 'ärlig', 'ÖRJAN ÄRLIG']) {
      const list = await api.ok('bookings.search', { from: '2026-11-23', to: '2027-01-31', patient });
      expect(
        list.rows.map((r) => r.id),
        patient,
      ).toEqual([booking.id]);
    }
  });
});

describe('protected identity, by role', () => {
  let secret: Patient;
  let bookingId: string;
  let absenceId: string;

  beforeAll(async () => {
    secret = await api.ok('patients.create', {
      identityNumber: twelve('19750615', '262'),
      givenName: 'Skyddad',
      familyName: 'Person',
      phone: '070-1234567',
      email: 'skyddad@example.se',
      address: 'Hemlig väg 1',
      protectedIdentity: true,
    });
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-25', limit: 1 });
    bookingId = (await api.ok('bookings.book', { slotId: slot!.slotId, patientId: secret.id, appointmentTypeId: lakbes.id })).id;
    const day = new Date(slot!.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    absenceId = (await api.ok('absences.create', { resourceId: slot!.resourceId, from: day, to: day, reason: 'Kurs' }, SCHEDULER))
      .absence.id;
  });

  const contact = { phone: '070-1234567', email: 'skyddad@example.se', address: 'Hemlig väg 1' };
  const hidden = { phone: null, email: null, address: null, contactMasked: true };

  it.each([
    ['receptionist', RECEPTION, true],
    ['scheduler', SCHEDULER, false],
    ['admin', ADMIN, false],
  ] as const)(
    '%s: contact details and upcoming times shown = %s in every method that returns the patient',
    async (_, roles, shows) => {
      const [hit] = await api.ok('patients.search', { query: secret.identityNumber }, roles);
      expect(hit).toMatchObject(shows ? contact : hidden);
      const byName = await api.ok('patients.search', { query: 'skyddad person' }, roles);
      expect(byName).toEqual([hit]);

      const detail = await api.ok('patients.get', { id: secret.id }, roles);
      expect(detail).toMatchObject(shows ? contact : hidden);
      expect(detail.upcoming?.map((b) => b.id) ?? null).toEqual(shows ? [bookingId] : null);

      const forPatient = await api.ok('bookings.forPatient', { patientId: secret.id, includeHistory: true }, roles);
      expect(forPatient.map((b) => b.id)).toEqual(shows ? [bookingId] : []);

      const contactList = await api.ok('absences.contactList', { id: absenceId }, roles);
      const entry = contactList.find((c) => c.bookingId === bookingId)!;
      expect(entry).toMatchObject({ protectedIdentity: true, phone: shows ? contact.phone : null, contactMasked: !shows });
      // Who is seen when cannot be linked for roles without the need: no patient id either.
      expect(entry.patientId).toBe(shows ? secret.id : '');

      const list = await api.ok(
        'bookings.search',
        { from: '2026-11-23', to: '2027-01-31', patient: secret.identityNumber },
        roles,
      );
      // Roles without the need cannot even find the protected patient's bookings by number.
      expect(list.rows.map((r) => r.id)).toEqual(shows ? [bookingId] : []);

      // What the caller may not see, the caller may not overwrite either.
      const update = await api.ok('patients.update', { id: secret.id, givenName: 'Skyddad' }, roles);
      expect(update).toMatchObject(shows ? contact : hidden);
      if (!shows) {
        expect(await api.err('patients.update', { id: secret.id, phone: '070-0000000' }, roles)).toMatchObject({
          code: 'forbidden',
        });
        // Nor lift the protection to read them afterwards.
        expect(await api.err('patients.update', { id: secret.id, protectedIdentity: false }, roles)).toMatchObject({
          code: 'forbidden',
        });
        expect(await api.ok('patients.get', { id: secret.id }, roles)).toMatchObject({ protectedIdentity: true, ...hidden });
      }
    },
  );
});

describe('the CLI', () => {
  // In-process (main() is what bin/tidbok runs): the real commands on the same database file,
  // with stdout, stderr and the exit code captured.
  const tidbok = (...args: string[]) => runTidbok([...args, '--db', api.path], SUNDAY_NOON);

  it('checks a number: the normalised form, or the Swedish reason and exit 2', async () => {
    expect(await tidbok('patients', 'check', ten('261123', '+', '402'))).toMatchObject({
      code: 0,
      out: `19261123-402${luhn('261123402')}  personnummer  född 1926-11-23\n`,
    });
    const bad = await tidbok('patients', 'check', twelve('19000229', '402'));
    expect(bad).toMatchObject({ code: 2, out: '' });
    expect(bad.err).toMatch(/datum som inte finns \(1900-02-29\)/);
    expect((await tidbok('patients', 'check', '99res-00001', '--reserve', '--json')).out).toMatch(
      /"normalised":"99RES-00001","kind":"reserve"/,
    );
  });

  it('says why a search cannot match, exits 2 and writes nothing', async () => {
    const reads = api.count(`SELECT count(*) AS n FROM audit_events`);
    const wrong = await tidbok('patients', 'search', wrongCheck('19121212-1212'));
    expect(wrong).toMatchObject({ code: 2, out: '' });
    expect(wrong.err).toMatch(/Kontrollsiffran stämmer inte/);
    expect(await tidbok('patients', 'search', 'x')).toMatchObject({ code: 2, out: '' });
    expect(api.count(`SELECT count(*) AS n FROM audit_events`)).toBe(reads);
    // Lower case finds Å and Ö; the demo lists ~40 Öbergs, so she is named in full.
    const hit = await tidbok('patients', 'search', 'åsa öberg');
    expect(hit).toMatchObject({ code: 0 });
    expect(hit.out).toMatch(/^19640312-246\d {2}Öberg, Åsa$/m);
    // A full list says so on stderr (the list on stdout stays a list).
    const common = await tidbok('patients', 'search', 'öberg', '--limit', '5');
    expect(common).toMatchObject({ code: 0 });
    expect(common.out.trim().split('\n')).toHaveLength(5);
    expect(common.err).toMatch(/De 5 första träffarna visas/);
    expect((await tidbok('patients', 'search', 'åsa öberg')).err).toBe('');
  });
});
