// Second adversarial round on the scheduler's CRUD: appointment types, resources and single slots,
// through the api (dispatch over a real SQLite file with the demo unit; now Monday 2026-11-23
// 09:10 in Stockholm) and through `tidbok`. Expected answers come from the rules by hand: a slot
// lies within one wall-clock day (00:00–23:59), a type may be booked at most 1095 days ahead
// (appointment-type-fields), and what is refused writes nothing (no outbox row, no audit event).
import { describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { apiResultAs, startShell } from '../../helpers/web-shell.ts';
import { demoApi, type Api } from './helpers.ts';

async function demo() {
  const api = demoApi();
  const type = Object.fromEntries((await api.ok('appointmentTypes.list', {})).map((t) => [t.code, t])) as Record<
    string,
    AppointmentType
  >;
  const res = Object.fromEntries((await api.ok('resources.list', {})).map((r) => [r.name, r])) as Record<string, Resource>;
  const anna = res['Anna Lindqvist']!.id;
  // Saturday 28 November: the demo's templates lay nothing on weekends.
  const slot = (date: string, startTime: string, endTime: string, extra: object = {}) => ({
    resourceId: anna,
    date,
    startTime,
    endTime,
    appointmentTypeIds: [type.LAKBES!.id],
    webPublished: false,
    withinCareGuarantee: true,
    ...extra,
  });
  return { api, type, res, anna, slot };
}

/** One demo book for a table whose rows write nothing, or only what no other row looks at. */
function sharedDemo(): () => ReturnType<typeof demo> {
  let once: ReturnType<typeof demo> | undefined;
  return () => (once ??= demo());
}

/** Rows written so far: outbox, audit events, slot versions summed (a refused call changes none). */
const written = (api: Api) => ({
  outbox: api.count('SELECT count(*) AS n FROM outbox'),
  audit: api.count('SELECT count(*) AS n FROM audit_events'),
  versions: api.count('SELECT coalesce(sum(version), 0) AS n FROM slots'),
});

describe('single slots across midnight: the scheduler is told why and what to do', () => {
  const shared = sharedDemo();
  it.each([
    [
      '23:30',
      '00:30',
      'Ogiltiga uppgifter: En tid kan inte gå över midnatt (23:30–00:30 slutar nästa dygn). Lägg två tider: en som slutar senast 24:00 den 2026-11-28 och en som börjar 00:00 den 2026-11-29.',
    ],
    [
      '22:00',
      '00:00',
      'Ogiltiga uppgifter: En tid kan inte gå över midnatt (22:00–00:00 slutar nästa dygn). En tid som slutar vid midnatt skrivs 22:00–24:00.',
    ],
    ['14:00', '13:00', 'Ogiltiga uppgifter: Sluttiden måste vara efter starttiden.'],
    ['12:00', '12:00', 'Ogiltiga uppgifter: Sluttiden måste vara efter starttiden.'],
  ])('%s–%s: %s', async (startTime, endTime, message) => {
    const { api, slot } = await shared();
    const before = written(api);
    expect(await api.err('slots.create', slot('2026-11-28', startTime, endTime))).toMatchObject({ code: 'validation', message });
    expect(written(api)).toEqual(before);
  });

  it('tidbok slots add says the same and exits 2', async () => {
    const db = tempDbPath();
    expect((await runTidbok(['demo', 'seed', '--db', db])).code).toBe(0);
    const r = await runTidbok([
      'slots',
      'add',
      '--db',
      db,
      '--resource',
      'Anna Lindqvist',
      '--date',
      '2026-12-31',
      '--start',
      '23:00',
      '--end',
      '01:00',
      '--types',
      'LAKBES',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'En tid kan inte gå över midnatt (23:00–01:00 slutar nästa dygn). Lägg två tider: en som slutar senast 24:00 den 2026-12-31 och en som börjar 00:00 den 2027-01-01.',
    );
  });
});

describe('single slots far ahead: a mistyped year is refused, as one in the past is', () => {
  const shared = sharedDemo();
  // 2026-11-23 + 1095 days = 2029-11-22 (2028 is a leap year: 365 + 366 + 365 = 1096 to 2029-11-23).
  it.each([
    ['2029-11-22', null],
    [
      '2029-11-23',
      '2029-11-23 ligger längre fram än någon besökstyp kan bokas (högst 1095 dagar): en ny tid kan läggas till och med 2029-11-22.',
    ],
    [
      '2062-11-28',
      '2062-11-28 ligger längre fram än någon besökstyp kan bokas (högst 1095 dagar): en ny tid kan läggas till och med 2029-11-22.',
    ],
    [
      '9999-12-31',
      '9999-12-31 ligger längre fram än någon besökstyp kan bokas (högst 1095 dagar): en ny tid kan läggas till och med 2029-11-22.',
    ],
  ])('%s: %s', async (date, refusal) => {
    const { api, slot } = await shared();
    const before = written(api);
    const r = refusal ? await api.err('slots.create', slot(date, '10:00', '10:30')) : null;
    if (refusal) {
      expect(r).toMatchObject({ code: 'validation', message: refusal });
      expect(written(api)).toEqual(before);
    } else {
      expect((await api.ok('slots.create', slot(date, '10:00', '10:30'))).state).toBe('open');
    }
  });
});

describe('blocking a time that is already blocked', () => {
  it('takes a new reason (the scheduler sees it saved), and writes nothing when the reason is the same or left out', async () => {
    const { api, slot } = await demo();
    const s = await api.ok('slots.create', slot('2026-11-28', '16:00', '16:30'));
    expect((await api.ok('slots.block', { id: s.id, reason: '' })).blockReason).toBeNull();
    let before = written(api);
    const renamed = await api.ok('slots.block', { id: s.id, reason: ' Möte ' });
    expect(renamed).toMatchObject({ state: 'blocked', blockReason: 'Möte' });
    expect(written(api)).toEqual({ outbox: before.outbox + 1, audit: before.audit + 1, versions: before.versions + 1 });
    before = written(api);
    for (const reason of ['Möte', '']) {
      expect(await api.ok('slots.block', { id: s.id, reason })).toMatchObject({ state: 'blocked', blockReason: 'Möte' });
    }
    expect(written(api)).toEqual(before);
    // Unblocking twice: the second changes nothing.
    expect((await api.ok('slots.unblock', { id: s.id })).state).toBe('open');
    before = written(api);
    expect(await api.ok('slots.unblock', { id: s.id })).toMatchObject({ state: 'open', blockReason: null });
    expect(written(api)).toEqual(before);
  });
});

describe('slots.update that changes nothing', () => {
  it('writes no new version, outbox row or audit event (a form saved as it was), and a real change still does', async () => {
    const { api, slot, type } = await demo();
    const s = await api.ok('slots.create', slot('2026-11-28', '17:00', '17:30'));
    const before = written(api);
    for (const input of [
      { id: s.id },
      { id: s.id, appointmentTypeIds: [type.LAKBES!.id] },
      { id: s.id, appointmentTypeIds: [type.LAKBES!.id, type.LAKBES!.id], webPublished: false, withinCareGuarantee: true },
    ]) {
      expect(await api.ok('slots.update', input)).toEqual(s);
    }
    expect(written(api)).toEqual(before);
    const changed = await api.ok('slots.update', { id: s.id, appointmentTypeIds: [type.LAKBES!.id, type.TELE!.id] });
    expect(changed.appointmentTypeIds).toEqual([type.LAKBES!.id, type.TELE!.id]);
    expect(written(api)).toEqual({ outbox: before.outbox + 1, audit: before.audit + 1, versions: before.versions + 1 });
  });
});

describe('names nobody can see or read out, and codes typed on a Mac', () => {
  const shared = sharedDemo();
  const base = { code: 'NY', nameSv: 'Ny typ', nameEn: 'New type', durationMin: 20, contactModes: ['physical' as const] };

  it.each([
    [{ nameSv: '\u200B' }, 'Ogiltiga uppgifter: Namn (svenska): Namnet får inte innehålla styrtecken.'],
    [{ nameEn: 'Visit\u200B' }, 'Ogiltiga uppgifter: Namn (engelska): Namnet får inte innehålla styrtecken.'],
    [{ nameSv: 'Läkar-\nbesök' }, 'Ogiltiga uppgifter: Namn (svenska): Namnet får inte innehålla styrtecken.'],
    [{ nameSv: 'Ny\ttyp' }, 'Ogiltiga uppgifter: Namn (svenska): Namnet får inte innehålla styrtecken.'],
    [{ nameSv: '-' }, 'Ogiltiga uppgifter: Namn (svenska): Namnet måste innehålla bokstäver.'],
  ])('type %j: %s', async (patch, message) => {
    const { api } = await shared();
    const before = written(api);
    expect(await api.err('appointmentTypes.create', { ...base, ...patch })).toMatchObject({ code: 'validation', message });
    expect(written(api)).toEqual(before);
  });

  it('a code and names written with a separate ring or dots (Å as A + ˚) are stored as one letter and clash with the same code', async () => {
    const { api } = await demo();
    const t = await api.ok('appointmentTypes.create', {
      ...base,
      code: 'A\u030ATERBESO\u0308K',
      nameSv: 'A\u030Aterbeso\u0308k',
    });
    expect(t).toMatchObject({ code: 'ÅTERBESÖK', nameSv: 'Återbesök' });
    expect(await api.err('appointmentTypes.create', { ...base, code: 'a\u030Aterbeso\u0308k' })).toMatchObject({
      code: 'conflict',
      message: 'Det finns redan en besökstyp med koden återbesök.',
    });
  });

  it.each([
    [{ kind: 'room' as const, name: '\u200B' }, 'Ogiltiga uppgifter: Namnet får inte innehålla styrtecken.'],
    [
      { kind: 'clinician' as const, name: 'Anna\nLind', profession: 'lakare' },
      'Ogiltiga uppgifter: Namnet får inte innehålla styrtecken.',
    ],
    [{ kind: 'equipment' as const, name: '--' }, 'Ogiltiga uppgifter: Namnet måste innehålla bokstäver.'],
  ])('resource %j: %s', async (input, message) => {
    const { api } = await shared();
    const before = written(api);
    expect(await api.err('resources.create', input)).toMatchObject({ code: 'validation', message });
    expect(written(api)).toEqual(before);
  });
});

describe('cases that already hold (no test named them before)', () => {
  const shared = sharedDemo();
  const base = { code: 'NY', nameSv: 'Ny typ', nameEn: 'New type', durationMin: 20, contactModes: ['physical' as const] };

  it.each([
    [{ code: 'K'.repeat(41) }, 'Ogiltiga uppgifter: Kod: Högst 40 tecken.'],
    [{ code: 'CAFÉ' }, 'Ogiltiga uppgifter: Koden får bara innehålla bokstäver, siffror, - och _.'],
    [{ durationMin: 1440 }, 'Ogiltiga uppgifter: Längd (minuter): Värdet får vara högst 480.'],
    [{ durationMin: '30' }, 'Ogiltiga uppgifter: Längd (minuter): Ange ett tal.'],
    [{ bookMaxDays: 1096 }, 'Ogiltiga uppgifter: Bokas högst (dagar framåt): Värdet får vara högst 1095.'],
    [{ bookMinLeadH: 1e9 }, 'Ogiltiga uppgifter: Bokas minst (timmar i förväg): Värdet får vara högst 8760.'],
    [{ nameSv: 'x'.repeat(201) }, 'Ogiltiga uppgifter: Namn (svenska): Högst 200 tecken.'],
    [{ nameEn: '\u00A0 ' }, 'Ogiltiga uppgifter: Namn (engelska): Fältet får inte vara tomt.'],
  ])('type %j is refused: %s', async (patch, message) => {
    const { api } = await shared();
    const before = written(api);
    expect(await api.err('appointmentTypes.create', { ...base, ...patch } as never)).toMatchObject({
      code: 'validation',
      message,
    });
    expect(written(api)).toEqual(before);
  });

  it('a code of 40 characters with surrounding spaces is stored trimmed; a 22-minute type fits a 25-minute slot', async () => {
    const { api, slot } = await demo();
    const t = await api.ok('appointmentTypes.create', { ...base, code: `  ${'Å'.repeat(40)}  `, durationMin: 22 });
    expect(t.code).toBe('Å'.repeat(40));
    expect((await api.ok('slots.create', slot('2026-11-28', '10:00', '10:25', { appointmentTypeIds: [t.id] }))).state).toBe(
      'open',
    );
    expect(await api.err('slots.create', slot('2026-11-28', '11:00', '11:20', { appointmentTypeIds: [t.id] }))).toMatchObject({
      code: 'validation',
      message: 'Ny typ tar 22 minuter men tiden är 20 minuter.',
    });
  });

  it('a deactivated resource gets no new time; nothing is written', async () => {
    const { api, slot } = await demo();
    const room = await api.ok('resources.create', { kind: 'room', name: 'Rum 2' });
    await api.ok('resources.setActive', { id: room.id, active: false });
    const before = written(api);
    expect(
      await api.err(
        'slots.create',
        slot('2026-11-28', '10:00', '10:20', { resourceId: room.id, appointmentTypeIds: [] as string[] }),
      ),
    ).toMatchObject({ code: 'validation', message: 'Ogiltiga uppgifter: Välj minst en besökstyp.' });
    const prov = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'PROV')!;
    expect(
      await api.err('slots.create', slot('2026-11-28', '10:00', '10:20', { resourceId: room.id, appointmentTypeIds: [prov.id] })),
    ).toMatchObject({ code: 'validation', message: 'Resursen är inaktiv eller tillhör en annan enhet.' });
    expect(written(api)).toEqual(before);
  });

  it('removing a time whose booking was cancelled keeps the booking in the history; the removed time is neither booked nor changed', async () => {
    const { api, slot, type } = await demo();
    const s = await api.ok('slots.create', slot('2026-11-30', '18:00', '18:30'));
    const p = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1960-05-05', 123),
      givenName: 'Eva',
      familyName: 'Historik',
    });
    const b = await api.ok('bookings.book', { slotId: s.id, patientId: p.id, appointmentTypeId: type.LAKBES!.id });
    expect(await api.err('slots.remove', { id: s.id })).toMatchObject({ code: 'conflict' });
    await api.ok('bookings.cancel', { id: b.id, reasonText: 'Förhinder', override: { reason: 'Patienten ringde i dag' } });
    expect((await api.ok('slots.remove', { id: s.id })).state).toBe('removed');
    expect(await api.ok('bookings.get', { id: b.id })).toMatchObject({ id: b.id, status: 'cancelled', slotId: s.id });
    expect(api.count('SELECT count(*) AS n FROM bookings WHERE slot_id = ?', s.id)).toBe(1);
    const before = written(api);
    expect(await api.err('bookings.book', { slotId: s.id, patientId: p.id, appointmentTypeId: type.LAKBES!.id })).toMatchObject({
      code: 'conflict',
      message: 'Tiden är borttagen ur schemat.',
    });
    for (const m of ['slots.block', 'slots.unblock', 'slots.update'] as const) {
      expect(await api.err(m, { id: s.id } as never)).toMatchObject({
        code: 'conflict',
        message: 'Tiden är borttagen ur schemat.',
      });
    }
    expect(written(api)).toEqual(before);
  });
});

