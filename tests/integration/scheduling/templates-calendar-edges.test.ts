// Second-round checks of templates at the calendar's rare edges, through the api (dispatch) on
// fresh units in real SQLite files and through `tidbok`: every-N-weeks rhythms anchored before ISO
// week 53 of 2026, validity ends on holidays, the holiday weeks of 2026–2027 on a seven-day
// template whose slot length does not divide its hours, weekend templates, eves switched after the
// book holds bookings, and the horizon at its edges. Every expected date is derived by hand from
// the Swedish calendar (see the comments), never from Tidbok's output.
import { describe, expect, it } from 'vitest';
import { demoApi } from './helpers.ts';
import type { InputOf } from '../../../src-main/api/contract.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';
import type { TemplateChange, TemplatePreview } from '../../../src-main/api/methods/scheduling.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { apiAs, startShell } from '../../helpers/web-shell.ts';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';

const at = (iso: string) => Date.parse(iso);
/** 08:00–11:50 in 20-minute slots: 230 minutes hold 11 slots, the last 11:20–11:40. */
const ELEVEN = ['08:00', '08:20', '08:40', '09:00', '09:20', '09:40', '10:00', '10:20', '10:40', '11:00', '11:20'];

type TemplateInput = InputOf<'templates.create'>['template'];

/** A fresh unit (no demo data) with one type of 20 minutes, at a clock the test sets. */
async function freshUnit(nowIso: string) {
  const api = demoApi({ now: at(nowIso), demo: false });
  await api.ok('unit.create', { hsaId: 'SE2321000016-KAL1', name: 'Vårdcentralen Kalendern' });
  const type = await api.ok('appointmentTypes.create', {
    code: 'BES20',
    nameSv: 'Läkarbesök 20 min',
    nameEn: 'Doctor visit 20 min',
    durationMin: 20,
    contactModes: ['physical'],
    professions: ['lakare'],
    webBookable: true,
    webCancellable: true,
    webRebookable: true,
    bookMaxDays: 800,
  });
  let n = 0;
  const clinician = () => api.ok('resources.create', { kind: 'clinician', name: `Dr Vecka ${++n}`, profession: 'lakare' });
  const spec = (over: Partial<TemplateInput> = {}): Omit<TemplateInput, 'resourceId'> => ({
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    validFrom: localDate(api.ctx.now()),
    startTime: '08:00',
    endTime: '11:50',
    slotMin: 20,
    appointmentTypeIds: [type.id],
    ...over,
  });
  /** Live slots of a resource on the local dates [from, to), as instants in time order. */
  const saved = (resourceId: string, from: string, to: string) =>
    (
      api.ctx.db
        .prepare(`SELECT start_at FROM slots WHERE resource_id = ? AND state <> 'removed' ORDER BY start_at`)
        .pluck()
        .all(resourceId) as number[]
    ).filter((s) => localDate(s) >= from && localDate(s) < to);
  return { api, type, clinician, spec, saved };
}

const datesOf = (starts: readonly number[]) => [...new Set(starts.map((s) => localDate(s)))];

