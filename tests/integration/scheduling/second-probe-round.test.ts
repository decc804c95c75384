// A second outside checker's round on the scheduling core (issue 3), through the api (dispatch) on
// fresh units in real SQLite files. Cases the first round and the acceptance suites left out: 2028's
// leap day (a samordningsnummer of day 89, 1900 and 2000 a century apart), the holidays of
// 2028–2032 against an Easter computus written here, every-N-weeks rhythms started around ISO
// week 53 of 2026 as they stand in 2027–2028, 20-minute grids through both clock changes of 2026,
// every booking status a step may leave from, the booking window's two edges for each way in, the
// reason rules of each process, a type's life while its times are booked, invitation-only types
// and an absence's proposals. Expected answers are worked out here, not read off Tidbok.
import { describe, expect, it } from 'vitest';
import { clockUnit } from './helpers.ts';
import type { InputOf } from '../../../src-main/api/contract.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';
import { luhn } from '../../helpers/luhn-oracle.ts';

const wall = (ms: number) => `${localDate(ms)} ${localTime(ms)}`;
const utc = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const DAY = 86_400_000;
const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const isoWeekday = (d: string) => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const mondayOf = (d: string) => plusDays(d, 1 - isoWeekday(d));

async function freshUnit(nowIso: string, rules: Record<string, unknown> = {}) {
  const unit = await clockUnit(
    nowIso,
    { hsaId: 'SE2321000016-PRB2', name: 'Vårdcentralen Andra Rundan', nurse: true },
    { code: 'BES30', nameSv: 'Läkarbesök', nameEn: 'Doctor visit', durationMin: 30 },
    rules,
  );
  const { api, dag, type, patient } = unit;
  const template = async (over: Partial<InputOf<'templates.create'>['template']>) => (await unit.template(over)).template;
  const book = (slotId: string) => api.ok('bookings.book', { slotId, patientId: patient.id, appointmentTypeId: type.id });
  const ofTemplate = async (id: string, from: string, to: string) =>
    (await api.ok('calendar.range', { from, to })).slots.filter((s) => s.templateId === id);
  return { ...unit, sol: unit.sol!, dag, template, book, ofTemplate };
}

