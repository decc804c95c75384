// "Första lediga tid" (slots.findFree, issue 3 item 6), second adversarial round: the edges of the
// query (how many, which days, who, web) through the api and tidbok, on a real SQLite file with
// the demo unit plus three clinicians of our own whose book is known by hand: Kant A and Kant B
// (läkare) and Kant C (sjuksköterska), each Monday–Friday 08:00–09:00 in 20-minute times offering
// our types; only Kant A's are published on the web. "Now" is Monday 2026-11-23 09:10 in
// Stockholm, so today's three times have started. Every expected answer below is worked out from
// that book and the rules, never read from the code under test.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FreeSlot } from '../../../src-main/api/methods/scheduling.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { apiResultAs, startShell } from '../../helpers/web-shell.ts';
import { demoApi, type Api } from './helpers.ts';

const NOW = '2026-11-23T09:10:00+01:00';
let api: Api;
const ids = {} as Record<'a' | 'b' | 'c' | 'd' | 'kant' | 'kinv' | 'kdesk' | 'kwin', string>;

/** Stockholm wall clock of an instant, 'YYYY-MM-DD HH:mm'. */
const wall = (ms: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }).format(ms);
const who = (f: FreeSlot) => `${wall(f.startAt)} ${f.resourceName.slice(-1)}`;
const free = async (input: Record<string, unknown>) =>
  (await api.ok('slots.findFree', { appointmentTypeId: ids.kant, limit: 200, ...input } as never)).map(who);
const times = (date: string, ...resources: string[]) =>
  ['08:00', '08:20', '08:40'].flatMap((t) => resources.map((r) => `${date} ${t} ${r}`));

beforeAll(async () => {
  api = demoApi({ now: Date.parse(NOW) });
  const type = (code: string, extra: Record<string, unknown>) =>
    api
      .ok('appointmentTypes.create', {
        code,
        nameSv: `Kant ${code}`,
        nameEn: code,
        durationMin: 20,
        contactModes: ['physical'],
        // Nurses too while the templates are laid out; then läkare only (below).
        professions: ['lakare', 'sjukskoterska'],
        cancelCutoffH: 0,
        rebookCutoffH: 0,
        bookMaxDays: 400,
        ...extra,
      } as never)
      .then((t) => t.id);
  ids.kant = await type('KANT', { webBookable: true });
  ids.kinv = await type('KINV', { invitationOnly: true });
  ids.kdesk = await type('KDESK', {});
  ids.kwin = await type('KWIN', { webBookable: true, bookMinLeadH: 24, bookMaxDays: 2 });
  const resource = async (name: string, profession: string, web: boolean) => {
    const r = await api.ok('resources.create', { kind: 'clinician', name, profession } as never);
    await api.ok('templates.create', {
      template: {
        resourceId: r.id,
        weekdays: [1, 2, 3, 4, 5],
        validFrom: '2026-11-23',
        startTime: '08:00',
        endTime: '09:00',
        slotMin: 20,
        appointmentTypeIds: [ids.kant, ids.kinv, ids.kdesk, ids.kwin],
        publishWeb: web,
      },
      horizonWeeks: 20,
    } as never);
    return r.id;
  };
  ids.a = await resource('Kant A', 'lakare', true);
  ids.b = await resource('Kant B', 'lakare', false);
  ids.c = await resource('Kant C', 'sjukskoterska', true);
  // The types narrowed to läkare after the fact: Kant C's times still name them but do not fit.
  for (const id of [ids.kant, ids.kinv, ids.kdesk, ids.kwin]) {
    await api.ok('appointmentTypes.update', { id, professions: ['lakare'] } as never);
  }
});

describe('how many (limit)', () => {
  it.each([
    [0, 'Antal: Värdet måste vara minst 1.'],
    [-1, 'Antal: Värdet måste vara minst 1.'],
    [1.5, 'Antal: Ange ett heltal.'],
    [201, 'Antal: Värdet får vara högst 200.'],
    [1e9, 'Antal: Värdet får vara högst 200.'],
    ['10', 'Antal: Ange ett tal.'],
  ])('%j is refused: %s', async (limit, message) => {
    const error = await api.err('slots.findFree', { appointmentTypeId: ids.kant, limit } as never);
    expect(error).toMatchObject({ code: 'validation', message: `Ogiltiga uppgifter: ${message}` });
  });

  it('1 gives the first free time (today has started: Tuesday 08:00, Kant A first in the display order)', async () => {
    expect(await free({ limit: 1 })).toEqual(['2026-11-24 08:00 A']);
  });

  it('200, the cap, gives 200 in time order', async () => {
    const all = await api.ok('slots.findFree', { appointmentTypeId: ids.kant, limit: 200 });
    expect(all).toHaveLength(200);
    expect(all.every((s, i) => i === 0 || s.startAt >= all[i - 1]!.startAt)).toBe(true);
  });
});