describe('every N weeks anchored before ISO week 53 of 2026 (28 Dec – 3 Jan) keeps its rhythm by real weeks', () => {
  // Weeks are counted from the Monday of valid_from's week. A rhythm by ISO week numbers mod N
  // would jump at the new year (week 53 is followed by week 1): the cases tell the two apart.
  it.each([
    // Every 4th Monday from Monday 2 Nov (week 45): 2 Nov, 30 Nov, 28 Dec (week 53), 25 Jan, 22 Feb.
    [
      { weekdays: [1], everyNWeeks: 4, validFrom: '2026-11-02' },
      ['2026-11-02', '2026-11-30', '2026-12-28', '2027-01-25', '2027-02-22'],
      [],
    ],
    // Every 3rd Thursday from 19 Nov (week 47): weeks of 16 Nov, 7 Dec, 28 Dec, 18 Jan, 8 Feb;
    // Thursday 31 Dec is nyårsafton (closed by default).
    [
      { weekdays: [4], everyNWeeks: 3, validFrom: '2026-11-19' },
      ['2026-11-19', '2026-12-10', '2027-01-21', '2027-02-11'],
      ['2026-12-31 nyårsafton'],
    ],
    // Every 2nd Sunday from 20 Dec (week 51): Sunday 3 Jan is in week 53, then 17 Jan, 31 Jan …
    [
      { weekdays: [7], everyNWeeks: 2, validFrom: '2026-12-20' },
      ['2026-12-20', '2027-01-03', '2027-01-17', '2027-01-31', '2027-02-14', '2027-02-28'],
      [],
    ],
    // Fridays and Saturdays every 2nd week, valid from Thursday 24 Dec (not one of its days):
    // the week of 21 Dec runs (juldagen and annandag jul closed), week 53 does not, 4 Jan's does.
    [
      { weekdays: [5, 6], everyNWeeks: 2, validFrom: '2026-12-24' },
      ['2027-01-08', '2027-01-09', '2027-01-22', '2027-01-23', '2027-02-05', '2027-02-06', '2027-02-19', '2027-02-20'],
      ['2026-12-25 juldagen', '2026-12-26 annandag jul'],
    ],
    // Every 2nd Wednesday from 30 Dec (week 53) to 10 Feb inclusive: trettondedagen (6 Jan) is
    // in an off week, 10 Feb is the last day.
    [
      { weekdays: [3], everyNWeeks: 2, validFrom: '2026-12-30', validTo: '2027-02-10' },
      ['2026-12-30', '2027-01-13', '2027-01-27', '2027-02-10'],
      [],
    ],
    // Weekdays every 4th week from week 53: 28–30 Dec (31 Dec and 1 Jan closed), then the weeks
    // of 25 Jan and 22 Feb.
    [
      { weekdays: [1, 2, 3, 4, 5], everyNWeeks: 4, validFrom: '2026-12-28' },
      [
        ...['2026-12-28', '2026-12-29', '2026-12-30'],
        ...['2027-01-25', '2027-01-26', '2027-01-27', '2027-01-28', '2027-01-29'],
        ...['2027-02-22', '2027-02-23', '2027-02-24', '2027-02-25', '2027-02-26'],
      ],
      ['2026-12-31 nyårsafton', '2027-01-01 nyårsdagen'],
    ],
  ])('%j', async (over, dates, skipped) => {
    const { api, clinician, spec, saved } = await freshUnit('2026-11-02T07:00:00+01:00');
    const from = '2026-11-02';
    const to = '2027-03-01';
    const preview = await api.ok('templates.preview', { template: spec(over), from, to });
    expect(datesOf(preview.slots.map((s) => s.startAt))).toEqual(dates);
    expect(preview.skipped.map((s) => `${s.date} ${s.holiday}`)).toEqual(skipped);
    expect(preview.slots.filter((s) => s.date === dates[0]).map((s) => s.startTime)).toEqual(ELEVEN);
    // Saving over 17 weeks (to 1 March) lays out exactly those slots.
    const resource = await clinician();
    await api.ok('templates.create', { template: { ...spec(over), resourceId: resource.id }, horizonWeeks: 17 });
    expect(saved(resource.id, from, to)).toEqual(preview.slots.map((s) => s.startAt));
  });
});

