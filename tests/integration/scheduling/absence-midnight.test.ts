// 24:00 as an absence's end through the api (absences.create / absences.update) on a real SQLite
// file: "i dag 13:00–24:00" blocks the evening up to the next local midnight, is the same absence
// as the whole day's end (no double count when a feed sends both forms), meets the next day's
// absence without a gap, and is DST-correct on the autumn Sunday (25 hours). 24:00 as a start is
// refused by name. Demo unit, now Monday 2026-11-23 09:10 CET; hand-made slots on a counsellor.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import { demoApi, type Api } from './helpers.ts';

const at = (iso: string) => Date.parse(iso);
let api: Api;
let k: Resource;
let type: AppointmentType;

beforeEach(async () => {
  api = demoApi();
  k = await api.ok('resources.create', { kind: 'clinician', name: 'Kvälls Kurator', profession: 'kurator', title: 'Kurator' });
  type = await api.ok('appointmentTypes.create', {
    code: 'KVALL',
    nameSv: 'Kvällssamtal',
    nameEn: 'Evening talk',
    durationMin: 30,
    contactModes: ['physical'],
    professions: ['kurator'],
  });
});

const slot = (date: string, startTime: string, endTime: string) =>
  api.ok('slots.create', { resourceId: k.id, date, startTime, endTime, appointmentTypeIds: [type.id] });
const stateOf = async (id: string) => (await api.ok('slots.get', { id })).state;

describe('an absence until 24:00', () => {
  it('blocks the evening to the next midnight and leaves the next morning open', async () => {
    const late = await slot('2026-12-01', '23:30', '24:00');
    const morning = await slot('2026-12-02', '00:00', '00:30');
    const before = await slot('2026-12-01', '12:00', '12:30');
    const r = await api.ok('absences.create', {
      resourceId: k.id,
      from: '2026-12-01',
      fromTime: '13:00',
      to: '2026-12-01',
      toTime: '24:00',
      reason: 'Kvällsmöte',
    });
    expect([r.absence.startAt, r.absence.endAt]).toEqual([at('2026-12-01T12:00:00Z'), at('2026-12-01T23:00:00Z')]);
    expect(r.slotsChanged).toBe(1);
    expect([await stateOf(late.id), await stateOf(morning.id), await stateOf(before.id)]).toEqual(['blocked', 'open', 'open']);
  });

  it('is the same absence as the whole day: sent both ways it is kept once', async () => {
    const base = { resourceId: k.id, from: '2026-12-03', to: '2026-12-03', reason: 'Kurs' };
    const whole = await api.ok('absences.create', base);
    const again = await api.ok('absences.create', { ...base, fromTime: '00:00', toTime: '24:00' });
    expect(again.unchanged).toBe(true);
    expect(again.absence.id).toBe(whole.absence.id);
    expect(api.count(`SELECT count(*) AS n FROM absences WHERE resource_id = ?`, k.id)).toBe(1);
    // The next day's absence starts where this one ends: neither overlaps the other.
    const next = await api.ok('absences.create', { ...base, from: '2026-12-04', to: '2026-12-04', reason: 'Sjuk' });
    expect(next.absence.startAt).toBe(whole.absence.endAt);
    expect(next.overlapping).toEqual([]);
  });

  it('is DST-correct: the autumn Sunday 00:00–24:00 is 25 hours', async () => {
    const r = await api.ok('absences.create', {
      resourceId: k.id,
      from: '2027-10-31',
      fromTime: '00:00',
      to: '2027-10-31',
      toTime: '24:00',
      reason: '',
    });
    expect([r.absence.startAt, r.absence.endAt]).toEqual([at('2027-10-30T22:00:00Z'), at('2027-10-31T23:00:00Z')]);
  });

  it('absences.update takes 24:00 too; an unchanged period written as 24:00 writes nothing', async () => {
    const late = await slot('2026-12-08', '22:00', '22:30');
    const r = await api.ok('absences.create', {
      resourceId: k.id,
      from: '2026-12-08',
      fromTime: '08:00',
      to: '2026-12-08',
      toTime: '17:00',
      reason: 'Möte',
    });
    const changed = await api.ok('absences.update', {
      id: r.absence.id,
      from: '2026-12-08',
      fromTime: '08:00',
      to: '2026-12-08',
      toTime: '24:00',
    });
    expect(changed.absence.endAt).toBe(at('2026-12-08T23:00:00Z'));
    expect(await stateOf(late.id)).toBe('blocked');
    const outbox = api.count(`SELECT count(*) AS n FROM outbox`);
    const same = await api.ok('absences.update', { id: r.absence.id, from: '2026-12-08', fromTime: '08:00', to: '2026-12-08' });
    expect(same.unchanged).toBe(true);
    expect(api.count(`SELECT count(*) AS n FROM outbox`)).toBe(outbox);
  });

  it('refuses 24:00 as a start by name, and a same-day end of 00:00 says to write 24:00, in Swedish', async () => {
    const base = { resourceId: k.id, from: '2026-12-09', to: '2026-12-09', reason: '' };
    expect(await api.err('absences.create', { ...base, fromTime: '24:00' })).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/En tid kan inte börja 24:00/),
    });
    expect(await api.err('absences.create', { ...base, fromTime: '13:00', toTime: '00:00' })).toMatchObject({
      code: 'validation',
      message: 'Frånvaron måste sluta efter att den börjar. En frånvaro som slutar vid midnatt skrivs till 24:00.',
    });
    expect(await api.err('absences.create', { ...base, toTime: '24:30' })).toMatchObject({ code: 'validation' });
  });
});