describe('through the web shell over HTTP (demo unit, Monday 2026-11-23 09:10)', () => {
  it('says the night time, the far date and the invisible name in Swedish to the scheduler; the desk may not add or block times', async () => {
    const shell = await startShell({ env: { TIDBOK_NOW: '2026-11-23T09:10:00+01:00' } });
    try {
      const scheduler = apiResultAs(() => shell, 'schema', 'demo-schema');
      const desk = apiResultAs(() => shell, 'reception', 'demo-reception');
      const johan = ((await scheduler('resources.list', {})).value as Resource[]).find((r) => r.name === 'Johan Ek')!;
      const fysio = ((await scheduler('appointmentTypes.list', {})).value as AppointmentType[]).find((t) => t.code === 'FYSIO')!;
      const slot = (date: string, startTime: string, endTime: string) => ({
        resourceId: johan.id,
        date,
        startTime,
        endTime,
        appointmentTypeIds: [fysio.id],
      });
      const refusal = async (p: Promise<{ ok: boolean; error?: { code: string; message: string } }>) => (await p).error;
      expect(await refusal(scheduler('slots.create', slot('2026-12-31', '23:15', '00:15')))).toEqual({
        code: 'validation',
        message:
          'Ogiltiga uppgifter: En tid kan inte gå över midnatt (23:15–00:15 slutar nästa dygn). Lägg två tider: en som slutar senast 24:00 den 2026-12-31 och en som börjar 00:00 den 2027-01-01.',
        details: expect.anything(),
      });
      expect((await refusal(scheduler('slots.create', slot('2206-11-28', '10:00', '10:45'))))?.message).toBe(
        '2206-11-28 ligger längre fram än någon besökstyp kan bokas (högst 1095 dagar): en ny tid kan läggas till och med 2029-11-22.',
      );
      expect((await refusal(scheduler('resources.create', { kind: 'room', name: '\u200B\u200B' })))?.message).toBe(
        'Ogiltiga uppgifter: Namnet får inte innehålla styrtecken.',
      );
      // A 45-minute type in a 30-minute time: the model refuses it, naming both lengths.
      expect((await refusal(scheduler('slots.create', slot('2026-11-28', '10:00', '10:30'))))?.message).toBe(
        'Fysioterapi tar 45 minuter men tiden är 30 minuter.',
      );
      const made = await scheduler('slots.create', slot('2026-11-28', '10:00', '10:45'));
      expect(made.ok).toBe(true);
      const id = (made.value as { id: string }).id;
      for (const [m, input] of [
        ['slots.create', slot('2026-11-28', '11:00', '11:45')],
        ['slots.block', { id, reason: 'Möte' }],
        ['slots.remove', { id }],
      ] as const) {
        expect((await refusal(desk(m, input)))?.code).toBe('forbidden');
      }
      expect((await scheduler('slots.get', { id })).value).toMatchObject({ state: 'open', blockReason: null });
    } finally {
      await shell.stop();
    }
  }, 120_000);
});

