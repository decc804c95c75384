// Acceptance, concurrency: several writers on one database file (desks in their own processes,
// a scheduler, a long writer, the CLI) and many requests at once to one web shell. Whatever the
// order SQLite lets them in, the book keeps the invariants: one active booking per slot,
// no resource booked twice at one time, a rebooking chain that points both ways, nothing
// half-written for a loser, and every refusal a Swedish `conflict` that says why (a busy database
// says so too: `unavailable`, never a raw SQLITE_BUSY or an internal error).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { FreeSlot, Patient } from '../../../src-main/api/methods/scheduling.ts';
import type { ApiError, Result } from '../../../src-main/api/result.ts';
import { dispatchSession } from '../../../src-main/api/session.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { AppointmentType, Booking } from '../../../src-main/api/types.ts';
import { main as tidbok } from '../../../src-main/cli.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { startDemoSession } from '../../../src-main/services/auth.ts';
import { SESSION_HEADER, startWebShell } from '../../../src-main/shells/web/server.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import type { DeskCall, DeskCommand } from './desk-worker.ts';
import { demoApi, type Api } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const ANNA = '01a205b3-d000-7000-8000-2f8605734dbe'; // läkare, 08–12 and 13–15, Mon–Fri
const ERIK = '01a205b3-d000-7000-8002-f9816644af89'; // läkare, 08:30–12 and 13–16, Mon–Thu
const MARIA = '01a205b3-d000-7000-8004-da1e49b06cb6'; // sjuksköterska, 08–12 (15 min), Mon–Fri
const ROOM = '01a205b3-d000-7000-800c-ba83cd8b5d92'; // Provtagningsrum 1, 07:30–10

/** One more desk: a child process with its own connection to the database file. */
class Desk {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly early: string[] = [];
  private stderr = '';

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/scheduling/desk-worker.ts'], { cwd: ROOT });
    this.child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.child.on('exit', (code) => {
      if (code) for (const w of this.waiting.splice(0)) w(JSON.stringify({ crashed: this.stderr }));
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const w = this.waiting.shift();
      if (w) w(line);
      else this.early.push(line);
    });
  }

  /** The desk's next answer. */
  next<T>(): Promise<T> {
    const line = this.early.shift();
    if (line !== undefined) return Promise.resolve(JSON.parse(line) as T);
    return new Promise((done, fail) =>
      this.waiting.push((l) => {
        const msg = JSON.parse(l) as T & { crashed?: string };
        if (msg.crashed !== undefined) fail(new Error(`desk crashed:\n${msg.crashed}`));
        else done(msg);
      }),
    );
  }

  send<T>(cmd: DeskCommand): Promise<T> {
    this.child.stdin.write(`${JSON.stringify(cmd)}\n`);
    return this.next<T>();
  }

  stop(): void {
    this.child.stdin.end();
  }
}

let api: Api;
let desks: Desk[];
let lakbes: AppointmentType;
let prov: AppointmentType;
let patients: Patient[];
/** Free LAKBES slots of Anna and Erik in the week of 2026-11-30, handed out to one test each. */
let pool: FreeSlot[];

const take = (n: number): FreeSlot[] => {
  const out = pool.splice(0, n);
  if (out.length < n) throw new Error('slot pool used up');
  return out;
};
const book = (slotId: string, patientId: string, typeId = lakbes.id): DeskCall => ({
  method: 'bookings.book',
  input: { slotId, patientId, appointmentTypeId: typeId },
});
const rebook = (id: string, slotId: string): DeskCall => ({ method: 'bookings.rebook', input: { id, slotId } });

/** Every desk runs its calls in order; all desks start at the same instant. */
async function race<T extends DeskCall[][]>(...perDesk: T): Promise<{ [K in keyof T]: Result<unknown>[] }> {
  const at = Date.now() + 250;
  const answers = await Promise.all(
    perDesk.map((calls, i) => desks[i]!.send<{ results: Result<unknown>[] }>({ op: 'run', at, calls })),
  );
  return answers.map((a) => a.results) as { [K in keyof T]: Result<unknown>[] };
}

const okValue = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
/** Statuses that hold a slot (the partial unique index's). */
const ACTIVE = `('preliminary', 'booked', 'arrived', 'completed', 'no_show')`;
const activeOn = (slotId: string) =>
  api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE}`, slotId);
const bookingRow = (id: string) =>
  api.ctx.db.prepare(`SELECT * FROM bookings WHERE id = ?`).get(id) as {
    status: string;
    slot_id: string;
    patient_id: string;
    appointment_type_id: string;
    rebooked_from: string | null;
    rebooked_to: string | null;
  };
const overlappingLiveSlots = () =>
  api.count(
    // Two intervals overlap exactly when one starts inside the other (index on resource, start).
    `SELECT count(*) AS n FROM slots a JOIN slots b
        ON b.resource_id = a.resource_id AND b.start_at >= a.start_at AND b.start_at < a.end_at AND b.id <> a.id
      WHERE a.state <> 'removed' AND b.state <> 'removed'`,
  );
/** Runs the CLI in this process at the tests' "now", its report kept off the test output. */
async function quietly(run: () => Promise<number>): Promise<number> {
  const pinned = process.env['TIDBOK_NOW'];
  const out = process.stdout.write;
  process.env['TIDBOK_NOW'] = new Date(api.ctx.now()).toISOString();
  process.stdout.write = () => true;
  try {
    return await run();
  } finally {
    process.stdout.write = out;
    if (pinned === undefined) delete process.env['TIDBOK_NOW'];
    else process.env['TIDBOK_NOW'] = pinned;
  }
}
const counts = () => ({
  bookings: api.count(`SELECT count(*) AS n FROM bookings`),
  outbox: api.count(`SELECT count(*) AS n FROM outbox`),
  audit: api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`),
});

