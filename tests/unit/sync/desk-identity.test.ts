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
