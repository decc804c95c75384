// Bad input, from anyone: every api method (the contract's list, so new methods are covered at
// once) gets arbitrary inputs through the shells' path as a signed-in admin. The answer is always
// a valid result or a typed error, never a crash or `internal`; an input refused as invalid
// writes nothing at all, and no refused call changes the domain tables.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, contract, type MethodName } from '../../../src-main/api/contract.ts';
import { dispatchSession, type ShellEnv } from '../../../src-main/api/session.ts';
import { resolveSession } from '../../../src-main/services/auth.ts';
import { openTestDb } from '../../helpers/temp-db.ts';
import { memoryPort } from '../../helpers/sessions.ts';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 20);
const TYPED = ['validation', 'not_found', 'conflict', 'forbidden', 'unauthenticated', 'unavailable'];
/** Tables of the domain: a refused call must leave them as they were. */
const DOMAIN_TABLES = [
  'units',
  'resources',
  'appointment_types',
  'schedule_templates',
  'absences',
  'slots',
  'patients',
  'bookings',
  'waitlist',
  'outbox',
  'conflicts',
];

const { ctx, db } = openTestDb({ demo: true });
const env: ShellEnv = { ctx, shell: 'web', workstation: 'fuzz' };
const port = memoryPort();

async function signedIn(): Promise<void> {
  if (resolveSession(ctx, port.token()).state === 'active') return;
  const r = await dispatchSession(env, port, 'auth.signIn', { username: 'admin', password: 'demo-admin' });
  if (!r.ok) throw new Error(`admin sign-in failed: ${r.error.message}`);
}

const totalChanges = db.prepare(`SELECT total_changes() AS n`).pluck();
// Committed writes to the domain tables, counted by temporary triggers on this connection: a
// rolled-back change rolls its count back too, so the count moves only for what stayed written.
db.exec(`CREATE TEMP TABLE domain_writes (n INTEGER NOT NULL); INSERT INTO domain_writes VALUES (0);`);
for (const t of DOMAIN_TABLES) {
  for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
    db.exec(`CREATE TEMP TRIGGER fuzz_${t}_${op} AFTER ${op} ON main.${t} BEGIN UPDATE domain_writes SET n = n + 1; END`);
  }
}
const fingerprint = db.prepare(`SELECT n FROM temp.domain_writes`).pluck();

let ids: string[] = [];
beforeAll(() => {
  ids = db
    .prepare(
      `SELECT id FROM (SELECT id FROM bookings LIMIT 3) UNION ALL SELECT id FROM (SELECT id FROM slots LIMIT 3)
       UNION ALL SELECT id FROM (SELECT id FROM patients LIMIT 3) UNION ALL SELECT id FROM resources
       UNION ALL SELECT id FROM appointment_types UNION ALL SELECT id FROM (SELECT id FROM schedule_templates LIMIT 2)`,
    )
    .pluck()
    .all() as string[];
});

/** Values that get past shallow checks now and then: real ids, dates, times, and anything at all. */
const value = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.anything() },
    { weight: 2, arbitrary: fc.constantFrom(...ids) },
    { weight: 1, arbitrary: fc.constantFrom('2026-11-23', '2026-11-24', '2026-02-30', '08:00', '25:61', '') },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.string(), fc.constant(null)) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...ids), { maxLength: 3 }) },
  );

/** Inputs shaped like the method's own (its keys, random values), or anything at all. */
function inputs(name: MethodName) {
  const schema = contract[name].input as unknown as { shape?: Record<string, unknown> };
  const keys = schema.shape ? Object.keys(schema.shape) : [];
  const shaped =
    keys.length > 0
      ? fc.dictionary(fc.constantFrom(...keys, '__proto__', 'extra'), value(), { maxKeys: keys.length + 1 })
      : fc.constant({});
  return fc.oneof(shaped, fc.anything(), fc.constant(undefined), fc.string(), fc.array(fc.anything(), { maxLength: 3 }));
}

describe('fuzzed inputs to every api method', () => {
  it('counts committed domain writes, and only those (the check below relies on it)', async () => {
    await signedIn();
    const booking = db.prepare(`SELECT id FROM bookings WHERE status = 'booked' LIMIT 1`).pluck().get() as string;
    const before = fingerprint.get() as number;
    expect(await dispatchSession(env, port, 'bookings.setNote', { id: booking, note: 'Tolk behövs' })).toMatchObject({
      ok: true,
    });
    expect(fingerprint.get()).toBeGreaterThan(before);
    const after = fingerprint.get() as number;
    expect(() =>
      db.transaction(() => {
        db.prepare(`UPDATE bookings SET note = 'x' WHERE id = ?`).run(booking);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(fingerprint.get()).toBe(after);
  });

  it.each(METHOD_NAMES)('%s', async (name) => {
    await fc.assert(
      fc.asyncProperty(inputs(name), async (input) => {
        await signedIn();
        const changesBefore = totalChanges.get() as number;
        const before = fingerprint.get() as number;
        const r = await dispatchSession(env, port, name, input);
        expect(typeof r.ok).toBe('boolean');
        if (r.ok) return;
        expect(TYPED, `${name}: ${r.error.code} ${r.error.message}`).toContain(r.error.code);
        expect(r.error.message.length).toBeGreaterThan(0);
        if (r.error.code === 'validation')
          expect(totalChanges.get(), `${name} wrote after refusing its input`).toBe(changesBefore);
        expect(fingerprint.get(), `${name} changed the domain tables although it failed`).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});