/** Gregorian Easter Sunday (the anonymous computus of Nature, 1876). */
function easter(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
/** The first date from `from` on that falls on ISO weekday `wd`. */
const firstOnOrAfter = (from: string, wd: number) => plusDays(from, (wd - isoWeekday(from) + 7) % 7);

/** Sweden's public holidays and the three eves of a year, from the law's rules. */
function closedDays(y: number): string[] {
  const e = easter(y);
  const midsommardagen = firstOnOrAfter(`${y}-06-20`, 6);
  return [
    `${y}-01-01 nyårsdagen`,
    `${y}-01-06 trettondedag jul`,
    `${plusDays(e, -2)} långfredagen`,
    `${e} påskdagen`,
    `${plusDays(e, 1)} annandag påsk`,
    `${y}-05-01 första maj`,
    `${plusDays(e, 39)} Kristi himmelsfärdsdag`,
    `${plusDays(e, 49)} pingstdagen`,
    `${y}-06-06 nationaldagen`,
    `${plusDays(midsommardagen, -1)} midsommarafton`,
    `${midsommardagen} midsommardagen`,
    `${firstOnOrAfter(`${y}-10-31`, 6)} alla helgons dag`,
    `${y}-12-24 julafton`,
    `${y}-12-25 juldagen`,
    `${y}-12-26 annandag jul`,
    `${y}-12-31 nyårsafton`,
  ].sort();
}

describe('the leap day of 2028', () => {
  it('takes a samordningsnummer of day 89 only in a leap year, 1900 not being one, and books 29 February', async () => {
    const { api, template, book } = await freshUnit('2028-02-21T09:00:00+01:00');
    const n = (yymmdd: string, sep: string) => `${yymmdd}${sep}123${luhn(`${yymmdd}123`)}`;
    const check = async (value: string) => {
      const r = await api.ok('patients.checkIdentityNumber', { value });
      return r.ok ? `${r.kind} ${r.birthDate}` : r.message;
    };
    expect([
      await check(n('280289', '-')),
      await check(`20${n('280289', '-')}`),
      await check(`20${n('270289', '-')}`),
      await check(`20${n('280290', '-')}`),
      await check(n('000289', '-')),
      await check(n('000289', '+')),
      await check(n('000229', '+')),
    ]).toEqual([
      // Today is 21 February 2028: ten digits with '-' name the last 29 February, 1928's.
      'samordningsnummer 1928-02-29',
      'Födelsedatumet 2028-02-29 ligger i framtiden.',
      'Samordningsnumret innehåller ett datum som inte finns (dag 89 − 60 ger 2027-02-29).',
      'Samordningsnumret innehåller ett datum som inte finns (dag 90 − 60 ger 2028-02-30).',
      'samordningsnummer 2000-02-29',
      'Samordningsnumret innehåller ett datum som inte finns (dag 89 − 60 ger 1900-02-29).',
      'Personnumret innehåller ett datum som inte finns (1900-02-29).',
    ]);
    // From 1 March the same ten digits are the newborn's, and she is registered as 20280289….
    api.setNow('2028-03-01T09:00:00+01:00');
    expect(await check(n('280289', '-'))).toBe('samordningsnummer 2028-02-29');
    const baby = await api.ok('patients.create', { identityNumber: n('280289', '-'), givenName: 'Skott', familyName: 'Dag' });
    expect(baby.identityNumber).toBe(`20${n('280289', '')}`);
    api.setNow('2028-02-21T09:00:00+01:00');
    // A Tuesday template lays the leap day like any Tuesday, and a desk books it.
    await template({ weekdays: [2], startTime: '08:00', endTime: '09:00' });
    const week = await api.ok('calendar.range', { from: '2028-02-28', to: '2028-03-06' });
    expect(week.slots.map((s) => wall(s.startAt))).toEqual(['2028-02-29 08:00', '2028-02-29 08:30']);
    expect(wall((await book(week.slots[1]!.id)).startAt)).toBe('2028-02-29 08:30');
  });
});

describe('closed days of 2028–2032 against a computus written here', () => {
  it('lists each year as the law gives it, and a daily template skips exactly those days', async () => {
    const { api, template } = await freshUnit('2027-12-27T07:00:00+01:00');
    for (const y of [2028, 2029, 2030, 2031, 2032]) {
      const listed = await api.ok('holidays.list', { year: y });
      expect(listed.map((h) => `${h.date} ${h.name}`).sort(), String(y)).toEqual(closedDays(y));
      expect(listed.every((h) => h.closed)).toBe(true);
    }
    await template({ startTime: '08:00', endTime: '08:30', validFrom: '2028-01-01', validTo: '2029-12-31' });
    const report = await api.ok('templates.expand', { horizonWeeks: 104 });
    // 104 weeks from Monday 27 December 2027 reach Sunday 23 December 2029.
    const expected = [...closedDays(2028), ...closedDays(2029)].filter((d) => d.slice(0, 10) <= '2029-12-23');
    expect(report.skippedHolidays.map((s) => `${s.date} ${s.holiday}`)).toEqual(expected);
  });
});

describe('every 2 and 3 weeks started around ISO week 53 of 2026, as they stand in 2027–2028', () => {
  it.each([
    [3, 3, '2026-12-09'], // Wednesdays from week 50 of 2026
    [2, 4, '2026-12-31'], // Thursdays from week 53
    [2, 5, '2027-01-01'], // Fridays from nyårsdagen, still week 53
    [3, 1, '2026-12-28'], // Mondays from week 53's Monday
  ] as const)(
    'every %i weeks on weekday %i from %s: preview, expansion and the calendar agree with the week count',
    async (n, wd, from) => {
      const { api, template, dag, type, ofTemplate } = await freshUnit('2026-12-07T07:00:00+01:00');
      const spec = { weekdays: [wd], everyNWeeks: n, validFrom: from, startTime: '08:00', endTime: '08:30', skipHolidays: false };
      const t = await template(spec);
      api.setNow('2027-12-01T07:00:00+01:00');
      await api.ok('templates.expand', {});
      const expected: string[] = [];
      for (let d = '2027-12-01'; d < '2028-01-31'; d = plusDays(d, 1)) {
        const weeks = (Date.parse(mondayOf(d)) - Date.parse(mondayOf(from))) / (7 * DAY);
        if (isoWeekday(d) === wd && weeks % n === 0) expected.push(d);
      }
      const laid = (await ofTemplate(t.id, '2027-12-01', '2028-01-31')).map((s) => localDate(s.startAt));
      const preview = await api.ok('templates.preview', {
        template: { ...spec, resourceId: dag.id, slotMin: 30, appointmentTypeIds: [type.id] },
      });
      expect(laid).toEqual(expected);
      expect(preview.slots.map((s) => s.date).filter((d) => d < '2028-01-31')).toEqual(expected);
    },
  );
});

describe('a 20-minute grid 01:00–04:00 through both clock changes of 2026', () => {
  it.each([
    // Spring: 02:00–02:59 does not exist; the slot starting 01:40 ends when the clock shows 03:00.
    [
      '2026-03-20T07:00:00+01:00',
      '2026-03-29',
      ['01:00 00:00', '01:20 00:20', '01:40 00:40', '03:00 01:00', '03:20 01:20', '03:40 01:40'],
    ],
    // Autumn: 02:00–02:59 is laid once, in its second (standard-time) pass.
    [
      '2026-10-18T07:00:00+02:00',
      '2026-10-25',
      [
        '01:00 23:00',
        '01:20 23:20',
        '01:40 23:40',
        '02:00 01:00',
        '02:20 01:20',
        '02:40 01:40',
        '03:00 02:00',
        '03:20 02:20',
        '03:40 02:40',
      ],
    ],
  ] as const)(
    'from %s: %s lays each start once on its instant, each 20 real minutes; search, calendar and a second expansion agree',
    async (now, day, expected) => {
      const { api, template, type, ofTemplate } = await freshUnit(now, { durationMin: 20 });
      const t = await template({
        weekdays: [7],
        startTime: '01:00',
        endTime: '04:00',
        slotMin: 20,
        validFrom: day,
        validTo: day,
      });
      const laid = await ofTemplate(t.id, day, plusDays(day, 1));
      expect(laid.map((s) => `${localTime(s.startAt)} ${utc(s.startAt)}`)).toEqual(expected);
      expect(laid.every((s) => s.endAt - s.startAt === 20 * 60_000)).toBe(true);
      const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: day, to: day, limit: 50 });
      expect(free.map((f) => f.slotId)).toEqual(laid.map((s) => s.id));
      const again = await api.ok('templates.expand', {});
      expect([again.created, again.removed, again.updated]).toEqual([0, 0, 0]);
      expect((await ofTemplate(t.id, day, plusDays(day, 1))).map((s) => s.id)).toEqual(laid.map((s) => s.id));
    },
  );
});