describe('the holiday weeks of 2026 and 2027 on a seven-day template (08:00–11:50, 20 minutes)', () => {
  // Laid out once from Tuesday 1 Dec 2026 over 57 weeks (to 4 Jan 2028); each week is previewed
  // and compared with what saving laid out and with the hand-made calendar.
  const book = (async () => {
    const u = await freshUnit('2026-12-01T07:00:00+01:00');
    const resource = await u.clinician();
    const created = await u.api.ok('templates.create', { template: { ...u.spec(), resourceId: resource.id }, horizonWeeks: 57 });
    return { ...u, resource, created };
  })();

  it('skips exactly the closed days of the 57 weeks, and lays 11 slots on every other day', async () => {
    const { created, saved, resource } = await book;
    // Annandag pingst (17 May 2027) has been a working day since 2005; påskafton, pingstafton,
    // trettondagsafton, valborgsmässoafton and alla helgons afton are open too.
    expect(created.expansion.skippedHolidays.map((h) => h.date)).toEqual([
      ...['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01', '2027-01-06'],
      ...['2027-03-26', '2027-03-28', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-16', '2027-06-06'],
      ...['2027-06-25', '2027-06-26', '2027-11-06', '2027-12-24', '2027-12-25', '2027-12-26', '2027-12-31', '2028-01-01'],
    ]);
    // 399 days from 1 Dec 2026 to 3 Jan 2028, less those 21: 378 days of 11 slots.
    expect(created.expansion.created).toBe(378 * 11);
    const all = saved(resource.id, '2026-12-01', '2028-01-04');
    expect(all.length).toBe(378 * 11);
    for (const date of ['2027-03-27', '2027-04-30', '2027-05-15', '2027-05-17', '2027-11-05', '2027-01-05']) {
      expect(all.filter((s) => localDate(s) === date).map((s) => localTime(s))).toEqual(ELEVEN);
    }
  });

  it.each([
    // Julveckan 2026: julafton Thu, juldagen Fri, annandag jul Sat.
    ['2026-12-21', ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-27'], ['julafton', 'juldagen', 'annandag jul']],
    // Week 53: nyårsafton Thu, nyårsdagen Fri.
    ['2026-12-28', ['2026-12-28', '2026-12-29', '2026-12-30', '2027-01-02', '2027-01-03'], ['nyårsafton', 'nyårsdagen']],
    // Påskveckan 2027: långfredag 26 Mar, påskdagen 28 Mar = the spring clock change; påskafton open.
    ['2027-03-22', ['2027-03-22', '2027-03-23', '2027-03-24', '2027-03-25', '2027-03-27'], ['långfredagen', 'påskdagen']],
    // Annandag påsk Mon 29 Mar, the first day of summer time's first week.
    ['2027-03-29', ['2027-03-30', '2027-03-31', '2027-04-01', '2027-04-02', '2027-04-03', '2027-04-04'], ['annandag påsk']],
    // Kristi himmelsfärdsdag Thu 6 May (its Friday is a working day).
    [
      '2027-05-03',
      ['2027-05-03', '2027-05-04', '2027-05-05', '2027-05-07', '2027-05-08', '2027-05-09'],
      ['Kristi himmelsfärdsdag'],
    ],
    // Pingstdagen Sun 16 May; pingstafton Sat 15 May open.
    ['2027-05-10', ['2027-05-10', '2027-05-11', '2027-05-12', '2027-05-13', '2027-05-14', '2027-05-15'], ['pingstdagen']],
    // Nationaldagen on a Sunday (6 June 2027): no day in lieu.
    ['2027-05-31', ['2027-05-31', '2027-06-01', '2027-06-02', '2027-06-03', '2027-06-04', '2027-06-05'], ['nationaldagen']],
    // Midsommarafton Fri 25 June (closed eve), midsommardagen Sat 26 June.
    ['2027-06-21', ['2027-06-21', '2027-06-22', '2027-06-23', '2027-06-24', '2027-06-27'], ['midsommarafton', 'midsommardagen']],
    // The autumn clock change (Sun 31 Oct 2027) is an ordinary open day: same wall-clock slots.
    ['2027-10-25', ['2027-10-25', '2027-10-26', '2027-10-27', '2027-10-28', '2027-10-29', '2027-10-30', '2027-10-31'], []],
    // Alla helgons dag Sat 6 Nov 2027; its afton (Fri 5 Nov) open.
    ['2027-11-01', ['2027-11-01', '2027-11-02', '2027-11-03', '2027-11-04', '2027-11-05', '2027-11-07'], ['alla helgons dag']],
    // Julveckan 2027: julafton Fri, juldagen Sat, annandag jul Sun.
    ['2027-12-20', ['2027-12-20', '2027-12-21', '2027-12-22', '2027-12-23'], ['julafton', 'juldagen', 'annandag jul']],
    // Nyårsafton Fri 31 Dec 2027, nyårsdagen Sat 1 Jan 2028.
    ['2027-12-27', ['2027-12-27', '2027-12-28', '2027-12-29', '2027-12-30', '2028-01-02'], ['nyårsafton', 'nyårsdagen']],
  ])('week of %s: preview = saved = the calendar', async (monday, dates, closed) => {
    const { api, spec, saved, resource } = await book;
    const to = localDate(at(`${monday}T12:00:00+01:00`) + 7 * 86_400_000);
    const preview = await api.ok('templates.preview', { template: spec({ validFrom: '2026-12-01' }), from: monday, to });
    expect(datesOf(preview.slots.map((s) => s.startAt))).toEqual(dates);
    expect(preview.skipped.map((s) => s.holiday)).toEqual(closed);
    for (const date of dates) expect(preview.slots.filter((s) => s.date === date).map((s) => s.startTime)).toEqual(ELEVEN);
    expect(saved(resource.id, monday, to)).toEqual(preview.slots.map((s) => s.startAt));
    expect(preview.clockChanges).toEqual([]);
  });
});

describe('a weekend template (Saturdays and Sundays 09:00–10:00) over 2027', () => {
  it('opens every weekend day but the eight public holidays that fall on one', async () => {
    const { api, spec } = await freshUnit('2026-12-01T07:00:00+01:00');
    const preview = await api.ok('templates.preview', {
      template: spec({ weekdays: [6, 7], startTime: '09:00', endTime: '10:00', slotMin: 60 }),
      from: '2027-01-01',
      to: '2028-01-01',
    });
    // 2027 begins on a Friday: 52 Saturdays (2 Jan …) and 52 Sundays (3 Jan …), by date arithmetic.
    const weekend: string[] = [];
    for (let d = Date.UTC(2027, 0, 2); d < Date.UTC(2028, 0, 1); d += 86_400_000) {
      if ([0, 6].includes(new Date(d).getUTCDay())) weekend.push(new Date(d).toISOString().slice(0, 10));
    }
    const closed = [
      '2027-03-28 påskdagen',
      '2027-05-01 första maj',
      '2027-05-16 pingstdagen',
      '2027-06-06 nationaldagen',
      '2027-06-26 midsommardagen',
      '2027-11-06 alla helgons dag',
      '2027-12-25 juldagen',
      '2027-12-26 annandag jul',
    ];
    expect(weekend.length).toBe(104);
    expect(preview.skipped.map((s) => `${s.date} ${s.holiday}`)).toEqual(closed);
    expect(preview.slots.map((s) => s.date)).toEqual(weekend.filter((d) => !closed.some((c) => c.startsWith(d))));
    expect(new Set(preview.slots.map((s) => `${s.startTime}-${s.endTime}`))).toEqual(new Set(['09:00-10:00']));
  });
});

describe('the horizon at its edges, from Monday 28 Dec 2026 (week 53)', () => {
  it('1 week reaches Sunday 3 Jan; lengthened, shortened and lengthened again it lays each slot once; 104 weeks end on julafton 2028', async () => {
    const { api, clinician, spec, saved } = await freshUnit('2026-12-28T07:00:00+01:00');
    const resource = await clinician();
    const count = () => saved(resource.id, '2026-01-01', '2030-01-01').length;
    expect(await api.ok('templates.setHorizon', { weeks: 1 })).toMatchObject({ weeks: 1, until: '2027-01-03' });
    const { expansion } = await api.ok('templates.create', { template: { ...spec(), resourceId: resource.id } });
    // 28, 29, 30 Dec, 2 and 3 Jan (nyårsafton and nyårsdagen closed).
    expect(datesOf(saved(resource.id, '2026-01-01', '2030-01-01'))).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2027-01-02',
      '2027-01-03',
    ]);
    expect(expansion).toMatchObject({ from: '2026-12-28', to: '2027-01-04', created: 55 });
    // 3 weeks: 4–17 Jan less trettondedagen: 13 days of 11.
    const three = await api.ok('templates.setHorizon', { weeks: 3 });
    expect(three).toMatchObject({ until: '2027-01-17', expansion: { created: 143 } });
    expect(count()).toBe(198);
    expect((await api.ok('templates.setHorizon', { weeks: 1 })).expansion.created).toBe(0);
    expect(count()).toBe(198);
    expect((await api.ok('templates.setHorizon', { weeks: 3 })).expansion).toMatchObject({ created: 0, existing: 198 });
    expect(await api.ok('templates.expand', {})).toMatchObject({ created: 0, existing: 198 });
    expect(count()).toBe(198);
    // 104 weeks = 728 days (2028 is a leap year): to Sunday 24 Dec 2028, julafton, closed.
    const longest = await api.ok('templates.setHorizon', { weeks: 104 });
    expect(longest.until).toBe('2028-12-24');
    const all = saved(resource.id, '2026-01-01', '2030-01-01');
    expect(localDate(all.at(-1)!)).toBe('2028-12-23');
    expect((await api.ok('templates.expand', {})).created).toBe(0);
    // The preview's default range is the horizon: what saving the same template lays out.
    const preview = await api.ok('templates.preview', { template: spec() });
    expect(preview.slots.map((s) => s.startAt)).toEqual(all);
    expect(await api.err('templates.preview', { template: spec(), from: '2026-12-28', to: '2028-12-26' })).toMatchObject({
      code: 'validation',
      message: 'Förhandsvisningen omfattar högst 104 veckor (schemahorisonten).',
    });
  });

  it.each([
    ['templates.setHorizon', { weeks: -1 }, 'Veckor framåt: Värdet måste vara minst 1.'],
    ['templates.setHorizon', { weeks: '12' }, 'Veckor framåt: Ange ett tal.'],
    ['templates.expand', { horizonWeeks: 0 }, 'Antal veckor framåt: Värdet måste vara minst 1.'],
    ['templates.expand', { horizonWeeks: 1.5 }, 'Antal veckor framåt: Ange ett heltal.'],
    ['templates.expand', { horizonWeeks: 105 }, 'Antal veckor framåt: Värdet får vara högst 104.'],
  ] as const)('%s %j is refused in Swedish', async (method, input, message) => {
    const { api } = await freshUnit('2026-12-28T07:00:00+01:00');
    expect(await api.err(method, input as never)).toMatchObject({
      code: 'validation',
      message: `Ogiltiga uppgifter: ${message}`,
    });
  });
});