describe('which days (from, to)', () => {
  it.each([
    ['a single day', { from: '2026-11-25', to: '2026-11-25' }, times('2026-11-25', 'A', 'B')],
    ['starting in the past, ending today: every time has started', { from: '2026-11-16', to: '2026-11-23' }, []],
    ['starting in the past, ending tomorrow', { from: '2026-11-20', to: '2026-11-24' }, times('2026-11-24', 'A', 'B')],
    ['ending yesterday', { to: '2026-11-22' }, []],
    [
      // Easter 2027 falls on the clock change: långfredagen 03-26 and annandag påsk 03-29 are closed.
      'over the spring clock change, Easter 2027: the same wall-clock times, no Good Friday or Easter Monday',
      { from: '2027-03-25', to: '2027-03-31', resourceId: 'a' },
      ['2027-03-25', '2027-03-30', '2027-03-31'].flatMap((d) => times(d, 'A')),
    ],
    [
      'over Christmas and New Year: no julafton, juldagen, nyårsafton, nyårsdagen or trettondedag',
      { from: '2026-12-21', to: '2027-01-08', resourceId: 'a' },
      [
        '2026-12-21',
        '2026-12-22',
        '2026-12-23',
        '2026-12-28',
        '2026-12-29',
        '2026-12-30',
        '2027-01-04',
        '2027-01-05',
        '2027-01-07',
        '2027-01-08',
      ].flatMap((d) => times(d, 'A')),
    ],
  ])('%s', async (_, q, expected) => {
    const input = { ...q, ...('resourceId' in q ? { resourceId: ids.a } : {}) };
    expect(await free(input)).toEqual(expected);
  });

  it.each([
    ['08:30, the 08:20 time under way', '2026-11-25T08:30:00+01:00', ['08:40 A', '08:40 B']],
    ['08:40:00 exactly, the 08:40 time just begun', '2026-11-25T08:40:00+01:00', []],
    ['08:39:59', '2026-11-25T08:39:59+01:00', ['08:40 A', '08:40 B']],
  ])('at %s, the day offers no time that has begun', async (_, now, expected) => {
    api.setNow(now);
    try {
      expect(await free({ from: '2026-11-25', to: '2026-11-25' })).toEqual(expected.map((t) => `2026-11-25 ${t}`));
    } finally {
      api.setNow(NOW);
    }
  });

  it('over the spring clock change, the instants move an hour (CET 07:00Z, CEST 06:00Z)', async () => {
    const found = await api.ok('slots.findFree', {
      appointmentTypeId: ids.kant,
      from: '2027-03-25',
      to: '2027-03-31',
      resourceId: ids.a,
      limit: 4,
    });
    expect(found.map((f) => new Date(f.startAt).toISOString())).toEqual([
      '2027-03-25T07:00:00.000Z',
      '2027-03-25T07:20:00.000Z',
      '2027-03-25T07:40:00.000Z',
      '2027-03-30T06:00:00.000Z',
    ]);
  });

  it('over the autumn clock change (Sunday 2027-10-31), a week before it, laid out then: the same wall-clock times', async () => {
    api.setNow('2027-10-27T09:10:00+02:00');
    try {
      await api.ok('templates.expand', { horizonWeeks: 1 });
      const q = { appointmentTypeId: ids.kant, from: '2027-10-29', to: '2027-11-01', resourceId: ids.a, limit: 6 };
      const found = await api.ok('slots.findFree', q);
      expect(found.map(who)).toEqual([...times('2027-10-29', 'A'), ...times('2027-11-01', 'A')]);
      expect(new Date(found[0]!.startAt).toISOString()).toBe('2027-10-29T06:00:00.000Z'); // CEST
      expect(new Date(found[3]!.startAt).toISOString()).toBe('2027-11-01T07:00:00.000Z'); // CET
    } finally {
      api.setNow(NOW);
    }
  });

  it.each([
    [{ from: '2026-12-01', to: '2026-11-30' }, 'Slutdatum får inte vara före startdatum.'],
    [{ from: '2026-02-29' }, 'Från och med: Datumet finns inte.'],
    [{ to: '2026-13-01' }, 'Till och med: Datumet finns inte.'],
    [{ from: '24/11/2026' }, 'Från och med: Datum ska skrivas ÅÅÅÅ-MM-DD.'],
    // The profession filter names its field, as the form's label does
    [{ profession: '' }, 'Yrke: Fältet får inte vara tomt.'],
    [{ profession: 'x'.repeat(61) }, 'Yrke: Högst 60 tecken.'],
  ])('%j is refused: %s', async (q, message) => {
    const error = await api.err('slots.findFree', { appointmentTypeId: ids.kant, ...q });
    expect(error).toMatchObject({ code: 'validation', message: `Ogiltiga uppgifter: ${message}` });
  });
});