describe('which step a booking may take from each status', () => {
  it('refuses each step out of cancelled, rebooked and a finished visit with a Swedish conflict; a rebooking chain keeps patient, type and visit reason', async () => {
    const { api, web, slot, book } = await freshUnit('2026-12-01T07:00:00+01:00', { cancelCutoffH: 0, rebookCutoffH: 0 });
    const elsewhere = await slot('2026-12-02', '10:00', '10:30');
    const step = async (what: string, call: () => Promise<{ status?: string; new?: { status: string } }>) => {
      try {
        const v = await call();
        return `${what}: ${v.status ?? v.new?.status}`;
      } catch (e) {
        return `${what}: ${String(e).replace(/^Error: [\w. ]+ failed: /, '')}`;
      }
    };

    const cancelled = await book((await slot('2026-12-01', '11:00', '11:30')).id);
    await api.ok('bookings.cancel', { id: cancelled.id });
    const done = await book((await slot('2026-12-01', '08:00', '08:30')).id);
    api.setNow('2026-12-01T08:10:00+01:00');
    expect([
      ...(await Promise.all(
        (['arrived', 'no_show', 'completed', 'booked'] as const).map((s) =>
          step(`cancelled→${s}`, () => api.ok('bookings.mark', { id: cancelled.id, status: s })),
        ),
      )),
      await step('cancelled→rebook', () => api.ok('bookings.rebook', { id: cancelled.id, slotId: elsewhere.id })),
      await step('booked→no_show', () => api.ok('bookings.mark', { id: done.id, status: 'no_show' })),
      await step('no_show→cancel', () => api.ok('bookings.cancel', { id: done.id, override: { reason: 'Fel rad' } })),
      await step('no_show→completed', () => api.ok('bookings.mark', { id: done.id, status: 'completed' })),
      await step('no_show→booked (undo)', () => api.ok('bookings.mark', { id: done.id, status: 'booked' })),
      await step('booked→arrived', () => api.ok('bookings.mark', { id: done.id, status: 'arrived' })),
      await step('arrived→completed', () => api.ok('bookings.mark', { id: done.id, status: 'completed' })),
      await step('completed→no_show', () => api.ok('bookings.mark', { id: done.id, status: 'no_show' })),
      await step('completed→rebook', () => api.ok('bookings.rebook', { id: done.id, slotId: elsewhere.id })),
    ]).toEqual([
      'cancelled→arrived: conflict Bokningen är avbokad och kan inte markeras.',
      'cancelled→no_show: conflict Bokningen är avbokad och kan inte markeras.',
      'cancelled→completed: conflict Bokningen är avbokad och kan inte markeras.',
      'cancelled→booked: conflict Bokningen är avbokad och kan inte markeras.',
      'cancelled→rebook: conflict Bokningen är avbokad och kan inte ändras.',
      'booked→no_show: no_show',
      'no_show→cancel: conflict Besöket är markerat som uteblivet och kan inte ändras.',
      'no_show→completed: conflict Besöket är markerat som uteblivet och kan inte avslutas. Ångra markeringen först om den blev fel.',
      'no_show→booked (undo): booked',
      'booked→arrived: arrived',
      'arrived→completed: completed',
      'completed→no_show: conflict Besöket är avslutat och kan inte markeras som uteblivet. Ångra markeringen först om den blev fel.',
      'completed→rebook: conflict Besöket är avslutat och kan inte ändras.',
    ]);

    api.setNow('2026-12-01T07:00:00+01:00');
    const a = await api.ok('bookings.book', {
      slotId: (await slot('2026-12-03', '10:00', '10:30')).id,
      patientId: cancelled.patient!.id,
      appointmentTypeId: cancelled.appointmentTypeId,
      reasonText: 'Ont i knät',
    });
    expect(await step('rebook to its own slot', () => api.ok('bookings.rebook', { id: a.id, slotId: a.slotId }))).toBe(
      'rebook to its own slot: validation Välj en annan tid än den bokade.',
    );
    const b = (await api.ok('bookings.rebook', { id: a.id, slotId: (await slot('2026-12-04', '10:00', '10:30')).id })).new;
    const c = (await api.ok('bookings.rebook', { id: b.id, slotId: (await slot('2026-12-05', '10:00', '10:30')).id })).new;
    const [ga, gb, gc] = await Promise.all([a, b, c].map((x) => api.ok('bookings.get', { id: x.id })));
    expect([ga!.status, ga!.rebookedTo, gb!.status, gb!.rebookedFrom, gb!.rebookedTo, gc!.status, gc!.rebookedFrom]).toEqual([
      'rebooked',
      b.id,
      'rebooked',
      a.id,
      c.id,
      'booked',
      b.id,
    ]);
    expect([gc!.patient!.id, gc!.appointmentTypeId, gc!.reasonText]).toEqual([a.patient!.id, a.appointmentTypeId, 'Ont i knät']);
    expect([
      await step('rebooked→arrived', () => api.ok('bookings.mark', { id: a.id, status: 'arrived' })),
      await step('rebooked→cancel', () => api.ok('bookings.cancel', { id: b.id })),
      await step('rebooked→cancel on 1177', () => web.ok('cancel', { id: b.id })),
    ]).toEqual([
      'rebooked→arrived: conflict Bokningen är ombokad och kan inte markeras: markera den nya tiden.',
      'rebooked→cancel: conflict Bokningen är redan ombokad och kan inte ändras.',
      'rebooked→cancel on 1177: conflict Bokningen är redan ombokad och kan inte ändras.',
    ]);
  });
});

