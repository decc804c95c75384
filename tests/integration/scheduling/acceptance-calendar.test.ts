// Acceptance cases for DST weeks and holiday weeks, through the api (dispatch) and the CLI, on
// fresh units in real SQLite files. Every expected answer is derived by hand from the Swedish
// calendar and Europe/Stockholm's rules (summer time from 02:00 CET to 03:00 CEST on the last
// Sunday of March, back from 03:00 CEST to 02:00 CET on the last Sunday of October), not from
// Tidbok's output. Decisions these cases pin:
// - a slot start is a wall-clock time: starts in the skipped spring hour do not exist; in the
//   doubled autumn hour each start comes once (the second, CET, pass); every slot lasts the
//   template's slot length in real minutes;
// - cut-offs and the minimum lead are real hours; the maximum days ahead counts calendar days.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoApi, patientOnWeb } from './helpers.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { SWEDISH_CLOSED_DAYS } from '../../helpers/swedish-holidays.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const at = (iso: string) => Date.parse(iso);
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const MIN = 60_000;

/** A fresh unit with one clinician and one 30-minute type, and a clock the test moves. */
async function freshUnit(nowIso: string) {
  const api = demoApi({ now: at(nowIso), demo: false });
  await api.ok('unit.create', { hsaId: 'SE2321000016-A1B2', name: 'Vårdcentralen Provet' });
  const clinician = await api.ok('resources.create', { kind: 'clinician', name: 'Dr Dag', profession: 'lakare' });
  const type = await api.ok('appointmentTypes.create', {
    code: 'BES30',
    nameSv: 'Läkarbesök',
    nameEn: 'Doctor visit',
    durationMin: 30,
    contactModes: ['physical'],
    professions: ['lakare'],
    webBookable: true,
    webCancellable: true,
    webRebookable: true,
    cancelCutoffH: 24,
    rebookCutoffH: 72,
    bookMinLeadH: 24,
    bookMaxDays: 30,
  });
  return { api, clinician, type };
}

const tidbok = (nowIso: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TIDBOK_NOW: nowIso },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const template = (typeId: string, over: Record<string, unknown> = {}) => ({
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  validFrom: '2026-01-01',
  startTime: '08:00',
  endTime: '12:00',
  slotMin: 30,
  appointmentTypeIds: [typeId],
  ...over,
});

describe('a night template across the clock change (01:00–04:00, 30-minute slots, Sundays)', async () => {
  const { api, type } = await freshUnit('2026-01-05T09:00:00+01:00');
  const night = (over: Record<string, unknown> = {}) =>
    template(type.id, { weekdays: [7], startTime: '01:00', endTime: '04:00', skipHolidays: false, ...over });

  it.each([
    // Spring forward: 02:00–02:59 does not exist; 01:30 CET lasts until 03:00 CEST (30 real minutes).
    [
      '2026-03-29',
      ['01:00-01:30', '01:30-03:00', '03:00-03:30', '03:30-04:00'],
      ['2026-03-29 00:00', '2026-03-29 00:30', '2026-03-29 01:00', '2026-03-29 01:30'],
    ],
    [
      '2027-03-28',
      ['01:00-01:30', '01:30-03:00', '03:00-03:30', '03:30-04:00'],
      ['2027-03-28 00:00', '2027-03-28 00:30', '2027-03-28 01:00', '2027-03-28 01:30'],
    ],
    // Fall back: 01:00 and 01:30 are CEST (UTC+2, the evening before in UTC), 02:00 on CET.
    [
      '2026-10-25',
      ['01:00-01:30', '01:30-02:00', '02:00-02:30', '02:30-03:00', '03:00-03:30', '03:30-04:00'],
      ['2026-10-24 23:00', '2026-10-24 23:30', '2026-10-25 01:00', '2026-10-25 01:30', '2026-10-25 02:00', '2026-10-25 02:30'],
    ],
    [
      '2027-10-31',
      ['01:00-01:30', '01:30-02:00', '02:00-02:30', '02:30-03:00', '03:00-03:30', '03:30-04:00'],
      ['2027-10-30 23:00', '2027-10-30 23:30', '2027-10-31 01:00', '2027-10-31 01:30', '2027-10-31 02:00', '2027-10-31 02:30'],
    ],
  ])('previews %s: each wall-clock start once, 30 real minutes each, none overlapping', async (date, wall, instants) => {
    const p = await api.ok('templates.preview', { template: night(), from: date, to: nextDay(date) });
    expect(p.slots.map((s) => `${s.startTime}-${s.endTime}`)).toEqual(wall);
    expect(p.slots.map((s) => utc(s.startAt))).toEqual(instants);
    for (const [i, s] of p.slots.entries()) {
      expect(s.date).toBe(date);
      expect(localDate(s.startAt)).toBe(date);
      expect(s.endAt - s.startAt).toBe(30 * MIN);
      if (i > 0) expect(s.startAt).toBeGreaterThanOrEqual(p.slots[i - 1]!.endAt);
    }
  });

  it('has no slots in a window that does not exist that night, and both 02:xx slots in the doubled hour', async () => {
    const gap = await api.ok('templates.preview', {
      template: night({ startTime: '02:00', endTime: '03:00' }),
      from: '2026-03-29',
      to: '2026-03-30',
    });
    expect(gap.slots).toEqual([]);
    const doubled = await api.ok('templates.preview', {
      template: night({ startTime: '02:00', endTime: '03:00' }),
      from: '2026-10-25',
      to: '2026-10-26',
    });
    expect(doubled.slots.map((s) => `${s.startTime}-${s.endTime} ${utc(s.startAt)}`)).toEqual([
      '02:00-02:30 2026-10-25 01:00',
      '02:30-03:00 2026-10-25 01:30',
    ]);
    // A window starting inside the gap begins at the first wall-clock start that exists (03:00).
    const late = await api.ok('templates.preview', {
      template: night({ startTime: '02:30', endTime: '04:00' }),
      from: '2026-03-29',
      to: '2026-03-30',
    });
    expect(late.slots.map((s) => s.startTime)).toEqual(['03:00', '03:30']);
  });

  it('shows the same night through `tidbok templates preview`', () => {
    const r = tidbok(
      '2026-01-05T09:00:00+01:00',
      ...['templates', 'preview', '--resource', 'Dr Dag', '--weekdays', '7', '--start', '01:00', '--end', '04:00'],
      ...['--slot', '30', '--types', 'BES30', '--from', '2026-03-23', '--weeks', '1', '--db', api.path],
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^2026-03-29 sön {2}01:00 01:30 03:00 03:30 {2}\(4 × 30 min\)$/m);
  });

  it('skips 2027-03-28 by default: the spring-forward Sunday is påskdagen', async () => {
    const p = await api.ok('templates.preview', {
      template: night({ skipHolidays: true }),
      from: '2027-03-27',
      to: '2027-03-29',
    });
    expect(p.slots).toEqual([]);
    expect(p.skipped).toEqual([{ date: '2027-03-28', holiday: 'påskdagen' }]);
  });
});