beforeAll(async () => {
  api = demoApi();
  desks = Array.from({ length: 4 }, () => new Desk());
  const types = await api.ok('appointmentTypes.list', {});
  lakbes = types.find((t) => t.code === 'LAKBES')!;
  prov = types.find((t) => t.code === 'PROV')!;
  // The demo lays out two weeks; the absences below fall in the third.
  await api.ok('templates.expand', { horizonWeeks: 4 });
  patients = [];
  for (let i = 0; i < 8; i++) {
    patients.push(
      await api.ok('patients.create', {
        identityNumber: makeIdentityNumber(`19${50 + i}-0${1 + (i % 9)}-1${i}`, 600 + i),
        givenName: ['Aino', 'Bertil', 'Cajsa', 'Dragan', 'Ebba', 'Filip', 'Gun', 'Hugo'][i]!,
        familyName: 'Samtidig',
      }),
    );
  }
  pool = (
    await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-30', to: '2026-12-04', limit: 100 })
  ).filter((s) => s.resourceId === ANNA || s.resourceId === ERIK);
  await Promise.all(desks.map((d) => d.send({ op: 'open', path: api.path, now: api.ctx.now() })));
}, 120_000);

afterAll(() => desks.forEach((d) => d.stop()));

describe('desks in separate processes on one database file', () => {
  it('four desks book the same slots at once: one wins each, the rest get a Swedish conflict, losers leave nothing', async () => {
    const slots = take(3);
    const before = counts();
    const results = await race(...desks.map((_, d) => slots.map((s) => book(s.slotId, patients[d]!.id))));
    slots.forEach((s, i) => {
      const perSlot = results.map((r) => r[i]!);
      expect(perSlot.filter((r) => r.ok)).toHaveLength(1);
      for (const r of perSlot.filter((x) => !x.ok)) {
        expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Tiden är redan bokad.' } });
      }
      expect(activeOn(s.slotId)).toBe(1);
    });
    // One booking row, one outbox row and one audit event per slot: nothing from the losers.
    expect(counts()).toEqual({ bookings: before.bookings + 3, outbox: before.outbox + 3, audit: before.audit + 3 });
  }, 30_000);

  it('two desks rebook the same booking at once: one wins, the chain points both ways, patient and type kept', async () => {
    const [from1, from2, a1, a2, b1, b2] = take(6);
    const originals = [
      await api.ok('bookings.book', { slotId: from1!.slotId, patientId: patients[0]!.id, appointmentTypeId: lakbes.id }),
      await api.ok('bookings.book', { slotId: from2!.slotId, patientId: patients[1]!.id, appointmentTypeId: lakbes.id }),
    ];
    const before = counts();
    const [x, y] = await race(
      [rebook(originals[0]!.id, a1!.slotId), rebook(originals[1]!.id, a2!.slotId)],
      [rebook(originals[0]!.id, b1!.slotId), rebook(originals[1]!.id, b2!.slotId)],
    );
    originals.forEach((old, i) => {
      const pair = [x![i]!, y![i]!];
      expect(pair.filter((r) => r.ok)).toHaveLength(1);
      expect(pair.find((r) => !r.ok)).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: 'Bokningen är redan ombokad och kan inte ändras.' },
      });
      const won = okValue<{ old: Booking; new: Booking }>(pair.find((r) => r.ok)!);
      const lostTarget = (won.new.slotId === [a1, a2][i]!.slotId ? [b1, b2] : [a1, a2])[i]!;
      expect(bookingRow(old.id)).toMatchObject({ status: 'rebooked', rebooked_to: won.new.id });
      expect(bookingRow(won.new.id)).toMatchObject({
        status: 'booked',
        rebooked_from: old.id,
        patient_id: old.patient.id,
        appointment_type_id: lakbes.id,
      });
      expect(api.count(`SELECT count(*) AS n FROM bookings WHERE rebooked_from = ?`, old.id)).toBe(1);
      expect(activeOn(lostTarget.slotId)).toBe(0);
      expect(activeOn(old.slotId)).toBe(0);
    });
    // Per rebooking: the new booking, two outbox rows (new, old) and one audit event.
    expect(counts()).toEqual({ bookings: before.bookings + 2, outbox: before.outbox + 4, audit: before.audit + 2 });
  }, 30_000);

  it('a rebooking into a slot another desk books at that moment: exactly one of them gets it', async () => {
    const slots = take(6);
    const moving = [];
    for (let i = 0; i < 3; i++) {
      moving.push(
        await api.ok('bookings.book', { slotId: slots[i]!.slotId, patientId: patients[2 + i]!.id, appointmentTypeId: lakbes.id }),
      );
    }
    const targets = slots.slice(3);
    const [rebooks, books] = await race(
      moving.map((b, i) => rebook(b.id, targets[i]!.slotId)),
      targets.map((t) => book(t.slotId, patients[6]!.id)),
    );
    moving.forEach((b, i) => {
      const [r, k] = [rebooks![i]!, books![i]!];
      expect([r.ok, k.ok].filter(Boolean)).toHaveLength(1);
      expect(r.ok ? k : r).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Tiden är redan bokad.' } });
      expect(activeOn(targets[i]!.slotId)).toBe(1);
      // The loser of the two is untouched: a lost rebooking leaves the patient in the old slot.
      expect(bookingRow(b.id)).toMatchObject(r.ok ? { status: 'rebooked' } : { status: 'booked', rebooked_to: null });
    });
  }, 30_000);

  it('cancel and rebook of one booking at once: one of them, never both', async () => {
    const slots = take(6);
    const bs = [];
    for (let i = 0; i < 3; i++) {
      bs.push(
        await api.ok('bookings.book', { slotId: slots[i]!.slotId, patientId: patients[i]!.id, appointmentTypeId: lakbes.id }),
      );
    }
    const [cancels, rebooks] = await race(
      bs.map((b) => ({ method: 'bookings.cancel', input: { id: b.id } })),
      bs.map((b, i) => rebook(b.id, slots[3 + i]!.slotId)),
    );
    bs.forEach((b, i) => {
      const [c, r] = [cancels![i]!, rebooks![i]!];
      expect([c.ok, r.ok].filter(Boolean)).toHaveLength(1);
      if (c.ok) {
        expect(r).toMatchObject({ error: { code: 'conflict', message: 'Bokningen är avbokad och kan inte ändras.' } });
        expect(bookingRow(b.id)).toMatchObject({ status: 'cancelled', rebooked_to: null });
        expect(activeOn(slots[3 + i]!.slotId)).toBe(0);
      } else {
        expect(c).toMatchObject({ error: { code: 'conflict', message: 'Bokningen är redan ombokad och kan inte ändras.' } });
        expect(bookingRow(b.id)).toMatchObject({ status: 'rebooked' });
        expect(activeOn(slots[3 + i]!.slotId)).toBe(1);
      }
    });
  }, 30_000);

  it('booking while a scheduler blocks or removes the slot: no booking lands on a blocked or removed slot', async () => {
    const toBlock = take(4);
    const toRemove = take(4);
    // One patient per slot: the pool's times overlap between Anna and Erik, and one patient may not
    // see two doctors at once (that refusal is not what this race is about).
    const own: Patient[] = [];
    for (let i = 0; i < 8; i++) {
      own.push(
        await api.ok('patients.create', {
          identityNumber: makeIdentityNumber(`1966-0${1 + i}-2${i}`, 700 + i),
          givenName: `Race${i}`,
          familyName: 'Samtidig',
        }),
      );
    }
    const [booked, blocked, booked2, removed] = await race(
      toBlock.map((s, i) => book(s.slotId, own[i]!.id)),
      toBlock.map((s) => ({ method: 'slots.block', input: { id: s.slotId, reason: 'Möte' } })),
      toRemove.map((s, i) => book(s.slotId, own[4 + i]!.id)),
      toRemove.map((s) => ({ method: 'slots.remove', input: { id: s.slotId } })),
    );
    toBlock.forEach((s, i) => {
      // Whichever comes first wins: a booked slot is not blocked by hand (nothing would list the
      // booking for rebooking; an absence does), and a blocked one is not booked.
      const [b, k] = [booked![i]!, blocked![i]!];
      expect([b.ok, k.ok].filter(Boolean)).toHaveLength(1);
      if (b.ok) {
        expect(k).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/^Tiden är bokad\./) as string } });
        expect(activeOn(s.slotId)).toBe(1);
      } else {
        expect(b).toMatchObject({ error: { code: 'conflict', message: 'Tiden är spärrad.' } });
        expect(activeOn(s.slotId)).toBe(0);
      }
      const state = (api.ctx.db.prepare(`SELECT state FROM slots WHERE id = ?`).get(s.slotId) as { state: string }).state;
      expect(state === 'blocked').toBe(activeOn(s.slotId) === 0);
    });
    toRemove.forEach((s, i) => {
      const [b, r] = [booked2![i]!, removed![i]!];
      expect([b.ok, r.ok].filter(Boolean)).toHaveLength(1);
      if (b.ok) {
        expect(r).toMatchObject({
          error: { code: 'conflict', message: 'Tiden är bokad och kan inte tas bort. Avboka eller boka om patienten först.' },
        });
      } else expect(b).toMatchObject({ error: { code: 'conflict', message: 'Tiden är borttagen ur schemat.' } });
      const state = (api.ctx.db.prepare(`SELECT state FROM slots WHERE id = ?`).get(s.slotId) as { state: string }).state;
      expect(state === 'removed').toBe(activeOn(s.slotId) === 0);
    });
  }, 30_000);

  it('booking while an absence is registered over the day: bookings before it are listed, after it refused', async () => {
    // Erik, Tuesday 2026-12-08: his free LAKBES slots that day.
    const day = await api.ok('slots.findFree', {
      appointmentTypeId: lakbes.id,
      resourceId: ERIK,
      from: '2026-12-08',
      to: '2026-12-08',
      limit: 5,
    });
    expect(day.length).toBeGreaterThanOrEqual(4);
    const [bookings, [absence]] = await race(
      day.map((s, i) => book(s.slotId, patients[i]!.id)),
      [{ method: 'absences.create', input: { resourceId: ERIK, from: '2026-12-08', to: '2026-12-08', reason: 'Sjuk' } }],
    );
    const made = bookings!.filter((r) => r.ok).map((r) => okValue<Booking>(r).id);
    for (const r of bookings!.filter((x) => !x.ok))
      expect(r).toMatchObject({ error: { code: 'conflict', message: 'Tiden är spärrad.' } });
    // Bookings made before the absence are a prefix of the desk's calls (one transaction each).
    expect(bookings!.map((r) => r.ok)).toEqual(day.map((_, i) => i < made.length));
    const result = okValue<{ affectedBookings: Booking[]; absence: { id: string } }>(absence!);
    const listed = result.affectedBookings.map((b) => b.id);
    expect(listed).toEqual(expect.arrayContaining(made));
    // Every listed booking is in a slot the absence blocked; no slot of Erik that day stays open.
    expect(
      api.count(
        `SELECT count(*) AS n FROM slots WHERE resource_id = ? AND state = 'open' AND start_at >= ? AND start_at < ?`,
        ERIK,
        Date.parse('2026-12-08T00:00:00+01:00'),
        Date.parse('2026-12-09T00:00:00+01:00'),
      ),
    ).toBe(0);
    const affected = await api.ok('absences.affectedBookings', { id: result.absence.id });
    expect(affected.map((b) => b.id).sort()).toEqual([...listed].sort());
  }, 30_000);

  it('booking while a template edit takes the slots away: booked slots stay (reported), the rest are removed', async () => {
    const vacc = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'VACC')!;
    const late = (
      await api.ok('slots.findFree', {
        appointmentTypeId: vacc.id,
        resourceId: MARIA,
        from: '2026-12-01',
        to: '2026-12-01',
        limit: 40,
      })
    ).filter((s) => s.startAt >= Date.parse('2026-12-01T10:30:00+01:00'));
    const targets = late.slice(0, 4);
    expect(targets).toHaveLength(4);
    const template = (await api.ok('templates.list', { resourceId: MARIA })).find((t) => t.startTime === '08:00')!;
    const [bookings, [change]] = await race(
      targets.map((s, i) => book(s.slotId, patients[i]!.id, vacc.id)),
      [{ method: 'templates.update', input: { id: template.id, changes: { endTime: '10:00' } } }],
    );
    const report = okValue<{ expansion: { bookedUnchanged: { slotId: string }[] } }>(change!).expansion;
    const kept = new Set(report.bookedUnchanged.map((b) => b.slotId));
    targets.forEach((s, i) => {
      const state = (api.ctx.db.prepare(`SELECT state FROM slots WHERE id = ?`).get(s.slotId) as { state: string }).state;
      if (bookings![i]!.ok) {
        expect(kept.has(s.slotId)).toBe(true);
        expect(state).toBe('open');
      } else {
        expect(bookings![i]).toMatchObject({ error: { code: 'conflict', message: 'Tiden är borttagen ur schemat.' } });
        expect(state).toBe('removed');
      }
    });
  }, 30_000);

  it('two schedulers add overlapping slots to one clinician at once: one is added, the other refused', async () => {
    // Anna's lunch (12–13) has no template slots; two hand-made slots that overlap at 12:15–12:30.
    const add = (start: string, end: string): DeskCall => ({
      method: 'slots.create',
      input: {
        resourceId: ANNA,
        date: '2026-12-02',
        startTime: start,
        endTime: end,
        appointmentTypeIds: [lakbes.id],
        webPublished: false,
        withinCareGuarantee: false,
      },
    });
    const [[a], [b]] = await race([add('12:00', '12:30')], [add('12:15', '12:45')]);
    expect([a!.ok, b!.ok].filter(Boolean)).toHaveLength(1);
    expect(a!.ok ? b : a).toMatchObject({
      error: { code: 'conflict', message: 'Resursen har redan en tid som överlappar den nya.' },
    });
  }, 30_000);
});