describe('"every N weeks" and the horizon of one template: nonsense is refused in Swedish, naming the field', () => {
  it.each([
    ['preview', { everyNWeeks: -1 }, 'Var n:e vecka: Värdet måste vara minst 1.'],
    ['preview', { everyNWeeks: 1.5 }, 'Var n:e vecka: Ange ett heltal.'],
    ['create', { everyNWeeks: -2 }, 'Var n:e vecka: Värdet måste vara minst 1.'],
    ['create', { everyNWeeks: 0.5 }, 'Var n:e vecka: Ange ett heltal.'],
    ['create', { everyNWeeks: 53 }, 'Var n:e vecka: Värdet får vara högst 52.'],
    ['create', { everyNWeeks: '2' }, 'Var n:e vecka: Ange ett tal.'],
    ['create-horizon', { horizonWeeks: 0 }, 'Antal veckor framåt: Värdet måste vara minst 1.'],
    ['update', { everyNWeeks: 0 }, 'Var n:e vecka: Värdet måste vara minst 1.'],
    ['update', { everyNWeeks: 2.5 }, 'Var n:e vecka: Ange ett heltal.'],
    ['update-horizon', { horizonWeeks: -4 }, 'Antal veckor framåt: Värdet måste vara minst 1.'],
  ])('%s %j', async (what, patch, message) => {
    const { api, clinician, spec, saved } = await freshUnit('2026-12-28T07:00:00+01:00');
    const resource = await clinician();
    const { template } = await api.ok('templates.create', { template: { ...spec({ everyNWeeks: 2 }), resourceId: resource.id } });
    const before = saved(resource.id, '2026-01-01', '2030-01-01');
    const err =
      what === 'preview'
        ? await api.err('templates.preview', { template: { ...spec(), ...patch } } as never)
        : what === 'create'
          ? await api.err('templates.create', { template: { ...spec(), ...patch, resourceId: resource.id } } as never)
          : what === 'create-horizon'
            ? await api.err('templates.create', { template: { ...spec(), resourceId: resource.id }, ...patch } as never)
            : what === 'update'
              ? await api.err('templates.update', { id: template.id, changes: patch } as never)
              : await api.err('templates.update', { id: template.id, changes: { name: 'x' }, ...patch } as never);
    expect(err).toMatchObject({ code: 'validation', message: `Ogiltiga uppgifter: ${message}` });
    expect(saved(resource.id, '2026-01-01', '2030-01-01')).toEqual(before);
    expect(await api.ok('templates.get', { id: template.id })).toMatchObject({ everyNWeeks: 2, name: '' });
  });
});

