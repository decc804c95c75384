// Adversarial checks of issue 3's concurrency promises (items 5 and 8), beyond the scheduling
// suite's: desks in their own processes (and the web shell, and the CLI) on one SQLite file, at
// the same instant. Whatever order SQLite lets them in: one active booking per slot, no resource
// booked twice at one time, a loser refused with a Swedish `conflict` and leaving no row, outbox
// row or audit event behind, and the access log's chain still whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { defaultMigrationsDir, loadMigrations, openDatabase } from '../../../src-main/store/database.ts';
import type { ContentionCommand } from '../../helpers/contention-worker.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** A desk in its own process with its own connection (tests/helpers/contention-worker.ts). */
class Desk {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private stderr = '';

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/contention-worker.ts'], { cwd: ROOT });
    this.child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.child.on('exit', (code) => {
      if (code) for (const w of this.waiting.splice(0)) w(JSON.stringify({ crashed: this.stderr }));
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
  }

  send<T>(cmd: ContentionCommand): Promise<T> {
    return new Promise((done, fail) => {
      this.waiting.push((l) => {
        const msg = JSON.parse(l) as T & { crashed?: string };
        if (msg.crashed !== undefined) fail(new Error(`desk crashed:\n${msg.crashed}`));
        else done(msg);
      });
      this.child.stdin.write(`${JSON.stringify(cmd)}\n`);
    });
  }

  stop(): void {
    this.child.stdin.end();
  }
}

const desks = Array.from({ length: 3 }, () => new Desk());
// Every desk up (tsx loaded) before any race starts.
beforeAll(() => Promise.all(desks.map((d) => d.send({ op: 'run', at: 0, calls: [] }))), 60_000);
afterAll(() => desks.forEach((d) => d.stop()));

describe('opening one database file from several processes at once', () => {
  // Two desks (or the CLI and a shell) started together on a new file, or after an update that
  // brings a migration: each must come up, the schema migrated once.
  it.each([
    ['a new, empty file', 0],
    ['a file one migration behind', 1],
  ])(
    '%s: every process opens it and sees the newest schema',
    async (_, behind) => {
      const path = tempDbPath();
      const newest = loadMigrations().length;
      if (behind > 0) {
        const older = mkdtempSync(join(tmpdir(), 'tidbok-migrations-'));
        for (const m of loadMigrations().slice(0, newest - behind))
          copyFileSync(join(defaultMigrationsDir(), `${m.name}.sql`), join(older, `${m.name}.sql`));
        openDatabase(path, { migrationsDir: older }).close();
      }
      const at = Date.now() + 400;
      const opened = await Promise.all(
        desks.map((d) => d.send<{ opened?: number; openError?: string }>({ op: 'open', path, now: 0, at })),
      );
      expect(opened).toEqual(desks.map(() => ({ opened: newest })));
    },
    30_000,
  );
});
