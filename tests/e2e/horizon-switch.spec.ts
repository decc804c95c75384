// A unit's other desks can leave laying out new days to one planning desk:
// the real web shell with TIDBOK_SCHEDULE_HORIZON=off adds no slots at start, where the same
// database served without it lays out the unit's horizon (here two weeks more than the demo has).
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { openDatabase } from '../../src-main/store/database.ts';
import { createContext } from '../../src-main/services/context.ts';
import { seedDemo } from '../../src-main/demo/seed.ts';
import { tempDbPath } from '../helpers/temp-db.ts';
import { startShell } from '../helpers/web-shell.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const ENV = { TIDBOK_NOW: MONDAY, TIDBOK_DEMO_CENTRAL: '0' };

const liveSlots = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM slots WHERE state <> 'removed'`).pluck().get() as number;
  } finally {
    db.close();
  }
};

test('TIDBOK_SCHEDULE_HORIZON=off keeps a desk from laying out new days', async () => {
  const dbPath = tempDbPath();
  const ctx = createContext(openDatabase(dbPath), { now: () => Date.parse(MONDAY) });
  seedDemo(ctx);
  ctx.db.prepare(`UPDATE units SET horizon_weeks = 14`).run(); // the demo laid out 12
  ctx.db.close();
  const before = liveSlots(dbPath);

  const off = await startShell({ dbPath, env: { ...ENV, TIDBOK_SCHEDULE_HORIZON: 'off' } });
  await off.stop();
  expect(liveSlots(dbPath)).toBe(before);

  const on = await startShell({ dbPath, env: ENV });
  await on.stop();
  expect(liveSlots(dbPath)).toBeGreaterThan(before);
});