describe('more writers at once', () => {
  it('two desks register the same new patient at once: one record, the other told the patient exists', async () => {
    const identityNumber = makeIdentityNumber('1944-02-29', 612);
    const create = { method: 'patients.create', input: { identityNumber, givenName: 'Dubbel', familyName: 'Registrerad' } };
    const [[a], [b]] = await race([create], [create]);
    expect([a!.ok, b!.ok].filter(Boolean)).toHaveLength(1);
    expect(a!.ok ? b : a).toMatchObject({
      error: { code: 'conflict', message: 'Det finns redan en patient med det personnumret.' },
    });
    expect(api.count(`SELECT count(*) AS n FROM patients WHERE identity_number = ?`, identityNumber)).toBe(1);
  }, 30_000);

  it('two schedulers register overlapping absences for one clinician at once: both are kept, each slot blocked by one of them', async () => {
    const vab = { resourceId: ANNA, from: '2026-12-15', to: '2026-12-15', reason: 'VAB' };
    const [[a], [b]] = await race(
      [{ method: 'absences.create', input: vab }],
      [
        {
          method: 'absences.create',
          input: { resourceId: ANNA, from: '2026-12-15', fromTime: '12:00', to: '2026-12-16', reason: 'Kurs' },
        },
      ],
    );
    expect([a!.ok, b!.ok]).toEqual([true, true]);
    const active = api.ctx.db
      .prepare(`SELECT id, start_at, end_at FROM absences WHERE resource_id = ? AND state = 'active'`)
      .all(ANNA) as { id: string; start_at: number; end_at: number }[];
    expect(active).toHaveLength(2);
    // Whoever came second, every slot of the two days is blocked, by an absence covering it.
    const slots = api.ctx.db
      .prepare(
        `SELECT start_at, end_at, state, absence_id FROM slots WHERE resource_id = ? AND state <> 'removed'
          AND start_at >= ? AND start_at < ?`,
      )
      .all(ANNA, Date.parse('2026-12-15T00:00:00+01:00'), Date.parse('2026-12-17T00:00:00+01:00')) as {
      start_at: number;
      end_at: number;
      state: string;
      absence_id: string;
    }[];
    expect(slots.length).toBeGreaterThan(0);
    for (const s of slots) {
      const covering = active.filter((x) => x.start_at < s.end_at && x.end_at > s.start_at).map((x) => x.id);
      expect(s.state).toBe('blocked');
      expect(covering).toContain(s.absence_id);
    }
    // The same absence from both at once (a double submit): one record, both told it is there.
    const [[c], [d]] = await race([{ method: 'absences.create', input: vab }], [{ method: 'absences.create', input: vab }]);
    expect([c!.ok, d!.ok]).toEqual([true, true]);
    expect(api.count(`SELECT count(*) AS n FROM absences WHERE resource_id = ? AND state = 'active'`, ANNA)).toBe(2);
  }, 30_000);

  it('the CLI lays out more weeks while a desk adds a slot where a template slot will go: never both', async () => {
    // Anna, 2027-03-08 08:15–08:45 straddles two template slots (08:00, 08:30) beyond the current horizon.
    const at = Date.now() + 50;
    const desk = desks[3]!.send<{ results: Result<unknown>[] }>({
      op: 'run',
      at,
      calls: [
        {
          method: 'slots.create',
          input: {
            resourceId: ANNA,
            date: '2027-03-08',
            startTime: '08:15',
            endTime: '08:45',
            appointmentTypeIds: [lakbes.id],
            webPublished: false,
            withinCareGuarantee: false,
          },
        },
      ],
    });
    while (Date.now() < at) {
      // Leave the line with the desk.
    }
    const code = await quietly(() => tidbok(['node', 'tidbok', 'templates', 'expand', '--weeks', '17', '--db', api.path]));
    const [added] = (await desk).results;
    expect(code).toBe(0);
    if (!added!.ok)
      expect(added).toMatchObject({ error: { code: 'conflict', message: 'Resursen har redan en tid som överlappar den nya.' } });
    expect(overlappingLiveSlots()).toBe(0);
  }, 30_000);
});