describe('tidbok templates on a unit whose horizon is 20 weeks (Monday 28 Dec 2026)', () => {
  const NOW = '2026-12-28T07:00:00+01:00';
  const opts = ['--weekdays', '1-5', '--start', '08:00', '--end', '11:50', '--slot', '20', '--types', 'BES20'];

  it("add and preview default to the unit's horizon, and preview shows what add lays out", async () => {
    const { api, clinician, saved } = await freshUnit(NOW);
    const resource = await clinician();
    await api.ok('templates.setHorizon', { weeks: 20 });
    const db = ['--resource', resource.name, ...opts, '--json', '--db', api.path];
    const preview = await runTidbok(['templates', 'preview', ...db], NOW);
    expect(preview.code).toBe(0);
    const shown = JSON.parse(preview.out) as TemplatePreview;
    const added = await runTidbok(['templates', 'add', ...db], NOW);
    expect(added.code).toBe(0);
    const [change] = JSON.parse(added.out) as TemplateChange[];
    // 20 weeks from Monday 28 Dec reach Sunday 16 May 2027 (the last weekday Friday 14 May).
    expect(change!.expansion).toMatchObject({ from: '2026-12-28', to: '2027-05-17' });
    const laid = saved(resource.id, '2026-01-01', '2030-01-01');
    expect(localDate(laid.at(-1)!)).toBe('2027-05-14');
    expect(shown.slots.map((s) => s.startAt)).toEqual(laid);
  });

  it.each([
    [['templates', 'preview', '--weeks', '0'], 'tidbok: --weeks ska vara ett heltal 1–104, inte "0".'],
    [['templates', 'preview', '--weeks', '105'], 'tidbok: --weeks ska vara ett heltal 1–104, inte "105".'],
    [['templates', 'add', '--weeks', '0'], 'tidbok: --weeks ska vara ett heltal 1–104, inte "0".'],
    [['templates', 'add', '--weeks', '1.5'], 'tidbok: --weeks ska vara ett heltal 1–104, inte "1.5".'],
    [
      ['templates', 'add', '--every', '0'],
      'tidbok: Ogiltiga uppgifter: Var n:e vecka: Värdet måste vara minst 1. (template.everyNWeeks)',
    ],
    [['templates', 'add', '--every', '-2'], 'tidbok: --every ska vara ett heltal, inte "-2".'],
    [['templates', 'add', '--every', '1.5'], 'tidbok: --every ska vara ett heltal, inte "1.5".'],
    [
      ['templates', 'add', '--every', '53'],
      'tidbok: Ogiltiga uppgifter: Var n:e vecka: Värdet får vara högst 52. (template.everyNWeeks)',
    ],
  ])('%j exits 2: %s', async (args, message) => {
    const { api, clinician } = await freshUnit(NOW);
    const resource = await clinician();
    const r = await runTidbok([...args, '--resource', resource.name, ...opts, '--db', api.path], NOW);
    expect(r).toMatchObject({ code: 2, err: `${message}\n` });
    expect(api.count(`SELECT count(*) AS n FROM schedule_templates`)).toBe(0);
  });

  it('update --weeks 0 exits 2 and changes nothing', async () => {
    const { api, clinician, spec } = await freshUnit(NOW);
    const resource = await clinician();
    const { template } = await api.ok('templates.create', { template: { ...spec(), resourceId: resource.id } });
    const r = await runTidbok(['templates', 'update', template.id, '--every', '2', '--weeks', '0', '--db', api.path], NOW);
    expect(r).toMatchObject({ code: 2, err: 'tidbok: --weeks ska vara ett heltal 1–104, inte "0".\n' });
    expect((await api.ok('templates.get', { id: template.id })).everyNWeeks).toBe(1);
  });
});