describe("a clinician's profession changed while she has patients booked", () => {
  it('is refused when a booked type may not be performed by the new profession (a typo such as "lakre"); nothing is written', async () => {
    const { api, type, anna } = await demo();
    const now = api.ctx.now();
    // Every upcoming booking of Anna's is of a type for läkare (LAKBES, LAKVID, TELE): none allows "lakre".
    const booked = api.count(
      `SELECT count(*) AS n FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE s.resource_id = ? AND s.start_at >= ? AND b.status IN ('booked', 'preliminary', 'arrived')`,
      anna,
      now,
    );
    expect(booked).toBeGreaterThan(1);
    const freeBefore = await api.ok('slots.findFree', { appointmentTypeId: type.LAKBES!.id, resourceId: anna, limit: 200 });
    const before = written(api);
    const e = await api.err('resources.update', { id: anna, profession: 'lakre' });
    expect(e).toMatchObject({ code: 'conflict', details: { field: 'profession', bookings: booked } });
    expect(e.message).toMatch(
      new RegExp(
        `^Anna Lindqvist har ${booked} kommande bokningar av besökstyper som yrket lakre inte får utföra \\(.*Läkarbesök.*\\)\\. Boka om dem först, eller välj ett yrke som får utföra dem\\.$`,
      ),
    );
    expect(written(api)).toEqual(before);
    expect((await api.ok('resources.list', {})).find((r) => r.id === anna)?.profession).toBe('lakare');
    expect(await api.ok('slots.findFree', { appointmentTypeId: type.LAKBES!.id, resourceId: anna, limit: 200 })).toEqual(
      freeBefore,
    );
    // A clinician without bookings may change profession.
    const ny = await api.ok('resources.create', { kind: 'clinician', name: 'Nils Ny', profession: 'lakare' });
    expect((await api.ok('resources.update', { id: ny.id, profession: 'kurator' })).profession).toBe('kurator');
  });
});