describe('one resource, one time', () => {
  it('refuses a hand-made slot overlapping a template slot; nowhere do two live slots of a resource overlap', async () => {
    const e = await api.err('slots.create', {
      resourceId: ANNA,
      date: '2026-12-03',
      startTime: '08:15',
      endTime: '08:45',
      appointmentTypeIds: [lakbes.id],
      webPublished: false,
      withinCareGuarantee: false,
    });
    expect(e).toMatchObject({ code: 'conflict', message: 'Resursen har redan en tid som överlappar den nya.' });
    expect(overlappingLiveSlots()).toBe(0);
    expect(
      api.count(
        `SELECT count(*) AS n FROM slots a JOIN slots b
            ON b.resource_id = a.resource_id AND b.start_at >= a.start_at AND b.start_at < a.end_at AND b.id <> a.id
          WHERE EXISTS (SELECT 1 FROM bookings WHERE slot_id = a.id AND status IN ${ACTIVE})
            AND EXISTS (SELECT 1 FROM bookings WHERE slot_id = b.id AND status IN ${ACTIVE})`,
      ),
    ).toBe(0);
  });

  it('lets one patient hold overlapping times on two resources (a clinician and a sampling room)', async () => {
    const p = patients[5]!;
    const [doctor] = await api.ok('slots.findFree', {
      appointmentTypeId: lakbes.id,
      resourceId: ANNA,
      from: '2026-12-11',
      to: '2026-12-11',
      limit: 1,
    });
    const room = (
      await api.ok('slots.findFree', {
        appointmentTypeId: prov.id,
        resourceId: ROOM,
        from: '2026-12-11',
        to: '2026-12-11',
        limit: 20,
      })
    ).find((s) => s.startAt >= doctor!.startAt && s.startAt < doctor!.endAt)!;
    await api.ok('bookings.book', { slotId: doctor!.slotId, patientId: p.id, appointmentTypeId: lakbes.id });
    await api.ok('bookings.book', { slotId: room.slotId, patientId: p.id, appointmentTypeId: prov.id });
  });
});

