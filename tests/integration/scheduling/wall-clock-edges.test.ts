// Wall-clock edges through the api on fresh units in real SQLite files: a single slot in either
// pass of the doubled autumn hour (utcOffset), a slot across the change (real length), the spring
// gap, and 24:00 as the end of a template's or a slot's day. Expected instants are worked out by
// hand: summer time (+02:00) ends 2026-10-25 and 2027-10-31 at 03:00 CEST = 01:00Z.
import { describe, expect, it } from 'vitest';
import { demoApi } from './helpers.ts';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

async function freshUnit(nowIso: string) {
  const api = demoApi({ now: at(nowIso), demo: false });
  await api.ok('unit.create', { hsaId: 'SE2321000016-W4LL', name: 'Jourmottagningen Provet' });
  const clinician = await api.ok('resources.create', { kind: 'clinician', name: 'Dr Natt', profession: 'lakare' });
  const type = await api.ok('appointmentTypes.create', {
    code: 'JOUR20',
    nameSv: 'Jourbesök',
    nameEn: 'Out-of-hours visit',
    durationMin: 20,
    contactModes: ['physical'],
    professions: ['lakare'],
    webBookable: false,
    webCancellable: false,
    webRebookable: false,
    cancelCutoffH: 0,
    rebookCutoffH: 0,
    bookMinLeadH: 0,
    bookMaxDays: 180,
  });
  const slot = (date: string, startTime: string, endTime: string, over: Record<string, unknown> = {}) => ({
    resourceId: clinician.id,
    date,
    startTime,
    endTime,
    appointmentTypeIds: [type.id],
    ...over,
  });
  return { api, clinician, type, slot };
}

