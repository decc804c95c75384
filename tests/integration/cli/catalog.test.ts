// The catalogue and schedule commands as a regional IT admin scripts them, run as the real
// `tidbok` over real SQLite files: types list / import (all or nothing, dry run, round trip) and
// templates add / preview / list / deactivate (holiday week, DST week). Each spawn costs about a
// second, so every spawn carries several assertions and independent ones run side by side.
import { describe, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { TemplateChange, TemplatePreview } from '../../../src-main/api/methods/scheduling.ts';
import type { AppointmentType } from '../../../src-main/api/types.ts';
import { createContext, type ServiceContext } from '../../../src-main/services/context.ts';
import { createResource } from '../../../src-main/services/resources.ts';
import { createUnit, listAppointmentTypes } from '../../../src-main/services/unit.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { tempDbPath, testCaller } from '../../helpers/temp-db.ts';
import { spawnTidbok } from '../../helpers/cli-process.ts';

// A Monday morning: "today" is 2026-11-23 for every command.
const NOW = '2026-11-23T07:00:00+01:00';

const tidbok = (...args: string[]) => run(args);

const run = (args: string[], stdin?: string) => spawnTidbok(args, { now: NOW, ...(stdin === undefined ? {} : { stdin }) });

/** Opens the file in this process (after the CLI has closed it), runs `body`, closes. */
function inDb<T>(path: string, body: (ctx: ServiceContext) => T): T {
  const db = openDatabase(path);
  try {
    return body(createContext(db, { now: () => Date.parse(NOW) }));
  } finally {
    db.close();
  }
}

/** The api in this process, as an admin: for what these commands do not do (bookings). */
async function asAdmin<T>(
  path: string,
  body: (call: <M extends MethodName>(name: M, input: InputOf<M>) => Promise<ResultOf<M>>, ctx: ServiceContext) => Promise<T>,
): Promise<T> {
  const db = openDatabase(path);
  const ctx = createContext(db, { now: () => Date.parse(NOW) });
  try {
    return await body(async (name, input) => {
      const r = await dispatch({ ctx, caller: testCaller(['admin']), shell: 'electron' }, name, input);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      return r.value as ResultOf<typeof name>;
    }, ctx);
  } finally {
    db.close();
  }
}

/**
 * A unit set up as `tidbok unit init` + `resources add` would (those have their own CLI test):
 * doctors Anna Berg (with an HSA-id) and Erik Lund, nurse Sara Sjöberg.
 */
function unitWithStaff(): string {
  const path = tempDbPath();
  inDb(path, (ctx) => {
    createUnit(ctx, testCaller(), { hsaId: 'SE2321000016-NRBY', name: 'Vårdcentralen Norrby' });
    const staff = [
      ['Anna Berg', 'lakare', 'SE2321000016-AB01'],
      ['Erik Lund', 'lakare', null],
      ['Sara Sjöberg', 'sjukskoterska', null],
    ] as const;
    for (const [name, profession, hsaId] of staff) {
      createResource(ctx, testCaller(), { kind: 'clinician', name, profession, title: null, hsaId });
    }
  });
  return path;
}

/** What an import writes: types, and their audit events and outbox rows. */
const written = (path: string) =>
  inDb(path, ({ db }) => {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      types: n(`SELECT count(*) AS n FROM appointment_types`),
      audit: n(`SELECT count(*) AS n FROM audit_events WHERE entity = 'appointment_type'`),
      outbox: n(`SELECT count(*) AS n FROM outbox WHERE entity = 'appointment_type'`),
    };
  });

function jsonFile(dbPath: string, name: string, data: unknown): string {
  const file = join(dirname(dbPath), name);
  writeFileSync(file, JSON.stringify(data));
  return file;
}

const doctorVisit = {
  code: 'LAKBES',
  nameSv: 'Läkarbesök',
  nameEn: 'GP visit',
  durationMin: 20,
  contactModes: ['physical'],
  professions: ['lakare'],
  webBookable: true,
  webCancellable: true,
} satisfies InputOf<'appointmentTypes.create'>;
const videoVisit = {
  code: 'LAKVID',
  nameSv: 'Videobesök läkare',
  nameEn: 'GP video visit',
  durationMin: 20,
  contactModes: ['video'],
  professions: ['lakare'],
} satisfies InputOf<'appointmentTypes.create'>;
const nurseVisit = {
  code: 'SSKBES',
  nameSv: 'Sjuksköterskebesök',
  nameEn: 'Nurse visit',
  durationMin: 30,
  contactModes: ['physical', 'phone'],
  professions: ['sjukskoterska'],
} satisfies InputOf<'appointmentTypes.create'>;

