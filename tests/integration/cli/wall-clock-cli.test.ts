// The wall-clock edges at the command line (real `main()`, a real demo database): `slots add
// --utc-offset` for the first pass of the doubled autumn hour, and 24:00 as an end for single slots
// and templates. Instants are worked out by hand: summer time (+02:00) ends 2026-10-25 03:00 CEST.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTidbok } from '../../helpers/cli-process.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';

const NOW = '2026-10-19T07:00:00+02:00';
let db: string;
const run = (args: string[]) => runTidbok([...args, '--db', db], NOW);
const add = (date: string, start: string, end: string, ...more: string[]) =>
  run([
    'slots',
    'add',
    '--resource',
    'Erik Johansson',
    '--date',
    date,
    '--start',
    start,
    '--end',
    end,
    '--types',
    'LAKBES',
    ...more,
  ]);
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  db = tempDbPath();
  expect((await runTidbok(['demo', 'seed', '--db', db], NOW)).code).toBe(0);
});

describe('tidbok slots add in the doubled autumn hour', () => {
  it('--utc-offset +02:00 lays the first pass, the default the second; the text says which', async () => {
    const first = await add('2026-10-25', '02:20', '02:50', '--utc-offset', '+02:00', '--json');
    expect(first.code).toBe(0);
    const a = JSON.parse(first.out) as { startAt: number; endAt: number };
    expect([iso(a.startAt), iso(a.endAt)]).toEqual(['2026-10-25T00:20:00.000Z', '2026-10-25T00:50:00.000Z']);
    const second = await add('2026-10-25', '02:20', '02:50');
    expect([second.code, second.out]).toEqual([0, expect.stringMatching(/2026-10-25 02:20 \(vintertid, andra gången\)–02:50/)]);
    const again = await add('2026-10-25', '02:20', '02:50', '--utc-offset', '+02:00');
    expect([again.code, again.err]).toEqual([2, expect.stringMatching(/överlappar/)]);
    const shownOnce = await add('2026-10-26', '02:20', '02:50', '--utc-offset', '+02:00');
    expect([shownOnce.code, shownOnce.err]).toEqual([2, expect.stringMatching(/Klockan 02:20 visas bara en gång 2026-10-26/)]);
    const wrong = await add('2026-10-25', '02:00', '02:30', '--utc-offset', '+03:00');
    expect([wrong.code, wrong.err]).toEqual([
      2,
      expect.stringMatching(/är UTC \+02:00 \(sommartid, första gången\) eller \+01:00/),
    ]);
  });
});

describe('tidbok slots add across the change itself', () => {
  it('02:40 sommartid – 02:10 vintertid is 30 minutes, named so; --end-utc-offset names the end’s pass', async () => {
    const other = ['--resource', 'Anna Lindqvist'];
    const across = await add('2026-10-25', '02:40', '02:10', ...other, '--json');
    expect(across.code).toBe(0);
    const a = JSON.parse(across.out) as { startAt: number; endAt: number };
    expect([iso(a.startAt), iso(a.endAt)]).toEqual(['2026-10-25T00:40:00.000Z', '2026-10-25T01:10:00.000Z']);
    const after = await add('2026-10-25', '02:10', '02:40', ...other, '--utc-offset', '+01:00', '--end-utc-offset', '+01:00');
    expect([after.code, after.out]).toEqual([0, expect.stringMatching(/2026-10-25 02:10 \(vintertid, andra gången\)–02:40 /)]);
    const text = await add('2027-10-31', '02:40', '02:10', ...other);
    expect([text.code, text.out]).toEqual([
      0,
      expect.stringMatching(/2027-10-31 02:40 \(sommartid, första gången\)–02:10 \(vintertid, andra gången\) /),
    ]);
    const wide = await add('2027-10-31', '02:00', '02:30', ...other, '--utc-offset', '+02:00', '--end-utc-offset', '+01:00');
    expect([wide.code, wide.err]).toEqual([2, expect.stringMatching(/överlappar/)]);
    const wrong = await add('2027-10-31', '03:00', '03:30', ...other, '--end-utc-offset', '+01:00');
    expect([wrong.code, wrong.err]).toEqual([2, expect.stringMatching(/Klockan 03:30 visas bara en gång 2027-10-31/)]);
  });
});