describe('who (resource, profession) and the web', () => {
  const day = { from: '2026-11-25', to: '2026-11-25' };
  it.each([
    ['Kant C, whose profession the type does not take', { resourceId: 'c' }, []],
    ['sjuksköterskor (none performs the type)', { profession: 'sjukskoterska' }, []],
    [
      'läkare: our two, not the demo doctors (their times do not offer the type)',
      { profession: 'lakare' },
      times('2026-11-25', 'A', 'B'),
    ],
    ['web only: Kant A (published), not Kant B', { webOnly: true }, times('2026-11-25', 'A')],
  ])('%s', async (_, q, expected) => {
    const input = { ...day, ...q, ...('resourceId' in q ? { resourceId: ids[q.resourceId as 'c'] } : {}) };
    expect(await free(input)).toEqual(expected);
  });

  it('a profession nobody at the unit has is refused by name (a typo must not read as a full book)', async () => {
    const e = await api.err('slots.findFree', { ...day, appointmentTypeId: ids.kant, profession: 'kurator' } as never);
    expect(e).toMatchObject({ code: 'validation', message: 'Ingen resurs på enheten har yrket "kurator".' });
  });

  it.each([
    ['invitation only, at the desk', 'kinv', {}, times('2026-11-25', 'A', 'B')],
    ['invitation only, on the web without an invitation', 'kinv', { webOnly: true }, []],
    ['invitation only, on the web with one', 'kinv', { webOnly: true, invited: true }, times('2026-11-25', 'A')],
    ['not web-bookable, on the web even with an invitation', 'kdesk', { webOnly: true, invited: true }, []],
    ['not web-bookable, at the desk', 'kdesk', {}, times('2026-11-25', 'A', 'B')],
  ])('%s', async (_, type, q, expected) => {
    expect(await free({ ...day, ...q, appointmentTypeId: ids[type as 'kinv'] })).toEqual(expected);
  });

  it('the booking window (24 h lead, 2 days ahead) holds at the desk and on the web alike: only Wednesday', async () => {
    // Now + 24 h is Tuesday 09:10, after Tuesday's times; the last bookable day is 2026-11-25.
    expect(await free({ appointmentTypeId: ids.kwin })).toEqual(times('2026-11-25', 'A', 'B'));
    expect(await free({ appointmentTypeId: ids.kwin, webOnly: true })).toEqual(times('2026-11-25', 'A'));
    expect(await free({ appointmentTypeId: ids.kwin, from: '2026-11-26' })).toEqual([]);
  });
});