describe('the booking window’s two edges (24 h lead, 10 days ahead), for every way in', () => {
  it('takes exactly 24 h ahead and the whole tenth day, refuses a minute less or the eleventh day, alike in search, at the desk, on 1177 and in a move', async () => {
    const { api, web, slot, patient, type, book } = await freshUnit('2026-12-01T09:00:00+01:00', {
      bookMinLeadH: 24,
      bookMaxDays: 10,
      rebookCutoffH: 0,
    });
    const held = await book((await slot('2026-12-05', '12:00', '12:30')).id).catch(() => null);
    expect(held).not.toBeNull();
    const edges = {
      lead: await slot('2026-12-02', '09:00', '09:30'),
      tooSoon: await slot('2026-12-02', '08:30', '09:00'),
      tenth: await slot('2026-12-11', '23:30', '24:00'),
      eleventh: await slot('2026-12-12', '00:00', '00:30'),
    };
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-12-01', to: '2026-12-31' });
    const freeWeb = await api.ok('slots.findFree', { appointmentTypeId: type.id, webOnly: true });
    expect(free.map((f) => wall(f.startAt))).toEqual(['2026-12-02 09:00', '2026-12-11 23:30']);
    expect(freeWeb.map((f) => f.slotId)).toEqual(free.map((f) => f.slotId));
    const soon = 'Läkarbesök måste bokas minst 24 timmar i förväg: tidigast 2026-12-02 kl. 09:00.';
    const far = 'Läkarbesök kan bokas högst 10 dagar framåt: senast 2026-12-11.';
    let current = held!;
    for (const [name, s, refusal] of [
      ['lead', edges.lead, null],
      ['tooSoon', edges.tooSoon, soon],
      ['tenth', edges.tenth, null],
      ['eleventh', edges.eleventh, far],
    ] as const) {
      const input = { slotId: s.id, patientId: patient.id, appointmentTypeId: type.id };
      if (refusal === null) {
        // On 1177 first (then cancelled there), then moved to it at the desk.
        const onWeb = await web.ok('book', input);
        await web.ok('cancel', { id: onWeb.id });
        current = (await api.ok('bookings.rebook', { id: current.id, slotId: s.id })).new;
        expect(current.slotId, name).toBe(s.id);
      } else {
        const desk = await api.err('bookings.rebook', { id: current.id, slotId: s.id });
        const onWeb = await web.err('book', input);
        expect([desk.code, desk.message, onWeb.code, onWeb.message], name).toEqual(['conflict', refusal, 'conflict', refusal]);
        expect((await api.err('bookings.book', input)).message, name).toBe(refusal);
      }
    }
  });
});