describe('a malformed UTC offset names the option it came in', () => {
  it('--utc-offset and --end-utc-offset each say which one is wrong, before anything is laid', async () => {
    const start = await add('2026-10-25', '02:40', '02:10', '--utc-offset', '2');
    expect([start.code, start.err]).toEqual([
      2,
      'tidbok: --utc-offset (sommartid eller vintertid) ska skrivas +TT:MM, t.ex. +02:00 (sommartid) eller +01:00 (vintertid), inte "2".\n',
    ]);
    const end = await add('2026-10-25', '02:40', '02:10', '--end-utc-offset', '1');
    expect([end.code, end.err]).toEqual([
      2,
      'tidbok: --end-utc-offset (sluttidens sommartid eller vintertid) ska skrivas +TT:MM, t.ex. +02:00 (sommartid) eller +01:00 (vintertid), inte "1".\n',
    ]);
    // Both wrong: the first named.
    const both = await add('2026-10-25', '02:40', '02:10', '--utc-offset', '+2:00', '--end-utc-offset', '+1');
    expect([both.code, both.err]).toEqual([2, expect.stringMatching(/^tidbok: --utc-offset .*inte "\+2:00"\.\n$/)]);
  });
});

describe('24:00 at the command line', () => {
  it('a single slot 23:00–24:00 the evening before the change ends at 22:00Z and reads 23:00–24:00', async () => {
    const r = await add('2026-10-24', '23:00', '24:00', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as { startAt: number; endAt: number };
    expect([iso(s.startAt), iso(s.endAt)]).toEqual(['2026-10-24T21:00:00.000Z', '2026-10-24T22:00:00.000Z']);
    expect((await add('2026-10-23', '23:00', '24:00')).out).toMatch(/2026-10-23 23:00–24:00 /);
    // The free-slot list and a booking read the end as 24:00 too, not 00:00.
    const free = await run([
      'slots',
      'free',
      '--type',
      'LAKBES',
      '--resource',
      'Erik Johansson',
      '--from',
      '2026-10-23',
      '--to',
      '2026-10-23',
    ]);
    expect(free.out).toMatch(/^2026-10-23 23:00–24:00 {2}Erik Johansson/m);
    const slotId = (JSON.parse((await add('2026-10-22', '23:30', '24:00', '--json')).out) as { id: string }).id;
    const patient = await run(['patients', 'add', '--number', '19811218-9876', '--given', 'Åsa', '--family', 'Öberg']);
    expect(patient.code).toBe(0);
    const booked = await run(['bookings', 'book', '--slot', slotId, '--patient', '811218-9876', '--type', 'LAKBES']);
    expect([booked.code, booked.out]).toEqual([0, expect.stringMatching(/2026-10-22 23:30–24:00 /)]);
    const start = await add('2026-10-23', '24:00', '24:00');
    expect([start.code, start.err]).toEqual([2, expect.stringMatching(/--start: En tid kan inte börja 24:00/)]);
    const late = await add('2026-10-23', '23:00', '24:30');
    expect([late.code, late.err]).toEqual([
      2,
      expect.stringMatching(/--end ska vara en tid TT:MM \(00:00–24:00\), inte "24:30"/),
    ]);
  });

  it('templates preview, add and list: 20:00–24:00 by 60 minutes lays 20, 21, 22, 23 the autumn Sunday', async () => {
    const opts = [
      '--resource',
      'Anna Lindqvist',
      '--weekdays',
      '7',
      '--start',
      '20:00',
      '--end',
      '24:00',
      '--slot',
      '60',
      '--types',
      'LAKBES',
    ];
    const preview = await run(['templates', 'preview', ...opts, '--from', '2026-10-25', '--weeks', '1']);
    expect(preview.code).toBe(0);
    expect(preview.out).toMatch(/2026-10-25 sön {2}20:00 21:00 22:00 23:00 {2}\(4 × 60 min\)/);
    const made = await run(['templates', 'add', ...opts, '--name', 'Kvällsjour', '--weeks', '2']);
    expect([made.code, made.err]).toEqual([0, '']);
    expect(made.out).toMatch(/20:00–24:00/);
    expect((await run(['templates', 'list', '--resource', 'Anna Lindqvist'])).out).toMatch(/20:00–24:00/);
    const bad = await run(['templates', 'preview', ...opts.map((o) => (o === '20:00' ? '24:00' : o))]);
    expect([bad.code, bad.err]).toEqual([2, expect.stringMatching(/En tid kan inte börja 24:00/)]);
  });
});