describe('what the book holds', () => {
  it('leaves out a blocked time and an absent clinician’s times, keeps one held on återbudslistan, and follows a new display order', async () => {
    const thursday = { from: '2026-11-26', to: '2026-11-26' };
    const [first] = await api.ok('slots.findFree', { appointmentTypeId: ids.kant, ...thursday, limit: 1 });
    await api.ok('slots.block', { id: first!.slotId, reason: 'Möte' });
    await api.ok('absences.create', {
      resourceId: ids.b,
      from: '2026-11-26',
      fromTime: '08:20',
      to: '2026-11-26',
      toTime: '09:00',
    });
    const [patient] = await api.ok('patients.search', { query: 'astrid' });
    const entry = await api.ok('waitlist.add', { patientId: patient!.id, appointmentTypeId: ids.kant });
    const held = (await api.ok('slots.findFree', { appointmentTypeId: ids.kant, ...thursday })).find(
      (f) => who(f) === '2026-11-26 08:40 A',
    )!;
    await api.ok('waitlist.markOffered', { id: entry.id, slotId: held.slotId });
    expect(await free(thursday)).toEqual(['2026-11-26 08:00 B', '2026-11-26 08:20 A', '2026-11-26 08:40 A']);
    // Equal starts follow the calendar's column order, the same on every call.
    const order = (await api.ok('resources.list', {})).map((r) => r.id).filter((id) => id !== ids.a && id !== ids.b);
    await api.ok('resources.reorder', { ids: [ids.b, ids.a, ...order] });
    const friday = { from: '2026-11-27', to: '2026-11-27' };
    expect(await free(friday)).toEqual(times('2026-11-27', 'B', 'A'));
    expect(await free(friday)).toEqual(await free(friday));
  });

  it('a deactivated clinician has no free times, asked for by id', async () => {
    const d = await api.ok('resources.create', { kind: 'clinician', name: 'Kant D', profession: 'lakare' } as never);
    await api.ok('slots.create', {
      resourceId: d.id,
      date: '2026-11-30',
      startTime: '10:00',
      endTime: '10:20',
      appointmentTypeIds: [ids.kant],
    } as never);
    expect(await free({ resourceId: d.id })).toEqual(['2026-11-30 10:00 D']);
    await api.ok('resources.setActive', { id: d.id, active: false });
    ids.d = d.id;
    expect(await free({ resourceId: d.id })).toEqual([]);
  });
});

describe('tidbok slots free', () => {
  const tidbok = (...args: string[]) => runTidbok(['slots', 'free', '--type', 'KANT', ...args, '--db', api.path], NOW);

  it.each(['0', '-1', '1.5', '201', 'tio', ''])('--limit %j exits 2 in Swedish', async (limit) => {
    const r = await tidbok('--limit', limit);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toContain(`--limit ska vara ett heltal 1–200, inte "${limit}".`);
  });

  it.each([
    [['--from', '2026-12-01', '--to', '2026-11-30'], /Slutdatum|före/],
    [['--from', '2026-02-29'], /finns inte|2026-02-29/],
  ])('%j exits 2 in Swedish', async (args, message) => {
    const r = await tidbok(...args);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(message);
  });

  it('prints a single day as the api answers it', async () => {
    const r = await tidbok('--from', '2026-11-30', '--to', '2026-11-30', '--resource', 'Kant A');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(['08:00–08:20', '08:20–08:40', '08:40–09:00'].map((t) => `2026-11-30 ${t}  Kant A  (webb)\n`).join(''));
  });

  it('says why a deactivated clinician has no times, instead of that she does not exist', async () => {
    const r = await tidbok('--resource', 'Kant D');
    expect(r).toMatchObject({ code: 0, err: '', out: 'Inga lediga tider för KANT: Kant D är inaktiverad.\n' });
  });
});

describe('the web shell (HTTP api, its own process on the same file)', () => {
  it('answers a single day as the api does, and refuses a bad limit and a reversed range in Swedish', async () => {
    const day = { appointmentTypeId: ids.kant, from: '2026-12-02', to: '2026-12-02' };
    const expected = await api.ok('slots.findFree', day);
    const shell = await startShell({
      dbPath: api.path,
      demo: false,
      env: { TIDBOK_NOW: new Date(NOW).toISOString(), TIDBOK_SCHEDULE_HORIZON: 'off' },
    });
    try {
      const call = apiResultAs(() => shell, 'reception', 'demo-reception');
      const found = await call<FreeSlot[]>('slots.findFree', day);
      expect(found.value?.map(who)).toEqual(times('2026-12-02', 'B', 'A')); // the display order set above
      expect(found.value).toEqual(expected);
      for (const [input, message] of [
        [{ ...day, limit: 0 }, 'Ogiltiga uppgifter: Antal: Värdet måste vara minst 1.'],
        [{ ...day, from: '2026-12-03' }, 'Ogiltiga uppgifter: Slutdatum får inte vara före startdatum.'],
      ] as const) {
        expect(await call('slots.findFree', input)).toMatchObject({ ok: false, error: { code: 'validation', message } });
      }
    } finally {
      await shell.stop();
    }
  }, 120_000);
});
