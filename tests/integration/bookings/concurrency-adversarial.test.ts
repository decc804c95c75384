// Adversarial checks of issue 3's concurrency promises (items 5 and 8), beyond the scheduling
// suite's: desks in their own processes (and the web shell, and the CLI) on one SQLite file, at
// the same instant. Whatever order SQLite lets them in: one active booking per slot, no resource
// booked twice at one time, a loser refused with a Swedish `conflict` and leaving no row, outbox
// row or audit event behind, and the access log's chain still whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FreeSlot } from '../../../src-main/api/methods/scheduling.ts';
import type { ApiError, Result } from '../../../src-main/api/result.ts';
import type { Booking } from '../../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { verifyAuditChain } from '../../../src-main/services/audit.ts';
import { defaultMigrationsDir, loadMigrations, openDatabase } from '../../../src-main/store/database.ts';
import type { ContentionCall } from '../../helpers/contention-worker.ts';
import { Desk } from '../../helpers/contention-desk.ts';
import { runTidbok, spawnTidbok } from '../../helpers/cli-process.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';
import { startShell, type RunningShell } from '../../helpers/web-shell.ts';
import { demoApi, type Api } from '../scheduling/helpers.ts';

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

const ANNA = '01a205b3-d000-7000-8000-2f8605734dbe'; // läkare, weekdays
const ERIK = '01a205b3-d000-7000-8002-f9816644af89'; // läkare, Mon–Thu
/** Statuses that hold a slot (the partial unique index's). */
const ACTIVE = `('preliminary', 'booked', 'arrived', 'completed', 'no_show')`;

let api: Api;
let typeId: (code: string) => string;
let patients: string[];
/** Free LAKBES slots of Anna and Erik in the week of 2026-11-30, handed out a few per test. */
let pool: FreeSlot[];
const take = (n: number): FreeSlot[] => {
  const out = pool.splice(0, n);
  if (out.length < n) throw new Error('slot pool used up');
  return out;
};
const book = (slotId: string, patientId: string, code = 'LAKBES'): ContentionCall => ({
  method: 'bookings.book',
  input: { slotId, patientId, appointmentTypeId: typeId(code) },
});
const rebook = (id: string, slotId: string): ContentionCall => ({ method: 'bookings.rebook', input: { id, slotId } });
/** Each desk runs its calls in order; all desks start at the same instant. */
async function race<T extends ContentionCall[][]>(...perDesk: T): Promise<{ [K in keyof T]: Result<unknown>[] }> {
  const at = Date.now() + 250;
  const answers = await Promise.all(
    perDesk.map((calls, i) => desks[i]!.send<{ results: Result<unknown>[] }>({ op: 'run', at, calls })),
  );
  return answers.map((a) => a.results) as { [K in keyof T]: Result<unknown>[] };
}
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const errorOf = (r: Result<unknown>): ApiError => {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
};
const row = (id: string) =>
  api.ctx.db.prepare(`SELECT status, slot_id, patient_id, rebooked_to FROM bookings WHERE id = ?`).get(id) as {
    status: string;
    slot_id: string;
    patient_id: string;
    rebooked_to: string | null;
  };
const activeOn = (slotId: string) =>
  api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE}`, slotId);
const counts = () => ({
  bookings: api.count(`SELECT count(*) AS n FROM bookings`),
  outbox: api.count(`SELECT count(*) AS n FROM outbox`),
  changes: api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`),
});
/** Pairs of active bookings of one resource overlapping in time (slots of any lengths). */
const overlappingActive = () =>
  api.count(
    `SELECT count(*) AS n FROM bookings a JOIN slots sa ON sa.id = a.slot_id, bookings b JOIN slots sb ON sb.id = b.slot_id
      WHERE a.id < b.id AND a.status IN ${ACTIVE} AND b.status IN ${ACTIVE}
        AND sa.resource_id = sb.resource_id AND sa.start_at < sb.end_at AND sb.start_at < sa.end_at`,
  );
const bookNow = (slotId: string, patientId: string, code = 'LAKBES') =>
  api.ok('bookings.book', { slotId, patientId, appointmentTypeId: typeId(code) });

