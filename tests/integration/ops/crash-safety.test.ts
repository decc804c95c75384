// A confirmed booking survives a crash: a child process books as fast as it can and is killed
// with SIGKILL at random moments, several rounds; after each, the database opens, passes
// integrity_check, holds every acknowledged booking, and outbox and bookings agree.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../helpers/temp-db.ts';
import { addDays, localDate, wallClockToInstant } from '../../../src-main/domain/time.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const ROUNDS = 5;

/** Extra manual slots far enough ahead that the demo's own slots never collide with them. */
function addSlots(path: string, now: number): string {
  const db = new Database(path);
  const type = db.prepare(`SELECT id FROM appointment_types WHERE code = 'LAKBES'`).get() as { id: string };
  const doctors = db.prepare(`SELECT id FROM resources WHERE profession = 'lakare'`).all() as { id: string }[];
  const ins = db.prepare(
    `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const today = localDate(now);
  db.transaction(() => {
    let n = 0;
    for (let d = 20; d < 50; d++) {
      for (const r of doctors) {
        for (let m = 7 * 60; m < 17 * 60; m += 30) {
          const start = wallClockToInstant(addDays(today, d), m);
          const id = `00000000-0000-7000-8000-${String(n++).padStart(12, '0')}`;
          ins.run(id, r.id, start, start + 30 * 60_000, JSON.stringify([type.id]), now);
        }
      }
    }
  })();
  db.close();
  return type.id;
}

/** One round: start the writer, let it run a random while after it is ready, SIGKILL it. */
function round(path: string, typeId: string): Promise<string[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/ops/crash-writer.ts', path, typeId], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let buffer = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buffer += c.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ACK ')) acked.push(line.slice(4));
        if (line === 'READY') setTimeout(() => child.kill('SIGKILL'), 30 + Math.floor(Math.random() * 400));
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') fail(new Error(`writer ended by itself (${String(code)}): ${err}`));
      else done(acked);
    });
  });
}

describe('crash safety', () => {
  it(`keeps every acknowledged booking through ${ROUNDS} SIGKILLs`, async () => {
    const { db, path, ctx } = openTestDb({ demo: true });
    const seededBookings = new Set((db.prepare(`SELECT id FROM bookings`).all() as { id: string }[]).map((b) => b.id));
    db.close();
    const typeId = addSlots(path, ctx.now());
    const acknowledged: string[] = [];

    for (let i = 0; i < ROUNDS; i++) {
      acknowledged.push(...(await round(path, typeId)));

      // What a restart does: open the file as it was left.
      const check = new Database(path);
      try {
        expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(check.pragma('foreign_key_check')).toEqual([]);
        const present = new Set(
          (check.prepare(`SELECT id FROM bookings WHERE status = 'booked'`).all() as { id: string }[]).map((b) => b.id),
        );
        const missing = acknowledged.filter((id) => !present.has(id));
        expect(missing, `round ${i + 1}: acknowledged bookings lost`).toEqual([]);

        // Outbox and bookings agree: every new booking has its create row, every row its booking.
        const created = (check.prepare(`SELECT id FROM bookings`).all() as { id: string }[])
          .map((b) => b.id)
          .filter((id) => !seededBookings.has(id))
          .sort();
        const queued = (
          check.prepare(`SELECT DISTINCT entity_id FROM outbox WHERE entity = 'booking' AND op = 'create'`).all() as {
            entity_id: string;
          }[]
        )
          .map((r) => r.entity_id)
          .filter((id) => !seededBookings.has(id)) // the demo's history carries handled create rows of its own
          .sort();
        expect(queued).toEqual(created);
        // And nothing committed that was not acknowledged, except at most the one in flight.
        expect(created.length - acknowledged.length).toBeGreaterThanOrEqual(0);
        expect(created.length - acknowledged.length).toBeLessThanOrEqual(i + 1);
      } finally {
        check.close();
      }
    }
    expect(acknowledged.length, 'the writer must have booked something to prove anything').toBeGreaterThan(ROUNDS);
  }, 120_000);
});
