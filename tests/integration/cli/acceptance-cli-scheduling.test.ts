// Issue 3 as an outside reviewer checks it at the command line, with cases of their own: identity
// numbers (Skatteverket's rules), DST nights and holiday weeks of 2026–2027 in template previews,
// bad dates and periods, absences across DST, and two processes changing one database at once.
// Every expectation is derived from the rules (calendar, Skatteverket, the issue), not from
// Tidbok's output. Most cases run the real `main()` in this process (fast); the concurrency
// cases spawn real `tidbok` processes against the same file.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src-main/domain/personnummer.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';
import { runTidbok, spawnTidbok } from '../../helpers/cli-process.ts';
import { SWEDISH_CLOSED_DAYS } from '../../helpers/swedish-holidays.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
// A Monday morning: "today" is 2026-11-23 unless a case says otherwise.
const NOW = '2026-11-23T07:00:00+01:00';

const cli = (args: string[], now = NOW) => runTidbok(args, now);

const spawnCli = (args: string[]) => spawnTidbok(args, { now: NOW });

/** A valid 10-digit number for YYMMDD (a samordningsnummer when DD > 60), with `sep`. */
const pnr = (yymmdd: string, sep = '-', serial = '238') => `${yymmdd}${sep}${serial}${luhnCheckDigit(yymmdd + serial)}`;

let db: string;
beforeAll(async () => {
  db = tempDbPath();
  expect((await cli(['demo', 'seed', '--db', db])).code).toBe(0);
});

describe('patients check: identity numbers by Skatteverket’s rules (today 2026-11-23)', () => {
  // [typed, flags, normalised 12 digits | null when refused, kind or the refusal's words]
  const cases: [string, string[], string | null, string | RegExp][] = [
    ['191212121212', [], '191212121212', 'personnummer'],
    ['19121212-1212', [], '191212121212', 'personnummer'],
    ['121212-1212', [], '201212121212', 'personnummer'], // '-': under 100, so 2012
    ['1212121212', [], '201212121212', 'personnummer'], // no separator reads as '-'
    ['121212+1212', [], '191212121212', 'personnummer'], // '+': 100 or older
    ['19121212+1212', [], '191212121212', 'personnummer'],
    ['20121212+1212', [], null, /Plustecknet används från det år personen fyller 100/],
    // '+' from the YEAR of the 100th birthday: born 1926-12-31, 100 on 2026-12-31, '+' already now.
    [pnr('261231', '+'), [], `19${pnr('261231', '')}`, 'personnummer'],
    [pnr('261123'), [], `20${pnr('261123', '')}`, 'personnummer'], // born today
    [`20${pnr('261124')}`, [], null, /2026-11-24 ligger i framtiden/],
    ['121212-1213', [], null, /Kontrollsiffran stämmer inte/],
    ['201212121213', [], null, /Kontrollsiffran stämmer inte/],
    // Leap years: 2000 is one, 1900 and 2023 are not.
    [pnr('000229'), [], `20${pnr('000229', '')}`, 'personnummer'],
    [pnr('000229', '+'), [], null, /datum som inte finns \(1900-02-29\)/],
    [`19${pnr('000229', '')}`, [], null, /datum som inte finns \(1900-02-29\)/],
    [pnr('230229'), [], null, /datum som inte finns \(2023-02-29\)/],
    [pnr('240229'), [], `20${pnr('240229', '')}`, 'personnummer'],
    [pnr('001301'), [], null, /datum som inte finns \(2000-13-01\)/],
    [pnr('000100'), [], null, /datum som inte finns \(2000-01-00\)/],
    // Samordningsnummer: day + 60; day 91 is the 31st, which April has not; 92 is no day.
    [pnr('121272'), [], `20${pnr('121272', '')}`, 'samordningsnummer'],
    [pnr('850161'), [], `19${pnr('850161', '')}`, 'samordningsnummer'],
    [pnr('850191'), [], `19${pnr('850191', '')}`, 'samordningsnummer'],
    [pnr('850491'), [], null, /Samordningsnumret .*dag 91 − 60 ger 1985-04-31/],
    [pnr('850192'), [], null, /Samordningsnumret .*dag 92 − 60 ger 1985-01-32/],
    [pnr('850160'), [], null, /datum som inte finns/],
    // As typed or pasted: spaces, word-processor dashes, full-width digits.
    ['  121212-1212  ', [], '201212121212', 'personnummer'],
    ['121212 1212', [], '201212121212', 'personnummer'],
    ['121212–1212', [], '201212121212', 'personnummer'],
    ['121212—1212', [], '201212121212', 'personnummer'],
    ['１２１２１２－１２１２', [], '201212121212', 'personnummer'],
    ['', [], null, /Ange ett personnummer/],
    ['   ', [], null, /Ange ett personnummer/],
    ['12121212121', [], null, /10 eller 12 siffror, inte 11/],
    ['12-1212-1212', [], null, /före de fyra sista siffrorna/],
    ['121212-+1212', [], null, /före de fyra sista siffrorna/],
    [`17${pnr('270101', '')}`, [], null, /århundradet 17/],
    // Reserve numbers: only when flagged; a valid personnummer stays one.
    ['99ABC12345', [], null, /bara innehålla siffrorna/],
    ['99ABC12345', ['--reserve'], '99ABC12345', 'reserve'],
    ['AB', ['--reserve'], null, /reservnummer ska ha 10–20 tecken/],
    ['121212-1212', ['--reserve'], '201212121212', 'personnummer'],
  ];
  it.each(cases)('%j %j', async (typed, flags, normalised, kindOrError) => {
    const r = await cli(['patients', 'check', typed, ...flags, '--json', '--db', db]);
    if (normalised === null) {
      expect(r).toMatchObject({ code: 2, out: '' });
      expect(r.err).toMatch(kindOrError);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    } else {
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ ok: true, normalised, kind: kindOrError });
    }
  });

  it('prints the number as 12 digits with a dash, and the birth date', async () => {
    expect(await cli(['patients', 'check', pnr('850191'), '--db', db])).toMatchObject({
      code: 0,
      out: `19${pnr('850191')}  samordningsnummer  född 1985-01-31\n`,
    });
  });
});