describe('desks in their own processes on one database file', () => {
  beforeAll(async () => {
    api = demoApi();
    const types = await api.ok('appointmentTypes.list', {});
    typeId = (code) => types.find((t) => t.code === code)!.id;
    patients = [];
    for (let i = 0; i < 8; i++) {
      const p = await api.ok('patients.create', {
        identityNumber: makeIdentityNumber(`19${60 + i}-0${1 + i}-1${i}`, 800 + i),
        givenName: ['Alva', 'Bror', 'Cilla', 'Dag', 'Elsa', 'Folke', 'Greta', 'Harald'][i]!,
        familyName: 'Kapplöpning',
      });
      patients.push(p.id);
    }
    pool = (
      await api.ok('slots.findFree', { appointmentTypeId: typeId('LAKBES'), from: '2026-11-30', to: '2026-12-04', limit: 100 })
    ).filter((s) => s.resourceId === ANNA || s.resourceId === ERIK);
    await Promise.all(desks.map((d) => d.send({ op: 'open', path: api.path, now: api.ctx.now() })));
  }, 60_000);

  afterAll(() => {
    // Whatever the races did, nothing in the book breaks the invariants or the access log.
    expect(
      api.count(
        `SELECT count(*) AS n FROM (SELECT slot_id FROM bookings WHERE status IN ${ACTIVE} GROUP BY slot_id HAVING count(*) > 1)`,
      ),
    ).toBe(0);
    expect(overlappingActive()).toBe(0);
    expect(verifyAuditChain(api.ctx)).toBeNull();
  });

  it('two rebookings of different patients into the same free time: one moves, the other keeps the old time', async () => {
    const [fromA, fromB, target] = take(3);
    const a = await bookNow(fromA!.slotId, patients[0]!);
    const b = await bookNow(fromB!.slotId, patients[1]!);
    const before = counts();
    const [[ra], [rb]] = await race([rebook(a.id, target!.slotId)], [rebook(b.id, target!.slotId)]);
    expect([ra!.ok, rb!.ok].filter(Boolean)).toHaveLength(1);
    const [won, lost, lostResult] = ra!.ok ? [a, b, rb!] : [b, a, ra!];
    expect(errorOf(lostResult)).toMatchObject({ code: 'conflict', message: 'Tiden är redan bokad.' });
    expect(row(won.id)).toMatchObject({ status: 'rebooked' });
    // Atomic: the loser is exactly as before, in its own time.
    expect(row(lost.id)).toMatchObject({ status: 'booked', slot_id: lost.slotId, rebooked_to: null });
    expect(activeOn(target!.slotId)).toBe(1);
    expect(activeOn(lost.slotId)).toBe(1);
    // One rebooking: one new row, its two outbox rows (new, old) and one audit event.
    expect(counts()).toEqual({ bookings: before.bookings + 1, outbox: before.outbox + 2, changes: before.changes + 1 });
  }, 30_000);

  it('three desks cancel the same booking at once: cancelled once, the others told it already is', async () => {
    const [slot] = take(1);
    const b = await bookNow(slot!.slotId, patients[2]!);
    const before = counts();
    const cancel: ContentionCall = { method: 'bookings.cancel', input: { id: b.id, reasonCode: 'SJUK' } };
    const results = (await race([cancel], [cancel], [cancel])).map((r) => r[0]!);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) {
      expect(errorOf(r)).toMatchObject({ code: 'conflict', message: 'Bokningen är avbokad och kan inte ändras.' });
    }
    expect(row(b.id).status).toBe('cancelled');
    expect(counts()).toEqual({ ...before, outbox: before.outbox + 1, changes: before.changes + 1 });
    // The freed time can be booked again, once.
    await bookNow(slot!.slotId, patients[3]!);
    expect(activeOn(slot!.slotId)).toBe(1);
  }, 30_000);

  it("today's visit marked arrived while another desk rebooks it: one of the two, never an arrived rebooked booking", async () => {
    // This afternoon's demo bookings (not begun: the rebooking passes the cut-off with an override).
    const today = api.ctx.db
      .prepare(
        `SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN appointment_types t ON t.id = b.appointment_type_id
          WHERE b.status = 'booked' AND t.code = 'LAKBES' AND s.start_at > ? AND s.start_at < ? ORDER BY s.start_at LIMIT 3`,
      )
      .pluck()
      .all(api.ctx.now() + 3_600_000, Date.parse('2026-11-23T17:00:00+01:00')) as string[];
    expect(today).toHaveLength(3);
    const targets = take(3);
    const override = { reason: 'Patienten ringde' };
    const [marks, moves] = await race(
      today.map((id) => ({ method: 'bookings.mark', input: { id, status: 'arrived' } })),
      today.map((id, i) => ({ method: 'bookings.rebook', input: { id, slotId: targets[i]!.slotId, override } })),
    );
    today.forEach((id, i) => {
      const [m, r] = [marks![i]!, moves![i]!];
      expect([m.ok, r.ok].filter(Boolean)).toHaveLength(1);
      if (m.ok) {
        expect(errorOf(r)).toMatchObject({
          code: 'conflict',
          message: 'Patienten är redan ankomstregistrerad; bokningen kan inte ändras.',
        });
        expect(row(id)).toMatchObject({ status: 'arrived', rebooked_to: null });
        expect(activeOn(targets[i]!.slotId)).toBe(0);
      } else {
        expect(errorOf(m)).toMatchObject({
          code: 'conflict',
          message: 'Bokningen är ombokad och kan inte markeras: markera den nya tiden.',
        });
        expect(row(id).status).toBe('rebooked');
        expect(activeOn(targets[i]!.slotId)).toBe(1);
      }
    });
  }, 30_000);

  it('two desks rebook the same booking into the same time at once: moved once, the other told it is already moved', async () => {
    const [from, target] = take(2);
    const b = await bookNow(from!.slotId, patients[4]!);
    const before = counts();
    const [[x], [y]] = await race([rebook(b.id, target!.slotId)], [rebook(b.id, target!.slotId)]);
    expect([x!.ok, y!.ok].filter(Boolean)).toHaveLength(1);
    expect(errorOf(x!.ok ? y! : x!)).toMatchObject({
      code: 'conflict',
      message: 'Bokningen är redan ombokad och kan inte ändras.',
    });
    expect(activeOn(target!.slotId)).toBe(1);
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE rebooked_from = ?`, b.id)).toBe(1);
    expect(counts()).toEqual({ bookings: before.bookings + 1, outbox: before.outbox + 2, changes: before.changes + 1 });
  }, 30_000);

  it('one patient booked with two doctors at the same time from two desks: one booking, the other refused by name of the first', async () => {
    // Anna's and Erik's free times that start together.
    const pair = pool.flatMap((a) =>
      a.resourceId === ANNA ? pool.filter((e) => e.resourceId === ERIK && e.startAt === a.startAt).map((e) => [a, e]) : [],
    )[0]!;
    pool = pool.filter((s) => !pair.includes(s));
    const [[a], [e]] = await race([book(pair[0]!.slotId, patients[5]!)], [book(pair[1]!.slotId, patients[5]!)]);
    expect([a!.ok, e!.ok].filter(Boolean)).toHaveLength(1);
    expect(errorOf(a!.ok ? e! : a!)).toMatchObject({ code: 'conflict', details: { rule: 'patient_busy' } });
    expect(errorOf(a!.ok ? e! : a!).message).toMatch(
      /^Patienten har redan en tid som överlappar: 2026-1\d-\d\d kl\. \d\d:\d\d–\d\d:\d\d hos /,
    );
  }, 30_000);

  it("rebookings into a doctor's day while another desk registers his absence that day: each lands before it (and is listed) or is refused", async () => {
    const day = '2026-12-03';
    const dayOf = (s: FreeSlot) => new Date(s.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    const targets = pool.filter((s) => s.resourceId === ERIK && dayOf(s) === day).slice(0, 3);
    expect(targets).toHaveLength(3);
    // The absence blocks all of Erik's times that day: none of them is handed out after this test.
    pool = pool.filter((s) => !(s.resourceId === ERIK && dayOf(s) === day));
    const moving = [];
    for (const [i, s] of take(3).entries()) moving.push(await bookNow(s.slotId, patients[i]!));
    const [moves, [absence]] = await race(
      moving.map((b, i) => rebook(b.id, targets[i]!.slotId)),
      [{ method: 'absences.create', input: { resourceId: ERIK, from: day, to: day, reason: 'Sjuk' }, roles: ['scheduler'] }],
    );
    const listed = value<{ affectedBookings: Booking[] }>(absence!).affectedBookings.map((b) => b.id);
    moving.forEach((b, i) => {
      const r = moves[i]!;
      if (r.ok) {
        expect(listed).toContain(value<{ new: Booking }>(r).new.id);
      } else {
        expect(errorOf(r)).toMatchObject({ code: 'conflict', message: 'Tiden är spärrad.' });
        expect(row(b.id)).toMatchObject({ status: 'booked', slot_id: b.slotId, rebooked_to: null });
      }
    });
    // Rebookings are one transaction each, in the desk's order: those before the absence are a prefix.
    expect(moves.map((r) => r.ok)).toEqual(moves.map((_, i) => i < moves.filter((r) => r.ok).length));
  }, 30_000);

  it('two desks give one återbudslista entry two different times at once: one booking, the entry booked once', async () => {
    const entry = await api.ok('waitlist.add', { patientId: patients[6]!, appointmentTypeId: typeId('LAKBES') });
    const first = pool[0]!;
    const second = pool.find((s) => s.startAt >= first.endAt)!;
    pool = pool.filter((s) => s !== first && s !== second);
    const before = counts();
    const fromList = (slotId: string): ContentionCall => ({
      method: 'bookings.book',
      input: { slotId, patientId: patients[6]!, appointmentTypeId: typeId('LAKBES'), waitlistEntryId: entry.id },
    });
    const [[a], [b]] = await race([fromList(first.slotId)], [fromList(second.slotId)]);
    expect([a!.ok, b!.ok].filter(Boolean)).toHaveLength(1);
    expect(errorOf(a!.ok ? b! : a!)).toMatchObject({
      code: 'conflict',
      message: 'Patienten har redan fått en tid från återbudslistan.',
    });
    // The loser's booking was rolled back with its refusal: one booking, one outbox row, and the
    // audit events of one booking and one entry change.
    expect(activeOn(first.slotId) + activeOn(second.slotId)).toBe(1);
    expect(counts()).toEqual({ bookings: before.bookings + 1, outbox: before.outbox + 1, changes: before.changes + 2 });
    expect(api.count(`SELECT count(*) AS n FROM waitlist WHERE id = ? AND state = 'booked'`, entry.id)).toBe(1);
  }, 30_000);

  it('one desk adds times to a free Saturday while another registers an absence over part of it, then books them: none of the absent hours opens', async () => {
    const day = '2026-12-12';
    const add = (start: string, end: string): ContentionCall => ({
      method: 'slots.create',
      input: {
        resourceId: ERIK,
        date: day,
        startTime: start,
        endTime: end,
        appointmentTypeIds: [typeId('LAKBES')],
        webPublished: false,
        withinCareGuarantee: false,
      },
      roles: ['scheduler'],
    });
    const [made, [absence]] = await race(
      [add('09:00', '09:30'), add('09:30', '10:00'), add('10:00', '10:30'), add('11:00', '11:45')],
      [
        {
          method: 'absences.create',
          input: { resourceId: ERIK, from: day, fromTime: '09:45', to: day, toTime: '11:15', reason: 'Utbildning' },
          roles: ['scheduler'],
        },
      ],
    );
    const { absence: registered } = value<{ absence: { id: string; startAt: number; endAt: number } }>(absence!);
    const slots = made.map((r) => value<{ id: string; startAt: number; endAt: number }>(r));
    // Every time overlapping 09:45–11:15 is blocked by the absence, whichever came first; the first stays open.
    const state = (id: string) =>
      api.ctx.db.prepare(`SELECT state, absence_id FROM slots WHERE id = ?`).get(id) as {
        state: string;
        absence_id: string | null;
      };
    for (const s of slots) {
      const hit = s.startAt < registered.endAt && s.endAt > registered.startAt;
      expect(state(s.id), `${new Date(s.startAt).toISOString()}`).toEqual(
        hit ? { state: 'blocked', absence_id: registered.id } : { state: 'open', absence_id: null },
      );
    }
    // Three desks try each of the times at once: only 09:00 can be booked, once.
    const results = await race(...desks.map((_, d) => slots.map((s) => book(s.id, patients[d]!))));
    expect(slots.map((_, i) => results.filter((r) => r[i]!.ok).length)).toEqual([1, 0, 0, 0]);
    for (const r of results.flatMap((x) => x.slice(1))) {
      expect(errorOf(r)).toMatchObject({ code: 'conflict', message: 'Tiden är spärrad.' });
    }
  }, 30_000);

  it('two schedulers lay out 20- and 30-minute templates over the same hours of one doctor: no two times overlap, nor two bookings', async () => {
    // Saturdays are free of Anna's templates; both desks want 09:00–11:00 on 2026-12-05.
    const template = (slotMin: number): ContentionCall => ({
      method: 'templates.create',
      input: {
        template: {
          resourceId: ANNA,
          name: `Lördag ${slotMin}`,
          weekdays: [6],
          validFrom: '2026-12-05',
          validTo: '2026-12-05',
          startTime: '09:00',
          endTime: '11:00',
          slotMin,
          appointmentTypeIds: [typeId('LAKVID')],
        },
      },
      roles: ['scheduler'],
    });
    const [[a], [b]] = await race([template(20)], [template(30)]);
    const created = [a!, b!].map((r) => value<{ expansion: { created: number; skippedOverlaps: number } }>(r).expansion);
    // One lays out its day; the other's slots all overlap it and are skipped, reported as such.
    expect(created.map((e) => e.created).sort()).toEqual([0, created[0]!.created + created[1]!.created].sort());
    expect(created.find((e) => e.created === 0)!.skippedOverlaps).toBeGreaterThan(0);
    // A hand-made 25-minute slot across two of them is refused as well.
    expect(
      await api.err('slots.create', {
        resourceId: ANNA,
        date: '2026-12-05',
        startTime: '09:10',
        endTime: '09:35',
        appointmentTypeIds: [typeId('LAKVID')],
        webPublished: false,
        withinCareGuarantee: false,
      }),
    ).toMatchObject({ code: 'conflict', message: 'Resursen har redan en tid som överlappar den nya.' });
    const live = api.ctx.db
      .prepare(
        `SELECT id, start_at, end_at FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at >= ? AND start_at < ? ORDER BY start_at`,
      )
      .all(ANNA, Date.parse('2026-12-05T00:00:00+01:00'), Date.parse('2026-12-06T00:00:00+01:00')) as {
      id: string;
      start_at: number;
      end_at: number;
    }[];
    expect(live.length).toBeGreaterThan(0);
    for (let i = 1; i < live.length; i++) expect(live[i]!.start_at).toBeGreaterThanOrEqual(live[i - 1]!.end_at);
    // Every desk books every time of the day at once, one patient per desk and time.
    const results = await race(...desks.map((_, d) => live.map((s, i) => book(s.id, patients[(d * 3 + i) % 8]!, 'LAKVID'))));
    live.forEach((s, i) => {
      expect(results.filter((r) => r[i]!.ok)).toHaveLength(1);
      expect(activeOn(s.id)).toBe(1);
    });
    expect(overlappingActive()).toBe(0);
  }, 30_000);
});

describe('two web shells and the CLI on one database file', () => {
  it('book the same times at once over HTTP and from the command line: one booking per time, the rest refused in Swedish', async () => {
    const book2 = demoApi();
    const types = await book2.ok('appointmentTypes.list', {});
    const lakbes = types.find((t) => t.code === 'LAKBES')!.id;
    const free = await book2.ok('slots.findFree', {
      appointmentTypeId: lakbes,
      resourceId: ANNA,
      from: '2026-12-01',
      to: '2026-12-01',
      limit: 3,
    });
    expect(free).toHaveLength(3);
    const people: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await book2.ok('patients.create', {
        identityNumber: makeIdentityNumber(`198${i}-11-2${i}`, 900 + i),
        givenName: 'Skal',
        familyName: `Samtidig ${i}`,
      });
      people.push(p.id);
    }
    const env = { TIDBOK_NOW: new Date(book2.ctx.now()).toISOString() };
    const shells = await Promise.all([startShell({ dbPath: book2.path, env }), startShell({ dbPath: book2.path, env })]);
    try {
      const call = async (shell: RunningShell, method: string, input: unknown): Promise<Result<unknown>> => {
        const res = await fetch(`${shell.origin}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${shell.token}` },
          body: JSON.stringify(input),
        });
        return (await res.json()) as Result<unknown>;
      };
      const before = {
        outbox: book2.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'booking'`),
        changes: book2.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change' AND entity = 'booking'`),
      };
      // The CLI takes a second to start: it joins the race late, on the first two times.
      const cli = free.slice(0, 2).map((s) =>
        spawnTidbok(['bookings', 'book', '--slot', s.slotId, '--patient', people[2]!, '--type', 'LAKBES', '--db', book2.path], {
          now: env.TIDBOK_NOW,
        }),
      );
      const viaHttp = await Promise.all(
        free.flatMap((s) =>
          shells.map((shell, i) =>
            call(shell, 'bookings.book', { slotId: s.slotId, patientId: people[i]!, appointmentTypeId: lakbes }),
          ),
        ),
      );
      const viaCli = await Promise.all(cli);
      free.forEach((s, i) => {
        const http = viaHttp.slice(2 * i, 2 * i + 2);
        const fromCli = viaCli[i];
        const wins = http.filter((r) => r.ok).length + (fromCli?.code === 0 ? 1 : 0);
        expect(wins).toBe(1);
        for (const r of http.filter((x) => !x.ok))
          expect(errorOf(r)).toMatchObject({ code: 'conflict', message: 'Tiden är redan bokad.' });
        if (fromCli && fromCli.code !== 0) {
          expect(fromCli.code).toBe(2);
          expect(fromCli.err).toContain('Tiden är redan bokad.');
        }
        expect(book2.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE}`, s.slotId)).toBe(1);
      });
      // Three bookings: three outbox rows and three audit events, none from the refusals.
      expect({
        outbox: book2.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'booking'`),
        changes: book2.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change' AND entity = 'booking'`),
      }).toEqual({ outbox: before.outbox + 3, changes: before.changes + 3 });
      expect(verifyAuditChain(book2.ctx)).toBeNull();
    } finally {
      await Promise.all(shells.map((s) => s.stop()));
      book2.ctx.db.close();
    }
  }, 120_000);
});

