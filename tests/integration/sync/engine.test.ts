// The running engine: a web booking reaches the open calendar as a change event while online;
// with the network down the desk goes on (offline, changes waiting) and catches up by itself
// when the network returns. And `tidbok sync --once` exit codes and summary line.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook } from '../../../src-main/demo/central/web-patient.ts';
import { bookSlot } from '../../../src-main/services/bookings.ts';
import { deskBookingStatus } from '../../../src-main/services/sync-claims.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { backoffMs } from '../../../src-main/sync/local.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import {
  api,
  configureCentral,
  desk,
  localActive,
  openLocal,
  patientNumber,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
} from './helpers.ts';

let central: Central;
let proxy: FaultProxy;
let ctx: ServiceContext;
let unit: SmallUnit;
let dir: string;

beforeEach(async () => {
  central = await startCentral({});
  proxy = await startFaultProxy(central.url, { timeoutMs: 500 });
  dir = tempDir();
  ctx = openLocal(dir, 'desk');
  unit = seedSmallUnit(ctx);
  configureCentral(ctx, central.url);
});

afterEach(async () => {
  ctx.db.close();
  await proxy.close();
  await central.close();
});

describe('sync engine', () => {
  it('delivers a web booking to the open calendar as a change event', async () => {
    const engine = new SyncEngine(ctx, api(central.url), { idleMaxMs: 1000 });
    engine.start();
    // A settle beside the running loop (as demo mode does) must not end the loop.
    await engine.settle();
    try {
      await vi.waitFor(() => expect(engine.status()).toMatchObject({ mode: 'online', pending: 0 }), {
        timeout: 10_000,
        interval: 100,
      });
      const seen: string[] = [];
      ctx.events.subscribe((e) => seen.push(...e.ids));
      const slot = (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, unit.slotIds[2]!))!;
      await webBook(api(central.url), slot, 'LAKBES', {
        identityNumber: patientNumber(50),
        givenName: 'Webb',
        familyName: 'Snabb',
      });
      await vi.waitFor(() => expect(localActive(ctx).get(unit.slotIds[2]!)?.channel).toBe('web'), {
        timeout: 10_000,
        interval: 50,
      });
      expect(seen).toContain(localActive(ctx).get(unit.slotIds[2]!)!.id);
    } finally {
      await engine.stop();
    }
  });

  it('works offline, shows changes waiting, and catches up when the network returns', async () => {
    proxy.setChooser(() => 'drop');
    const engine = new SyncEngine(ctx, api(proxy.url, null, 500), { backoffMaxMs: 200, idleMaxMs: 300 });
    engine.start();
    try {
      await vi.waitFor(() => expect(engine.status().mode).toBe('offline'), { timeout: 10_000, interval: 50 });
      const b = bookSlot(ctx, desk, {
        slotId: unit.slotIds[0]!,
        patientId: unit.patientIds[0]!,
        appointmentTypeId: unit.typeIds.lakbes,
        channel: 'desk',
        note: '',
        status: deskBookingStatus(ctx),
      });
      expect(b.status).toBe('preliminary');
      expect(engine.status().pending).toBeGreaterThan(0);
      proxy.setChooser(() => 'none');
      await vi.waitFor(() => expect(engine.status()).toMatchObject({ mode: 'online', pending: 0 }), {
        timeout: 15_000,
        interval: 50,
      });
      expect(localActive(ctx).get(unit.slotIds[0]!)?.status).toBe('booked');
    } finally {
      await engine.stop();
    }
  });

  it('stays online when another process holds the database, says so, and syncs once it is free', async () => {
    const engine = new SyncEngine(ctx, api(central.url));
    expect((await engine.runOnce()).error).toBeNull();
    // A second connection to the same file takes the write lock (as a CLI laying out slots would).
    const other = openDatabase(join(dir, 'desk.db'));
    ctx.db.pragma('busy_timeout = 50');
    bookSlot(ctx, desk, {
      slotId: unit.slotIds[3]!,
      patientId: unit.patientIds[0]!,
      appointmentTypeId: unit.typeIds.lakbes,
      channel: 'desk',
      note: '',
      status: deskBookingStatus(ctx),
    });
    other.exec('BEGIN IMMEDIATE');
    try {
      const busy = await engine.runOnce();
      expect(busy.error?.message).toMatch(/^Databasen är upptagen/);
      expect(engine.status()).toMatchObject({ mode: 'online', lastError: busy.error!.message });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const after = await engine.runOnce();
    expect(after.error).toBeNull();
    expect(after.pushed).toBeGreaterThan(0); // the booking made while the database was held
    expect(engine.status()).toMatchObject({ mode: 'online', lastError: null, pending: 0 });
  });

  it('backs off exponentially, with jitter', () => {
    const lo = [1, 2, 3, 4].map((n) => backoffMs(n, () => 0));
    const hi = [1, 2, 3, 4].map((n) => backoffMs(n, () => 1));
    expect(lo).toEqual([1000, 2000, 4000, 8000]);
    expect(hi).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffMs(30, () => 1)).toBe(5 * 60_000);
  });
});

const ROOT = resolve(import.meta.dirname, '../../..');
function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => done({ code, out }));
  });
}

describe('tidbok sync --once', () => {
  it('exits 0 with a summary, 3 with conflicts in the inbox, 1 when central cannot be reached', async () => {
    ctx.db
      .prepare(`INSERT INTO conflicts (id, entity, entity_id, kind, created_at) VALUES ('c1', 'booking', 'x', 'slot_taken', 0)`)
      .run();
    const other = openLocal(dir, 'clean');
    seedSmallUnit(other);
    other.db.close();
    const [ok, withConflicts, down] = await Promise.all([
      cli(['sync', '--central', central.url, '--once', '--db', join(dir, 'clean.db')]),
      cli(['sync', '--central', central.url, '--once', '--db', join(dir, 'desk.db')]),
      cli(['sync', '--central', 'http://127.0.0.1:9/fhir/R4', '--once', '--db', join(dir, 'desk.db')]),
    ]);
    expect(ok.out).toMatch(/sync: pushed \d+, pulled \d+, conflicts 0, failed 0, waiting 0/);
    expect(ok.code).toBe(0);
    expect(withConflicts.code).toBe(3);
    expect(down.code).toBe(1);
    expect(down.out).toMatch(/sync: pushed 0/);
  }, 60_000);
});