describe('a database busy with another writer', () => {
  const setTimeoutMs = (ms: number) => api.ctx.db.pragma(`busy_timeout = ${ms}`);

  it('waits for a writer in another process, then books and logs reads as usual', async () => {
    const [slot] = take(1);
    const holder = desks[0]!;
    await holder.send({ op: 'hold', ms: 400 });
    // The booking (a change) and a read that writes the access log both wait, then succeed.
    await api.ok('bookings.book', { slotId: slot!.slotId, patientId: patients[3]!.id, appointmentTypeId: lakbes.id });
    await holder.next();
    await holder.send({ op: 'hold', ms: 400 });
    const history = await api.ok('bookings.forPatient', { patientId: patients[3]!.id });
    expect(history.map((b) => b.slotId)).toContain(slot!.slotId);
    await holder.next();
  }, 30_000);

  it('says in Swedish that the database is busy when a writer holds it past the wait, and loses nothing', async () => {
    const [slot] = take(1);
    const holder = desks[1]!;
    // A shell whose session was last seen a minute ago: resolving it writes "last seen" first.
    const session = startDemoSession(api.ctx, 'reception', 'test').token;
    const later = { ...api.ctx, now: () => api.ctx.now() + 60_000 };
    const port = { token: () => session, adopt: () => undefined, forget: () => undefined };
    await holder.send({ op: 'hold' });
    setTimeoutMs(100);
    const before = counts();
    try {
      const input = { slotId: slot!.slotId, patientId: patients[4]!.id, appointmentTypeId: lakbes.id };
      const viaShell = await dispatchSession({ ctx: later, shell: 'web', workstation: 'test' }, port, 'unit.get', {});
      for (const e of [
        await api.err('bookings.book', input),
        await api.err('bookings.forPatient', { patientId: patients[4]!.id }),
        (viaShell as { error: ApiError }).error,
      ]) {
        expect(e).toMatchObject({ code: 'unavailable' });
        expect(e.message).toMatch(/^Databasen är upptagen .*Försök igen/);
      }
      expect(counts()).toEqual(before);
    } finally {
      setTimeoutMs(5000);
      await holder.send({ op: 'release' });
    }
    const b = await api.ok('bookings.book', { slotId: slot!.slotId, patientId: patients[4]!.id, appointmentTypeId: lakbes.id });
    expect(activeOn(b.slotId)).toBe(1);
  }, 30_000);

  it('tidbok templates expand waits for a desk that is writing instead of failing', async () => {
    const holder = desks[2]!;
    await holder.send({ op: 'hold', ms: 400 });
    expect(await quietly(() => tidbok(['node', 'tidbok', 'templates', 'expand', '--weeks', '14', '--db', api.path]))).toBe(0);
    await holder.next();
  }, 30_000);
});