// Two desks in their own processes each run a random sequence of desk and scheduler actions on a
// small book, starting at the same instant, so their transactions truly interleave. Afterwards the
// book must hold the invariants and the accounting must add up: every booking a desk was told it
// made is there, each change left exactly its outbox rows and audit event, and nothing else.
describe('property: two desks in two processes, any interleaving', () => {
  const NOW = Date.parse('2026-03-23T09:00:00+01:00'); // the week of the spring clock change
  type Cmd =
    | { k: 'book'; slot: number; patient: number }
    | { k: 'cancel'; booking: number }
    | { k: 'rebook'; booking: number; slot: number }
    | { k: 'block' | 'unblock' | 'remove'; slot: number }
    | { k: 'extra'; resource: number; day: number; minute: number; len: number }
    | { k: 'template'; resource: number; slotMin: number; minute: number }
    | { k: 'retime'; template: number; slotMin: number; endTime: string };
  const cmd: fc.Arbitrary<Cmd> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ k: fc.constant('book' as const), slot: fc.nat(59), patient: fc.nat(3) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('cancel' as const), booking: fc.nat(5) }) },
    { weight: 4, arbitrary: fc.record({ k: fc.constant('rebook' as const), booking: fc.nat(5), slot: fc.nat(59) }) },
    {
      weight: 2,
      arbitrary: fc.record({ k: fc.constantFrom('block' as const, 'unblock' as const, 'remove' as const), slot: fc.nat(59) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        k: fc.constant('extra' as const),
        resource: fc.nat(1),
        day: fc.nat(4),
        minute: fc.integer({ min: 9 * 12, max: 11 * 12 }).map((m) => m * 5), // 09:00–11:00: across template slots too
        len: fc.integer({ min: 1, max: 12 }).map((m) => m * 5),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant('template' as const),
        resource: fc.nat(1),
        slotMin: fc.constantFrom(15, 20, 25, 30, 45),
        minute: fc.constantFrom(9 * 60 + 30, 10 * 60, 10 * 60 + 10),
      }),
    },
    {
      // A scheduler edits one of the book's templates: booked times stay behind it, and follow it
      // once cancelled or rebooked (removed, the day laid out anew) while the other desk books.
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant('retime' as const),
        template: fc.nat(2),
        slotMin: fc.constantFrom(15, 20, 30),
        endTime: fc.constantFrom('09:00', '10:00', '11:00'),
      }),
    },
  );

  async function smallBook() {
    const a = demoApi({ now: NOW, demo: false });
    const unitId = a.ctx.newId();
    a.ctx.db
      .prepare(`INSERT INTO units (id, hsa_id, name, updated_at) VALUES (?, 'SE2321000016-KAPP', 'Kapplöpning', 0)`)
      .run(unitId);
    const resources = [a.ctx.newId(), a.ctx.newId()];
    resources.forEach((id, i) =>
      a.ctx.db
        .prepare(
          `INSERT INTO resources (id, unit_id, kind, name, profession, sort_order, updated_at) VALUES (?, ?, 'clinician', ?, 'lakare', ?, 0)`,
        )
        .run(id, unitId, `Doktor ${i}`, i),
    );
    const type = await a.ok('appointmentTypes.create', {
      code: 'K',
      nameSv: 'Kort besök',
      nameEn: 'Short visit',
      durationMin: 5,
      contactModes: ['physical'],
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    // Doctor 0: 20-minute slots 08–10, and a 30-minute template over the same hours (its slots all overlap).
    const templates: string[] = [];
    for (const [r, slotMin] of [
      [0, 20],
      [0, 30],
      [1, 30],
    ] as const) {
      const made = await a.ok('templates.create', {
        template: {
          resourceId: resources[r]!,
          weekdays: [1, 2, 3, 4, 5],
          validFrom: '2026-03-24',
          startTime: '08:00',
          endTime: '10:00',
          slotMin,
          appointmentTypeIds: [type.id],
        },
        horizonWeeks: 1,
      });
      templates.push(made.template.id);
    }
    const patients: string[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await a.ok('patients.create', {
        identityNumber: makeIdentityNumber(`19${70 + i}-04-0${1 + i}`, 950 + i),
        givenName: 'Prop',
        familyName: `Desk ${i}`,
      });
      patients.push(p.id);
    }
    const slots = a.ctx.db.prepare(`SELECT id FROM slots WHERE state = 'open' ORDER BY start_at, id`).pluck().all() as string[];
    // Six bookings to cancel and rebook: doctor 0's first six times, one patient each at a time.
    const bookings: string[] = [];
    const first = a.ctx.db
      .prepare(`SELECT id FROM slots WHERE resource_id = ? ORDER BY start_at LIMIT 6`)
      .pluck()
      .all(resources[0]) as string[];
    for (const [i, slotId] of first.entries()) {
      bookings.push((await a.ok('bookings.book', { slotId, patientId: patients[i % 4]!, appointmentTypeId: type.id })).id);
    }
    return { a, resources, typeId: type.id, templates, patients, slots, bookings };
  }

  it('keeps one booking per slot and per resource time, the rebooking chains, and the accounting, whatever the order', async () => {
    let raced = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(cmd, { minLength: 4, maxLength: 14 }),
        fc.array(cmd, { minLength: 4, maxLength: 14 }),
        async (first, second) => {
          const small = await smallBook();
          const { a } = small;
          const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          const date = (day: number) => `2026-03-${24 + day}`;
          const toCall = (c: Cmd): ContentionCall => {
            const slotId = 'slot' in c ? small.slots[c.slot % small.slots.length]! : '';
            switch (c.k) {
              case 'book':
                return {
                  method: 'bookings.book',
                  input: { slotId, patientId: small.patients[c.patient]!, appointmentTypeId: small.typeId },
                };
              case 'cancel':
                return { method: 'bookings.cancel', input: { id: small.bookings[c.booking]! } };
              case 'rebook':
                return rebook(small.bookings[c.booking]!, slotId);
              case 'block':
                return { method: 'slots.block', input: { id: slotId, reason: 'Möte' }, roles: ['scheduler'] };
              case 'unblock':
              case 'remove':
                return { method: `slots.${c.k}`, input: { id: slotId }, roles: ['scheduler'] };
              case 'extra':
                return {
                  method: 'slots.create',
                  input: {
                    resourceId: small.resources[c.resource]!,
                    date: date(c.day),
                    startTime: hhmm(c.minute),
                    endTime: hhmm(c.minute + c.len),
                    appointmentTypeIds: [small.typeId],
                    webPublished: false,
                    withinCareGuarantee: false,
                  },
                  roles: ['scheduler'],
                };
              case 'template':
                return {
                  method: 'templates.create',
                  input: {
                    template: {
                      resourceId: small.resources[c.resource]!,
                      weekdays: [1, 2, 3, 4, 5],
                      validFrom: '2026-03-24',
                      startTime: hhmm(c.minute),
                      endTime: hhmm(c.minute + 90),
                      slotMin: c.slotMin,
                      appointmentTypeIds: [small.typeId],
                    },
                    horizonWeeks: 1,
                  },
                  roles: ['scheduler'],
                };
              case 'retime':
                return {
                  method: 'templates.update',
                  input: {
                    id: small.templates[c.template]!,
                    changes: { slotMin: c.slotMin, endTime: c.endTime },
                    horizonWeeks: 1,
                  },
                  roles: ['scheduler'],
                };
            }
          };
          const count = (sql: string) => a.count(sql);
          const before = {
            active: count(`SELECT count(*) AS n FROM bookings WHERE status IN ${ACTIVE}`),
            outbox: count(`SELECT count(*) AS n FROM outbox WHERE entity = 'booking'`),
            changes: count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change' AND entity = 'booking'`),
          };
          await Promise.all(desks.slice(0, 2).map((d) => d.send({ op: 'open', path: a.path, now: NOW })));
          const at = Date.now() + 150;
          const [r1, r2] = await Promise.all(
            [first, second].map((cmds, i) =>
              desks[i]!.send<{ results: Result<unknown>[] }>({ op: 'run', at, calls: cmds.map(toCall) }),
            ),
          );
          const done = [
            ...first.map((c, i) => [c, r1!.results[i]!] as const),
            ...second.map((c, i) => [c, r2!.results[i]!] as const),
          ];
          raced += done.filter(([c, r]) => r.ok && (c.k === 'book' || c.k === 'rebook')).length;
          // Every refusal is one the desk can read: a known code and a Swedish sentence, never `internal`.
          for (const [c, r] of done) {
            if (!r.ok) {
              expect(['conflict', 'validation', 'not_found', 'unavailable'], JSON.stringify([c, r])).toContain(r.error.code);
              expect(r.error.message).toMatch(/[a-zåäö].*\.$/);
            }
          }
          const ok = (k: Cmd['k']) => done.filter(([c, r]) => c.k === k && r.ok).length;
          // The accounting: rebookings keep the number of active bookings, cancellations lower it.
          expect(count(`SELECT count(*) AS n FROM bookings WHERE status IN ${ACTIVE}`)).toBe(
            before.active + ok('book') - ok('cancel'),
          );
          expect(count(`SELECT count(*) AS n FROM outbox WHERE entity = 'booking'`)).toBe(
            before.outbox + ok('book') + ok('cancel') + 2 * ok('rebook'),
          );
          expect(count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change' AND entity = 'booking'`)).toBe(
            before.changes + ok('book') + ok('cancel') + ok('rebook'),
          );
          expect(
            count(
              `SELECT count(*) AS n FROM (SELECT slot_id FROM bookings WHERE status IN ${ACTIVE} GROUP BY slot_id HAVING count(*) > 1)`,
            ),
          ).toBe(0);
          expect(
            count(
              `SELECT count(*) AS n FROM bookings a JOIN slots sa ON sa.id = a.slot_id, bookings b JOIN slots sb ON sb.id = b.slot_id
                WHERE a.id < b.id AND a.status IN ${ACTIVE} AND b.status IN ${ACTIVE}
                  AND sa.resource_id = sb.resource_id AND sa.start_at < sb.end_at AND sb.start_at < sa.end_at`,
            ),
          ).toBe(0);
          expect(
            count(
              `SELECT count(*) AS n FROM slots x JOIN slots y ON y.resource_id = x.resource_id AND y.id <> x.id
                  AND y.start_at >= x.start_at AND y.start_at < x.end_at
                WHERE x.state <> 'removed' AND y.state <> 'removed'`,
            ),
          ).toBe(0);
          // Each rebooked booking has one successor, same patient and type, pointing back; none is lost.
          expect(
            count(
              `SELECT count(*) AS n FROM bookings o WHERE o.status = 'rebooked' AND 1 <> (SELECT count(*) FROM bookings n
                 WHERE n.id = o.rebooked_to AND n.rebooked_from = o.id AND n.patient_id = o.patient_id
                   AND n.appointment_type_id = o.appointment_type_id)`,
            ),
          ).toBe(0);
          expect(count(`SELECT count(*) AS n FROM bookings WHERE rebooked_from IS NOT NULL`)).toBe(
            count(`SELECT count(*) AS n FROM bookings WHERE status = 'rebooked'`),
          );
          expect(
            count(
              `SELECT count(*) AS n FROM slots s WHERE s.booked IS NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ${ACTIVE})`,
            ),
          ).toBe(0);
          expect(verifyAuditChain(a.ctx)).toBeNull();
          a.ctx.db.close();
        },
      ),
      { numRuns: 8 },
    );
    // The sequences did real work, not only refusals.
    expect(raced).toBeGreaterThan(8);
  }, 120_000);
});

