// Two or three desk processes started at the same moment on one new file (a second shell, the CLI
// beside the app): every one comes up, the demo is seeded once, by one of them.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/database.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const RUNTIME = resolve(ROOT, 'src-main/runtime.ts');

/** Opens the runtime as a shell does, at a pinned clock; prints how many slots it seeded (0: none). */
function desk(dbPath: string): Promise<{ code: number | null; out: string }> {
  const script = `const { openRuntime } = await import(${JSON.stringify(RUNTIME)});
const rt = openRuntime({ dbPath: ${JSON.stringify(dbPath)}, now: () => Date.parse('2026-11-23T09:10:00+01:00') });
// The current weeks' slots and the demo's past weeks' (seed-history.ts).
process.stdout.write(String((rt.seeded?.slots ?? 0) + (rt.seeded?.history.slots ?? 0)));
rt.close();`;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => done({ code, out }));
  });
}

describe('the demo seeded by desks starting at once on one new file', () => {
  it('every desk comes up; one seeds, the others find the unit', async () => {
    const path = tempDbPath();
    const runs = await Promise.all([desk(path), desk(path), desk(path)]);
    for (const r of runs) expect(r, r.out).toMatchObject({ code: 0 });
    const seeded = runs.map((r) => Number(r.out)).filter((n) => n > 0);
    expect(seeded).toHaveLength(1);
    const db = openDatabase(path);
    expect(db.prepare(`SELECT count(*) FROM units`).pluck().get()).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM slots`).pluck().get()).toBe(seeded[0]);
    db.close();
  }, 60_000);
});