// The two scripts use different databases and run side by side. Some 16 spawns: the timeout
// leaves room for a machine busy with other suites.
describe.concurrent('tidbok types and templates', { timeout: 120_000 }, () => {
  it('imports a catalogue by code (create, update, unchanged), all or nothing, with a dry run and a round trip', async ({
    expect,
  }) => {
    const db = unitWithStaff();

    const first = await tidbok('types', 'import', jsonFile(db, 'v1.json', [doctorVisit, videoVisit, nurseVisit]), '--db', db);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toBe('+ LAKBES\n+ LAKVID\n+ SSKBES\nBesökstyper importerade: 3 nya, 0 ändrade, 0 oförändrade.\n');
    expect(written(db)).toEqual({ types: 3, audit: 3, outbox: 3 });

    // The next version of the catalogue: one unchanged, one edited, one deactivated, one new.
    const v2 = jsonFile(db, 'v2.json', [
      doctorVisit,
      { ...videoVisit, durationMin: 30, webBookable: true },
      { ...nurseVisit, active: false },
      { code: 'TELE', nameSv: 'Telefontid', nameEn: 'Phone call', durationMin: 10, contactModes: ['phone'] },
    ]);
    // Good entries before and among bad ones are checked too, and rolled back with the rest.
    const badFile = jsonFile(db, 'bad.json', [
      { code: 'NY', nameSv: 'Ny', nameEn: 'New', durationMin: 20, contactModes: ['physical'] },
      { code: 'LAKVID', durationMin: 25 },
      { code: 'KORT', nameSv: 'Kort', nameEn: 'Short', durationMin: 2, contactModes: ['physical'] },
      { code: 'INGEN', nameSv: 'Utan engelskt namn' },
      { code: 'ny', nameSv: 'Dubblett', nameEn: 'Duplicate', durationMin: 20, contactModes: ['physical'] },
      { code: 'LAKBES', invitationOnly: true },
      { code: 'FEL KOD', nameSv: 'X', nameEn: 'X', durationMin: 20, contactModes: ['physical'], colour: 'red' },
      42,
    ]);
    const afterV1 = written(db);
    const [table, dry, bad] = await Promise.all([
      tidbok('types', 'list', '--db', db),
      tidbok('types', 'import', v2, '--dry-run', '--db', db),
      tidbok('types', 'import', badFile, '--db', db),
    ]);
    expect(written(db)).toEqual(afterV1);

    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KOD {5}NAMN {2,}MIN {2}KONTAKT {2,}YRKEN {2,}WEBB {2,}AVB\/OMB {2}FÖNSTER {2,}AKTIV$/);
    const doctor = lines.find((l) => l.startsWith('LAKBES'))!;
    expect(doctor).toMatch(/^LAKBES {2}Läkarbesök {2,}20 {3}fysiskt {2,}lakare {2,}boka,avboka {2,}24\/24 h {2}0 h–180 d {2}ja$/);
    expect(lines.find((l) => l.startsWith('SSKBES'))).toMatch(/ 30 +fysiskt,telefon +sjukskoterska +– /);
    // Aligned: every column starts where its header does.
    for (const head of ['MIN', 'WEBB', 'AKTIV']) {
      const at = lines[0]!.indexOf(head);
      expect(lines.slice(1).every((l) => l[at - 1] === ' ' && l[at] !== ' ')).toBe(true);
    }

    expect(dry).toMatchObject({ code: 0, err: '' });
    expect(dry.out).toBe(
      '+ TELE\n~ LAKVID  durationMin, webBookable\n~ SSKBES  active\nProvkörning, inget sparat: 1 nya, 2 ändrade, 1 oförändrade.\n',
    );

    expect(bad).toMatchObject({ code: 2, out: '' });
    expect(bad.err).toBe(
      [
        '[2] KORT durationMin: Längd (minuter): Värdet måste vara minst 5.',
        '[3] INGEN nameEn: Namn (engelska): Uppgiften saknas.',
        '[3] INGEN durationMin: Längd (minuter): Uppgiften saknas.',
        '[3] INGEN contactModes: Kontaktsätt: Uppgiften saknas.',
        '[4] ny code: Koden ny finns redan i post 0 i filen.',
        '[5] LAKBES: En besökstyp kan inte vara både fritt webbokningsbar och bara bokningsbar efter kallelse.',
        '[6] FEL KOD code: Koden får bara innehålla bokstäver, siffror, - och _.',
        '[6] FEL KOD colour: Färg ska anges som #RRGGBB.',
        '[7] (utan kod): Posten måste vara ett objekt med besökstypens fält.',
        'tidbok: Inget sparades: 6 av 8 poster är felaktiga.',
        '',
      ].join('\n'),
    );
    const durations = inDb(db, (ctx) => listAppointmentTypes(ctx, {}).map((t) => [t.code, t.durationMin]));
    expect(durations).toEqual([
      ['LAKBES', 20],
      ['SSKBES', 30],
      ['LAKVID', 20],
    ]);

    const real = await tidbok('types', 'import', v2, '--db', db);
    expect(real).toMatchObject({ code: 0, out: expect.stringMatching(/importerade: 1 nya, 2 ändrade, 1 oförändrade\.\n$/) });
    // One audit event per change made, none for the unchanged type.
    expect(written(db)).toEqual({ types: 4, audit: afterV1.audit + 3, outbox: afterV1.outbox + 3 });
    const afterV2 = written(db);

    // Round trip: `types list --all --json` is the export, importable as it is.
    const exported = await tidbok('types', 'list', '--all', '--json', '--db', db);
    expect(exported.code).toBe(0);
    const catalogue = JSON.parse(exported.out) as AppointmentType[];
    expect(catalogue.map((t) => [t.code, t.durationMin, t.active])).toEqual([
      ['LAKBES', 20, true],
      ['SSKBES', 30, false],
      ['TELE', 10, true],
      ['LAKVID', 30, true],
    ]);
    const exportFile = jsonFile(db, 'export.json', catalogue);
    const other = unitWithStaff();
    const [intoOther, backHome] = await Promise.all([
      run(['types', 'import', '-', '--db', other], exported.out), // from a pipe
      tidbok('types', 'import', exportFile, '--db', db),
    ]);
    expect(intoOther).toMatchObject({ code: 0, out: expect.stringMatching(/: 4 nya, 0 ändrade, 0 oförändrade\.\n$/) });
    expect(backHome).toMatchObject({ code: 0, out: 'Besökstyper importerade: 0 nya, 0 ändrade, 4 oförändrade.\n' });
    expect(written(db)).toEqual(afterV2);
    const strip = ({ id: _id, unitId: _unit, version: _version, ...rest }: AppointmentType) => rest;
    const copied = inDb(other, (ctx) => listAppointmentTypes(ctx, { includeInactive: true }));
    expect(copied.map(strip)).toEqual(catalogue.map(strip));
    expect(copied[0]!.id).not.toBe(catalogue[0]!.id);
  });

  it('adds, previews (holiday week, DST week), lists and deactivates templates', async ({ expect }) => {
    const db = unitWithStaff();
    await asAdmin(db, async (call) => {
      for (const t of [doctorVisit, videoVisit, nurseVisit]) await call('appointmentTypes.create', t);
    });
    const shape = ['--weekdays', '1-5', '--start', '08:00', '--end', '12:00', '--slot', '20'];

    // Christmas week: julafton (Thu) and juldagen (Fri) are closed by default.
    // Two doctors get the same template in one call.
    const add = await tidbok('templates', 'add', '--resource', 'anna berg', '--resource', 'Erik Lund', ...shape, '--types', 'LAKBES,lakvid',
      '--from', '2026-12-21', '--to', '2026-12-27', '--weeks', '6', '--name', 'Förmiddag', '--every', '2', '--db', db); // prettier-ignore
    expect(add).toMatchObject({ code: 0, err: '' });
    const ids = [...add.out.matchAll(/^[0-9a-f-]{36}/gm)].map((m) => m[0]);
    expect(ids).toHaveLength(2);
    const [morningId, erikId] = ids as [string, string];
    const laidOut = (id: string, who: string) => [
      `${id}  ${who}: schemamallen är upplagd, mån–fre 08:00–12:00.`,
      '2026-11-23 – 2027-01-03: 36 nya tider, 0 fanns redan.',
      'Stängt 2026-12-24: julafton',
      'Stängt 2026-12-25: juldagen',
    ];
    expect(add.out).toBe([...laidOut(morningId, 'Anna Berg'), ...laidOut(erikId, 'Erik Lund'), ''].join('\n'));

    // With the morning laid out, side by side: a lunch template by HSA-id (11:30 overlaps the
    // morning's last slots and is reported, 12:00 fits), previews and refused input.
    const [lunch, holidays, dst, nurse, badType, badTimes, noUnit] = await Promise.all([
      tidbok('templates', 'add', '--resource', 'SE2321000016-AB01', '--weekdays', '1,2,3', '--start', '11:30',
        '--end', '12:30', '--slot', '30', '--types', 'LAKBES', '--from', '2026-12-21', '--to', '2026-12-27', '--web',
        '--weeks', '6', '--json', '--db', db), // prettier-ignore
      tidbok('templates', 'preview', '--resource', 'Anna Berg', ...shape, '--types', 'LAKBES', '--from', '2026-12-21',
        '--weeks', '15', '--db', db), // prettier-ignore
      // A unit open on holidays (2027-03-26 is långfredagen, 03-29 annandag påsk) around the DST night of 03-28.
      tidbok('templates', 'preview', '--resource', 'Anna Berg', ...shape, '--types', 'LAKBES', '--from', '2027-03-22',
        '--weeks', '2', '--open-on-holidays', '--json', '--db', db), // prettier-ignore
      // A nurse cannot take doctor's visits: refused, and Anna gets no template either.
      tidbok(
        'templates',
        'add',
        '--resource',
        'Anna Berg',
        '--resource',
        'Sara Sjöberg',
        ...shape,
        '--types',
        'LAKBES',
        '--db',
        db,
      ),
      tidbok('templates', 'add', '--resource', 'Anna Berg', ...shape, '--types', 'LAKBES,NOPE', '--db', db),
      tidbok('templates', 'add', '--resource', 'Anna Berg', ...shape, '--end', '07:00', '--types', 'LAKBES', '--db', db),
      tidbok('templates', 'list', '--db', tempDbPath()),
    ]);

    expect(holidays).toMatchObject({ code: 0, err: '' });
    const day = (date: string) => holidays.out.split('\n').find((l) => l.startsWith(date));
    const morning = '08:00 08:20 08:40 09:00 09:20 09:40 10:00 10:20 10:40 11:00 11:20 11:40  (12 × 20 min)';
    // Anna's morning template already holds 2026-12-21–23 (the same times): saving would skip them, and the preview says so.
    expect(day('2026-12-23')).toBe(`2026-12-23 ons  läggs inte ut, resursen har redan en tid då: ${morning.split('  ')[0]}`);
    expect(day('2027-01-04')).toBe(`2027-01-04 mån  ${morning}`);
    expect(day('2026-12-24')).toBe('2026-12-24 tor  stängt: julafton');
    expect(day('2026-12-25')).toBe('2026-12-25 fre  stängt: juldagen');
    expect(day('2026-12-26')).toBeUndefined(); // a Saturday: not a template day
    expect(day('2027-03-26')).toBe('2027-03-26 fre  stängt: långfredagen');
    expect(day('2027-03-25')).toBe(`2027-03-25 tor  ${morning}`); // CET
    expect(day('2027-03-30')).toBe(`2027-03-30 tis  ${morning}`); // CEST
    expect(holidays.out).toMatch(
      /\n\d+ tider på \d+ dagar 2026-12-21 – 2027-04-04, \d+ dagar stängda; 36 tider läggs inte ut \(resursen har redan tider då\)\.\n$/,
    );

    expect(lunch.code).toBe(0);
    const [lunchChange] = JSON.parse(lunch.out) as [TemplateChange];
    expect(lunchChange.template).toMatchObject({ weekdays: [1, 2, 3], publishWeb: true, slotMin: 30 });
    expect(lunchChange.expansion).toMatchObject({ created: 3, skippedOverlaps: 3 });

    expect(dst.code).toBe(0);
    const preview = JSON.parse(dst.out) as TemplatePreview;
    expect(preview.skipped).toEqual([]);
    const times = (date: string) => preview.slots.filter((s) => s.date === date).map((s) => `${s.startTime}–${s.endTime}`);
    expect(times('2027-03-26')).toHaveLength(12);
    expect(times('2027-03-29')).toEqual(times('2027-03-26'));
    expect(times('2027-03-28')).toEqual([]);
    // The same wall clock, one hour less from UTC after the switch.
    expect(preview.slots.find((s) => s.date === '2027-03-26')?.startAt).toBe(Date.parse('2027-03-26T07:00:00Z'));
    expect(preview.slots.find((s) => s.date === '2027-03-29')?.startAt).toBe(Date.parse('2027-03-29T06:00:00Z'));

    const list = await tidbok('templates', 'list', '--resource', 'Anna Berg', '--db', db);
    expect(list.code).toBe(0);
    const rows = list.out.trimEnd().split('\n');
    expect(rows[0]).toBe(
      `${'ID'.padEnd(38)}RESURS     NAMN       DAGAR    VECKA    TID          MIN  TYPER          GILTIG                 WEBB  AKTIV`,
    );
    expect(rows.slice(1)).toEqual([
      `${morningId}  Anna Berg  Förmiddag  mån–fre  var 2:e  08:00–12:00  20   LAKBES,LAKVID  2026-12-21–2026-12-27  nej   ja`,
      `${lunchChange.template.id}  Anna Berg  –          mån–ons  varje    11:30–12:30  30   LAKBES         2026-12-21–2026-12-27  ja    ja`,
    ]);

    expect(nurse).toMatchObject({
      code: 2,
      err: 'tidbok: Sara Sjöberg kan inte ta emot Läkarbesök: besökstypen är för en annan yrkesgrupp.\n',
    });
    expect(badType).toMatchObject({
      code: 2,
      err: 'tidbok: Det finns ingen besökstyp med koden "NOPE" (tidbok types list visar dem).\n',
    });
    expect(badTimes).toMatchObject({
      code: 2,
      err: 'tidbok: Ogiltiga uppgifter: Sluttiden måste vara efter starttiden. (template.endTime)\n',
    });
    expect(noUnit).toMatchObject({ code: 1, err: expect.stringMatching(/tidbok unit init/) });

    // A patient booked on the first morning keeps the time; the template's other 35 slots go.
    const booking = await asAdmin(db, async (call, ctx) => {
      const patient = await call('patients.create', {
        identityNumber: '19121212-1212',
        givenName: 'Tolvan',
        familyName: 'Tolvansson',
      });
      const slot = ctx.db.prepare(`SELECT id FROM slots WHERE template_id = ? ORDER BY start_at LIMIT 1`).get(morningId) as {
        id: string;
      };
      const type = listAppointmentTypes(ctx, {}).find((t) => t.code === 'LAKBES')!;
      return call('bookings.book', { slotId: slot.id, patientId: patient.id, appointmentTypeId: type.id });
    });
    const off = await tidbok('templates', 'deactivate', morningId, '--db', db);
    expect(off).toMatchObject({
      code: 0,
      out: [
        'Schemamallen är inaktiverad: 35 kommande lediga tider borttagna.',
        // The lunch template's 11:30 on Mon–Wed, skipped while the morning held 11:30–12:00.
        '3 tider från resursens andra mallar lades ut i stället.',
        '1 bokade tider ligger kvar (boka om dem vid behov):',
        `2026-12-21 08:00–08:20  bokning ${booking.id}`,
        '',
      ].join('\n'),
    });
    const left = inDb(db, ({ db: d }) => ({
      templates: d.prepare(`SELECT id, active FROM schedule_templates ORDER BY id`).all(),
      liveSlots: d
        .prepare(`SELECT template_id AS t, count(*) AS n FROM slots WHERE state != 'removed' GROUP BY template_id ORDER BY n`)
        .all(),
    }));
    expect(left).toEqual({
      // UUIDv7 ids sort in creation order; no template of the refused call is left.
      templates: [
        { id: morningId, active: 0 },
        { id: erikId, active: 1 },
        { id: lunchChange.template.id, active: 1 },
      ],
      liveSlots: [
        { t: morningId, n: 1 },
        { t: lunchChange.template.id, n: 6 },
        { t: erikId, n: 36 },
      ],
    });
  });
});
