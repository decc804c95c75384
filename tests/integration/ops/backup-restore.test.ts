// Backups and restore on real files, through the services and the `tidbok` command line:
// a checked backup, rotation, a restore that brings the data back, and restores of damaged or
// foreign files refused with the current database untouched.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { main } from '../../../src-main/cli.ts';
import { backupTo, BackupError, restoreFrom, rotatedBackup } from '../../../src-main/services/backup.ts';
import { openTestDb, tempDbPath, MONDAY_0910 } from '../../helpers/temp-db.ts';
import { EXIT } from '../../../src-main/cli/common.ts';

function counts(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = ['units', 'slots', 'patients', 'bookings', 'users', 'audit_events', 'outbox'];
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Runs `tidbok ...args` in this process; returns its exit code and output. */
async function tidbok(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await main(['node', 'tidbok', ...args]);
    const set = process.exitCode;
    process.exitCode = undefined;
    return { code: typeof set === 'number' && set !== 0 ? set : code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('backup', () => {
  it('writes a checked, self-contained copy while the database is open', async () => {
    const { db, path } = openTestDb({ demo: true });
    const out = join(dirname(path), 'copy.db');
    const info = await backupTo(db, out);
    expect(info.schemaVersion).toBeGreaterThanOrEqual(2);
    expect(existsSync(`${out}.part`)).toBe(false);
    expect(existsSync(`${out}-wal`)).toBe(false);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(counts(out)).toEqual(counts(path));
    db.close();
  });

  it('keeps only the newest N in the backup folder', async () => {
    const { db, path } = openTestDb({ demo: true });
    const dir = join(dirname(path), 'backups');
    for (let i = 0; i < 5; i++) await rotatedBackup(db, dir, 3, MONDAY_0910 + i * 3_600_000);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(3);
    expect(files.at(-1)).toMatch(/^tidbok-20261123-\d{6}\.db$/);
    db.close();
  });

  it('`tidbok backup --out` writes a copy that `tidbok restore` brings back', async () => {
    const { db, path } = openTestDb({ demo: true });
    db.close();
    const before = counts(path);
    const out = join(dirname(path), 'night.db');
    expect(await tidbok('backup', '--out', out, '--db', path)).toMatchObject({ code: EXIT.ok });

    // After the backup, a day's work is lost (bookings cancelled by mistake, say).
    const live = new Database(path);
    live.prepare(`DELETE FROM outbox`).run();
    live.prepare(`UPDATE bookings SET status = 'cancelled'`).run();
    live.close();

    const r = await tidbok('restore', out, '--db', path);
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(counts(path)).toEqual(before);
    const check = new Database(path, { readonly: true });
    expect(
      (check.prepare(`SELECT count(*) AS n FROM bookings WHERE status = 'cancelled'`).get() as { n: number }).n,
    ).toBeLessThan(before['bookings']!);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    // The replaced database is kept beside it.
    expect(readdirSync(dirname(path)).some((f) => f.startsWith('tidbok.db.before-restore-'))).toBe(true);
  });
});

describe('restore refuses what it cannot trust, leaving the database as it was', () => {
  async function setup() {
    const { db, path } = openTestDb({ demo: true });
    const good = join(dirname(path), 'good.db');
    await backupTo(db, good);
    db.close();
    return { path, good, before: sha(path) };
  }

  it.each([
    [
      'a backup with damaged pages',
      (good: string, bad: string) => {
        const bytes = readFileSync(good);
        // Overwrite a stretch in the middle (table pages), keep the header valid.
        bytes.fill(0xa5, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 8192);
        writeFileSync(bad, bytes);
      },
      'corrupt',
    ],
    [
      'a truncated backup',
      (good: string, bad: string) => {
        writeFileSync(bad, readFileSync(good));
        truncateSync(bad, Math.floor(statSync(good).size / 3));
      },
      'corrupt',
    ],
    ['a file that is not a database', (_g: string, bad: string) => writeFileSync(bad, 'hej\n'.repeat(5000)), 'corrupt'],
    [
      "another program's SQLite database",
      (_g: string, bad: string) => {
        const other = new Database(bad);
        other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('x');`);
        other.close();
      },
      'not_tidbok',
    ],
    [
      'a Tidbok file that lost a table',
      (good: string, bad: string) => {
        writeFileSync(bad, readFileSync(good));
        const db = new Database(bad);
        db.exec('DROP TABLE waitlist');
        db.close();
      },
      'not_tidbok',
    ],
    [
      'a database from a newer Tidbok',
      (good: string, bad: string) => {
        writeFileSync(bad, readFileSync(good));
        const db = new Database(bad);
        db.pragma('user_version = 999');
        db.close();
      },
      'too_new',
    ],
  ])('%s', async (_name, make, code) => {
    const { path, good, before } = await setup();
    const bad = join(dirname(path), 'bad.db');
    make(good, bad);
    const badBefore = sha(bad);
    let error: unknown;
    try {
      restoreFrom(path, bad, MONDAY_0910);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe(code);
    expect(sha(path)).toBe(before);
    expect(sha(bad)).toBe(badBefore);
    expect(readdirSync(dirname(path)).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
    // The command line says so with the "bad input" exit code.
    const r = await tidbok('restore', bad, '--db', path);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain('är orörd');
    expect(sha(path)).toBe(before);
  });
});

describe('restore and the access log', () => {
  it('restores a file whose access log was tampered with, but says so', async () => {
    const { db, ctx, path } = openTestDb({ demo: true });
    const { recordAudit } = await import('../../../src-main/services/audit.ts');
    for (let i = 0; i < 3; i++)
      recordAudit(
        ctx,
        { userId: null, username: 't', displayName: 'T', roles: ['admin'], workstation: 'ws' },
        { action: 'read' },
      );
    const copy = join(dirname(path), 'tampered.db');
    await backupTo(db, copy);
    db.close();
    const raw = new Database(copy);
    raw.exec(`DROP TRIGGER audit_events_no_update; UPDATE audit_events SET workstation = 'elsewhere' WHERE seq = 2`);
    raw.close();
    const r = await tidbok('restore', copy, '--db', path);
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toContain('åtkomstloggen i den återställda filen är bruten');
    expect(restoreFrom(path, copy, MONDAY_0910 + 1000).auditIntact).toBe(false);
  });
});

describe('tidbok audit verify', () => {
  async function withEvents() {
    const { ctx, db, path } = openTestDb({ demo: true });
    const { recordAudit } = await import('../../../src-main/services/audit.ts');
    const caller = { userId: null, username: 't', displayName: 'T', roles: ['admin'] as const, workstation: 'ws' };
    for (let i = 0; i < 6; i++) recordAudit(ctx, caller, { action: 'read', entity: 'patient', detail: { i } });
    db.close();
    return path;
  }

  it('passes an intact log', async () => {
    const path = await withEvents();
    const r = await tidbok('audit', 'verify', '--db', path);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('obruten: 6 händelser');
  });

  it.each([
    ['an edited row', `DROP TRIGGER audit_events_no_update; UPDATE audit_events SET user_id = 'someone' WHERE seq = 3`, 3],
    ['a deleted row', `DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq = 2`, 2],
    ['the first row deleted', `DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq = 1`, 2],
    ['the newest rows deleted', `DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq >= 5`, 5],
    [
      'a row edited with its own hash recomputed',
      `DROP TRIGGER audit_events_no_update; UPDATE audit_events SET action = 'change', hash = '${'f'.repeat(64)}' WHERE seq = 4`,
      4,
    ],
  ])('detects %s', async (_name, sql, seq) => {
    const path = await withEvents();
    const raw = new Database(path);
    raw.exec(sql);
    raw.close();
    const r = await tidbok('audit', 'verify', '--db', path);
    expect(r.code).toBe(EXIT.failure);
    expect(r.err).toContain(`BRUTEN vid rad ${seq}`);
  });
});

describe('tidbok users create-admin', () => {
  it('creates the first admin of an empty database, and only then', async () => {
    const path = tempDbPath();
    process.env['TIDBOK_ADMIN_PASSWORD'] = 'ett-långt-lösenord';
    try {
      const first = await tidbok('users', 'create-admin', '--username', 'chef', '--name', 'Eva Chef', '--db', path);
      expect(first.code, first.err).toBe(EXIT.ok);
      const list = await tidbok('users', 'list', '--db', path);
      expect(list.out).toContain('chef\tEva Chef\tadmin,scheduler,receptionist\taktiv');
      const again = await tidbok('users', 'create-admin', '--username', 'chef2', '--name', 'Två', '--db', path);
      expect(again.code).toBe(EXIT.usage);
      expect(again.err).toContain('har redan användare');
    } finally {
      delete process.env['TIDBOK_ADMIN_PASSWORD'];
    }
  });

  it('refuses a short password', async () => {
    process.env['TIDBOK_ADMIN_PASSWORD'] = 'kort';
    try {
      const r = await tidbok('users', 'create-admin', '--username', 'chef', '--name', 'Eva Chef', '--db', tempDbPath());
      expect(r.code).toBe(EXIT.usage);
      expect(r.err).toContain('minst 10 tecken');
    } finally {
      delete process.env['TIDBOK_ADMIN_PASSWORD'];
    }
  });
});
