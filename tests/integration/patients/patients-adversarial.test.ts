// Patients as an adversarial regional tester tries them through the api (dispatch on a real
// SQLite file with the demo unit) and the CLI, beyond tests/integration/scheduling/
// acceptance-identity.test.ts: names as the app itself prints them ("Efternamn, Förnamn"),
// numbers pasted with invisible characters, one person typed in several forms, and protected
// identity in the Konflikter list. "Today" is Sunday 2026-11-22 in Stockholm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import type { Role } from '../../../src-main/api/types.ts';
import { SESSION_HEADER, startWebShell, type WebShell } from '../../../src-main/shells/web/server.ts';
import { recordConflict } from '../../../src-main/sync/local.ts';
import { demoApi, type Api } from '../scheduling/helpers.ts';
import { luhn } from '../../helpers/luhn-oracle.ts';
import { runTidbok } from '../../helpers/cli-process.ts';

const SUNDAY_NOON = '2026-11-22T12:00:00+01:00';

/** YYYYMMDD + sep + NNN + the right check digit. */
const twelve = (yyyymmdd: string, nnn: string, sep = '-') => `${yyyymmdd}${sep}${nnn}${luhn(yyyymmdd.slice(2) + nnn)}`;

let api: Api;
beforeAll(() => {
  api = demoApi({ now: Date.parse(SUNDAY_NOON) });
});

describe('searching by name as staff type it, and as the app prints it', () => {
  const made: Record<string, Patient> = {};
  const found = async (query: string) => {
    const mine = new Map(Object.entries(made).map(([k, p]) => [p.id, k]));
    const hits = await api.ok('patients.search', { query, limit: 100 });
    return hits.flatMap((p) => (mine.has(p.id) ? [mine.get(p.id)!] : [])).sort();
  };

  beforeAll(async () => {
    const people: [string, string, string, string][] = [
      ['karin', 'Karin', 'Ågren', twelve('19700102', '411')],
      ['lars', 'Lars', 'O\u0308berg', twelve('19700103', '411')], // stored decomposed, as another system sent it
      ['annakarin', 'Anna-Karin', 'von Ärlemalm-Åström', twelve('19700104', '411')],
      ['sean', 'Sean', "O'Brien", twelve('19700105', '411')],
      ['jons', 'Jöns', 'Ståhl', twelve('19700106', '411')],
      ['maja', 'Maja', 'Ek  Lund', twelve('19700107', '411')],
    ];
    for (const [key, givenName, familyName, identityNumber] of people) {
      made[key] = await api.ok('patients.create', { identityNumber, givenName, familyName });
    }
  });

  it.each([
    // "Efternamn, Förnamn": how Tidbok's lists, the CLI and most journal systems write a patient
    ['Ågren, Karin', ['karin']],
    ['ågren,karin', ['karin']],
    ['Ståhl, Jöns', ['jons']],
    ['von Ärlemalm-Åström, Anna-Karin', ['annakarin']],
    ['Öberg; Lars', ['lars']],
    // pasted from a web page or an e-mail: a soft hyphen, a zero-width space, direction marks
    ['Å\u00ADgren', ['karin']],
    ['ågren\u200B', ['karin']],
    ['\u200EStåhl\u200E', ['jons']],
  ])('%j finds %j', async (query, who) => {
    expect(await found(query)).toEqual(who);
  });

  it.each([
    ['ågren', ['karin']],
    ['ÅGREN', ['karin']],
    ['agren', []], // Å is a letter of its own
    ['öberg', ['lars']], // typed composed, stored decomposed
    ['OBERG', []],
    ['åström', ['annakarin']],
    ['ärlemalm åström', ['annakarin']],
    ['anna-karin', ['annakarin']],
    ['karin', ['annakarin', 'karin']],
    ['von ärle', ['annakarin']],
    ['obrien', ['sean']],
    ['O’Brien', ['sean']],
    ['ek lund', ['maja']],
    ['ågren*', []],
    ['ågren 19700102', []], // a name and a number together: every word must start a name word
  ])('%j finds %j (already so)', async (query, who) => {
    expect(await found(query)).toEqual(who);
  });
});