describe('eves switched after the book holds bookings (Tuesday 1 Dec 2026, horizon 30 weeks)', () => {
  it('nyårsafton 2026 and midsommarafton 2027: opened on the web, closed keeping the booking and the hand-made time, reopened around it', async () => {
    const { api, clinician, spec, type } = await freshUnit('2026-12-01T07:00:00+01:00');
    const resource = await clinician();
    await api.ok('templates.setHorizon', { weeks: 30 }); // to Monday 28 June 2027
    await api.ok('templates.create', {
      template: {
        ...spec({ weekdays: [1, 2, 3, 4, 5], endTime: '10:00', slotMin: 30, publishWeb: true }),
        resourceId: resource.id,
      },
    });
    const patient = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1961-12-31', 7),
      givenName: 'Sylvia',
      familyName: 'Nyår',
    });
    const freeOn = async (date: string, webOnly: boolean) =>
      (await api.ok('slots.findFree', { appointmentTypeId: type.id, from: date, to: date, webOnly })).map((f) =>
        localTime(f.startAt),
      );
    const day = async (date: string) =>
      (await api.ok('calendar.range', { from: date, to: localDate(at(`${date}T12:00:00+01:00`) + 86_400_000) })).slots.map(
        (s) => `${localTime(s.startAt)} ${s.state}${s.templateId ? '' : ' hand'}`,
      );
    const outbox = () => api.count(`SELECT count(*) AS n FROM outbox`);
    const audit = () => api.count(`SELECT count(*) AS n FROM audit_events`);
    expect(await day('2026-12-31')).toEqual([]);

    // Opened: both eves get the template's four times, on the web like the rest, queued for sync.
    let queued = outbox();
    const opened = await api.ok('holidays.setRules', { nyarsafton: false, midsommarafton: false });
    expect(opened).toMatchObject({ julafton: true, nyarsafton: false, midsommarafton: false, slotsRemoved: 0, slotsCreated: 8 });
    expect(opened.bookedKept).toEqual([]);
    expect(outbox()).toBeGreaterThan(queued);
    expect(await freeOn('2026-12-31', true)).toEqual(['08:00', '08:30', '09:00', '09:30']);
    expect(await freeOn('2027-06-25', true)).toEqual(['08:00', '08:30', '09:00', '09:30']);

    // A booking at 09:00 and a hand-made time at 10:00 (not on the web).
    const nine = (await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-12-31', to: '2026-12-31' }))[2]!;
    const booking = await api.ok('bookings.book', {
      slotId: nine.slotId,
      patientId: patient.id,
      appointmentTypeId: type.id,
      channel: 'desk',
    });
    await api.ok('slots.create', {
      resourceId: resource.id,
      date: '2026-12-31',
      startTime: '10:00',
      endTime: '10:30',
      appointmentTypeIds: [type.id],
      webPublished: false,
    });

    // Closed again: the free template times leave (queued), the booking and the hand-made time stay.
    queued = outbox();
    const closed = await api.ok('holidays.setRules', { nyarsafton: true });
    expect(closed).toMatchObject({ nyarsafton: true, midsommarafton: false, slotsRemoved: 3, slotsCreated: 0 });
    expect(closed.bookedKept.map((b) => [b.bookingId, localTime(b.startAt), b.patientName])).toEqual([
      [booking.id, '09:00', 'Sylvia Nyår'],
    ]);
    expect(outbox()).toBeGreaterThanOrEqual(queued + 3);
    expect(await day('2026-12-31')).toEqual(['09:00 open', '10:00 open hand']);
    expect(await freeOn('2026-12-31', true)).toEqual([]);
    expect(await freeOn('2026-12-31', false)).toEqual(['10:00']);
    expect(await freeOn('2027-06-25', true)).toEqual(['08:00', '08:30', '09:00', '09:30']);

    // The same rule again changes nothing: no slot, no unit version, no outbox row, no audit event.
    const version = api.count(`SELECT version AS n FROM units`);
    [queued] = [outbox()];
    const events = audit();
    expect(await api.ok('holidays.setRules', { nyarsafton: true })).toMatchObject({
      slotsRemoved: 0,
      slotsCreated: 0,
      bookedKept: [],
    });
    expect([api.count(`SELECT version AS n FROM units`), outbox(), audit()]).toEqual([version, queued, events]);

    // Reopened: the three free times come back around the booked one (one slot at 09:00, not two).
    const reopened = await api.ok('holidays.setRules', { nyarsafton: false });
    expect(reopened).toMatchObject({ slotsRemoved: 0, slotsCreated: 3, bookedKept: [] });
    expect(await day('2026-12-31')).toEqual(['08:00 open', '08:30 open', '09:00 open', '09:30 open', '10:00 open hand']);
    // Cancelled, the 09:00 time is the template's again (the eve is open): on the web like the rest.
    await api.ok('bookings.cancel', { id: booking.id });
    expect(await freeOn('2026-12-31', true)).toEqual(['08:00', '08:30', '09:00', '09:30']);
  });
});