describe('an 08:00–12:00 template through the DST weeks', async () => {
  it.each([
    // [from, to, days before the change at UTC+h1, after at UTC+h2, closed days]
    ['2027-03-22', '2027-03-30', '07:00', '06:00', '2027-03-28', ['2027-03-26', '2027-03-28', '2027-03-29']],
    ['2027-10-25', '2027-11-01', '06:00', '07:00', '2027-10-31', []],
  ] as const)('previews %s–%s with the same wall clock every day', async (from, to, before, after, change, closed) => {
    const { api, type } = await freshUnit('2027-01-04T09:00:00+01:00');
    const p = await api.ok('templates.preview', { template: template(type.id), from, to });
    expect(p.skipped.map((s) => s.date)).toEqual(closed);
    const dates = [...new Set(p.slots.map((s) => s.date))];
    for (const date of dates) {
      const day = p.slots.filter((s) => s.date === date);
      expect(day.map((s) => s.startTime)).toEqual(['08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
      expect(utc(day[0]!.startAt).slice(11)).toBe(date < change ? before : after);
    }
  });

  it('expands the spring week of 2026 and shows it, with Easter closed, in the week view', async () => {
    const { api, clinician, type } = await freshUnit('2026-03-16T07:00:00+01:00');
    const { expansion } = await api.ok('templates.create', {
      template: { ...template(type.id), resourceId: clinician.id, name: 'Förmiddag' },
      horizonWeeks: 4,
    });
    expect(expansion).toMatchObject({ from: '2026-03-16', to: '2026-04-13', created: 25 * 8, skippedOverlaps: 0 });
    expect(expansion.skippedHolidays).toEqual([
      { date: '2026-04-03', holiday: 'långfredagen' },
      { date: '2026-04-05', holiday: 'påskdagen' },
      { date: '2026-04-06', holiday: 'annandag påsk' },
    ]);
    expect(await api.ok('templates.expand', { horizonWeeks: 4 })).toMatchObject({ created: 0, existing: 200 });

    const dst = await api.ok('calendar.range', { from: '2026-03-23', to: '2026-03-30' });
    expect(dst.closedDates).toEqual([]);
    expect(dst.slots).toHaveLength(56);
    for (const s of dst.slots) {
      expect(['08', '09', '10', '11']).toContain(localTime(s.startAt).slice(0, 2));
      expect(s.endAt - s.startAt).toBe(30 * MIN);
      // 08:00 is 07:00Z on CET days and 06:00Z from Sunday 29 March (CEST).
      const first =
        s.startAt === Math.min(...dst.slots.filter((x) => localDate(x.startAt) === localDate(s.startAt)).map((x) => x.startAt));
      if (first) expect(utc(s.startAt).slice(11)).toBe(localDate(s.startAt) < '2026-03-29' ? '07:00' : '06:00');
    }
    const easter = await api.ok('calendar.range', { from: '2026-03-30', to: '2026-04-07' });
    expect(easter.closedDates).toEqual(['2026-04-03', '2026-04-05', '2026-04-06']);
    expect(easter.slots).toHaveLength(5 * 8);
    expect(new Set(easter.slots.map((s) => localDate(s.startAt)))).toEqual(
      new Set(['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02', '2026-04-04']),
    );

    const next = async (from: string, direction?: 'forward' | 'backward') =>
      (await api.ok('calendar.nextOpenDate', direction ? { from, direction } : { from })).date;
    expect(await next('2026-04-03')).toBe('2026-04-04');
    expect(await next('2026-04-05')).toBe('2026-04-07');
    expect(await next('2026-04-06', 'backward')).toBe('2026-04-04');
    expect(await next('2026-03-29')).toBe('2026-03-29');
    expect(await next('2026-03-15', 'backward')).toBeNull();
    expect(await next('2026-04-13')).toBeNull();
  });

  it('expands the autumn week of 2026 with alla helgons dag closed', async () => {
    const { api, clinician, type } = await freshUnit('2026-10-19T07:00:00+02:00');
    const { expansion } = await api.ok('templates.create', {
      template: { ...template(type.id), resourceId: clinician.id },
      horizonWeeks: 2,
    });
    expect(expansion.created).toBe(13 * 8);
    expect(expansion.skippedHolidays).toEqual([{ date: '2026-10-31', holiday: 'alla helgons dag' }]);
    const week = await api.ok('calendar.range', { from: '2026-10-19', to: '2026-10-26' });
    expect(week.closedDates).toEqual([]);
    const firstOf = (d: string) => utc(Math.min(...week.slots.filter((s) => localDate(s.startAt) === d).map((s) => s.startAt)));
    expect(firstOf('2026-10-24')).toBe('2026-10-24 06:00');
    expect(firstOf('2026-10-25')).toBe('2026-10-25 07:00');
    const after = await api.ok('calendar.range', { from: '2026-10-26', to: '2026-11-02' });
    expect(after.closedDates).toEqual(['2026-10-31']);
    expect((await api.ok('calendar.nextOpenDate', { from: '2026-10-31' })).date).toBe('2026-11-01');
  });
});

describe('holidays of 2026 and 2027, eves per unit', async () => {
  // Before 2026 begins: a preview shows only times still to come (what saving would lay out).
  const { api, type } = await freshUnit('2025-12-31T09:00:00+01:00');
  const everyDay = template(type.id, { validFrom: '2026-01-01' });
  const byHand = SWEDISH_CLOSED_DAYS;
  const eves = /afton$/;

  it.each([2026, 2027] as const)('skips exactly the closed days of %i, and only the eves follow the unit', async (year) => {
    const preview = () => api.ok('templates.preview', { template: everyDay, from: `${year}-01-01`, to: `${year + 1}-01-01` });
    const closed = await preview();
    expect(closed.skipped.map((s) => `${s.date} ${s.holiday}`)).toEqual(byHand[year]);
    expect(new Set(closed.slots.map((s) => s.date)).size).toBe(365 - 16);
    await api.ok('holidays.setRules', { julafton: false, nyarsafton: false, midsommarafton: false });
    try {
      const open = await preview();
      expect(open.skipped.map((s) => `${s.date} ${s.holiday}`)).toEqual(byHand[year].filter((h) => !eves.test(h)));
      expect((await api.ok('holidays.list', { year })).filter((h) => h.closed).map((h) => `${h.date} ${h.name}`)).toEqual(
        byHand[year].filter((h) => !eves.test(h)),
      );
    } finally {
      await api.ok('holidays.setRules', { julafton: true, nyarsafton: true, midsommarafton: true });
    }
  });

  it('closes nationaldagen on a Saturday (2026) and a Sunday (2027) and midsommardagen on Saturdays', async () => {
    const weekend = template(type.id, { weekdays: [6, 7] });
    const june = async (y: number) =>
      (await api.ok('templates.preview', { template: weekend, from: `${y}-06-01`, to: `${y}-07-01` })).skipped.map(
        (s) => `${s.date} ${s.holiday}`,
      );
    expect(await june(2026)).toEqual(['2026-06-06 nationaldagen', '2026-06-20 midsommardagen']);
    expect(await june(2027)).toEqual(['2027-06-06 nationaldagen', '2027-06-26 midsommardagen']);
  });

  it('opens one eve at a time: midsommarafton open, julafton closed', async () => {
    await api.ok('holidays.setRules', { midsommarafton: false });
    try {
      const p = await api.ok('templates.preview', {
        template: template(type.id, { weekdays: [5] }),
        from: '2027-06-21',
        to: '2027-12-28',
      });
      expect(p.skipped.map((s) => s.date)).toEqual(['2027-12-24']);
      expect(p.slots.some((s) => s.date === '2027-06-25')).toBe(true);
    } finally {
      await api.ok('holidays.setRules', { midsommarafton: true });
    }
  });
});

describe('every N weeks and the validity dates', async () => {
  const { api, type } = await freshUnit('2026-01-05T09:00:00+01:00');
  const dates = async (over: Record<string, unknown>, from: string, to: string) => {
    const p = await api.ok('templates.preview', { template: template(type.id, over), from, to });
    return { dates: [...new Set(p.slots.map((s) => s.date))], skipped: p.skipped.map((s) => s.date) };
  };

  it.each([
    // 2026 has 53 ISO weeks: week 53 (28 Dec) and week 1 of 2027 (4 Jan) are two weeks, so a
    // fortnightly rhythm from week 51 runs in 51, 53, 2, 4 (never 53 and 1 back to back).
    [
      { weekdays: [1], everyNWeeks: 2, validFrom: '2026-12-14' },
      '2026-12-01',
      '2027-02-01',
      ['2026-12-14', '2026-12-28', '2027-01-11', '2027-01-25'],
      [],
    ],
    // From week 1 of 2026 (Monday 2025-12-29): even week distances; 31 Dec is nyårsafton.
    [
      { weekdays: [4], everyNWeeks: 2, validFrom: '2025-12-29' },
      '2026-11-30',
      '2027-02-01',
      ['2026-12-03', '2026-12-17', '2027-01-14', '2027-01-28'],
      ['2026-12-31'],
    ],
    // Every third week across the spring change: no drift by the missing hour.
    [
      { weekdays: [1], everyNWeeks: 3, validFrom: '2026-03-02' },
      '2026-03-01',
      '2026-05-10',
      ['2026-03-02', '2026-03-23', '2026-04-13', '2026-05-04'],
      [],
    ],
    // Counted from valid_from's week, also when valid_from is mid-week.
    [
      { weekdays: [1, 3], everyNWeeks: 2, validFrom: '2026-12-16' },
      '2026-12-01',
      '2027-01-15',
      ['2026-12-16', '2026-12-28', '2026-12-30', '2027-01-11', '2027-01-13'],
      [],
    ],
    // valid_from and valid_to are both inclusive.
    [
      { weekdays: [1, 2, 3, 4, 5], validFrom: '2027-01-04', validTo: '2027-01-08' },
      '2027-01-01',
      '2027-02-01',
      ['2027-01-04', '2027-01-05', '2027-01-07', '2027-01-08'],
      ['2027-01-06'],
    ],
    [
      { weekdays: [1, 2, 3, 4, 5], validFrom: '2027-01-04', validTo: '2027-01-07' },
      '2027-01-01',
      '2027-02-01',
      ['2027-01-04', '2027-01-05', '2027-01-07'],
      ['2027-01-06'],
    ],
    [{ weekdays: [5], validFrom: '2026-10-30', validTo: '2026-10-30' }, '2026-10-01', '2026-12-01', ['2026-10-30'], []],
  ])('%o from %s to %s', async (over, from, to, expected, skipped) => {
    expect(await dates(over, from, to)).toEqual({ dates: expected, skipped });
  });

  it('keeps the rhythm when the expansion crosses the year boundary', async () => {
    const { api: a, clinician, type: t } = await freshUnit('2026-12-14T07:00:00+01:00');
    const { expansion, template: tpl } = await a.ok('templates.create', {
      template: { ...template(t.id, { weekdays: [1], everyNWeeks: 2, validFrom: '2026-12-14' }), resourceId: clinician.id },
      horizonWeeks: 8,
    });
    expect(expansion.created).toBe(4 * 8);
    const starts = a.ctx.db
      .prepare(`SELECT start_at FROM slots WHERE template_id = ? ORDER BY start_at`)
      .pluck()
      .all(tpl.id) as number[];
    expect([...new Set(starts.map((s) => localDate(s)))]).toEqual(['2026-12-14', '2026-12-28', '2027-01-11', '2027-01-25']);
  });
});

describe('expanding across the year boundary: report, eves, skip_holidays off, CLI', async () => {
  const now = '2026-12-21T07:00:00+01:00';
  const { api, clinician, type } = await freshUnit(now);
  const nurse = await api.ok('resources.create', { kind: 'clinician', name: 'Syster Sol', profession: 'lakare' });

  it('reports the closed days it skipped, opens eves on request, and leaves the rest to a template that does not skip', async () => {
    const weekdays = await api.ok('templates.create', {
      template: {
        ...template(type.id, { weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '09:00' }),
        resourceId: clinician.id,
      },
      horizonWeeks: 3,
    });
    const closed = [
      { date: '2026-12-24', holiday: 'julafton' },
      { date: '2026-12-25', holiday: 'juldagen' },
      { date: '2026-12-31', holiday: 'nyårsafton' },
      { date: '2027-01-01', holiday: 'nyårsdagen' },
      { date: '2027-01-06', holiday: 'trettondedag jul' },
    ];
    expect(weekdays.expansion).toMatchObject({ from: '2026-12-21', to: '2027-01-11', created: 10 * 2, skippedHolidays: closed });
    const always = await api.ok('templates.create', {
      template: {
        ...template(type.id, { startTime: '12:00', endTime: '13:00', slotMin: 60, skipHolidays: false }),
        resourceId: nurse.id,
      },
      horizonWeeks: 3,
    });
    expect(always.expansion).toMatchObject({ created: 21, skippedHolidays: [] });

    const week = await api.ok('calendar.range', { from: '2026-12-21', to: '2026-12-28', resourceIds: [clinician.id] });
    expect(week.closedDates).toEqual(['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-27']);
    const all = await api.ok('calendar.range', { from: '2026-12-21', to: '2026-12-28' });
    expect(all.closedDates).toEqual([]);
    expect(all.slots.filter((s) => localDate(s.startAt) === '2026-12-25').map((s) => localTime(s.startAt))).toEqual(['12:00']);

    // Opening the eves lays out their template slots at once (and closing takes unbooked ones off).
    const closedAgain = await api.ok('holidays.setRules', { julafton: true, nyarsafton: true });
    expect(closedAgain).toMatchObject({ slotsRemoved: 0, slotsCreated: 0, bookedKept: [] });
    const opened = await api.ok('holidays.setRules', { julafton: false, nyarsafton: false });
    expect(opened).toMatchObject({ julafton: false, nyarsafton: false, slotsCreated: 2 * 2, slotsRemoved: 0 });
    const again = await api.ok('templates.expand', { horizonWeeks: 3 });
    expect(again).toMatchObject({ created: 0, existing: 20 + 21 + 4, skippedHolidays: [closed[1], closed[3], closed[4]] });
    const eves = await api.ok('calendar.range', { from: '2026-12-21', to: '2027-01-04', resourceIds: [clinician.id] });
    expect(eves.closedDates).toEqual(['2026-12-25', '2026-12-26', '2026-12-27', '2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('says the same through `tidbok templates expand`, idempotently', () => {
    const text = tidbok(now, 'templates', 'expand', '--weeks', '3', '--db', api.path);
    expect(text.code).toBe(0);
    expect(text.out.trim().split('\n')).toEqual([
      '2026-12-21 – 2027-01-11: 0 nya tider, 45 fanns redan.',
      'Stängt 2026-12-25: juldagen',
      'Stängt 2027-01-01: nyårsdagen',
      'Stängt 2027-01-06: trettondedag jul',
    ]);
  });
});

describe('booking window and cut-offs across a clock change', async () => {
  const { api, clinician, type } = await freshUnit('2026-03-01T15:00:00+01:00');
  const patient = await api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1961-03-29', 123),
    givenName: 'Vår',
    familyName: 'Tidsson',
  });
  const slot = (date: string, startTime: string, endTime: string) =>
    api.ok('slots.create', {
      resourceId: clinician.id,
      date,
      startTime,
      endTime,
      appointmentTypeIds: [type.id],
      webPublished: true,
    });
  // The patient on 1177: the web rules as the pull applies them (the staff api refuses 'web').
  const web = patientOnWeb(api);
  const book = (slotId: string, channel: 'desk' | 'web' = 'desk') =>
    channel === 'web'
      ? web.ok('book', { slotId, patientId: patient.id, appointmentTypeId: type.id })
      : api.ok('bookings.book', { slotId, patientId: patient.id, appointmentTypeId: type.id, channel });

  it('counts the maximum 30 days ahead in calendar days, whatever the hour and the clock change', async () => {
    // Today Sunday 1 March (CET): the last bookable day is 31 March (CEST), all of it.
    const lastDayLate = await slot('2026-03-31', '17:00', '17:30');
    const dayAfter = await slot('2026-04-01', '08:00', '08:30');
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-03-31', to: '2026-04-01' });
    expect(free.map((s) => s.slotId)).toEqual([lastDayLate.id]);
    expect(
      await api.err('bookings.book', { slotId: dayAfter.id, patientId: patient.id, appointmentTypeId: type.id }),
    ).toMatchObject({
      code: 'conflict',
      message: 'Läkarbesök kan bokas högst 30 dagar framåt: senast 2026-03-31.',
    });
    await book(lastDayLate.id);
    // Autumn: today Saturday 10 October (CEST), the last day is Monday 9 November (CET).
    api.setNow('2026-10-10T15:00:00+02:00');
    const nov9 = await slot('2026-11-09', '16:00', '16:30');
    const nov10 = await slot('2026-11-10', '07:00', '07:30');
    expect((await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-11-01' })).map((s) => s.slotId)).toEqual([
      nov9.id,
    ]);
    expect(await api.err('bookings.book', { slotId: nov10.id, patientId: patient.id, appointmentTypeId: type.id })).toMatchObject(
      {
        code: 'conflict',
      },
    );
    await book(nov9.id);
  });

  it('needs the minimum 24 hours of lead in real hours across the night the clock moves', async () => {
    // Saturday 28 March 09:00 CET + 24 h = Sunday 29 March 10:00 CEST.
    api.setNow('2026-03-28T09:00:00+01:00');
    const early = await slot('2026-03-29', '09:30', '10:00');
    const onTime = await slot('2026-03-29', '10:00', '10:30');
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-03-29', to: '2026-03-29' });
    expect(free.map((s) => `${localTime(s.startAt)} ${s.slotId === onTime.id}`)).toEqual(['10:00 true']);
    expect(await api.err('bookings.book', { slotId: early.id, patientId: patient.id, appointmentTypeId: type.id })).toMatchObject(
      {
        code: 'conflict',
        message: 'Läkarbesök måste bokas minst 24 timmar i förväg: tidigast 2026-03-29 kl. 10:00.',
      },
    );
    await book(onTime.id);
    // Saturday 24 October 09:00 CEST + 24 h = Sunday 25 October 08:00 CET.
    api.setNow('2026-10-24T09:00:00+02:00');
    const before = await slot('2026-10-25', '07:30', '08:00');
    const first = await slot('2026-10-25', '08:00', '08:30');
    expect(
      (await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-10-25', to: '2026-10-25' })).map((s) => s.slotId),
    ).toEqual([first.id]);
    expect(
      await api.err('bookings.book', { slotId: before.id, patientId: patient.id, appointmentTypeId: type.id }),
    ).toMatchObject({
      code: 'conflict',
    });
  });

  it('puts the cancel (24 h) and rebook (72 h) deadlines in real hours before a Monday after spring-forward', async () => {
    api.setNow('2026-03-25T10:00:00+01:00');
    const monday = await slot('2026-03-30', '08:00', '08:30');
    const other = await slot('2026-03-30', '09:00', '09:30');
    const b = await book(monday.id);
    const perms = await api.ok('bookings.onlinePermissions', { id: b.id });
    // 24 h before Monday 08:00 CEST is Sunday 08:00 CEST (the change is at 02:00, before both);
    // 72 h before is Friday 07:00 CET: 71 hours of wall clock.
    expect(perms.cancel.deadline).toBe(at('2026-03-29T08:00:00+02:00'));
    expect(perms.rebook.deadline).toBe(at('2026-03-27T07:00:00+01:00'));
    api.setNow('2026-03-27T07:30:00+01:00');
    expect(await web.err('rebook', { id: b.id, slotId: other.id })).toMatchObject({
      code: 'conflict',
      // Named on the wall clock: 07:00 CET, not the 08:00 a count of calendar days would give.
      message: 'Ombokning måste göras senast 72 timmar före besöket: det gick att göra till 2026-03-27 kl. 07:00.',
    });
    expect((await api.ok('bookings.onlinePermissions', { id: b.id })).cancel.allowed).toBe(true);
    api.setNow('2026-03-29T08:00:01+02:00');
    expect(await web.err('cancel', { id: b.id })).toMatchObject({ code: 'conflict' });
    expect(await api.err('bookings.cancel', { id: b.id, channel: 'desk' })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/senast 24 timmar före besöket/),
    });
    const cancelled = await api.ok('bookings.cancel', {
      id: b.id,
      channel: 'desk',
      override: { reason: 'Patienten ringde, sjuk' },
    });
    expect(cancelled.status).toBe('cancelled');
  });

  it('lets a patient rebook on Friday 08:30 CEST before a Monday 08:00 CET after fall-back (72 h = Friday 09:00)', async () => {
    api.setNow('2026-10-20T10:00:00+02:00');
    const monday = await slot('2026-10-26', '08:00', '08:30');
    const later = await slot('2026-10-27', '08:00', '08:30');
    const b = await book(monday.id, 'web');
    const perms = await api.ok('bookings.onlinePermissions', { id: b.id });
    expect(perms.cancel.deadline).toBe(at('2026-10-25T08:00:00+01:00'));
    expect(perms.rebook.deadline).toBe(at('2026-10-23T09:00:00+02:00'));
    api.setNow('2026-10-23T08:30:00+02:00');
    const moved = await web.ok('rebook', { id: b.id, slotId: later.id });
    expect(moved.old.status).toBe('rebooked');
    expect(moved.new.startAt).toBe(at('2026-10-27T08:00:00+01:00'));
  });
});

describe('free-slot search, absences and single slots on DST days', async () => {
  const { api, clinician, type } = await freshUnit('2026-03-16T07:00:00+01:00');
  const night = await api.ok('resources.create', { kind: 'clinician', name: 'Nattjour', profession: 'lakare' });
  // The night type has no lead time, so the search shows the whole night.
  const natt = await api.ok('appointmentTypes.create', {
    code: 'NATT',
    nameSv: 'Nattbesök',
    nameEn: 'Night visit',
    durationMin: 30,
    contactModes: ['phone'],
    professions: ['lakare'],
    bookMaxDays: 365,
  });
  const nightTemplate = template(natt.id, { weekdays: [6, 7], startTime: '01:00', endTime: '04:00', skipHolidays: false });
  await api.ok('templates.create', { template: { ...nightTemplate, resourceId: night.id }, horizonWeeks: 2 });
  const findNight = (from: string, to: string) =>
    api.ok('slots.findFree', { appointmentTypeId: natt.id, resourceId: night.id, from, to, limit: 50 });

  it.each([
    [
      '2026-03-28',
      '2026-03-28',
      ['2026-03-28 00:00', '2026-03-28 00:30', '2026-03-28 01:00', '2026-03-28 01:30', '2026-03-28 02:00', '2026-03-28 02:30'],
    ],
    ['2026-03-29', '2026-03-29', ['2026-03-29 00:00', '2026-03-29 00:30', '2026-03-29 01:00', '2026-03-29 01:30']],
    ['2026-03-29', '2026-03-30', ['2026-03-29 00:00', '2026-03-29 00:30', '2026-03-29 01:00', '2026-03-29 01:30']],
  ])('finds the night slots from %s to %s (local dates, both inclusive)', async (from, to, expected) => {
    expect((await findNight(from, to)).map((s) => utc(s.startAt))).toEqual(expected);
  });

  it('finds the autumn night by its local date, although it starts the evening before in UTC', async () => {
    api.setNow('2026-10-19T07:00:00+02:00');
    await api.ok('templates.expand', { horizonWeeks: 1 });
    expect((await findNight('2026-10-25', '2026-10-25')).map((s) => `${localDate(s.startAt)} ${localTime(s.startAt)}`)).toEqual([
      '2026-10-25 01:00',
      '2026-10-25 01:30',
      '2026-10-25 02:00',
      '2026-10-25 02:30',
      '2026-10-25 03:00',
      '2026-10-25 03:30',
    ]);
    expect((await findNight('2026-10-24', '2026-10-24')).map((s) => localDate(s.startAt))).toEqual(Array(6).fill('2026-10-24'));
    // The week view takes the same local day: the 01:00 CEST slot of 25 October is 23:00Z the 24th.
    const sunday = await api.ok('calendar.range', { from: '2026-10-25', to: '2026-10-26', resourceIds: [night.id] });
    expect(sunday.slots.map((s) => utc(s.startAt))).toEqual([
      '2026-10-24 23:00',
      '2026-10-24 23:30',
      '2026-10-25 01:00',
      '2026-10-25 01:30',
      '2026-10-25 02:00',
      '2026-10-25 02:30',
    ]);
    const weekend = await api.ok('calendar.range', { from: '2026-10-23', to: '2026-10-27', resourceIds: [night.id] });
    expect(weekend.closedDates).toEqual(['2026-10-23', '2026-10-26']);
    expect(weekend.slots).toHaveLength(12);
    const cli = tidbok(
      '2026-10-19T07:00:00+02:00',
      'slots',
      'free',
      '--type',
      'natt',
      '--from',
      '2026-10-25',
      '--to',
      '2026-10-25',
      '--limit',
      '20',
      '--db',
      api.path,
    );
    expect(cli.code).toBe(0);
    // The doubled hour's times say which pass they are (both 02:00s exist): the first pass ends
    // 01:30–02:00, and the night's 02:00 and 02:30 slots lie on the second (laid out once).
    expect(cli.out.trim().split('\n')).toEqual(
      [
        '01:00–01:30',
        '01:30–02:00 (sommartid, första gången)',
        '02:00 (vintertid, andra gången)–02:30',
        '02:30 (vintertid, andra gången)–03:00',
        '03:00–03:30',
        '03:30–04:00',
      ].map((t) => `2026-10-25 ${t}  Nattjour`),
    );
  });

  it('marks arrival on the local day: the 01:00 CEST visit of 25 October is "today" from local midnight', async () => {
    const patient = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1944-10-25', 271),
      givenName: 'Tidig',
      familyName: 'Gäst',
    });
    api.setNow('2026-10-24T23:50:00+02:00');
    const [first] = await findNight('2026-10-25', '2026-10-25');
    const b = await api.ok('bookings.book', { slotId: first!.slotId, patientId: patient.id, appointmentTypeId: natt.id });
    expect(await api.err('bookings.mark', { id: b.id, status: 'arrived' })).toMatchObject({ code: 'conflict' });
    api.setNow('2026-10-25T00:45:00+02:00');
    expect((await api.ok('bookings.mark', { id: b.id, status: 'arrived' })).status).toBe('arrived');
  });

  it('blocks a whole DST day by its local midnights: 23 hours in spring, 25 in autumn', async () => {
    api.setNow('2026-03-16T07:00:00+01:00');
    // A patient on the first slot after the skipped hour (03:00 CEST) is affected; Saturday's are not.
    const patient = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1950-10-25', 345),
      givenName: 'Höst',
      familyName: 'Natt',
    });
    const [, , afterGap] = await findNight('2026-03-29', '2026-03-29');
    const [saturday] = await findNight('2026-03-28', '2026-03-28');
    for (const s of [afterGap!, saturday!]) {
      await api.ok('bookings.book', { slotId: s.slotId, patientId: patient.id, appointmentTypeId: natt.id });
    }
    const spring = await api.ok('absences.create', {
      resourceId: night.id,
      from: '2026-03-29',
      to: '2026-03-29',
      reason: 'Ledig',
    });
    expect(spring.absence.endAt - spring.absence.startAt).toBe(23 * 3_600_000);
    expect(spring.slotsChanged).toBe(4);
    expect(spring.affectedBookings.map((b) => utc(b.startAt))).toEqual(['2026-03-29 01:00']);
    expect(await findNight('2026-03-28', '2026-03-29')).toHaveLength(5);
    api.setNow('2026-10-19T07:00:00+02:00');
    const autumn = await api.ok('absences.create', {
      resourceId: night.id,
      from: '2026-10-25',
      to: '2026-10-25',
      reason: 'Ledig',
    });
    expect(autumn.absence).toMatchObject({ startAt: at('2026-10-25T00:00:00+02:00'), endAt: at('2026-10-26T00:00:00+01:00') });
    expect(autumn.slotsChanged).toBe(6);
    expect(await findNight('2026-10-24', '2026-10-25')).toHaveLength(6);
    // The visit already marked arrived is not for rebooking; none of the others is booked.
    expect(autumn.affectedBookings).toEqual([]);
    const listed = (from: string, to: string) => api.ok('absences.list', { resourceId: night.id, from, to });
    expect((await listed('2026-10-25', '2026-10-25')).map((a) => a.id)).toEqual([autumn.absence.id]);
    expect(await listed('2026-10-26', '2026-10-26')).toEqual([]);
    expect(await listed('2026-10-24', '2026-10-24')).toEqual([]);
  });

  it('adds single slots by the wall clock and refuses a time the clock skips', async () => {
    const add = (date: string, startTime: string, endTime: string) => ({
      resourceId: clinician.id,
      date,
      startTime,
      endTime,
      appointmentTypeIds: [type.id],
    });
    api.setNow('2026-03-16T07:00:00+01:00');
    const spring = await api.ok('slots.create', add('2026-03-29', '01:30', '03:00'));
    expect([utc(spring.startAt), (spring.endAt - spring.startAt) / MIN]).toEqual(['2026-03-29 00:30', 30]);
    api.setNow('2026-10-19T07:00:00+02:00');
    // The spring night is history by now.
    expect(await api.err('slots.create', add('2026-03-29', '01:30', '03:00'))).toMatchObject({
      code: 'validation',
      message: '2026-03-29 har redan varit: en ny tid kan läggas idag (2026-10-19) eller senare.',
    });
    const autumn = await api.ok('slots.create', add('2026-10-25', '02:30', '03:00'));
    expect([utc(autumn.startAt), (autumn.endAt - autumn.startAt) / MIN]).toEqual(['2026-10-25 01:30', 30]);
    // In the doubled hour "01:30–02:00" ends at the first 02:00 (CEST), as the template's slot does.
    const doubled = await api.ok('slots.create', add('2026-10-25', '01:30', '02:00'));
    expect([utc(doubled.startAt), (doubled.endAt - doubled.startAt) / MIN]).toEqual(['2026-10-24 23:30', 30]);
    const night = await api.ok('slots.create', add('2026-10-24', '23:00', '23:30'));
    expect((night.endAt - night.startAt) / MIN).toBe(30);
    api.setNow('2026-03-16T07:00:00+01:00');
    for (const [start, end] of [
      ['02:15', '02:45'],
      ['02:00', '03:00'],
      ['01:00', '02:30'],
    ]) {
      expect(await api.err('slots.create', add('2026-03-29', start!, end!))).toMatchObject({
        code: 'validation',
        message: expect.stringMatching(/finns inte 2026-03-29/),
      });
    }
    expect(
      await api.err('absences.create', {
        resourceId: clinician.id,
        from: '2026-03-29',
        fromTime: '02:30',
        to: '2026-03-29',
        toTime: '05:00',
      }),
    ).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/02:30 finns inte 2026-03-29/),
    });
  });
});