/** The web shell's change events as they arrive; `until` reads on until `done` holds for all so far. */
async function eventStream(port: number, token: string) {
  const res = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { authorization: `Bearer ${token}` } });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { entities: string[]; ids: string[] }[] = [];
  let buffered = '';
  return {
    async until(done: (all: typeof events) => boolean) {
      while (!done(events)) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error('the event stream ended');
        buffered += value;
        const frames = buffered.split('\n\n');
        buffered = frames.pop()!;
        for (const f of frames) {
          const data = /^data: (.*)$/m.exec(f)?.[1];
          if (data) events.push(JSON.parse(data) as (typeof events)[number]);
        }
      }
      return events;
    },
    close: () => reader.cancel(),
  };
}

describe('many requests at once to one web shell', () => {
  it('answers each, books each slot once, and sends one change event per committed change', async () => {
    const { ctx } = openTestDb({ demo: true });
    const staticDir = mkdtempSync(join(tmpdir(), 'tidbok-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tidbok</title>');
    const session = startDemoSession(ctx, 'reception', 'test').token;
    const shell = await startWebShell({ ctx, staticDir, workstation: 'test' });
    const call = async (method: string, input: unknown): Promise<Result<unknown>> => {
      const res = await fetch(`http://127.0.0.1:${shell.port}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${shell.token}`, [SESSION_HEADER]: session },
        body: JSON.stringify(input),
      });
      return (await res.json()) as Result<unknown>;
    };
    try {
      const type = ((await call('appointmentTypes.list', {})) as { value: AppointmentType[] }).value.find(
        (t) => t.code === 'LAKBES',
      )!;
      const free = (
        (await call('slots.findFree', { appointmentTypeId: type.id, from: '2026-11-30', limit: 4 })) as { value: FreeSlot[] }
      ).value;
      const people: Patient[] = [];
      for (let i = 0; i < 3; i++) {
        people.push(
          okValue<Patient>(
            await call('patients.create', {
              identityNumber: makeIdentityNumber(`198${i}-05-0${i + 1}`, 700 + i),
              givenName: 'Webb',
              familyName: `Samtidig ${i}`,
            }),
          ),
        );
      }
      const events = await eventStream(shell.port, shell.token);
      // 12 bookings at once (3 patients × 4 slots), plus reads in between.
      const attempts = free.flatMap((s) => people.map((p) => ({ s, p })));
      const results = await Promise.all([
        ...attempts.map(({ s, p }) => call('bookings.book', { slotId: s.slotId, patientId: p.id, appointmentTypeId: type.id })),
        ...free.map(() => call('slots.findFree', { appointmentTypeId: type.id, from: '2026-11-30', limit: 4 })),
      ]);
      const bookings = results.slice(0, attempts.length);
      for (const s of free) {
        const forSlot = bookings.filter((_, i) => attempts[i]!.s === s);
        expect(forSlot.filter((r) => r.ok)).toHaveLength(1);
        for (const r of forSlot.filter((x) => !x.ok))
          expect(r).toMatchObject({ error: { code: 'conflict', message: 'Tiden är redan bokad.' } });
      }
      const made = bookings.filter((r) => r.ok).map((r) => okValue<Booking>(r));
      // A last change on the same stream: once its event is in, every earlier one is too.
      const sentinel = okValue<Booking>(await call('bookings.setNote', { id: made[0]!.id, note: 'Ring före' }));
      const seen = await events.until((all) => all.filter((e) => e.ids.includes(sentinel.id)).length === 2);
      for (const b of made) expect(seen.filter((e) => e.ids.includes(b.id)).length).toBe(b.id === sentinel.id ? 2 : 1);
      // Four bookings and the note: one event each, none for the eight refusals or the reads.
      expect(seen).toHaveLength(4 + 1);
      await events.close();
    } finally {
      await shell.close();
      ctx.db.close();
    }
  }, 30_000);
});

