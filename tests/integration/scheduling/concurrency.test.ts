// Two desks, one slot: two processes with their own connections to the same SQLite file book
// the same slot at the same instant. Exactly one wins; the other gets a clear `conflict`.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import type { Result } from '../../../src-main/api/result.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { demoApi } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

function book(args: string[]): Promise<Result<{ id: string }>[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/scheduling/book-worker.ts', ...args], {
      cwd: ROOT,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(out.trim().split('\n').at(-1)!)) : fail(new Error(err))));
  });
}

describe('concurrent bookings of one slot', () => {
  it('lets exactly one of two connections book it', async () => {
    const api = demoApi();
    const type = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const a = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1970-01-01', 501),
      givenName: 'Anna',
      familyName: 'Först',
    });
    const b = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1971-02-02', 502),
      givenName: 'Bo',
      familyName: 'Sist',
    });
    const slots = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-11-30', limit: 3 });
    api.ctx.db.close();
    const at = String(Date.now() + 4000); // both children are up by then and start together
    const now = String(api.ctx.now());
    const ids = slots.map((s) => s.slotId).join(',');
    const [first, second] = await Promise.all([
      book([api.path, ids, a.id, type.id, at, now]),
      book([api.path, ids, b.id, type.id, at, now]),
    ]);
    slots.forEach((_, i) => {
      const pair = [first![i]!, second![i]!];
      expect(pair.filter((r) => r.ok)).toHaveLength(1);
      expect(pair.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Tiden är redan bokad.' } });
    });
    const check = openDatabase(api.path);
    for (const slot of slots) {
      expect(
        check.prepare(`SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status = 'booked'`).get(slot.slotId),
      ).toEqual({ n: 1 });
    }
    check.close();
  }, 60_000);
});