describe('editing the rhythm and validity across week 53 (Monday 14 Dec 2026, Mondays 08:00–09:00 weekly)', () => {
  it.each([
    // Laid out 9 weeks; the edit lays out the unit's 12 (to Sunday 7 March). Every 2nd week from
    // week 51: 14 Dec, 28 Dec (week 53), 11 Jan, 25 Jan, 8 Feb, 22 Feb. The booked 4 Jan (week 1)
    // is no longer planned: kept and reported; 21 Dec, 18 Jan, 1 Feb leave.
    [
      { everyNWeeks: 2 },
      ['2026-12-14', '2026-12-28', '2027-01-04', '2027-01-11', '2027-01-25', '2027-02-08', '2027-02-22'],
      ['2027-01-04'],
    ],
    // Valid from Wednesday 23 Dec (week 52), every 2nd week: Mondays 4 Jan, 18 Jan, 1 Feb, 15 Feb.
    // Today's 08:00 (not begun at 07:00) is before valid_from and leaves; the booked 28 Dec
    // (week 53, an off week now) stays, reported.
    [
      { everyNWeeks: 2, validFrom: '2026-12-23' },
      ['2026-12-28', '2027-01-04', '2027-01-18', '2027-02-01', '2027-02-15'],
      ['2026-12-28'],
    ],
    // Every 3rd week, valid to trettondedagen (Wednesday 6 Jan): 14 Dec and 4 Jan; the booked
    // 28 Dec stays, reported.
    [{ everyNWeeks: 3, validTo: '2027-01-06' }, ['2026-12-14', '2026-12-28', '2027-01-04'], ['2026-12-28']],
  ])('%j', async (changes, dates, reported) => {
    const { api, clinician, spec, type, saved } = await freshUnit('2026-12-14T07:00:00+01:00');
    const resource = await clinician();
    const { template } = await api.ok('templates.create', {
      template: { ...spec({ weekdays: [1], endTime: '09:00', slotMin: 60 }), resourceId: resource.id },
      horizonWeeks: 9,
    });
    const patient = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1970-01-04', 3),
      givenName: 'Vecka',
      familyName: 'Femtiotre',
    });
    const slotOn = (date: string) => saved(resource.id, date, localDate(at(`${date}T12:00:00+01:00`) + 86_400_000))[0]!;
    for (const date of ['2026-12-28', '2027-01-04']) {
      const slotId = api.ctx.db
        .prepare(`SELECT id FROM slots WHERE start_at = ? AND resource_id = ?`)
        .pluck()
        .get(slotOn(date), resource.id) as string;
      await api.ok('bookings.book', { slotId, patientId: patient.id, appointmentTypeId: type.id, channel: 'desk' });
    }
    const { expansion } = await api.ok('templates.update', { id: template.id, changes });
    expect(expansion.bookedUnchanged.map((b) => localDate(b.startAt))).toEqual(reported);
    expect(datesOf(saved(resource.id, '2026-12-01', '2027-03-01'))).toEqual(dates);
  });
});

describe('a new template whose validity never meets its days', () => {
  it.each([
    [
      { weekdays: [3], validFrom: '2027-01-04', validTo: '2027-01-05' },
      'Mallen gäller bara 2027-01-04–2027-01-05, och ingen av de dagarna är en av dess veckodagar: den skulle inte lägga ut några tider.',
    ],
    // Mondays every 2nd week from Saturday 26 Dec: Monday 28 Dec is in week 53, an off week.
    [
      { weekdays: [1], everyNWeeks: 2, validFrom: '2026-12-26', validTo: '2027-01-03' },
      'Mallen gäller bara 2026-12-26–2027-01-03, och ingen av de dagarna är en av dess veckodagar i en vecka då den går (var 2:e vecka räknat från veckan med 2026-12-26): den skulle inte lägga ut några tider.',
    ],
  ])('%j is refused in Swedish and writes nothing', async (over, message) => {
    const { api, clinician, spec } = await freshUnit('2026-12-14T07:00:00+01:00');
    const resource = await clinician();
    expect(await api.err('templates.create', { template: { ...spec(over), resourceId: resource.id } })).toMatchObject({
      code: 'validation',
      message,
    });
    expect(api.count(`SELECT count(*) AS n FROM schedule_templates`)).toBe(0);
  });

  it('is accepted when its only days are holidays (långfredagen to annandag påsk 2027), and reports them', async () => {
    const { api, clinician, spec } = await freshUnit('2027-03-01T07:00:00+01:00');
    const resource = await clinician();
    const { expansion } = await api.ok('templates.create', {
      template: { ...spec({ weekdays: [5, 7, 1], validFrom: '2027-03-26', validTo: '2027-03-29' }), resourceId: resource.id },
    });
    expect(expansion.created).toBe(0);
    expect(expansion.skippedHolidays.map((h) => h.date)).toEqual(['2027-03-26', '2027-03-28', '2027-03-29']);
  });

  it('may still be the result of an edit (a template ended on a day it does not run)', async () => {
    const { api, clinician, spec } = await freshUnit('2026-12-14T07:00:00+01:00');
    const resource = await clinician();
    const { template } = await api.ok('templates.create', { template: { ...spec({ weekdays: [1] }), resourceId: resource.id } });
    const ended = await api.ok('templates.update', {
      id: template.id,
      changes: { validFrom: '2026-12-15', validTo: '2026-12-16' },
    });
    expect(ended.template).toMatchObject({ validFrom: '2026-12-15', validTo: '2026-12-16' });
  });

  it('tidbok templates add exits 2 with the same sentence', async () => {
    const { api, clinician } = await freshUnit('2026-12-14T07:00:00+01:00');
    const resource = await clinician();
    const r = await runTidbok(
      ['templates', 'add', '--resource', resource.name, '--weekdays', '3', '--start', '08:00', '--end', '09:00', '--slot', '20',
        '--types', 'BES20', '--from', '2027-01-04', '--to', '2027-01-05', '--db', api.path], // prettier-ignore
      '2026-12-14T07:00:00+01:00',
    );
    expect(r).toMatchObject({
      code: 2,
      err: 'tidbok: Mallen gäller bara 2027-01-04–2027-01-05, och ingen av de dagarna är en av dess veckodagar: den skulle inte lägga ut några tider.\n',
    });
  });
});

