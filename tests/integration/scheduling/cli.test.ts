// The scheduling commands as an admin runs them: output, idempotence and exit codes 0 / 1 / 2.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { tempDbPath } from '../../helpers/temp-db.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
// A Monday morning, so that "today" and the free slots are known.
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

let db: string;
beforeAll(() => {
  db = tempDbPath();
  expect(tidbok('demo', 'seed', '--db', db).code).toBe(0);
});

describe('tidbok scheduling commands', () => {
  it('expands the templates idempotently', () => {
    const first = tidbok('templates', 'expand', '--weeks', '4', '--db', db, '--json');
    expect(first.code).toBe(0);
    const a = JSON.parse(first.out) as { created: number; existing: number; from: string };
    expect(a.from).toBe('2026-11-23');
    expect(a.created).toBeGreaterThan(0);
    const second = JSON.parse(tidbok('templates', 'expand', '--weeks', '4', '--db', db, '--json').out) as {
      created: number;
      existing: number;
    };
    expect(second).toMatchObject({ created: 0, existing: a.created + a.existing });
  });

  it("shows and sets the unit's horizon; expand without --weeks uses it", () => {
    const shown = tidbok('templates', 'horizon', '--db', db);
    expect(shown).toMatchObject({ code: 0 });
    // Monday 2026-11-23 + 12 weeks: to Sunday 2027-02-14.
    expect(shown.out).toContain('Schemat läggs ut 12 veckor framåt, nu till och med 2027-02-14.');
    const set = JSON.parse(tidbok('templates', 'horizon', '--weeks', '14', '--json', '--db', db).out) as {
      weeks: number;
      until: string;
      expansion: { created: number; to: string };
    };
    expect(set).toMatchObject({ weeks: 14, until: '2027-02-28', expansion: { to: '2027-03-01' } });
    expect(set.expansion.created).toBeGreaterThan(0);
    const again = JSON.parse(tidbok('templates', 'expand', '--db', db, '--json').out) as { to: string; created: number };
    expect(again).toMatchObject({ to: '2027-03-01', created: 0 });
    expect(tidbok('templates', 'horizon', '--weeks', '0', '--db', db).code).toBe(2);
    expect(tidbok('templates', 'horizon', '--weeks', '12', '--db', db).out).toContain('0 nya tider lades ut');
  });

  it('lists the first free slots of a type, web only on request', () => {
    const r = tidbok('slots', 'free', '--type', 'LAKBES', '--limit', '3', '--db', db);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^2026-11-23 \d\d:\d\d–\d\d:\d\d {2}(Anna Lindqvist|Erik Johansson)/);
    const web = JSON.parse(tidbok('slots', 'free', '--type', 'LAKBES', '--web', '--json', '--db', db).out) as {
      webPublished: boolean;
    }[];
    expect(web.length).toBe(10);
    expect(web.every((s) => s.webPublished)).toBe(true);
    expect(tidbok('slots', 'free', '--type', 'NOPE', '--db', db)).toMatchObject({ code: 2, err: expect.stringMatching(/NOPE/) });
  });

  it('searches patients by number or name and fails cleanly without a unit', () => {
    const r = tidbok('patients', 'search', 'Andersson', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d{8}-\d{4} {2}Andersson, /m);
    const number = r.out.split(' ')[0]!;
    const byNumber = JSON.parse(tidbok('patients', 'search', number.slice(2), '--json', '--db', db).out) as {
      identityNumber: string;
    }[];
    expect(byNumber.map((p) => p.identityNumber)).toEqual([number.replace('-', '')]);
    expect(tidbok('patients', 'search', 'Andersson', '--db', tempDbPath()).code).toBe(1);
  });
});