// Last: its rebookings take the earliest free times, which the tests above hand out.
describe('absence rebooking under contention', () => {
  it('applying absence rebookings while a desk books a proposed slot: all moved, or none and the taken time named', async () => {
    // Two absences raced (so both orders get a chance), and one where the desk is surely first.
    for (const [resourceId, date, raced] of [
      [ANNA, '2026-12-09', true],
      [ERIK, '2026-12-10', true],
      [ERIK, '2026-12-14', false],
    ] as const) {
      const day = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, resourceId, from: date, to: date, limit: 3 });
      const hit = [];
      for (let i = 0; i < 3; i++) {
        hit.push(
          await api.ok('bookings.book', { slotId: day[i]!.slotId, patientId: patients[i]!.id, appointmentTypeId: lakbes.id }),
        );
      }
      const { absence } = await api.ok('absences.create', { resourceId, from: date, to: date, reason: 'Kurs' });
      const proposals = await api.ok('absences.proposeRebooking', { id: absence.id });
      const items = proposals.map((p) => ({ bookingId: p.booking.id, slotId: p.proposal!.slotId }));
      expect(items).toHaveLength(3);
      const contested = items[1]!.slotId;
      const before = counts();
      const applyCall = { method: 'absences.applyRebooking', input: { id: absence.id, items } };
      const deskCall = book(contested, patients[7]!.id);
      const deskFirst = async () => {
        const [, booked] = await race([], [deskCall]);
        const [applied] = await race([applyCall]);
        return [applied, booked] as const;
      };
      const [[apply], [desk]] = raced ? await race([applyCall], [deskCall]) : await deskFirst();
      expect([apply!.ok, desk!.ok].filter(Boolean)).toHaveLength(1);
      if (!raced) expect(desk!.ok).toBe(true);
      if (apply!.ok) {
        expect(desk).toMatchObject({ error: { code: 'conflict', message: 'Tiden är redan bokad.' } });
        for (const b of hit) expect(bookingRow(b.id).status).toBe('rebooked');
      } else {
        // One transaction: nothing moved, and the scheduler learns which time was taken.
        expect(apply).toMatchObject({
          error: { code: 'conflict', details: { bookingId: items[1]!.bookingId, slotId: contested } },
        });
        expect((apply as { error: { message: string } }).error.message).toMatch(/har hunnit bokas.*Ingen bokning har flyttats/);
        expect(counts()).toEqual({
          ...before,
          bookings: before.bookings + 1,
          outbox: before.outbox + 1,
          audit: before.audit + 1,
        });
        for (const b of hit) expect(bookingRow(b.id)).toMatchObject({ status: 'booked', rebooked_to: null });
        // Applying all anew proposes around the taken time and moves everyone.
        const again = await api.ok('absences.applyRebooking', { id: absence.id });
        expect(again.rebooked).toHaveLength(3);
        expect(again.rebooked.map((r) => r.new.slotId)).not.toContain(contested);
      }
      expect(activeOn(contested)).toBe(1);
    }
  }, 30_000);

  it('two schedulers apply all of one absence at once: every booking moved once, to distinct free times', async () => {
    const day = await api.ok('slots.findFree', {
      appointmentTypeId: lakbes.id,
      resourceId: ANNA,
      from: '2026-12-17',
      to: '2026-12-17',
      limit: 3,
    });
    const hit = [];
    for (let i = 0; i < 3; i++) {
      hit.push(
        await api.ok('bookings.book', { slotId: day[i]!.slotId, patientId: patients[i]!.id, appointmentTypeId: lakbes.id }),
      );
    }
    const { absence } = await api.ok('absences.create', {
      resourceId: ANNA,
      from: '2026-12-17',
      to: '2026-12-17',
      reason: 'Sjuk',
    });
    const applyAll = { method: 'absences.applyRebooking', input: { id: absence.id } };
    const [[a], [b]] = await race([applyAll], [applyAll]);
    const moved = [a!, b!].flatMap((r) => okValue<{ rebooked: { new: Booking }[] }>(r).rebooked);
    expect(moved).toHaveLength(3);
    expect(new Set(moved.map((m) => m.new.slotId)).size).toBe(3);
    for (const b0 of hit) {
      expect(bookingRow(b0.id).status).toBe('rebooked');
      expect(api.count(`SELECT count(*) AS n FROM bookings WHERE rebooked_from = ?`, b0.id)).toBe(1);
    }
  }, 30_000);
});