describe('a single slot in the doubled autumn hour', () => {
  it('lies in the pass its utcOffset names; without one, the second', async () => {
    const { api, slot } = await freshUnit('2026-10-19T07:00:00+02:00');
    const first = await api.ok('slots.create', slot('2026-10-25', '02:20', '02:40', { utcOffset: '+02:00' }));
    expect([first.startAt, first.endAt]).toEqual([at('2026-10-25T00:20:00Z'), at('2026-10-25T00:40:00Z')]);
    const second = await api.ok('slots.create', slot('2026-10-25', '02:20', '02:40', { utcOffset: '+01:00' }));
    expect([second.startAt, second.endAt]).toEqual([at('2026-10-25T01:20:00Z'), at('2026-10-25T01:40:00Z')]);
    // The same wall-clock time a third time, either way, is the slot already there.
    for (const offset of [undefined, '+01:00', '+02:00']) {
      expect(
        await api.err('slots.create', slot('2026-10-25', '02:20', '02:40', offset ? { utcOffset: offset } : {})),
      ).toMatchObject({ code: 'conflict' });
    }
    const next = await api.ok('slots.create', slot('2027-10-31', '02:00', '02:20', { utcOffset: '+02:00' }));
    expect(next.startAt).toBe(at('2027-10-31T00:00:00Z'));
  });

  it('names the end’s pass when only the end lies in the doubled hour', async () => {
    const { api, slot } = await freshUnit('2026-10-19T07:00:00+02:00');
    const early = await api.ok('slots.create', slot('2026-10-25', '01:30', '02:30', { utcOffset: '+02:00' }));
    expect([early.startAt, (early.endAt - early.startAt) / MIN]).toEqual([at('2026-10-24T23:30:00Z'), 60]);
    const { api: api2, slot: slot2 } = await freshUnit('2026-10-19T07:00:00+02:00');
    const late = await api2.ok('slots.create', slot2('2026-10-25', '01:30', '02:30', { utcOffset: '+01:00' }));
    expect([late.startAt, (late.endAt - late.startAt) / MIN]).toEqual([at('2026-10-24T23:30:00Z'), 120]);
  });

  it('refuses an offset for times shown once, or one the time does not have, in Swedish', async () => {
    const { api, slot } = await freshUnit('2026-10-19T07:00:00+02:00');
    expect(await api.err('slots.create', slot('2026-10-25', '10:00', '10:20', { utcOffset: '+01:00' }))).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/^Klockan 10:00 visas bara en gång 2026-10-25: sommartid eller vintertid/),
    });
    expect(await api.err('slots.create', slot('2026-10-26', '02:20', '02:40', { utcOffset: '+01:00' }))).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/visas bara en gång 2026-10-26/),
    });
    expect(await api.err('slots.create', slot('2026-10-25', '02:20', '02:40', { utcOffset: '+03:00' }))).toMatchObject({
      code: 'validation',
      message:
        'Klockan 02:20 2026-10-25 är UTC +02:00 (sommartid, första gången) eller +01:00 (vintertid, andra gången), inte +03:00.',
    });
    expect(await api.err('slots.create', slot('2026-10-25', '02:20', '02:40', { utcOffset: 'sommartid' }))).toMatchObject({
      code: 'validation',
      message:
        'Ogiltiga uppgifter: Sommartid eller vintertid: UTC-förskjutningen ska skrivas +TT:MM, t.ex. +02:00 (sommartid) eller +01:00 (vintertid).',
    });
    // The end's offset says it is the end's.
    expect(await api.err('slots.create', slot('2026-10-25', '02:40', '02:10', { endUtcOffset: '1' }))).toMatchObject({
      code: 'validation',
      message:
        'Ogiltiga uppgifter: Sluttidens sommartid eller vintertid: UTC-förskjutningen ska skrivas +TT:MM, t.ex. +02:00 (sommartid) eller +01:00 (vintertid).',
    });
    expect(api.count(`SELECT count(*) AS n FROM slots`)).toBe(0);
  });

  it('a slot across the change lasts its real time: 01:40–03:20 is 2 h 40 min', async () => {
    const { api, slot } = await freshUnit('2026-10-19T07:00:00+02:00');
    const across = await api.ok('slots.create', slot('2026-10-25', '01:40', '03:20'));
    expect([across.startAt, across.endAt]).toEqual([at('2026-10-24T23:40:00Z'), at('2026-10-25T02:20:00Z')]);
    expect((across.endAt - across.startAt) / MIN).toBe(160);
    // Another slot in either pass of the doubled hour overlaps it.
    for (const utcOffset of ['+02:00', '+01:00'])
      expect(await api.err('slots.create', slot('2026-10-25', '02:20', '02:40', { utcOffset }))).toMatchObject({
        code: 'conflict',
      });
    // 8 real hours at most: 20:00–03:00 would be the next day; 00:00–07:30 that night is 8 h 30.
    expect(await api.err('slots.create', slot('2026-10-25', '00:00', '07:30'))).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/högst 8 timmar\. 00:00–07:30 2026-10-25 är 8 timmar 30 minuter/),
    });
  });

  it('the spring gap refuses single slots by name', async () => {
    const { api, slot } = await freshUnit('2026-03-16T07:00:00+01:00');
    expect(await api.err('slots.create', slot('2026-03-29', '02:20', '02:40'))).toMatchObject({
      code: 'validation',
      message: 'Klockan 02:20 finns inte 2026-03-29: klockan ställs fram en timme när sommartiden börjar. Välj en annan tid.',
    });
    expect(await api.err('slots.create', slot('2026-03-29', '02:20', '03:40', { utcOffset: '+01:00' }))).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/02:20 finns inte 2026-03-29/),
    });
  });
});

