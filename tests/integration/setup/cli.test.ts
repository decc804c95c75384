// Setting up a real unit from the command line, as a regional IT admin would: exit codes 0 / 1 / 2.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Resource } from '../../../src-main/api/types.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const env = { ...process.env, TIDBOK_NOW: '2026-11-23T07:00:00+01:00' };
const tidbok = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('tidbok unit init / resources', () => {
  it('sets up a unit on a fresh database, adds, lists and deactivates resources', () => {
    const db = tempDbPath();
    expect(tidbok('resources', 'list', '--db', db)).toMatchObject({ code: 1, err: expect.stringMatching(/tidbok unit init/) });
    expect(tidbok('unit', 'init', '--hsa', 'SE2321000016', '--name', 'VC', '--db', db)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/HSA-id ska skrivas/),
    });
    const init = tidbok('unit', 'init', '--hsa', 'SE2321000016-NRBY', '--name', 'Vårdcentralen Norrby', '--db', db, '--json');
    expect(init.code).toBe(0);
    expect(JSON.parse(init.out)).toMatchObject({ hsaId: 'SE2321000016-NRBY', name: 'Vårdcentralen Norrby' });
    expect(tidbok('unit', 'init', '--hsa', 'SE2321000016-OTHR', '--name', 'Annan', '--db', db)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/redan en vårdenhet \(Vårdcentralen Norrby/),
    });

    const add = (...a: string[]) => tidbok('resources', 'add', ...a, '--db', db);
    expect(
      add(
        '--kind',
        'clinician',
        '--name',
        'Anna Berg',
        '--profession',
        'lakare',
        '--title',
        'Distriktsläkare',
        '--hsa',
        'SE2321000016-AB01',
      ).code,
    ).toBe(0);
    expect(add('--kind', 'room', '--name', 'Provtagning').code).toBe(0);
    expect(add('--kind', 'clinician', '--name', 'Utan yrke')).toMatchObject({ code: 2, err: expect.stringMatching(/Ange yrke/) });
    expect(add('--kind', 'robot', '--name', 'R2')).toMatchObject({ code: 2, err: expect.stringMatching(/--kind/) });

    const text = tidbok('resources', 'list', '--db', db);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      / {2}Anna Berg {2}\(clinician, lakare, Distriktsläkare\) {2}SE2321000016-AB01\n.* {2}Provtagning {2}\(room\)\n$/,
    );
    const list = JSON.parse(tidbok('resources', 'list', '--json', '--db', db).out) as Resource[];
    expect(list.map((r) => [r.name, r.sortOrder])).toEqual([
      ['Anna Berg', 0],
      ['Provtagning', 1],
    ]);

    expect(tidbok('resources', 'deactivate', 'Nobody', '--db', db)).toMatchObject({ code: 2 });
    const off = tidbok('resources', 'deactivate', 'anna berg', '--db', db);
    expect(off).toMatchObject({ code: 0, out: expect.stringMatching(/^Anna Berg är inaktiverad/) });
    expect((JSON.parse(tidbok('resources', 'list', '--json', '--db', db).out) as Resource[]).map((r) => r.name)).toEqual([
      'Provtagning',
    ]);
    const all = JSON.parse(tidbok('resources', 'list', '--all', '--json', '--db', db).out) as Resource[];
    expect(all.find((r) => r.name === 'Anna Berg')?.active).toBe(false);
  });

  it('refuses to deactivate a demo clinician with bookings ahead (exit 2)', () => {
    const db = tempDbPath();
    expect(tidbok('demo', 'seed', '--db', db).code).toBe(0);
    expect(tidbok('unit', 'init', '--hsa', 'SE2321000016-NRBY', '--name', 'X', '--db', db).code).toBe(2);
    const r = tidbok('resources', 'deactivate', 'Anna Lindqvist', '--db', db);
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/Anna Lindqvist har \d+ kommande bokningar/) });
  });
});
