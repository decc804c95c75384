// The `tidbok` command as a user runs it: help, clear errors, exit codes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { tempDbPath } from '../../helpers/temp-db.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
function tidbok(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('tidbok cli', () => {
  it('prints help and exits 0', () => {
    const r = tidbok('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/serve/);
    expect(r.out).toMatch(/db/);
    expect(r.out).toMatch(/demo/);
  });

  it('exits 2 on an unknown command or a bad option value', () => {
    // Commander's own errors in Swedish, one line and where the help is (not the whole help).
    expect(tidbok('templats')).toMatchObject({
      code: 2,
      err: 'tidbok: okänt kommando templats (menade du templates?).\n(lägg till --help för hjälpen)\n',
    });
    expect(tidbok('slots', 'free', '--type').err).toMatch(/^tidbok: flaggan --type <code> saknar värde\.$/m);
    const r = tidbok('serve', '--port', 'abc', '--db', tempDbPath());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--port ska vara ett heltal 0–65535, inte "abc"/);
  });

  it('migrates a new database and seeds the demo once', () => {
    const db = tempDbPath();
    const m = tidbok('db', 'migrate', '--db', db);
    expect(m.code).toBe(0);
    expect(m.out).toMatch(/schemaversion \d+/);
    const s = tidbok('demo', 'seed', '--db', db);
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/Demo seeded .*slots/);
    const again = tidbok('demo', 'seed', '--db', db);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/har redan en vårdenhet/);
  });

  it('refuses a file that is not a Tidbok database, exits 1 and leaves it as it was', () => {
    const file = tempDbPath('notes.txt');
    writeFileSync(file, 'inte en databas');
    const r = tidbok('db', 'migrate', '--db', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a SQLite database/);
    expect(readFileSync(file, 'utf8')).toBe('inte en databas');
  });
});