describe('24:00 ends the day', () => {
  it('a 20:00–24:00 template lays 20, 21, 22, 23 every day, both DST Sundays too, the last ending at midnight', async () => {
    const { api, clinician, type } = await freshUnit('2026-03-23T09:00:00+01:00');
    const spec = {
      resourceId: clinician.id,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      validFrom: '2026-03-23',
      startTime: '20:00',
      endTime: '24:00',
      slotMin: 60,
      appointmentTypeIds: [type.id],
      skipHolidays: false,
    };
    const preview = await api.ok('templates.preview', { template: spec, from: '2026-03-28', to: '2026-03-31' });
    expect(preview.slots.map((s) => `${s.date} ${s.startTime}–${s.endTime}`)).toEqual(
      ['2026-03-28', '2026-03-29', '2026-03-30'].flatMap((d) =>
        ['20', '21', '22', '23'].map((h) => `${d} ${h}:00–${Number(h) + 1}:00`),
      ),
    );
    const { template, expansion } = await api.ok('templates.create', { template: spec, horizonWeeks: 32 });
    expect(template.endTime).toBe('24:00');
    expect(expansion.created).toBe(4 * daysFrom(expansion.from, expansion.to));
    const day = async (date: string, next: string) =>
      (await api.ok('calendar.range', { from: date, to: next })).slots.map((s) => [s.startAt, s.endAt]);
    // Spring Sunday: +02:00 from 03:00, so 20:00 is 18:00Z and midnight 22:00Z.
    expect(await day('2026-03-29', '2026-03-30')).toEqual(
      [18, 19, 20, 21].map((h) => [at(`2026-03-29T${h}:00:00Z`), at(`2026-03-29T${h + 1}:00:00Z`)]),
    );
    // The evening before the autumn change: still +02:00, 23:00–24:00 ends at 22:00Z.
    expect((await day('2026-10-24', '2026-10-25')).at(-1)).toEqual([at('2026-10-24T21:00:00Z'), at('2026-10-24T22:00:00Z')]);
    // Autumn Sunday: +01:00 all evening, midnight is 23:00Z.
    expect(await day('2026-10-25', '2026-10-26')).toEqual(
      [19, 20, 21, 22].map((h) => [at(`2026-10-25T${h}:00:00Z`), at(`2026-10-25T${h + 1}:00:00Z`)]),
    );
    // Laid out again: nothing new.
    expect(await api.ok('templates.expand', { horizonWeeks: 32 })).toMatchObject({ created: 0 });
  });

  it('a 00:00–24:00 template: 24 slots on an ordinary day, 23 the spring Sunday, 24 the autumn Sunday', async () => {
    const { api, clinician, type } = await freshUnit('2026-03-23T09:00:00+01:00');
    const spec = {
      resourceId: clinician.id,
      weekdays: [7],
      validFrom: '2026-03-23',
      startTime: '00:00',
      endTime: '24:00',
      slotMin: 60,
      appointmentTypeIds: [type.id],
      skipHolidays: false,
    };
    const count = async (from: string, to: string) =>
      (await api.ok('templates.preview', { template: spec, from, to })).slots.length;
    expect(await count('2026-03-29', '2026-03-30')).toBe(23);
    expect(await count('2026-04-05', '2026-04-06')).toBe(24);
    expect(await count('2026-10-25', '2026-10-26')).toBe(24);
  });

  it('a single slot 23:00–24:00 the evening before the autumn change ends at 22:00Z', async () => {
    const { api, slot } = await freshUnit('2026-10-19T07:00:00+02:00');
    const evening = await api.ok('slots.create', slot('2026-10-24', '23:00', '24:00'));
    expect([evening.startAt, evening.endAt]).toEqual([at('2026-10-24T21:00:00Z'), at('2026-10-24T22:00:00Z')]);
    // The autumn night's own midnight is an hour later in real time: 25 hours after the last.
    const night = await api.ok('slots.create', slot('2026-10-25', '20:00', '24:00'));
    expect([night.startAt, night.endAt]).toEqual([at('2026-10-25T19:00:00Z'), at('2026-10-25T23:00:00Z')]);
  });

  it('refuses 24:00 as a start time, in Swedish, for templates and slots', async () => {
    const { api, clinician, type, slot } = await freshUnit('2026-10-19T07:00:00+02:00');
    const refused = {
      code: 'validation',
      message: expect.stringMatching(/En tid kan inte börja 24:00: 24:00 är dygnets slut/),
    };
    expect(await api.err('slots.create', slot('2026-10-24', '24:00', '24:00'))).toMatchObject(refused);
    const spec = {
      resourceId: clinician.id,
      weekdays: [1],
      validFrom: '2026-10-19',
      startTime: '24:00',
      endTime: '24:00',
      slotMin: 60,
      appointmentTypeIds: [type.id],
    };
    expect(await api.err('templates.create', { template: spec })).toMatchObject(refused);
    expect(await api.err('templates.preview', { template: spec })).toMatchObject(refused);
    const { template } = await api.ok('templates.create', { template: { ...spec, startTime: '22:00' }, horizonWeeks: 1 });
    expect(await api.err('templates.update', { id: template.id, changes: { startTime: '24:00' } })).toMatchObject(refused);
    // An end past 24:00 is no time at all.
    expect(await api.err('slots.create', slot('2026-10-24', '23:00', '24:30'))).toMatchObject({ code: 'validation' });
    // A night's end of 00:00 names how to write it.
    expect(await api.err('slots.create', slot('2026-10-24', '23:00', '00:00'))).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/skrivs 23:00–24:00/),
    });
  });
});

function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