describe('a new type with the code of a deactivated one', () => {
  it('is refused, saying the code belongs to a deactivated type to activate again (the list hides it)', async () => {
    const { api } = await demo();
    const base = { nameSv: 'Hälsosamtal', nameEn: 'Health talk', durationMin: 30, contactModes: ['physical' as const] };
    const old = await api.ok('appointmentTypes.create', { ...base, code: 'HÄLSA' });
    await api.ok('appointmentTypes.setActive', { id: old.id, active: false });
    expect((await api.ok('appointmentTypes.list', {})).some((t) => t.code === 'HÄLSA')).toBe(false);
    const before = written(api);
    expect(await api.err('appointmentTypes.create', { ...base, code: 'hälsa' })).toMatchObject({
      code: 'conflict',
      message:
        'Det finns redan en inaktiverad besökstyp med koden HÄLSA (Hälsosamtal). Aktivera den i stället för att lägga upp en ny.',
      details: { field: 'code', id: old.id },
    });
    expect(written(api)).toEqual(before);
  });
});

describe('tidbok slots add for a resource that is deactivated', () => {
  it('says the resource is inactive (it said no such resource existed) and exits 2; a new reason on a blocked time is shown', async () => {
    const db = tempDbPath();
    expect((await runTidbok(['demo', 'seed', '--db', db])).code).toBe(0);
    expect((await runTidbok(['resources', 'add', '--kind', 'room', '--name', 'Rum 9', '--db', db])).code).toBe(0);
    expect((await runTidbok(['resources', 'deactivate', 'Rum 9', '--db', db])).code).toBe(0);
    const add = (resource: string, start: string, end: string) =>
      runTidbok([
        'slots',
        'add',
        '--db',
        db,
        '--resource',
        resource,
        '--date',
        '2026-11-28',
        '--start',
        start,
        '--end',
        end,
        '--types',
        'PROV',
        '--json',
      ]);
    expect(await add('Rum 9', '10:00', '10:10')).toMatchObject({
      code: 2,
      err: 'tidbok: Resursen är inaktiv eller tillhör en annan enhet.\n',
    });
    const made = await add('Provtagningsrum 1', '10:00', '10:10');
    expect(made.code).toBe(0);
    const id = (JSON.parse(made.out) as { id: string }).id;
    expect((await runTidbok(['slots', 'block', id, '--db', db])).code).toBe(0);
    const renamed = await runTidbok(['slots', 'block', id, '--reason', 'Städning', '--json', '--db', db]);
    expect(JSON.parse(renamed.out)).toMatchObject({ state: 'blocked', blockReason: 'Städning' });
  });
});