describe('reason rules per process, at the desk and on 1177', () => {
  const codes = [
    { code: 'SJUK', textSv: 'Sjuk', textEn: 'Ill' },
    { code: 'ANNAT', textSv: 'Annat', textEn: 'Other' },
  ];
  const refusal = async (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: unknown) => String(e).replace(/^Error: [\w. ]+ failed: /, ''),
    );

  it('mandatory: each process asks for its own reason; a code must be the type’s (any case); an absence’s move gives its reason', async () => {
    const { api, web, slot, patient, type, dag, natt } = await freshUnit('2026-12-01T07:00:00+01:00', {
      reasonNew: 'mandatory',
      reasonCancel: 'mandatory',
      reasonRebook: 'mandatory',
      reasonCodes: codes,
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const s1 = await slot('2026-12-02', '10:00', '10:30');
    const s2 = await slot('2026-12-03', '10:00', '10:30');
    const input = { slotId: s1.id, patientId: patient.id, appointmentTypeId: type.id };
    expect([
      await refusal(api.ok('bookings.book', input)),
      await refusal(api.ok('bookings.book', { ...input, reasonText: '   ' })),
      await refusal(api.ok('bookings.book', { ...input, reasonCode: 'FEL' })),
      await refusal(web.ok('book', input)),
    ]).toEqual([
      'validation Ange orsak till bokningen.',
      'validation Ange orsak till bokningen.',
      'validation Orsakskoden FEL finns inte för besökstypen.',
      'validation Ange orsak till bokningen.',
    ]);
    const b = await api.ok('bookings.book', { ...input, reasonCode: 'sjuk' });
    expect((await api.ok('bookings.get', { id: b.id })).reasonCode).toBe('SJUK');
    expect([
      await refusal(api.ok('bookings.rebook', { id: b.id, slotId: s2.id })),
      await refusal(web.ok('rebook', { id: b.id, slotId: s2.id })),
      await refusal(api.ok('bookings.cancel', { id: b.id })),
      await refusal(web.ok('cancel', { id: b.id })),
    ]).toEqual([
      'validation Ange orsak till ombokningen.',
      'validation Ange orsak till ombokningen.',
      'validation Ange orsak till avbokningen.',
      'validation Ange orsak till avbokningen.',
    ]);
    // The unit moves a booking it cancelled itself: the absence (or "Frånvaro") is the move's reason.
    await slot('2026-12-03', '11:00', '11:30', natt.id);
    const { absence } = await api.ok('absences.create', { resourceId: dag.id, from: '2026-12-02', to: '2026-12-02' });
    const moved = await api.ok('absences.applyRebooking', { id: absence.id });
    const old = await api.ok('bookings.get', { id: b.id });
    expect([moved.rebooked.length, old.status, old.cancelReasonText, old.reasonCode]).toEqual([
      1,
      'rebooked',
      'Frånvaro',
      'SJUK',
    ]);
    expect((await api.ok('bookings.get', { id: moved.rebooked[0]!.new.id })).reasonCode).toBe('SJUK');
  });

  it('unsupported: a reason given to any process is refused by name, at the desk and on 1177', async () => {
    const { api, web, slot, patient, type } = await freshUnit('2026-12-01T07:00:00+01:00', {
      reasonNew: 'unsupported',
      reasonCancel: 'unsupported',
      reasonRebook: 'unsupported',
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const s1 = await slot('2026-12-02', '10:00', '10:30');
    const s2 = await slot('2026-12-03', '10:00', '10:30');
    const input = { slotId: s1.id, patientId: patient.id, appointmentTypeId: type.id };
    expect(await refusal(api.ok('bookings.book', { ...input, reasonText: 'Ont' }))).toBe(
      'validation Besökstypen tar inte emot orsak vid bokning.',
    );
    const b = await api.ok('bookings.book', input);
    expect([
      await refusal(api.ok('bookings.rebook', { id: b.id, slotId: s2.id, reasonCode: 'X' })),
      await refusal(api.ok('bookings.cancel', { id: b.id, reasonText: 'x' })),
      await refusal(web.ok('cancel', { id: b.id, reasonText: 'x' })),
      (await api.ok('bookings.rebook', { id: b.id, slotId: s2.id })).new.status,
    ]).toEqual([
      'validation Besökstypen tar inte emot orsak vid ombokning.',
      'validation Besökstypen tar inte emot orsak vid avbokning.',
      'validation Besökstypen tar inte emot orsak vid avbokning.',
      'booked',
    ]);
  });
});

describe('an appointment type’s life while its times are booked', () => {
  it('lengthened, deactivated, reactivated: never deleted in use, its booking moved but not booked anew meanwhile', async () => {
    const { api, web, template, patient, type, dag } = await freshUnit('2026-12-01T07:00:00+01:00', {
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    await template({ weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '10:00', validFrom: '2026-12-02' });
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, limit: 4 });
    const other = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1970-01-15', 17),
      givenName: 'Vår',
      familyName: 'Andersson',
    });
    const b = await api.ok('bookings.book', { slotId: free[0]!.slotId, patientId: patient.id, appointmentTypeId: type.id });
    const bookOther = (slotId: string) => api.err('bookings.book', { slotId, patientId: other.id, appointmentTypeId: type.id });

    await api.ok('appointmentTypes.update', { id: type.id, durationMin: 45 });
    expect(await api.ok('slots.findFree', { appointmentTypeId: type.id })).toEqual([]);
    expect((await bookOther(free[1]!.slotId)).message).toBe('Tiden är 30 minuter men besökstypen tar 45 minuter.');
    expect((await api.ok('bookings.get', { id: b.id })).status).toBe('booked');
    await api.ok('appointmentTypes.update', { id: type.id, durationMin: 30 });

    expect(await api.err('appointmentTypes.delete', { id: type.id })).toMatchObject({
      code: 'conflict',
      message: 'Besökstypen används och kan inte tas bort. Inaktivera den i stället.',
    });
    await api.ok('appointmentTypes.setActive', { id: type.id, active: false });
    expect((await bookOther(free[1]!.slotId)).message).toBe('Besökstypen är inaktiverad och kan inte bokas.');
    expect((await web.err('book', { slotId: free[1]!.slotId, patientId: other.id, appointmentTypeId: type.id })).message).toBe(
      'Besökstypen är inaktiverad och kan inte bokas.',
    );
    expect(await api.ok('slots.findFree', { appointmentTypeId: type.id })).toEqual([]);
    expect(
      await api.err('slots.create', {
        resourceId: dag.id,
        date: '2026-12-05',
        startTime: '10:00',
        endTime: '10:30',
        appointmentTypeIds: [type.id],
      }),
    ).toMatchObject({ message: 'Läkarbesök är inaktiverad och kan inte erbjudas på nya tider.' });
    const forMove = await api.ok('slots.findFree', { appointmentTypeId: type.id, rebookingId: b.id, limit: 3 });
    expect(forMove.map((f) => f.slotId)).toEqual(free.slice(1, 4).map((f) => f.slotId));
    const perms = await api.ok('bookings.onlinePermissions', { id: b.id });
    expect([perms.cancel.allowed, perms.rebook.allowed]).toEqual([true, false]);
    const moved = await api.ok('bookings.rebook', { id: b.id, slotId: forMove[0]!.slotId });
    expect([moved.new.appointmentTypeId, moved.new.patient!.id]).toEqual([type.id, patient.id]);

    await api.ok('appointmentTypes.setActive', { id: type.id, active: true });
    expect(
      (await api.ok('bookings.book', { slotId: free[2]!.slotId, patientId: other.id, appointmentTypeId: type.id })).status,
    ).toBe('booked');
  });

  it('invitation-only: 1177 offers and takes it only with an invitation, the desk always', async () => {
    const { api, web, patient, dag } = await freshUnit('2026-12-01T07:00:00+01:00');
    const inv = await api.ok('appointmentTypes.create', {
      code: 'KALL',
      nameSv: 'Kallelse',
      nameEn: 'Invitation',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['lakare'],
      invitationOnly: true,
      webCancellable: true,
    });
    const s = await api.ok('slots.create', {
      resourceId: dag.id,
      date: '2026-12-10',
      startTime: '13:00',
      endTime: '13:30',
      appointmentTypeIds: [inv.id],
      webPublished: true,
    });
    const found = async (over: object) => (await api.ok('slots.findFree', { appointmentTypeId: inv.id, ...over })).length;
    expect([await found({ webOnly: true }), await found({ webOnly: true, invited: true }), await found({})]).toEqual([0, 1, 1]);
    const input = { slotId: s.id, patientId: patient.id, appointmentTypeId: inv.id };
    expect(await web.err('book', input)).toMatchObject({
      code: 'conflict',
      message: 'Besökstypen kan bara bokas via webben efter kallelse.',
    });
    expect((await web.ok('book', { ...input, invited: true })).status).toBe('booked');
  });
});

describe('an absence’s rebooking proposals', () => {
  it('skip a blocked time and another profession, keep to the unit’s own single times, and never hit a time the absence only touches', async () => {
    const { api, template, dag, natt, sol, patient } = await freshUnit('2026-12-14T07:00:00+01:00', {
      professions: ['lakare', 'sjukskoterska'],
    });
    // Dr Dag's day is 08:00–09:30: nothing of hers is left free after the absence.
    await template({ weekdays: [1], startTime: '08:00', endTime: '09:30', validFrom: '2026-12-21', validTo: '2026-12-21' });
    const mk = async (date: string, resourceId: string) =>
      (
        await api.ok('slots.create', {
          resourceId,
          date,
          startTime: '10:00',
          endTime: '10:30',
          appointmentTypeIds: [(await api.ok('appointmentTypes.list', {}))[0]!.id],
        })
      ).id;
    const nurse = await mk('2026-12-22', sol.id); // earliest, but another profession
    const blocked = await mk('2026-12-23', natt.id);
    await api.ok('slots.block', { id: blocked, reason: 'Möte' });
    const chosen = await mk('2026-12-28', natt.id);
    const day = await api.ok('calendar.range', { from: '2026-12-21', to: '2026-12-22', resourceIds: [dag.id] });
    const at = (hhmm: string) => day.slots.find((s) => localTime(s.startAt) === hhmm)!.id;
    const type = (await api.ok('appointmentTypes.list', {}))[0]!;
    const book = (slotId: string) => api.ok('bookings.book', { slotId, patientId: patient.id, appointmentTypeId: type.id });
    const hit = await book(at('08:30'));
    const touched = await book(at('09:00'));
    // 08:00–09:00 (half-open): the 08:30 time is in it, the 09:00 time only touches its end.
    const { absence, affectedBookings } = await api.ok('absences.create', {
      resourceId: dag.id,
      from: '2026-12-21',
      fromTime: '08:00',
      to: '2026-12-21',
      toTime: '09:00',
      reason: 'Möte',
    });
    expect(affectedBookings.map((b) => b.id)).toEqual([hit.id]);
    const proposals = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(proposals.map((p) => [p.booking.id, p.proposal?.slotId])).toEqual([[hit.id, chosen]]);
    expect([nurse, blocked]).not.toContain(proposals[0]!.proposal?.slotId);
    expect((await api.ok('bookings.get', { id: touched.id })).status).toBe('booked');
  });
});

describe('"första lediga tid" without a date reaches as far as a 180-day booking window', () => {
  it('lists a time late on the 180th day, which the desk and 1177 may book, and nothing of the 181st', async () => {
    // A new type's window is 180 days (the default): today 1 December 2026, any time on
    // 30 May 2027 is bookable. The search without a date used to stop at 09:00 that day.
    const { api, web, natt, patient } = await freshUnit('2026-12-01T09:00:00+01:00');
    const type = await api.ok('appointmentTypes.create', {
      code: 'STD',
      nameSv: 'Standard',
      nameEn: 'Standard',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['lakare'],
      webBookable: true,
    });
    expect(type.bookMaxDays).toBe(180);
    const mk = (date: string, start: string, end: string) =>
      api.ok('slots.create', {
        resourceId: natt.id,
        date,
        startTime: start,
        endTime: end,
        appointmentTypeIds: [type.id],
        webPublished: true,
      });
    const late = await mk('2027-05-30', '20:00', '20:30');
    await mk('2027-05-31', '08:00', '08:30');
    for (const q of [{}, { webOnly: true }, { from: '2026-12-01' }]) {
      const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, ...q });
      expect(
        free.map((f) => wall(f.startAt)),
        JSON.stringify(q),
      ).toEqual(['2027-05-30 20:00']);
    }
    expect((await web.ok('book', { slotId: late.id, patientId: patient.id, appointmentTypeId: type.id })).status).toBe('booked');
  });
});