describe('one person, however the number is typed or pasted', () => {
  const number = twelve('19261123', '407'); // turns 100 tomorrow: the '+' from this year
  const short = `${number.slice(2, 8)}+${number.slice(9)}`;
  let hundred: Patient;

  beforeAll(async () => {
    hundred = await api.ok('patients.create', { identityNumber: short, givenName: 'Hundra', familyName: 'Snart' });
  });

  it.each([
    ['12 digits', number.replace('-', '')],
    ['12 digits with a dash', number],
    ["12 digits with '+'", number.replace('-', '+')],
    ['10 digits without the + (2026-11-23 has not come)', number.slice(2)],
    ['pasted with a zero-width space', `${number.slice(0, 8)}\u200B${number.slice(8)}`],
    ['pasted with a soft hyphen for the dash', number.replace('-', '\u00AD')],
    ['pasted from a right-to-left page', `\u202B${short}\u202C`],
    ['full-width', number.replace(/[0-9-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
  ])('%s is the same patient: found, and not registered twice', async (_, typed) => {
    expect((await api.ok('patients.search', { query: typed })).map((p) => p.id)).toEqual([hundred.id]);
    expect(await api.err('patients.create', { identityNumber: typed, givenName: 'Hundra', familyName: 'Igen' })).toMatchObject({
      code: 'conflict',
      details: { patientId: hundred.id },
    });
    expect(await api.ok('patients.checkIdentityNumber', { value: typed })).toMatchObject({
      ok: true,
      normalised: number.replace('-', ''),
      birthDate: '1926-11-23',
    });
  });

  it('refuses a reserve number without a digit, writing nothing', async () => {
    const before = api.count(`SELECT count(*) AS n FROM patients`);
    for (const identityNumber of ['----------', 'OKANDPERSON']) {
      const e = await api.err('patients.create', { identityNumber, reserve: true, givenName: 'Okänd', familyName: 'Person' });
      expect(e, identityNumber).toMatchObject({ code: 'validation', message: 'Ett reservnummer ska innehålla minst en siffra.' });
    }
    expect(api.count(`SELECT count(*) AS n FROM patients`)).toBe(before);
  });
});

describe('protected identity in Konflikter (conflicts.list)', () => {
  const RECEPTION: Role[] = ['receptionist'];
  let secret: Patient;
  let bookingId: string;

  beforeAll(async () => {
    secret = await api.ok('patients.create', {
      identityNumber: twelve('19810203', '419'),
      givenName: 'Hemliga',
      familyName: 'Konfliktsson',
      phone: '070-7654321',
      protectedIdentity: true,
    });
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-26', limit: 1 });
    bookingId = (
      await api.ok('bookings.book', { slotId: slot!.slotId, patientId: secret.id, appointmentTypeId: lakbes.id }, RECEPTION)
    ).id;
    // As sync's pull records it when the time was taken on 1177 before this booking reached central.
    recordConflict(api.ctx, { entity: 'booking', entityId: bookingId, kind: 'slot_taken', detail: {} });
  });

  it.each([
    ['receptionist', ['receptionist'], true],
    ['scheduler', ['scheduler'], false],
    ['admin', ['admin'], false],
  ] as const)('%s: never the name; number and patient id only to the desk', async (_, roles, desk) => {
    const reads = api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'read' AND patient_id = ?`, secret.id);
    const c = (await api.ok('conflicts.list', {}, roles)).find((x) => x.bookingId === bookingId)!;
    expect(c.patient).toEqual({
      id: desk ? secret.id : '',
      displayName: '',
      identityNumber: desk ? secret.identityNumber : '',
      protectedIdentity: true,
    });
    expect(c).toMatchObject({ startAt: null, resourceName: null });
    expect(JSON.stringify(c)).not.toMatch(/Hemliga|Konfliktsson/);
    // The list still counts as a read of her data, whoever looked.
    expect(api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'read' AND patient_id = ?`, secret.id)).toBe(
      reads + 1,
    );
  });

  it('resolving it by rebooking answers with the booking as the caller may see it', async () => {
    const [conflict] = (await api.ok('conflicts.list', {}, ['scheduler'])).filter((x) => x.bookingId === bookingId);
    const resolved = await api.ok(
      'conflicts.resolve',
      { id: conflict!.id, action: 'rebook', slotId: conflict!.suggested[0]!.slotId },
      ['scheduler'],
    );
    expect(resolved.booking!.patient).toEqual({ id: '', displayName: '', identityNumber: '', protectedIdentity: true });
    expect(resolved.conflict.patient).toMatchObject({ id: '', displayName: '' });
    expect(JSON.stringify(resolved)).not.toMatch(/Hemliga|Konfliktsson/);
  });
});

describe('protected identity in the booking list and every export format', () => {
  let secret: Patient;
  let bookingId: string;
  let day: string;
  // What must never leave for her in a list or file: name, number (either form), phone, e-mail, address, note.
  const SECRETS =
    /Dolda|Exportsson|19771111-?4\d{3}|771111-?4\d{3}|0709112233|dold@example\.se|Okänd väg 9|Ring via skyddsadress/;

  beforeAll(async () => {
    secret = await api.ok('patients.create', {
      identityNumber: twelve('19771111', '441'),
      givenName: 'Dolda',
      familyName: 'Exportsson',
      phone: '0709112233',
      email: 'dold@example.se',
      address: 'Okänd väg 9',
      protectedIdentity: true,
    });
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-27', limit: 1 });
    bookingId = (
      await api.ok('bookings.book', {
        slotId: slot!.slotId,
        patientId: secret.id,
        appointmentTypeId: lakbes.id,
        note: 'Ring via skyddsadress',
      })
    ).id;
    day = new Date(slot!.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  });

  it.each([
    ['receptionist', ['receptionist'], true],
    ['scheduler', ['scheduler'], false],
    ['admin', ['admin'], false],
  ] as const)(
    'bookings.search as %s finds her bookings by name or part of the number only for the desk',
    async (_, roles, desk) => {
      for (const patient of ['Dolda', 'exportsson', 'Exportsson, Dolda', '19771111', secret.identityNumber.slice(2, 8)]) {
        const list = await api.ok('bookings.search', { from: day, to: day, patient }, roles);
        expect(
          list.rows.map((r) => r.id),
          patient,
        ).toEqual(desk ? [bookingId] : []);
      }
    },
  );

  it.each(['csv', 'xlsx', 'ics', 'pdf'] as const)('%s, full and pseudonymised: the time is there, she is not', async (format) => {
    const dir = mkdtempSync(join(tmpdir(), 'tidbok-export-'));
    for (const patientData of ['full', 'pseudonymised'] as const) {
      const file = await api.ok('export.create', { from: day, to: day, content: 'bookings', patientData, format }, ['admin']);
      const bytes = Buffer.from(file.base64, 'base64');
      let text: string;
      if (format === 'xlsx') {
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(bytes as unknown as ArrayBuffer);
        text = book.worksheets.flatMap((w) => w.getSheetValues().map((row) => JSON.stringify(row))).join('\n');
      } else if (format === 'pdf') {
        const path = join(dir, `${patientData}.pdf`);
        writeFileSync(path, bytes);
        text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
      } else text = bytes.toString('utf8');
      expect(text, patientData).not.toMatch(SECRETS);
      expect(text, patientData).toMatch(/Skyddad identitet/);
    }
  });
});

describe('protected identity on återbudslistan (waitlist)', () => {
  // The entry's id is stable: a scheduler who put a protected patient on the list (her id from
  // patients.search) knows whose entry it is. The held booking's and the offered slot's ids would
  // then give her time and clinician through bookings.get / slots.get, which patients.get and
  // bookings.forPatient hide from that role. So, like bookingSeenBy: no ids to roles without the need.
  let secret: Patient;
  let heldId: string;
  let offeredId: string;
  let entryId: string;

  beforeAll(async () => {
    secret = await api.ok('patients.create', {
      identityNumber: twelve('19790909', '425'),
      givenName: 'Väntande',
      familyName: 'Hemlig',
      protectedIdentity: true,
    });
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const free = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-30', limit: 40 });
    heldId = (await api.ok('bookings.book', { slotId: free.at(-1)!.slotId, patientId: secret.id, appointmentTypeId: lakbes.id }))
      .id;
    entryId = (await api.ok('waitlist.add', { patientId: secret.id, appointmentTypeId: lakbes.id }, ['scheduler'])).id;
    offeredId = (await api.ok('waitlist.offerableSlots', { id: entryId, limit: 1 }))[0]!.slotId;
    await api.ok('waitlist.markOffered', { id: entryId, slotId: offeredId }, ['receptionist']);
  });

  it.each([
    ['receptionist', ['receptionist'], true],
    ['scheduler', ['scheduler'], false],
    ['admin', ['admin'], false],
  ] as const)('%s: the ids that lead to her times only to the desk', async (_, roles, desk) => {
    const reads = api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'read' AND patient_id = ?`, secret.id);
    const listed = (await api.ok('waitlist.list', {}, roles)).find((e) => e.id === entryId)!;
    const matched = (await api.ok('waitlist.matchesForSlot', { slotId: offeredId }, roles)).find((e) => e.id === entryId)!;
    const updated = await api.ok('waitlist.update', { id: entryId, priority: 1 }, roles);
    for (const e of [listed, matched, updated]) {
      expect(e.patient).toMatchObject({ id: desk ? secret.id : '', displayName: null, protectedIdentity: true });
      expect(e.heldBooking).toMatchObject({ id: desk ? heldId : '' });
      expect(e.offeredSlot).toMatchObject({ id: desk ? offeredId : '' });
      expect(JSON.stringify(e)).not.toMatch(/Väntande|Hemlig/);
    }
    // The two lists are still reads of her data, whoever looked.
    expect(api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'read' AND patient_id = ?`, secret.id)).toBe(
      reads + 2,
    );
  });
});

