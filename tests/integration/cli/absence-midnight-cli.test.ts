// 24:00 as an absence's end at the command line (real `main()`, a real demo database): `tidbok
// absences add|change --to-time 24:00` blocks up to the next local midnight, and every line that
// shows the period reads the end as 24:00 of the day it ends, not 00:00 of the next.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTidbok } from '../../helpers/cli-process.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';

const NOW = '2026-11-23T09:10:00+01:00';
let db: string;
const run = (args: string[]) => runTidbok([...args, '--db', db], NOW);
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  db = tempDbPath();
  expect((await runTidbok(['demo', 'seed', '--db', db], NOW)).code).toBe(0);
});

describe('tidbok absences with --to-time 24:00', () => {
  it('add blocks to the next midnight and reads 13:00–24:00; list and change read 24:00 too', async () => {
    const add = ['absences', 'add', '--resource', 'Anna Lindqvist', '--from', '2027-01-12', '--from-time', '13:00'];
    const json = await run([...add, '--to-time', '24:00', '--reason', 'Kvällsmöte', '--json']);
    expect([json.code, json.err]).toEqual([0, '']);
    const r = JSON.parse(json.out) as { absence: { id: string; startAt: number; endAt: number } };
    expect([iso(r.absence.startAt), iso(r.absence.endAt)]).toEqual(['2027-01-12T12:00:00.000Z', '2027-01-12T23:00:00.000Z']);

    const again = await run([...add, '--to-time', '24:00', '--reason', 'Kvällsmöte']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/Frånvaron fanns redan/);
    expect(again.out).toMatch(/Anna Lindqvist 2027-01-12 13:00 – 2027-01-12 24:00\n/);

    const list = await run(['absences', 'list', '--resource', 'Anna Lindqvist', '--from', '2027-01-12', '--to', '2027-01-12']);
    expect(list.out).toMatch(/2027-01-12 13:00\s+2027-01-12 24:00\s+Anna Lindqvist\s+Kvällsmöte/);
    expect(list.out).not.toMatch(/2027-01-13 00:00/);

    const change = await run([
      'absences',
      'change',
      r.absence.id,
      '--from',
      '2027-01-12',
      '--from-time',
      '15:00',
      '--to-time',
      '24:00',
    ]);
    expect([change.code, change.err]).toEqual([0, '']);
    expect(change.out).toMatch(/2027-01-12 15:00 – 2027-01-12 24:00/);
  });

  it('a whole day and 00:00–24:00 are one absence, read as a date', async () => {
    const add = ['absences', 'add', '--resource', 'Anna Lindqvist', '--from', '2027-01-14', '--reason', 'Kurs'];
    expect((await run(add)).code).toBe(0);
    const same = await run([...add, '--from-time', '00:00', '--to-time', '24:00']);
    expect(same.out).toMatch(/Frånvaron fanns redan/);
    expect(same.out).toMatch(/Anna Lindqvist 2027-01-14\n/);
  });

  it('refuses 24:00 as --from-time by name, and a time past 24:00', async () => {
    const add = ['absences', 'add', '--resource', 'Anna Lindqvist', '--from', '2027-01-15'];
    const start = await run([...add, '--from-time', '24:00']);
    expect([start.code, start.err]).toEqual([2, expect.stringMatching(/--from-time: En tid kan inte börja 24:00/)]);
    const past = await run([...add, '--to-time', '24:30']);
    expect([past.code, past.err]).toEqual([2, expect.stringMatching(/--to-time ska vara en tid TT:MM \(00:00–24:00\)/)]);
  });
});
