// A same-day type ("dagens tider", 0 days ahead) as an admin scripts it: `types import` takes it
// with a lead of at most 23 h and refuses a longer one naming the limit, `types list` says "samma
// dag", and `slots free` from tomorrow says why it finds nothing. Real `main()`, a real demo
// database, Monday 2026-11-23 07:30 in Stockholm.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTidbok } from '../../helpers/cli-process.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';

const NOW = '2026-11-23T07:30:00+01:00';
let db: string;
const run = (...args: string[]) => runTidbok([...args, '--db', db], NOW);
const file = (name: string, entries: object[]) => {
  const path = join(dirname(db), name);
  writeFileSync(path, JSON.stringify(entries));
  return path;
};
const akut = { nameSv: 'Akuttid', nameEn: 'Same-day visit', durationMin: 15, contactModes: ['physical'], bookMaxDays: 0 };

beforeAll(async () => {
  db = tempDbPath();
  expect((await runTidbok(['demo', 'seed', '--db', db], NOW)).code).toBe(0);
});

describe('tidbok types and slots free with a same-day type', () => {
  it('imports it with a lead up to 23 h, refuses 24 h naming the limit, lists it as "samma dag"', async () => {
    const long = await run('types', 'import', file('long.json', [{ ...akut, code: 'AKUT', bookMinLeadH: 24 }]));
    expect([long.code, long.err]).toEqual([
      2,
      expect.stringMatching(/^\[0\] AKUT.*: Minsta framförhållning \(24 timmar\) når förbi .* högst 23 timmar\.\n/),
    ]);
    const ok = await run('types', 'import', file('ok.json', [{ ...akut, code: 'AKUT', bookMinLeadH: 1 }]));
    expect([ok.code, ok.out]).toEqual([0, expect.stringMatching(/^\+ AKUT\n/)]);
    expect((await run('types', 'list')).out).toMatch(/^AKUT +Akuttid .* 1 h–samma dag +ja$/m);
    const later = await run('slots', 'free', '--type', 'AKUT', '--from', '2026-11-24');
    expect(later.out).toBe('Inga lediga tider för AKUT: AKUT kan bara bokas samma dag, till och med 2026-11-23.\n');
  });
});
