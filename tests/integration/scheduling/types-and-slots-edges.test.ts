// Second adversarial round on the scheduler's CRUD: appointment types, resources and single slots,
// through the api (dispatch over a real SQLite file with the demo unit; now Monday 2026-11-23
// 09:10 in Stockholm) and through `tidbok`. Expected answers come from the rules by hand: a slot
// lies within one wall-clock day (00:00–23:59), a type may be booked at most 1095 days ahead
// (appointment-type-fields), and what is refused writes nothing (no outbox row, no audit event).
import { describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
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

/** Rows written so far: outbox, audit events, slot versions summed (a refused call changes none). */
const written = (api: Api) => ({
  outbox: api.count('SELECT count(*) AS n FROM outbox'),
  audit: api.count('SELECT count(*) AS n FROM audit_events'),
  versions: api.count('SELECT coalesce(sum(version), 0) AS n FROM slots'),
});

describe('single slots across midnight: the scheduler is told why and what to do', () => {
  it.each([
    [
      '23:30',
      '00:30',
      'Ogiltiga uppgifter: En tid kan inte gå över midnatt (23:30–00:30 slutar nästa dygn). Lägg två tider: en som slutar senast 23:59 den 2026-11-28 och en som börjar 00:00 den 2026-11-29.',
    ],
    [
      '22:00',
      '00:00',
      'Ogiltiga uppgifter: En tid kan inte gå över midnatt (22:00–00:00 slutar nästa dygn). Dygnets sista tid slutar senast 23:59.',
    ],
    ['14:00', '13:00', 'Ogiltiga uppgifter: Sluttiden måste vara efter starttiden.'],
    ['12:00', '12:00', 'Ogiltiga uppgifter: Sluttiden måste vara efter starttiden.'],
  ])('%s–%s: %s', async (startTime, endTime, message) => {
    const { api, slot } = await demo();
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
      'En tid kan inte gå över midnatt (23:00–01:00 slutar nästa dygn). Lägg två tider: en som slutar senast 23:59 den 2026-12-31 och en som börjar 00:00 den 2027-01-01.',
    );
  });
});

describe('single slots far ahead: a mistyped year is refused, as one in the past is', () => {
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
    const { api, slot } = await demo();
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