describe('the command line on a booking that can no longer change', () => {
  // What a second desk (or a script) meets after the first one won: the same refusals through
  // `tidbok bookings cancel|rebook`, exit code 2, nothing written.
  it.each([
    ['cancelled', 'Bokningen är avbokad och kan inte ändras.'],
    ['rebooked', 'Bokningen är redan ombokad och kan inte ändras.'],
    ['completed', 'Besöket är avslutat och kan inte ändras.'],
    ['no_show', 'Besöket är markerat som uteblivet och kan inte ändras.'],
  ] as const)('a booking %s: cancel and rebook both refuse it, saying why', async (status, message) => {
    const cli = demoApi();
    const lakbes = (await cli.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!.id;
    // This morning's demo visit, begun (a visit is marked on its day).
    const id = cli.ctx.db
      .prepare(
        `SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
          WHERE b.status = 'booked' AND b.appointment_type_id = ? AND s.start_at < ? AND s.start_at > ? ORDER BY s.start_at LIMIT 1`,
      )
      .pluck()
      .get(lakbes, cli.ctx.now(), cli.ctx.now() - 4 * 3_600_000) as string;
    const [target, other] = await cli.ok('slots.findFree', { appointmentTypeId: lakbes, from: '2026-12-01', limit: 2 });
    const override = { reason: 'Patienten ringde' };
    if (status === 'cancelled') await cli.ok('bookings.cancel', { id, override });
    else if (status === 'rebooked') await cli.ok('bookings.rebook', { id, slotId: target!.slotId, override });
    else await cli.ok('bookings.mark', { id, status });
    const written = () =>
      cli.count(
        `SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM bookings)
              + (SELECT count(*) FROM audit_events WHERE action = 'change') AS n`,
      );
    const before = written();
    const now = new Date(cli.ctx.now()).toISOString();
    const db = ['--db', cli.path];
    for (const args of [
      ['bookings', 'cancel', id, '--override', 'Patienten ringde'],
      ['bookings', 'rebook', id, '--slot', other!.slotId, '--override', 'Patienten ringde'],
    ]) {
      expect(await runTidbok([...args, ...db], now)).toEqual({ code: 2, out: '', err: `tidbok: ${message}\n` });
    }
    expect(written()).toBe(before);
    cli.ctx.db.close();
  });
});