describe('why a booking can no longer be changed', () => {
  it.each([
    ['arrived', 'Patienten är redan ankomstregistrerad; bokningen kan inte ändras.'],
    ['completed', 'Besöket är avslutat och kan inte ändras.'],
    ['no_show', 'Besöket är markerat som uteblivet och kan inte ändras.'],
    ['cancelled', 'Bokningen är avbokad och kan inte ändras.'],
    ['rebooked', 'Bokningen är redan ombokad och kan inte ändras.'],
  ] as const)('a booking marked %s: cancel and rebook both say so', async (status, message) => {
    // This morning's demo bookings, already begun (the visit can be marked today).
    const row = api.ctx.db
      .prepare(
        `SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
          WHERE b.status = 'booked' AND s.start_at < ? AND s.start_at > ? ORDER BY s.start_at LIMIT 1`,
      )
      .get(api.ctx.now(), api.ctx.now() - 4 * 3_600_000) as { id: string };
    const [target] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-18', limit: 1 });
    const override = { reason: 'Patienten ringde' };
    if (status === 'cancelled') await api.ok('bookings.cancel', { id: row.id, override });
    else if (status === 'rebooked') await api.ok('bookings.rebook', { id: row.id, slotId: target!.slotId, override });
    else await api.ok('bookings.mark', { id: row.id, status });
    const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-18', limit: 1 });
    for (const e of [
      await api.err('bookings.cancel', { id: row.id, override }),
      await api.err('bookings.rebook', { id: row.id, slotId: slot!.slotId, override }),
    ]) {
      expect(e).toMatchObject({ code: 'conflict', message });
    }
  });
});

// Last of all: a year of slots changes what "beyond the horizon" means for the tests above.
describe('a year of slots laid out in another process', () => {
  it('desks booking meanwhile are booked, or told in Swedish the database is busy; nothing half-done', async () => {
    const free = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-07', limit: 3 });
    expect(free).toHaveLength(3);
    const before = counts();
    const at = Date.now() + 100;
    const year = desks[0]!.send<{ results: Result<unknown>[] }>({
      op: 'run',
      at,
      calls: [{ method: 'templates.expand', input: { horizonWeeks: 52 }, roles: ['scheduler'] }],
    });
    while (Date.now() < at + 20) {
      // Book while the expansion runs (how long it runs depends on the machine).
    }
    const answers: Result<unknown>[] = [];
    for (const s of free) {
      answers.push(
        await dispatch({ ctx: api.ctx, caller: testCaller(['receptionist']), shell: 'web' }, 'bookings.book', {
          slotId: s.slotId,
          patientId: patients[6]!.id,
          appointmentTypeId: lakbes.id,
        }),
      );
    }
    const [expanded] = (await year).results;
    expect(okValue<{ created: number }>(expanded!).created).toBeGreaterThan(0);
    const booked = answers.filter((a) => a.ok).length;
    for (const a of answers.filter((x) => !x.ok)) expect(a).toMatchObject({ error: { code: 'unavailable' } });
    free.forEach((s, i) => expect(activeOn(s.slotId)).toBe(answers[i]!.ok ? 1 : 0));
    expect(counts().bookings).toBe(before.bookings + booked);
  }, 60_000);
});
