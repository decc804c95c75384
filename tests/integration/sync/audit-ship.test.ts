// The access log at central: every row goes to the real stand-in FHIR server as an AuditEvent
// carrying all that its hash covers; a retry after a lost answer duplicates nothing; a desk log
// rewritten whole (a fresh chain that passes the local check) differs from central's copy and
// central refuses the rewritten rows; a refused shipment never holds up the bookings.
import { basename, dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { auditChainId, auditHash, recordAudit, verifyAuditChain, type AuditRow } from '../../../src-main/services/audit.ts';
import { backupTo, restoreFrom } from '../../../src-main/services/backup.ts';
import { bookSlot } from '../../../src-main/services/bookings.ts';
import { deskBookingStatus } from '../../../src-main/services/sync-claims.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { CentralError } from '../../../src-main/sync/central-api.ts';
import {
  AUDIT_SHIPPED_FEED,
  auditRowOf,
  shipAuditLog,
  unshippedAuditRows,
  verifyAuditAtCentral,
} from '../../../src-main/sync/audit-ship.ts';
import { writeCursor } from '../../../src-main/sync/local.ts';
import { rewriteAuditLog } from '../../helpers/audit-tamper.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { api, configureCentral, desk, openLocal, seedSmallUnit, tempDir, type SmallUnit } from './helpers.ts';

let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;

beforeEach(async () => {
  central = await startCentral({});
  ctx = openLocal(tempDir(), 'desk');
  unit = seedSmallUnit(ctx);
  configureCentral(ctx, central.url);
});

afterEach(async () => {
  ctx.db.close();
  await central.close();
});

const staff = { ...desk, userId: 'user-karin' };
const localRows = () => ctx.db.prepare(`SELECT * FROM audit_events ORDER BY seq`).all() as AuditRow[];

async function centralRows(): Promise<AuditRow[]> {
  const events = await api(central.url).searchAll<AuditEvent>('AuditEvent', { site: auditChainId(ctx)!, _count: '1000' });
  return events.map((e) => auditRowOf(e)!).sort((a, b) => a.seq - b.seq);
}

function book(i: number) {
  return bookSlot(ctx, staff, {
    slotId: unit.slotIds[i]!,
    patientId: unit.patientIds[i % unit.patientIds.length]!,
    appointmentTypeId: unit.typeIds.lakbes,
    channel: 'desk',
    note: '',
    status: deskBookingStatus(ctx),
  });
}

/** Someone with the file changes the log and rehashes it (tests/helpers/audit-tamper.ts). */
const rewriteLocalLog = (change: (rows: AuditRow[]) => AuditRow[]) => rewriteAuditLog(ctx.db, change);

describe('the access log at central', () => {
  it('sends every row once, as an AuditEvent central can check on its own', async () => {
    book(0);
    book(1);
    recordAudit(ctx, staff, { action: 'read', patientId: unit.patientIds[2]!, entity: 'patient', entityId: unit.patientIds[2]! });
    const local = localRows();
    expect(local.length).toBeGreaterThanOrEqual(3);

    expect(await shipAuditLog(ctx, api(central.url))).toBe(local.length);
    expect(unshippedAuditRows(ctx)).toBe(0);
    const copy = await centralRows();
    expect(copy).toEqual(local);
    for (const r of copy) expect(auditHash(r)).toBe(r.hash);
    // The agent is the user at her workstation; the action is FHIR's read.
    const events = await api(central.url).searchAll<AuditEvent>('AuditEvent', { site: auditChainId(ctx)!, _count: '1000' });
    const read = events.find((e) => e.subtype?.[0]?.code === 'read')!;
    expect(read.action).toBe('R');
    expect(read.agent[0]!.who?.identifier?.value).toBe('user-karin');
    expect(read.agent[0]!.network?.address).toBe('kassa-1');

    // Nothing new: nothing sent. A new row: only it.
    expect(await shipAuditLog(ctx, api(central.url))).toBe(0);
    recordAudit(ctx, staff, { action: 'print', entity: 'day_list' });
    expect(await shipAuditLog(ctx, api(central.url))).toBe(1);
    expect(await verifyAuditAtCentral(ctx, api(central.url))).toEqual({ upTo: localRows().at(-1)!.seq, problem: null });
  });

  it('a retry after a lost answer sends the rows again and duplicates nothing', async () => {
    book(0);
    const sent = await shipAuditLog(ctx, api(central.url));
    writeCursor(ctx, AUDIT_SHIPPED_FEED, '0'); // the answer never came: the desk does not know central has them
    expect(await shipAuditLog(ctx, api(central.url))).toBe(sent);
    expect(await centralRows()).toHaveLength(sent);
  });

  it('drains a backlog a few batches per cycle', async () => {
    ctx.db.transaction(() => {
      for (let i = 0; i < 1203; i++) recordAudit(ctx, staff, { action: 'read', entity: 'bench' });
    })();
    const total = localRows().length;
    expect(await shipAuditLog(ctx, api(central.url), { batch: 500, maxBatches: 2 })).toBe(1000);
    expect(unshippedAuditRows(ctx)).toBe(total - 1000);
    expect(await shipAuditLog(ctx, api(central.url), { batch: 500, maxBatches: 2 })).toBe(total - 1000);
    expect(unshippedAuditRows(ctx)).toBe(0);
  });

  it('finds a desk log rewritten whole, which the local check alone cannot', async () => {
    book(0);
    book(1);
    await shipAuditLog(ctx, api(central.url));
    const victim = localRows()[1]!;
    rewriteLocalLog((rows) => rows.map((r) => (r.seq === victim.seq ? { ...r, user_id: 'someone-else' } : r)));
    expect(verifyAuditChain(ctx)).toBeNull(); // a fresh chain: locally intact
    expect(await verifyAuditAtCentral(ctx, api(central.url))).toMatchObject({
      problem: { seq: victim.seq, reason: 'raden skiljer sig från centralens kopia (ändrad eller ersatt)' },
    });
    // Sending the rewritten rows again is refused: central's copy stays as it was.
    writeCursor(ctx, AUDIT_SHIPPED_FEED, '0');
    const refused = await shipAuditLog(ctx, api(central.url)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CentralError);
    expect((refused as CentralError).status).toBe(409);
    expect((await centralRows()).find((r) => r.seq === victim.seq)!.user_id).toBe('user-karin');
  });

  it('finds rows deleted from the end of the desk log', async () => {
    book(0);
    book(1);
    book(2);
    await shipAuditLog(ctx, api(central.url));
    const rows = localRows();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    rewriteLocalLog((all) => all.slice(0, -2));
    expect(verifyAuditChain(ctx)).toBeNull();
    expect(await verifyAuditAtCentral(ctx, api(central.url))).toMatchObject({
      problem: { seq: rows.at(-2)!.seq, reason: 'raden finns på centralen men saknas här (raderad)' },
    });
  });

  it('a restored backup goes on as a new chain; central keeps the rows the restore lost under the old one', async () => {
    book(0);
    await shipAuditLog(ctx, api(central.url));
    const path = ctx.db.name;
    const backup = `${path}.bak`;
    await backupTo(ctx.db, backup);
    book(1); // rows after the backup: central gets them, the restore loses them
    await shipAuditLog(ctx, api(central.url));
    const oldChain = auditChainId(ctx)!;
    const beforeRestore = (await centralRows()).length;
    ctx.db.close();
    restoreFrom(path, backup, Date.now());
    ctx = openLocal(dirname(path), basename(path, '.db'));
    expect(auditChainId(ctx)).toBeNull();
    recordAudit(ctx, staff, { action: 'read', patientId: unit.patientIds[0]!, entity: 'patient' });
    await shipAuditLog(ctx, api(central.url));
    expect(auditChainId(ctx)).not.toBe(oldChain);
    expect(await verifyAuditAtCentral(ctx, api(central.url))).toMatchObject({ problem: null });
    const old = await api(central.url).searchAll<AuditEvent>('AuditEvent', { site: oldChain, _count: '1000' });
    expect(old).toHaveLength(beforeRestore);
  });

  it('`tidbok audit verify --central` says whether the copy matches, and exits 1 when it does not', async () => {
    book(0);
    book(1);
    await shipAuditLog(ctx, api(central.url));
    // The command sets process.exitCode (in this process: read it and put it back).
    const verify = async () => {
      const r = await runTidbok(['audit', 'verify', '--central', '--db', ctx.db.name]);
      const code = process.exitCode ?? r.code;
      process.exitCode = undefined;
      return { ...r, code };
    };
    const ok = await verify();
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(
      /^Åtkomstloggen är obruten: \d+ händelser\.\nKopian hos den centrala tidboken stämmer till och med rad \d+ \(0 händelser ännu inte skickade\)\.\n$/,
    );
    rewriteLocalLog((rows) => rows.map((r, i) => (i === 0 ? { ...r, at: r.at - 60_000 } : r)));
    const differs = await verify();
    expect(differs.code).toBe(1);
    expect(differs.err).toBe(
      'tidbok: Åtkomstloggen skiljer sig från kopian hos den centrala tidboken vid rad 1: raden skiljer sig från centralens kopia (ändrad eller ersatt).\n',
    );
  });

  it('the engine sends the log after the bookings, and a refusal never stops the bookings', async () => {
    const engine = new SyncEngine(ctx, api(central.url));
    book(0);
    expect((await engine.runOnce()).error).toBeNull();
    expect(engine.status()).toMatchObject({ mode: 'online', pending: 0, auditUnsent: 0, auditError: null });
    const shipped = (await centralRows()).length;
    expect(shipped).toBe(localRows().length);

    // The desk's log is rewritten: central refuses it, the Sync page says so, bookings still flow.
    rewriteLocalLog((rows) => rows.map((r, i) => (i === 0 ? { ...r, workstation: 'elsewhere' } : r)));
    writeCursor(ctx, AUDIT_SHIPPED_FEED, '0');
    book(1);
    const cycle = await engine.runOnce();
    expect(cycle.error).toBeNull();
    expect(cycle.pushed).toBeGreaterThan(0);
    const status = engine.status();
    expect(status).toMatchObject({ mode: 'online', pending: 0 });
    expect(status.auditError).toMatch(/central refused access-log row 1 .*409/);
    expect(status.auditUnsent).toBeGreaterThan(0);
  });
});