describe('templates preview over DST nights and holiday weeks', () => {
  const preview = async (args: string[], now = NOW) => {
    const r = await cli(['templates', 'preview', '--resource', 'Anna Lindqvist', '--types', 'TELE', ...args, '--db', db], now);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    return r.out;
  };
  const morning = '08:00 08:20 08:40 09:00 09:20 09:40 10:00 10:20 10:40 11:00 11:20 11:40  (12 × 20 min)';

  // The four DST Sundays: 08:00–12:00 gives the same wall clock as the Saturday before (a DST
  // Sunday can also be a holiday, påskdagen 2027-03-28, hence --open-on-holidays).
  it.each([
    ['2026-03-29', '2026-03-01T08:00:00+01:00'],
    ['2026-10-25', '2026-10-01T08:00:00+02:00'],
    ['2027-03-28', NOW],
    ['2027-10-31', NOW],
  ])('%s: 08:00–12:00 as on any day', async (sunday, now) => {
    const saturday = new Date(Date.parse(`${sunday}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const out = await preview(
      [
        '--weekdays',
        '6,7',
        '--start',
        '08:00',
        '--end',
        '12:00',
        '--slot',
        '20',
        '--from',
        saturday,
        '--weeks',
        '1',
        '--open-on-holidays',
      ],
      now,
    );
    expect(out.split('\n').slice(0, 2)).toEqual([`${saturday} lör  ${morning}`, `${sunday} sön  ${morning}`]);
  });

  // The hour the clock skips has no slots and the preview says which; the doubled hour gets its
  // starts once (after the change, CET) and says so; no slot overlaps another.
  const spring = 'sommartid: klockan ställs fram 02:00 → 03:00';
  const autumn = 'vintertid: klockan ställs tillbaka 03:00 → 02:00';
  it.each([
    ['2027-03-22', '02:00', '03:00', ['2027-03-28 sön  ' + spring + ', 02:00 02:20 02:40 finns inte och läggs inte ut'], 0],
    [
      '2027-03-22',
      '01:00',
      '04:00',
      [
        '2027-03-28 sön  01:00 01:20 01:40 03:00 03:20 03:40  (6 × 20 min)',
        '2027-03-28 sön  ' + spring + ', 02:00 02:20 02:40 finns inte och läggs inte ut',
      ],
      6,
    ],
    [
      '2027-10-25',
      '02:00',
      '03:00',
      [
        '2027-10-31 sön  02:00 02:20 02:40  (3 × 20 min)',
        '2027-10-31 sön  ' + autumn + ', 02:00 02:20 02:40 läggs ut en gång (efter omställningen)',
      ],
      3,
    ],
    [
      '2027-10-25',
      '01:00',
      '04:00',
      [
        '2027-10-31 sön  01:00 01:20 01:40 02:00 02:20 02:40 03:00 03:20 03:40  (9 × 20 min)',
        '2027-10-31 sön  ' + autumn + ', 02:00 02:20 02:40 läggs ut en gång (efter omställningen)',
      ],
      9,
    ],
  ])('from %s, %s–%s on the DST Sunday', async (from, start, end, lines, count) => {
    const args = ['--weekdays', '7', '--start', start, '--end', end, '--slot', '20', '--from', from, '--weeks', '1'];
    const out = await preview([...args, '--open-on-holidays']);
    expect(out.trimEnd().split('\n').slice(0, -1)).toEqual(lines);
    const json = JSON.parse(await preview([...args, '--open-on-holidays', '--json'])) as {
      slots: { startAt: number; endAt: number }[];
    };
    expect(json.slots).toHaveLength(count);
    for (const [i, s] of json.slots.entries()) {
      expect(s.endAt - s.startAt).toBe(20 * 60_000); // each slot its real length
      if (i > 0) expect(s.startAt).toBeGreaterThanOrEqual(json.slots[i - 1]!.endAt); // none overlaps
    }
    if (from === '2027-10-25' && start === '02:00') expect(json.slots[0]!.startAt).toBe(Date.parse('2027-10-31T01:00:00Z'));
  });

  // Every day of the week, 08:00–09:00: exactly the Swedish public holidays and the eves closed by
  // default (julafton, nyårsafton, midsommarafton) are skipped, named.
  it.each([
    ['2026-12-21', 3, ['2026-12-24 julafton', '2026-12-25 juldagen', '2026-12-26 annandag jul', '2026-12-31 nyårsafton', '2027-01-01 nyårsdagen', '2027-01-06 trettondedag jul']], // prettier-ignore
    ['2027-03-22', 2, ['2027-03-26 långfredagen', '2027-03-28 påskdagen', '2027-03-29 annandag påsk']],
    ['2027-05-01', 3, ['2027-05-01 första maj', '2027-05-06 Kristi himmelsfärdsdag', '2027-05-16 pingstdagen']],
    ['2027-06-01', 4, ['2027-06-06 nationaldagen', '2027-06-25 midsommarafton', '2027-06-26 midsommardagen']],
    ['2027-10-25', 2, ['2027-11-06 alla helgons dag']],
    ['2027-12-20', 3, ['2027-12-24 julafton', '2027-12-25 juldagen', '2027-12-26 annandag jul', '2027-12-31 nyårsafton', '2028-01-01 nyårsdagen', '2028-01-06 trettondedag jul']], // prettier-ignore
  ])('from %s for %i weeks', async (from, weeks, closed) => {
    const args = ['--weekdays', '1-7', '--start', '08:00', '--end', '09:00', '--slot', '60', '--from', from];
    const out = await preview([...args, '--weeks', String(weeks)]);
    const shut = out
      .split('\n')
      .filter((l) => l.includes('stängt: '))
      .map((l) => l.replace(/ \S+ {2}stängt: /, ' '));
    expect(shut).toEqual(closed);
    const shutDays = closed.length === 1 ? '1 dag stängd' : `${closed.length} dagar stängda`;
    expect(out).toMatch(new RegExp(`\\n${weeks * 7 - closed.length} tider på ${weeks * 7 - closed.length} dagar .*, ${shutDays}\\.\\n$`)); // prettier-ignore
  });

  it('templates add lays out a night template over both 2027 DST Sundays and says what the nights did', async () => {
    const r = await cli(['templates', 'add', '--resource', 'Provtagningsrum 1', '--types', 'PROV', '--weekdays', '7',
      '--start', '01:30', '--end', '03:30', '--slot', '30', '--from', '2027-03-22', '--to', '2027-11-07', '--open-on-holidays',
      '--weeks', '50', '--db', db]); // prettier-ignore
    // 33 Sundays 2027-03-28 – 2027-11-07 with 4 slots each, but 02:00 and 02:30 do not exist on 2027-03-28.
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out.split('\n').slice(1)).toEqual([
      '2026-11-23 – 2027-11-07: 130 nya tider, 0 fanns redan.',
      'Omställning 2027-03-28: sommartid: klockan ställs fram 02:00 → 03:00, 02:00 02:30 finns inte och läggs inte ut.',
      'Omställning 2027-10-31: vintertid: klockan ställs tillbaka 03:00 → 02:00, 02:00 02:30 läggs ut en gång (efter omställningen).',
      '',
    ]);
    const id = r.out.slice(0, 36);
    // Moved to 02:00–03:00 in 20-minute slots: none on the spring night, three on the autumn night.
    const moved = await cli([
      'templates',
      'update',
      id,
      '--start',
      '02:00',
      '--end',
      '03:00',
      '--slot',
      '20',
      '--weeks',
      '50',
      '--db',
      db,
    ]);
    expect(moved).toMatchObject({ code: 0, err: '' });
    expect(moved.out.split('\n').filter((l) => l.startsWith('Omställning'))).toEqual([
      'Omställning 2027-03-28: sommartid: klockan ställs fram 02:00 → 03:00, 02:00 02:20 02:40 finns inte och läggs inte ut.',
      'Omställning 2027-10-31: vintertid: klockan ställs tillbaka 03:00 → 02:00, 02:00 02:20 02:40 läggs ut en gång (efter omställningen).',
    ]);
    expect((await cli(['templates', 'deactivate', id, '--db', db])).out).toBe(
      'Schemamallen är inaktiverad: 96 kommande lediga tider borttagna.\n',
    );
  });

  it('lists the holidays of 2027 and opens a closed eve when the unit says so (midsommarafton 2027-06-25)', async () => {
    const list = await cli(['holidays', 'list', '--year', '2027', '--json', '--db', db]);
    expect(list.code).toBe(0);
    const days = JSON.parse(list.out) as { date: string; name: string; closed: boolean }[];
    expect(days.map((d) => `${d.date} ${d.name}`)).toEqual(SWEDISH_CLOSED_DAYS[2027]);
    expect(days.every((d) => d.closed)).toBe(true);

    const open = await cli(['holidays', 'set', '--midsommarafton', 'open', '--db', db]);
    expect(open).toMatchObject({ code: 0, err: '' });
    expect(open.out).toMatch(/^Julafton stängt, nyårsafton stängt, midsommarafton öppet\.\n/);
    const out = await preview(['--weekdays', '5', '--start', '08:00', '--end', '09:00', '--slot', '60', '--from', '2027-06-21', '--weeks', '1']); // prettier-ignore
    expect(out).toBe('2027-06-25 fre  08:00  (1 × 60 min)\n1 tid på 1 dag 2027-06-21 – 2027-06-27.\n');
    expect((await cli(['holidays', 'set', '--midsommarafton', 'stängt', '--db', db])).code).toBe(0);
    expect(await cli(['holidays', 'set', '--julafton', 'kanske', '--db', db])).toMatchObject({
      code: 2,
      err: 'tidbok: --julafton ska vara closed (stängt) eller open (öppet), inte "kanske".\n',
    });
  });
});

describe('bad dates and periods: exit 2 and a Swedish sentence', () => {
  it.each([
    [['slots', 'free', '--type', 'LAKBES', '--from', '2026-02-30'], /--from: datumet 2026-02-30 finns inte/],
    [['slots', 'free', '--type', 'LAKBES', '--from', '2026-13-01'], /--from: datumet 2026-13-01 finns inte/],
    [['slots', 'free', '--type', 'LAKBES', '--to', '2026-1-5'], /--to ska vara ett datum ÅÅÅÅ-MM-DD, inte "2026-1-5"/],
    [
      ['slots', 'free', '--type', 'LAKBES', '--from', '2026-12-10', '--to', '2026-12-01'],
      /--to \(2026-12-01\) ligger före --from \(2026-12-10\)/,
    ],
    [['absences', 'list', '--from', '2026-12-10', '--to', '2026-12-01'], /--to \(2026-12-01\) ligger före --from/],
    [['absences', 'add', '--resource', 'Anna Lindqvist', '--from', '2027-02-29'], /datumet 2027-02-29 finns inte/],
    [
      ['absences', 'add', '--resource', 'Anna Lindqvist', '--from', '2026-12-10', '--to', '2026-12-01'],
      /Slutdatum måste vara samma som eller efter startdatum/,
    ],
    [
      ['absences', 'add', '--resource', 'Anna Lindqvist', '--from', '2026-12-10', '--from-time', '12:00', '--to-time', '09:00'],
      /Frånvaron måste sluta efter att den börjar/,
    ],
    [
      ['absences', 'add', '--resource', 'Anna Lindqvist', '--from', '2027-03-28', '--from-time', '02:30'],
      /Klockan 02:30 finns inte 2027-03-28: klockan ställs fram/,
    ],
    [
      [
        'templates',
        'preview',
        '--resource',
        'Anna Lindqvist',
        '--types',
        'TELE',
        '--weekdays',
        '1',
        '--start',
        '08:00',
        '--end',
        '09:00',
        '--slot',
        '20',
        '--from',
        '2027-02-30',
      ],
      /datumet 2027-02-30 finns inte/,
    ],
    [
      // 24:00 ends the day (the next midnight); past it is no time.
      ['absences', 'add', '--resource', 'Anna Lindqvist', '--from', '2026-12-10', '--to-time', '24:30'],
      /--to-time ska vara en tid TT:MM \(00:00–24:00\), inte "24:30"/,
    ],
    [
      ['absences', 'rebook', '01a201e3-0000-7000-8000-000000000000', '--days', 'tre'],
      /--days ska vara ett heltal \(antal dagar\), inte "tre"/,
    ],
    [['slots', 'free', '--type', 'NOPE'], /Det finns ingen besökstyp med koden "NOPE"/],
    [['slots', 'free', '--type', 'LAKBES', '--resource', 'Doktor Glas'], /Det finns ingen resurs "Doktor Glas"/],
    [['slots', 'free', '--type', 'LAKBES', '--limit', '0'], /--limit ska vara ett heltal 1–200, inte "0"/],
    [['patients', 'search', 'x'], /Sök med minst två tecken/],
  ] as [string[], RegExp][])('%j', async (args, message) => {
    const r = await cli([...args, '--db', db]);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a mistyped profession is bad input, not an empty book', async () => {
    const r = await cli(['slots', 'free', '--type', 'LAKBES', '--profession', 'lakre', '--db', db]);
    expect(r).toMatchObject({
      code: 2,
      err: 'tidbok: Ingen resurs på enheten har yrket "lakre".\n',
    });
  });

  it('--invited without --web is refused, not silently ignored', async () => {
    const r = await cli(['slots', 'free', '--type', 'ASTMA', '--invited', '--db', db]);
    expect(r).toMatchObject({ code: 2, out: '', err: 'tidbok: --invited gäller bara tillsammans med --web.\n' });
  });

  // The demo's types: LAKBES for lakare, 90 days ahead, web-bookable; ASTMA for nurses, on the web
  // only after an invitation. Nothing can be found, and the line says why.
  it.each([
    [['--type', 'LAKBES', '--resource', 'Maria Berg'], 'Maria Berg tar inte emot LAKBES: besökstypen är för lakare.'],
    [['--type', 'LAKBES', '--profession', 'sjukskoterska'], 'LAKBES utförs inte av sjukskoterska, bara av lakare.'],
    [['--type', 'ASTMA', '--web'], 'ASTMA kan bokas på webben först efter kallelse (lägg till --invited).'],
    [['--type', 'LAKBES', '--from', '2027-06-01'], 'LAKBES kan bokas högst 90 dagar framåt, till och med 2027-02-21.'],
    [['--type', 'LAKBES', '--from', '2026-11-01', '--to', '2026-11-22'], 'perioden slutar 2026-11-22, före i dag.'],
  ])('slots free %j', async (args, why) => {
    const r = await cli(['slots', 'free', ...args, '--db', db]);
    expect(r).toMatchObject({ code: 0, err: '', out: `Inga lediga tider för ${args[1]}: ${why}\n` });
  });

  it('finds the same wall-clock free times before and after the spring DST and Easter (today 2027-03-22)', async () => {
    const now = '2027-03-22T07:00:00+01:00';
    const laid = await cli(['templates', 'expand', '--weeks', '2', '--db', db], now);
    expect(laid.out).toMatch(/\nStängt 2027-03-26: långfredagen\nStängt 2027-03-29: annandag påsk\n$/);
    const free = await cli(['slots', 'free', '--type', 'LAKBES', '--resource', 'Anna Lindqvist', '--from', '2027-03-25', '--to', '2027-03-30', '--limit', '200', '--db', db], now); // prettier-ignore
    const byDate = new Map<string, string[]>();
    for (const line of free.out.trimEnd().split('\n')) {
      const [date, times] = line.split(' ') as [string, string];
      byDate.set(date, [...(byDate.get(date) ?? []), times]);
    }
    // Thursday (CET) and Tuesday (CEST); Friday and Monday are holidays, the weekend is closed.
    expect([...byDate.keys()]).toEqual(['2027-03-25', '2027-03-30']);
    expect(byDate.get('2027-03-30')).toEqual(byDate.get('2027-03-25'));
    expect(byDate.get('2027-03-25')!.length).toBeGreaterThan(0);
  });

  it('finds free slots across the DST and holiday weeks only on open days', async () => {
    const r = await cli([
      'slots',
      'free',
      '--type',
      'LAKBES',
      '--from',
      '2026-12-24',
      '--to',
      '2026-12-27',
      '--json',
      '--db',
      db,
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([]); // julafton, juldagen, annandag jul and a Sunday
  });
});

describe('absences across DST: the period is whole local days', () => {
  it.each([
    // Sat–Mon over the spring night: CET at the start, CEST at the end (71 hours).
    ['Erik Johansson', '2027-03-27', '2027-03-29', '2027-03-26T23:00:00Z', '2027-03-29T22:00:00Z'],
    // Sat–Sun over the autumn night: CEST at the start, CET at the end (49 hours).
    ['Maria Berg', '2027-10-30', '2027-10-31', '2027-10-29T22:00:00Z', '2027-10-31T23:00:00Z'],
  ])('%s %s – %s', async (resource, from, to, startAt, endAt) => {
    const add = await cli([
      'absences',
      'add',
      '--resource',
      resource,
      '--from',
      from,
      '--to',
      to,
      '--reason',
      'Kurs',
      '--json',
      '--db',
      db,
    ]);
    expect(add.code).toBe(0);
    const { absence } = JSON.parse(add.out) as { absence: { id: string; startAt: number; endAt: number } };
    expect(absence).toMatchObject({ startAt: Date.parse(startAt), endAt: Date.parse(endAt) });
    // The same days and reason again (a feed run twice) are the same absence: kept once, and said so.
    const again = await cli([
      'absences',
      'add',
      '--resource',
      resource,
      '--from',
      from,
      '--to',
      to,
      '--reason',
      'Kurs',
      '--db',
      db,
    ]);
    expect(again).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Frånvaron fanns redan \(samma period och orsak\): inget ändrades\.\n/),
    });
    const list = JSON.parse(
      (await cli(['absences', 'list', '--resource', resource, '--from', from, '--to', to, '--json', '--db', db])).out,
    ) as {
      id: string;
    }[];
    expect(list.map((a) => a.id)).toEqual([absence.id]);
    const withdrawn = await cli(['absences', 'withdraw', absence.id, '--db', db]);
    expect(withdrawn).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Frånvaron är återkallad: \d+ tider öppnade igen\.\n$/),
    });
    // A second withdrawal changes nothing and says so.
    expect(await cli(['absences', 'withdraw', absence.id, '--db', db])).toMatchObject({
      code: 0,
      out: 'Frånvaron var redan återkallad: inget ändrades.\n',
    });
    // Withdrawn: nothing active in the period, nothing to move, and rebook says why.
    const none = await cli(['absences', 'list', '--resource', resource, '--from', from, '--to', to, '--db', db]);
    expect(none).toMatchObject({ code: 0, out: 'Inga frånvaron.\n' });
    expect(await cli(['absences', 'rebook', absence.id, '--db', db])).toMatchObject({
      code: 0,
      out: 'Frånvaron är återkallad; dess bokningar bokas inte om härifrån.\n',
    });
  });
});

// These wait on other processes (a year's expansion, 5 s of busy_timeout, a child's output): side by side.
describe('two processes on one database', { timeout: 60_000 }, () => {
  it.concurrent('two admins rebook the same absence at once: one moves them all, the other is told; nothing lost', async () => {
    const shared = tempDbPath();
    expect((await cli(['demo', 'seed', '--db', shared])).code).toBe(0);
    const add = await cli(['absences', 'add', '--resource', 'Anna Lindqvist', '--from', '2026-11-25', '--to', '2026-11-26', '--json', '--db', shared]); // prettier-ignore
    const { absence, affectedBookings } = JSON.parse(add.out) as { absence: { id: string }; affectedBookings: unknown[] };
    expect(affectedBookings.length).toBeGreaterThan(0);
    const active = () => {
      const h = openDatabase(shared);
      try {
        return (
          h.prepare(`SELECT count(*) AS n FROM bookings WHERE status IN ('preliminary', 'booked', 'arrived')`).get() as {
            n: number;
          }
        ).n;
      } finally {
        h.close();
      }
    };
    const before = active();

    // Meanwhile two more processes lay out half a year of templates and a fifth adds an absence for
    // Erik over the months they lay out.
    const [a, b, expand, expandToo, erik] = await Promise.all([
      spawnCli(['absences', 'rebook', absence.id, '--apply', '--db', shared]),
      spawnCli(['absences', 'rebook', absence.id, '--apply', '--db', shared]),
      spawnCli(['templates', 'expand', '--weeks', '26', '--json', '--db', shared]),
      spawnCli(['templates', 'expand', '--weeks', '26', '--json', '--db', shared]),
      spawnCli(['absences', 'add', '--resource', 'Erik Johansson', '--from', '2027-01-04', '--to', '2027-01-29', '--db', shared]),
    ]);
    for (const r of [a, b, expand, expandToo, erik]) expect(r).toMatchObject({ code: 0, err: '' });
    // One after the other: the second found every slot laid out.
    const created = [expand, expandToo].map((r) => (JSON.parse(r.out) as { created: number }).created).sort((x, y) => x - y);
    expect(created[0]).toBe(0);
    expect(created[1]).toBeGreaterThan(0);
    const outs = [a.out, b.out].sort();
    expect(outs[0]).toMatch(new RegExp(`^${affectedBookings.length} bokningar ombokade\\. Patienter att kontakta:\\n`));
    expect(outs[1]).toBe(
      'Inga bokningar att boka om: frånvaron träffar inga aktiva bokningar (redan ombokade eller avbokade).\n',
    );
    expect(active()).toBe(before);

    // Whichever ran first, Erik's slots in his absence are all blocked, none open.
    const h = openDatabase(shared);
    try {
      const states = h
        .prepare(
          `SELECT s.state, count(*) AS n FROM slots s JOIN resources r ON r.id = s.resource_id
            WHERE r.name = 'Erik Johansson' AND s.start_at >= ? AND s.start_at < ? GROUP BY s.state`,
        )
        .all(Date.parse('2027-01-03T23:00:00Z'), Date.parse('2027-01-29T23:00:00Z')) as { state: string; n: number }[];
      expect(states.map((s) => s.state)).toEqual(['blocked']);
      const twice = h
        .prepare(
          `SELECT count(*) AS n FROM (SELECT 1 FROM slots WHERE state != 'removed' GROUP BY resource_id, start_at HAVING count(*) > 1)`,
        )
        .get() as { n: number };
      expect(twice.n).toBe(0);
    } finally {
      h.close();
    }
  });

  it.concurrent('a writer that holds the database past the wait: the CLI says so in Swedish, exit 1, no stack', async () => {
    const h = openDatabase(db);
    h.exec('BEGIN IMMEDIATE');
    try {
      const r = await spawnCli(['templates', 'expand', '--weeks', '2', '--db', db]);
      expect(r).toMatchObject({
        code: 1,
        out: '',
        err: 'tidbok: Databasen är upptagen just nu (ett annat program skriver i den). Försök igen om en stund; inget har ändrats.\n',
      });
    } finally {
      h.exec('ROLLBACK');
      h.close();
    }
  });

  it.concurrent('output piped into a reader that stops early (| head): exit 0, no EPIPE stack', async () => {
    const r = await new Promise<{ code: number | null; err: string }>((done) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src-main/cli.ts', 'templates', 'preview', '--resource', 'Anna Lindqvist', '--types', 'TELE',
          '--weekdays', '1-7', '--start', '00:00', '--end', '23:45', '--slot', '15', '--weeks', '52', '--db', db], // prettier-ignore
        { cwd: ROOT, env: { ...process.env, TIDBOK_NOW: NOW } },
      );
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => done({ code, err }));
    });
    expect(r).toEqual({ code: 0, err: '' });
  });
});