describe('through the web shell over HTTP (demo unit, Monday 28 Dec 2026, week 53)', () => {
  it('a 60-week horizon; a fortnightly weekend template from week 53 previewed without an end and saved alike', async () => {
    const shell = await startShell({ env: { TIDBOK_NOW: '2026-12-28T07:00:00+01:00' } });
    try {
      const call = apiAs(() => shell, 'schema', 'demo-schema');
      const anna = (await call<Resource[]>('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
      const lakbes = (await call<AppointmentType[]>('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
      expect(await call('templates.setHorizon', { weeks: 60 })).toMatchObject({ weeks: 60, until: '2028-02-20' });
      const template = {
        resourceId: anna.id,
        weekdays: [6, 7],
        everyNWeeks: 2,
        validFrom: '2026-12-28',
        startTime: '08:00',
        endTime: '11:50',
        slotMin: 30,
        appointmentTypeIds: [lakbes.id],
      };
      const preview = await call<TemplatePreview>('templates.preview', { template });
      // Even weeks from 28 Dec (week 53) to the week of 7 Feb 2028: 30 weekends, 60 days, less
      // påskdagen (week of 22 Mar, the 12th), nationaldagen (31 May, 22nd), alla helgons dag
      // (1 Nov, 44th) and nyårsdagen 2028 (27 Dec, 52nd). 56 days of 7 slots (11:00–11:30 last).
      expect(preview.skipped.map((h) => `${h.date} ${h.holiday}`)).toEqual([
        '2027-03-28 påskdagen',
        '2027-06-06 nationaldagen',
        '2027-11-06 alla helgons dag',
        '2028-01-01 nyårsdagen',
      ]);
      expect(datesOf(preview.slots.map((s) => s.startAt)).slice(0, 6)).toEqual([
        '2027-01-02',
        '2027-01-03',
        '2027-01-16',
        '2027-01-17',
        '2027-01-30',
        '2027-01-31',
      ]);
      expect(preview.slots.length).toBe(56 * 7);
      const made = await call<TemplateChange>('templates.create', { template });
      expect(made.expansion).toMatchObject({
        from: '2026-12-28',
        to: '2028-02-21',
        created: 56 * 7 - preview.overlapping.length,
      });
    } finally {
      await shell.stop();
    }
  }, 120_000);
});

describe('eves opened from tidbok for fortnightly, ended and deactivated templates (Tuesday 1 Dec 2026)', () => {
  it('lays a time only where the template runs that week and is valid and active', async () => {
    const NOW = '2026-12-01T07:00:00+01:00';
    const { api, clinician, spec, saved } = await freshUnit(NOW);
    const thursdays = (over: Partial<TemplateInput>) => spec({ weekdays: [4], endTime: '09:00', slotMin: 30, ...over });
    const make = async (over: Partial<TemplateInput>) => {
      const resource = await clinician();
      const { template } = await api.ok('templates.create', { template: { ...thursdays(over), resourceId: resource.id } });
      return { resource, template };
    };
    // From week 49: weeks 49, 51, 53 — nyårsafton (Thu 31 Dec, week 53) is in its rhythm, julafton (week 52) not.
    const a = await make({ everyNWeeks: 2, validFrom: '2026-12-03' });
    // From week 50: weeks 50, 52, 1 — julafton in its rhythm, nyårsafton not.
    const b = await make({ everyNWeeks: 2, validFrom: '2026-12-10' });
    // Weekly, ended on 30 Dec (julafton within, nyårsafton after); and weekly but deactivated.
    const c = await make({ validTo: '2026-12-30' });
    const d = await make({});
    await api.ok('templates.deactivate', { id: d.template.id });
    const r = await runTidbok(
      ['holidays', 'set', '--julafton', 'open', '--nyarsafton', 'öppet', '--json', '--db', api.path],
      NOW,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ julafton: false, nyarsafton: false, slotsCreated: 6, slotsRemoved: 0 });
    const eves = (resourceId: string) =>
      saved(resourceId, '2026-12-24', '2027-01-01')
        .filter((s) => ['2026-12-24', '2026-12-31'].includes(localDate(s)))
        .map((s) => `${localDate(s)} ${localTime(s)}`);
    expect(eves(a.resource.id)).toEqual(['2026-12-31 08:00', '2026-12-31 08:30']);
    expect(eves(b.resource.id)).toEqual(['2026-12-24 08:00', '2026-12-24 08:30']);
    expect(eves(c.resource.id)).toEqual(['2026-12-24 08:00', '2026-12-24 08:30']);
    expect(eves(d.resource.id)).toEqual([]);
    expect(await api.ok('holidays.setRules', { julafton: true, nyarsafton: true })).toMatchObject({ slotsRemoved: 6 });
  });
});