describe('over HTTP (the web shell), just after midnight in Stockholm', () => {
  // 2026-11-22 23:30 UTC is 00:30 on Monday the 23rd in Stockholm: a child born on the 23rd is
  // born "today", so 261123-NNNC is 2026's, not 1926's (UTC's date would say the 22nd).
  let shell: WebShell;
  let web: Api;
  const sessions = new Map<string, string>();
  const call = async (username: string, method: string, input: unknown) => {
    const post = async (m: string, body: unknown, session?: string) =>
      (await (
        await fetch(`http://127.0.0.1:${shell.port}/api/${m}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${shell.token}`,
            ...(session ? { [SESSION_HEADER]: session } : {}),
          },
          body: JSON.stringify(body),
        })
      ).json()) as { ok: boolean; value?: any; error?: { code: string; message: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!sessions.has(username)) {
      const r = await post('auth.signIn', { username, password: `demo-${username}` });
      sessions.set(username, r.value.token as string);
    }
    return post(method, input, sessions.get(username));
  };

  beforeAll(async () => {
    web = demoApi({ now: Date.parse('2026-11-22T23:30:00Z') });
    const staticDir = mkdtempSync(join(tmpdir(), 'tidbok-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tidbok</title>');
    shell = await startWebShell({ ctx: web.ctx, staticDir, workstation: 'granskning-2' });
    await web.ok('users.create', {
      username: 'planerare',
      displayName: 'Planerare',
      password: 'demo-planerare',
      roles: ['scheduler'],
    });
    await web.ok('users.create', { username: 'kassa', displayName: 'Kassa', password: 'demo-kassa', roles: ['receptionist'] });
  });
  afterAll(() => shell.close());

  it("reads the century from the unit's date, adds the child once, and finds her by 'Efternamn, Förnamn'", async () => {
    const child = `261123-402${luhn('261123402')}`;
    expect(await call('kassa', 'patients.checkIdentityNumber', { value: child })).toMatchObject({
      ok: true,
      value: { ok: true, normalised: `20${child.replace('-', '')}`, birthDate: '2026-11-23' },
    });
    const made = await call('kassa', 'patients.create', { identityNumber: child, givenName: 'Nyfödd', familyName: 'Åström' });
    expect(made).toMatchObject({ ok: true, value: { identityNumber: `20${child.replace('-', '')}` } });
    expect(
      await call('kassa', 'patients.create', { identityNumber: `20${child}`, givenName: 'Nyfödd', familyName: 'Igen' }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const found = await call('kassa', 'patients.search', { query: 'Åström, Nyfödd' });
    expect(found.value.map((p: Patient) => p.id)).toEqual([made.value.id]);
  });

  it("gives the scheduler neither a protected patient's name in Konflikter nor the ids to her times on the list", async () => {
    const secret = await web.ok('patients.create', {
      identityNumber: twelve('19820304', '437'),
      givenName: 'Skyddade',
      familyName: 'Webbsson',
      protectedIdentity: true,
    });
    const lakbes = (await web.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const [free] = await web.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-25', limit: 1 });
    const booking = await web.ok('bookings.book', { slotId: free!.slotId, patientId: secret.id, appointmentTypeId: lakbes.id });
    recordConflict(web.ctx, { entity: 'booking', entityId: booking.id, kind: 'slot_taken', detail: {} });
    const entry = await web.ok('waitlist.add', { patientId: secret.id, appointmentTypeId: lakbes.id });

    const conflicts = await call('planerare', 'conflicts.list', {});
    const conflict = conflicts.value.find((c: { bookingId: string }) => c.bookingId === booking.id);
    expect(conflict.patient).toEqual({ id: '', displayName: '', identityNumber: '', protectedIdentity: true });
    const list = await call('planerare', 'waitlist.list', {});
    const listed = list.value.find((e: { id: string }) => e.id === entry.id);
    expect(listed).toMatchObject({ patient: { id: '' }, heldBooking: { id: '', startAt: null } });
    expect(JSON.stringify([conflicts, list])).not.toMatch(/Skyddade|Webbsson/);
    // The receptionist still gets what her work needs.
    const desk = (await call('kassa', 'waitlist.list', {})).value.find((e: { id: string }) => e.id === entry.id);
    expect(desk).toMatchObject({ patient: { id: secret.id }, heldBooking: { id: booking.id } });
  });
});

describe('the CLI', () => {
  // In-process (main() is what bin/tidbok runs): the real commands on the same database file.
  const tidbok = (...args: string[]) => runTidbok([...args, '--db', api.path], SUNDAY_NOON);

  it('finds a patient again by the line it printed when adding her', async () => {
    const number = twelve('19550505', '421');
    const added = await tidbok('patients', 'add', '--number', number.slice(2), '--given', 'Örjan', '--family', 'Åhlén-Öst');
    expect(added).toMatchObject({ code: 0, out: expect.stringContaining(`${number}  Åhlén-Öst, Örjan`) });
    for (const query of ['Åhlén-Öst, Örjan', 'åhlén-öst,örjan', number, number.slice(2)]) {
      const hit = await tidbok('patients', 'search', query);
      expect(hit, query).toMatchObject({ code: 0, out: `${number}  Åhlén-Öst, Örjan\n` });
    }
  });

  it('books a patient known only by a reserve number, typed as on her wristband (any case)', async () => {
    const reserve = await api.ok('patients.create', {
      identityNumber: '99RES-0815',
      reserve: true,
      givenName: 'Okänd',
      familyName: 'Kvinna',
    });
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-30', limit: 1 });
    const booked = await tidbok(
      'bookings',
      'book',
      '--slot',
      slot!.slotId,
      '--patient',
      '99res-0815',
      '--type',
      'LAKBES',
      '--json',
    );
    expect(booked.err).toBe('');
    expect(booked.code).toBe(0);
    expect(JSON.parse(booked.out)).toMatchObject({ slotId: slot!.slotId, patient: { id: reserve.id } });
    // A reserve number nobody has is "not found", not a lesson in personnummer.
    const nobody = await tidbok('bookings', 'book', '--slot', slot!.slotId, '--patient', '99RES-0816', '--type', 'LAKBES');
    expect(nobody).toMatchObject({ code: 2, out: '' });
    expect(nobody.err).toMatch(/Ingen patient har nummer 99RES-0816/);
    // And a mistyped personnummer still gets Skatteverket's reason.
    const typo = await tidbok('bookings', 'book', '--slot', slot!.slotId, '--patient', '19121212-1213', '--type', 'LAKBES');
    expect(typo.err).toMatch(/Kontrollsiffran stämmer inte/);
  });

  it('adds a number pasted with an invisible character, and refuses the same person again (exit 2)', async () => {
    const number = twelve('19600606', '433');
    const pasted = `\u200E${number.slice(0, 8)}\u200B${number.slice(8)}`;
    expect(await tidbok('patients', 'add', '--number', pasted, '--given', 'Inklistrad', '--family', 'Person')).toMatchObject({
      code: 0,
    });
    const again = await tidbok(
      'patients',
      'add',
      '--number',
      number.replace('-', ''),
      '--given',
      'Inklistrad',
      '--family',
      'Igen',
    );
    expect(again).toMatchObject({ code: 2, out: '' });
    expect(again.err).toMatch(/Det finns redan en patient med det personnumret/);
  });
});
