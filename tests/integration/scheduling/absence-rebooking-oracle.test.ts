// Absence rebooking (issue 3 item 7) against an oracle, through the api on real SQLite files.
// The rules, as absences.proposeRebooking documents them: for each booking hit by the absence, in
// time order, the earliest suitable free time from now on: same type, a resource of the absent
// clinician's profession (the type's professions allowing it), within the type's booking window,
// searched to `searchDays` calendar days past the absence (Stockholm dates), not a time held on
// återbudslistan, not proposed to an earlier booking, not overlapping the patient's other times
// (nor another time proposed to her); the absent clinician's own first such time instead when it
// starts at most a week (same wall-clock time, seven days on) after that earliest. Applying is all
// or nothing; the contact list hides a protected patient's name always, and her number, phone and
// new time from roles without contact duties.
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { demoApi, type Api } from './helpers.ts';

const TZ = 'Europe/Stockholm';
const plusDays = (date: string, n: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

async function unit(now: string): Promise<Api> {
  const api = demoApi({ demo: false, now: Date.parse(now) });
  await api.ok('unit.create', { hsaId: 'SE2321000016-FRAN', name: 'Frånvarons vårdcentral' });
  return api;
}
const doctor = (api: Api, name: string) => api.ok('resources.create', { kind: 'clinician', name, profession: 'lakare' });
let serial = 100;
const patient = (api: Api, protectedIdentity = false) => {
  serial += 1;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1958-04-12', serial),
    givenName: `Pat${serial}`,
    familyName: 'Flyttsson',
    phone: `070-${serial}0000`,
    protectedIdentity,
  });
};
const lakbes = (api: Api, extra: Partial<Record<'bookMaxDays' | 'bookMinLeadH' | 'durationMin', number>> = {}) =>
  api.ok('appointmentTypes.create', {
    code: 'LAK',
    nameSv: 'Läkarbesök',
    nameEn: 'Doctor',
    durationMin: 10,
    contactModes: ['physical'],
    professions: ['lakare'],
    bookMaxDays: 90,
    ...extra,
  });

describe('the same clinician preferred', () => {
  it('also when the other clinicians have hundreds of free times before hers (a full unit)', async () => {
    // Monday 2026-11-23 09:10. Anna is away on Wednesday; her own next free time is Friday, two days
    // later; Bo and Cilla have 10-minute times all day every weekday (~108 a day between them).
    const api = await unit('2026-11-23T09:10:00+01:00');
    const [anna, bo, cilla] = [await doctor(api, 'Anna Al'), await doctor(api, 'Bo Bok'), await doctor(api, 'Cilla Ceder')];
    const type = await lakbes(api);
    for (const r of [bo, cilla]) {
      await api.ok('templates.create', {
        template: {
          resourceId: r.id,
          weekdays: [1, 2, 3, 4, 5],
          validFrom: '2026-11-23',
          startTime: '08:00',
          endTime: '17:00',
          slotMin: 10,
          appointmentTypeIds: [type.id],
        },
        horizonWeeks: 2,
      });
    }
    const slot = (date: string, start: string, end: string) =>
      api.ok('slots.create', { resourceId: anna.id, date, startTime: start, endTime: end, appointmentTypeIds: [type.id] });
    const wednesday = await slot('2026-11-25', '10:00', '10:10');
    const friday = await slot('2026-11-27', '10:00', '10:10');
    const p = await patient(api);
    const booking = await api.ok('bookings.book', { slotId: wednesday.id, patientId: p.id, appointmentTypeId: type.id });
    const { absence } = await api.ok('absences.create', {
      resourceId: anna.id,
      from: '2026-11-25',
      to: '2026-11-25',
      reason: 'Kurs',
    });

    const [proposal] = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(proposal!.booking.id).toBe(booking.id);
    expect(proposal!.proposal?.slotId).toBe(friday.id);
    expect(proposal!.sameResource).toBe(true);
  });
});

describe('the search end', () => {
  // An absence over day D ends at midnight starting D+1; `searchDays` N then reaches the Stockholm
  // date D+1+N, as in any week (N × 24 h from a midnight is a midnight, unless the clock changes).
  it.each([
    ['an ordinary week', '2026-11-16T09:00:00+01:00', '2026-11-17', 7],
    ['over the autumn night (2026-10-25)', '2026-10-19T09:00:00+02:00', '2026-10-20', 7],
    ['over the spring night (2027-03-28)', '2027-03-22T09:00:00+01:00', '2027-03-23', 7],
  ])('%s: the last day searched is the same', async (_, now, day, searchDays) => {
    const api = await unit(now);
    const [anna, bo] = [await doctor(api, 'Anna Al'), await doctor(api, 'Bo Bok')];
    const type = await lakbes(api);
    const at = (r: Resource, date: string) =>
      api.ok('slots.create', { resourceId: r.id, date, startTime: '08:00', endTime: '08:10', appointmentTypeIds: [type.id] });
    const annaSlot = await at(anna, day);
    const lastDay = await at(bo, plusDays(day, 1 + searchDays));
    const p = await patient(api);
    await api.ok('bookings.book', { slotId: annaSlot.id, patientId: p.id, appointmentTypeId: type.id });
    const { absence } = await api.ok('absences.create', { resourceId: anna.id, from: day, to: day, reason: 'Sjuk' });
    const proposals = async (n: number) =>
      (await api.ok('absences.proposeRebooking', { id: absence.id, searchDays: n })).map((x) => x.proposal?.slotId ?? null);
    expect(await proposals(searchDays)).toEqual([lastDay.id]);
    expect(await proposals(searchDays - 1)).toEqual([null]);
  });
});
