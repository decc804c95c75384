// Where a database lives, as the desk identity check compares it: a computer's name without case
// (Windows does not keep it), the file's real path exactly (a link to the same file is the same place).
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { placeOf, samePlace } from '../../../src-main/services/desk-identity.ts';

describe('samePlace', () => {
  it('compares the host without case and the path exactly', () => {
    expect(samePlace({ host: 'KASSA-1', path: '/data/tidbok.db' }, { host: 'kassa-1', path: '/data/tidbok.db' })).toBe(true);
    expect(samePlace({ host: 'kassa-1', path: '/data/tidbok.db' }, { host: 'kassa-2', path: '/data/tidbok.db' })).toBe(false);
    expect(samePlace({ host: 'kassa-1', path: '/data/tidbok.db' }, { host: 'kassa-1', path: '/data/b/tidbok.db' })).toBe(false);
  });

  it('compares Windows paths without case, POSIX paths with it', () => {
    const win = (path: string) => ({ host: 'KASSA-1', path });
    expect(
      samePlace(
        win('C:\\Users\\Karin\\AppData\\Roaming\\Tidbok\\tidbok.db'),
        win('c:\\users\\karin\\AppData\\Roaming\\Tidbok\\TIDBOK.db'),
      ),
    ).toBe(true);
    expect(samePlace(win('\\\\server\\share\\tidbok.db'), win('\\\\SERVER\\Share\\tidbok.db'))).toBe(true);
    expect(samePlace(win('C:\\Tidbok\\tidbok.db'), win('D:\\Tidbok\\tidbok.db'))).toBe(false);
    expect(samePlace(win('/data/Tidbok.db'), win('/data/tidbok.db'))).toBe(false);
  });
});

describe('placeOf', () => {
  it('names the real file behind a link, and a file not made yet by its folder', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tidbok-place-')));
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'tidbok.db'), '');
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    expect(placeOf(join(dir, 'link', 'tidbok.db'))).toEqual({ host: hostname(), path: join(dir, 'real', 'tidbok.db') });
    expect(placeOf(join(dir, 'link', 'new.db')).path).toBe(join(dir, 'real', 'new.db'));
  });
});
