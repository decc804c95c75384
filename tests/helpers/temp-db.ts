// Real SQLite files in a fresh temp folder, for integration tests.
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir, openDatabase, type Db } from '../../src-main/store/database.ts';
import { createContext, type Caller, type ServiceContext } from '../../src-main/services/context.ts';
import { seedDemo } from '../../src-main/demo/seed.ts';
import { ROLES, type Role } from '../../src-main/api/types.ts';

export function tempDbPath(name = 'tidbok.db'): string {
  return join(mkdtempSync(join(tmpdir(), 'tidbok-test-')), name);
}

/** A Monday morning in Stockholm (CET), the default "now" of the tests. */
/** The migrations up to and including `last`, in a folder of their own (a file as an older Tidbok left it). */
export function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-mig-'));
  for (const f of readdirSync(defaultMigrationsDir()).filter((f) => Number(f.slice(0, 4)) <= last))
    copyFileSync(join(defaultMigrationsDir(), f), join(dir, f));
  return dir;
}

export const MONDAY_0910 = Date.parse('2026-11-23T09:10:00+01:00');

export function openTestDb(options: { demo?: boolean; now?: number } = {}): { db: Db; ctx: ServiceContext; path: string } {
  const path = tempDbPath();
  const db = openDatabase(path);
  const now = options.now ?? MONDAY_0910;
  const ctx = createContext(db, { now: () => now });
  if (options.demo) seedDemo(ctx);
  return { db, ctx, path };
}

export function testCaller(roles: readonly Role[] = ROLES): Caller {
  return { userId: null, username: 'test', displayName: 'Test', roles, workstation: 'test-ws' };
}
