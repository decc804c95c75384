// The same gap as an IT admin meets it at the command line: a patient corrected at desk A
// (personnummer for a reserve number, a new phone) is what `tidbok patients search` shows on desk
// B's database after `tidbok sync --once` there (the real stand-in central over HTTP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { createPatient, updatePatient } from '../../../src-main/services/patients.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { bookSlot } from '../../../src-main/services/bookings.ts';
import { deskBookingStatus } from '../../../src-main/services/sync-claims.ts';
import { api, configureCentral, desk, deskCopiedFrom, openLocal, patientNumber, seedSmallUnit, tempDir } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
// Asynchronous: the central answering the command runs in this process.
async function tidbok(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

let central: Central;
let a: ServiceContext;
let dir: string;

beforeAll(async () => {
  central = await startCentral({});
  dir = tempDir();
  a = openLocal(dir, 'a');
  const unit = seedSmallUnit(a, { slots: 2, patients: 1 });
  configureCentral(a, central.url);
  const reserve = createPatient(a, desk, {
    identityNumber: 'RES-20261122-99',
    reserve: true,
    givenName: 'Okänd',
    familyName: 'Man',
  });
  bookSlot(a, desk, {
    slotId: unit.slotIds[0]!,
    patientId: reserve.id,
    appointmentTypeId: unit.typeIds.lakbes,
    channel: 'desk',
    note: '',
    status: deskBookingStatus(a),
  });
  expect((await new SyncEngine(a, api(central.url)).settle()).error).toBeNull();
  deskCopiedFrom(a, dir, 'b').db.close();
  updatePatient(a, desk, { id: reserve.id, identityNumber: patientNumber(43), givenName: 'Olle', phone: '070-777 88 99' });
  expect((await new SyncEngine(a, api(central.url)).settle()).error).toBeNull();
});

afterAll(async () => {
  a.db.close();
  await central.close();
});

describe('tidbok sync brings another desk’s patient edit', () => {
  it('desk B finds the patient by her new personnummer, with the new name and phone, after one sync', async () => {
    const db = join(dir, 'b.db');
    const sync = await tidbok('sync', '--once', '--db', db);
    expect(sync).toMatchObject({ code: 0 });
    expect(sync.out).toMatch(/^sync: pushed \d+, pulled [1-9]\d*, conflicts 0, failed 0, waiting 0/);
    const found = await tidbok('patients', 'search', patientNumber(43), '--db', db, '--json');
    expect(found.code).toBe(0);
    const hits = JSON.parse(found.out) as { givenName: string; familyName: string; phone: string; identityKind: string }[];
    expect(hits).toEqual([
      expect.objectContaining({ givenName: 'Olle', familyName: 'Man', phone: '070-777 88 99', identityKind: 'personnummer' }),
    ]);
    const old = await tidbok('patients', 'search', 'RES-20261122-99', '--db', db);
    expect(old.out).toBe('Inga patienter hittades.\n');
  });
});
