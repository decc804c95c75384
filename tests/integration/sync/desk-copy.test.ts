// A unit's further desk, made with `tidbok desk copy` (the real CLI, in this process) from the first
// desk's database after its first sync, is a desk of its own at the real stand-in central: its own
// access-log chain (starting after the copied rows), its own Subscriptions, no sessions and no
// unsent changes of the first desk. A file copied by hand is the first desk twice: that is shown
// here too, and a hand copy opened elsewhere is flagged on the Sync page's status (nothing reset)
// until an admin says "same desk, moved". A restored backup ships on without a refusal.
import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent, Subscription } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { SyncStatusView } from '../../../src-main/api/methods/sync.ts';
import { openRuntime } from '../../../src-main/runtime.ts';
import { auditChainId, auditChainStart, recordAudit, verifyAuditChain, type AuditRow } from '../../../src-main/services/audit.ts';
import { createFirstAdmin, resolveSession, signIn } from '../../../src-main/services/auth.ts';
import { backupTo, restoreFrom } from '../../../src-main/services/backup.ts';
import { bookSlot } from '../../../src-main/services/bookings.ts';
import type { Caller, ServiceContext } from '../../../src-main/services/context.ts';
import { deskMoved, SUBSCRIBER_ID_KEY } from '../../../src-main/services/desk-identity.ts';
import { deskBookingStatus } from '../../../src-main/services/sync-claims.ts';
import { auditRowOf, shipAuditLog, unshippedAuditRows, verifyAuditAtCentral } from '../../../src-main/sync/audit-ship.ts';
import { readCursor } from '../../../src-main/sync/local.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ensureSubscriptions, subscriptionCriteria, SUBSCRIPTION_TAG_SYSTEM } from '../../../src-main/sync/notifications.ts';
import { FEEDS } from '../../../src-main/sync/pull.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import {
  api,
  configureCentral,
  desk,
  deskPlainCopyFrom,
  localActive,
  openLocal,
  pendingOutbox,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
} from './helpers.ts';

const PASSWORD = 'korrekt-häst-batteri';
let central: Central;
let dir: string;
let a: ServiceContext;
let unit: SmallUnit;
let token: string;
const open: ServiceContext[] = [];

beforeEach(async () => {
  central = await startCentral({});
  dir = tempDir();
  a = openLocal(dir, 'a');
  open.push(a);
  unit = seedSmallUnit(a, { slots: 8 });
  configureCentral(a, central.url);
  createFirstAdmin(a, 'kassa-1', { username: 'karin', displayName: 'Karin Admin', password: PASSWORD });
  token = (await signIn(a, { username: 'karin', password: PASSWORD, workstation: 'kassa-1' })).token;
  // The first desk's first sync (bookings and its log at central) and, as a running desk, its Subscriptions.
  expect((await sync(a)).error).toBeNull();
  await ensureSubscriptions(a, api(central.url), subscriptionCriteria(a));
  // A booking made since, not sent yet: the first desk's to send.
  book(a, 0);
});

afterEach(async () => {
  for (const c of open.splice(0)) if (c.db.open) c.db.close();
  await central.close();
});

const sync = (c: ServiceContext) => new SyncEngine(c, api(central.url), { notifications: false }).settle();

function book(c: ServiceContext, slot: number) {
  return bookSlot(c, desk, {
    slotId: unit.slotIds[slot]!,
    patientId: unit.patientIds[slot % unit.patientIds.length]!,
    appointmentTypeId: unit.typeIds.lakbes,
    channel: 'desk',
    note: '',
    status: deskBookingStatus(c),
  });
}

/** `tidbok desk copy --from a.db --db <name>.db`, then the new desk opened as it starts. */
async function deskCopy(name: string): Promise<{ ctx: ServiceContext; out: string }> {
  const r = await runTidbok(['desk', 'copy', '--from', a.db.name, '--db', join(dir, `${name}.db`)]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const ctx = openLocal(dir, name);
  open.push(ctx);
  return { ctx, out: r.out };
}

const rows = (c: ServiceContext) => c.db.prepare(`SELECT * FROM audit_events ORDER BY seq`).all() as AuditRow[];
const lastSeq = (c: ServiceContext) => rows(c).at(-1)!.seq;

async function centralChain(chain: string): Promise<AuditRow[]> {
  const events = await api(central.url).searchAll<AuditEvent>('AuditEvent', { site: chain, _count: '1000' });
  return events.map((e) => auditRowOf(e)!).sort((x, y) => x.seq - y.seq);
}

async function subscriptionsOf(c: ServiceContext): Promise<Subscription[]> {
  const id = readCursor(c, SUBSCRIBER_ID_KEY);
  return api(central.url).searchAll<Subscription>('Subscription', { _tag: `${SUBSCRIPTION_TAG_SYSTEM}|${id}`, _count: '100' });
}

describe('tidbok desk copy', () => {
  it("gives the copy its own chain, after the copied rows, and none of the first desk's sessions or unsent changes", async () => {
    const waiting = pendingOutbox(a);
    expect(waiting).toBeGreaterThan(0);
    const copiedRows = lastSeq(a);
    const aChain = auditChainId(a)!;
    expect(aChain).not.toBeNull();

    // An open conflict of the first desk's (its offline booking lost the time): its to resolve.
    a.db
      .prepare(
        `INSERT INTO conflicts (id, entity, entity_id, kind, created_at) VALUES ('konflikt-1', 'booking', 'b-1', 'slot_taken', ?)`,
      )
      .run(a.now());
    const openConflicts = (c: ServiceContext) =>
      c.db.prepare(`SELECT count(*) FROM conflicts WHERE resolved_at IS NULL`).pluck().get();

    const { ctx: b, out } = await deskCopy('b');
    expect(openConflicts(b)).toBe(0);
    expect(openConflicts(a)).toBe(1);
    expect(out).toContain('1 öppna konflikter lämnas åt kassan den kopierades från.');
    expect(out).toContain(`Ny kassa skapad: ${join(realpathSync(dir), 'b.db')}`);
    expect(out).toContain(`egen kedja från rad ${copiedRows + 1}; rad 1–${copiedRows} skickas`);
    expect(out).toContain(`${waiting} ändringar som ännu inte var skickade lämnas åt kassan den kopierades från`);
    expect(out).toContain('1 inloggningar från den kassan gäller inte här');

    // Nothing to send of the first desk's; its sessions open nothing here (they still do there).
    expect(pendingOutbox(b)).toBe(0);
    expect(pendingOutbox(a)).toBe(waiting);
    expect(b.db.prepare(`SELECT count(*) FROM sessions`).pluck().get()).toBe(0);
    expect(resolveSession(b, token)).toEqual({ state: 'none' });
    expect(resolveSession(a, token).state).toBe('active');
    // Its own chain, after the copied rows; one unbroken chain locally; no subscriber id yet.
    expect(auditChainId(b)).not.toBeNull();
    expect(auditChainId(b)).not.toBe(aChain);
    expect(auditChainStart(b)).toBe(copiedRows);
    expect(verifyAuditChain(b)).toBeNull();
    expect(readCursor(b, SUBSCRIBER_ID_KEY)).toBeNull();
    expect(readCursor(a, SUBSCRIBER_ID_KEY)).not.toBeNull();
    // The copy says where it came from, as the first row of its own chain.
    const made = rows(b).at(-1)!;
    expect(made.seq).toBe(copiedRows + 1);
    expect(JSON.parse(made.detail)).toMatchObject({
      op: 'desk.copy',
      copiedChain: aChain,
      copiedFrom: { path: realpathSync(a.db.name) },
      outboxLeft: waiting,
      sessionsEnded: 1,
    });
    expect(unshippedAuditRows(b)).toBe(1);

    // The first desk sends its change; the copy gets it from central, as any other desk's.
    expect((await sync(a)).error).toBeNull();
    expect((await sync(b)).error).toBeNull();
    expect(localActive(b).get(unit.slotIds[0]!)?.status).toBe('booked');

    // Never over an existing desk.
    const again = await runTidbok(['desk', 'copy', '--from', a.db.name, '--db', b.db.name]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('finns redan');
  });

  it('both desks ship their logs and both checks at central hold; a hand copy mixes two desks under one chain', async () => {
    const { ctx: b } = await deskCopy('b');
    const start = auditChainStart(b);
    book(b, 1);
    book(a, 2);
    for (const c of [a, b, a, b]) expect((await sync(c)).error).toBeNull();

    for (const c of [a, b]) {
      expect(await verifyAuditAtCentral(c, api(central.url))).toEqual({ upTo: lastSeq(c), problem: null });
      expect(unshippedAuditRows(c)).toBe(0);
    }
    // Each chain at central holds exactly its desk's rows: all of A's; B's from after the copy.
    expect(await centralChain(auditChainId(a)!)).toEqual(rows(a));
    expect(await centralChain(auditChainId(b)!)).toEqual(rows(b).filter((r) => r.seq > start));

    // `tidbok audit verify --central` on the copy: its own chain matches, and says where it starts.
    const verified = await runTidbok(['audit', 'verify', '--central', '--db', b.db.name]);
    const exitCode = process.exitCode ?? verified.code;
    process.exitCode = undefined;
    expect(exitCode).toBe(0);
    expect(verified.out).toContain(`stämmer till och med rad ${lastSeq(b)} (0 händelser ännu inte skickade)`);
    expect(verified.out).toContain(`Kassans egen kedja börjar efter rad ${start};`);

    // The same first desk copied by hand: one chain id for two desks' rows, and the checks fail.
    const c = deskPlainCopyFrom(a, dir, 'c');
    open.push(c);
    expect(auditChainId(c)).toBe(auditChainId(a));
    book(c, 3);
    expect((await sync(c)).error).toBeNull();
    // C shipped last: A finds C's rows in its chain. Then A ships: C finds A's.
    expect(await verifyAuditAtCentral(a, api(central.url))).toMatchObject({ problem: { seq: lastSeq(a) + 1 } });
    book(a, 4);
    expect((await sync(a)).error).toBeNull();
    expect((await verifyAuditAtCentral(c, api(central.url))).problem).not.toBeNull();
    const mixed = await centralChain(auditChainId(a)!);
    expect(new Set(mixed.map((r) => r.seq)).size).toBeLessThan(mixed.length); // two desks' rows under one seq
  });

  it('says so when the desk copied had not synced yet', async () => {
    const fresh = openLocal(dir, 'fresh');
    open.push(fresh);
    seedSmallUnit(fresh);
    const r = await runTidbok(['desk', 'copy', '--from', fresh.db.name, '--db', join(dir, 'fresh-copy.db')]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      'tidbok: OBS: kassan som kopierades har ännu inte synkat med någon central tidbok; gör nästa kopia efter dess första synk.\n',
    );
    expect(r.out).toContain('Åtkomstloggen går vidare i en egen kedja.\n0 ändringar');
  });

  it("keeps its own Subscriptions: neither desk rewrites the other's", async () => {
    const { ctx: b } = await deskCopy('b');
    const aSubs = await subscriptionsOf(a);
    expect(aSubs).toHaveLength(FEEDS.length);
    // B's criteria differ from A's for a while (B has synced a new clinician, A not yet).
    const wantedB = subscriptionCriteria(b);
    wantedB.set('Slot', `${wantedB.get('Slot')!},Schedule/ny-kliniker`);
    await ensureSubscriptions(b, api(central.url), wantedB);

    const aId = readCursor(a, SUBSCRIBER_ID_KEY);
    const bId = readCursor(b, SUBSCRIBER_ID_KEY);
    expect(bId).not.toBeNull();
    expect(bId).not.toBe(aId);
    const bSubs = await subscriptionsOf(b);
    expect(bSubs).toHaveLength(FEEDS.length);
    expect(bSubs.find((s) => s.criteria.startsWith('Slot?'))!.criteria).toContain('Schedule/ny-kliniker');
    // A's are as A left them.
    const aNow = await subscriptionsOf(a);
    const versions = (subs: Subscription[]) => subs.map((s) => `${s.id}:${s.meta!.versionId}:${s.criteria}`).sort();
    expect(versions(aNow)).toEqual(versions(aSubs));
    expect(new Set([...aNow, ...bSubs].map((s) => s.id)).size).toBe(2 * FEEDS.length);
  });
});

describe('a database copied by hand and opened elsewhere', () => {
  it('is flagged on the Sync page without resetting anything, until an admin confirms "same desk, moved"', async () => {
    // The first desk as it starts: its first open records where its file lives.
    openRuntime({ dbPath: a.db.name, demo: false }).close();
    const copy = deskPlainCopyFrom(a, dir, 'copied-by-hand');
    const path = copy.db.name;
    copy.db.close();

    const warn = vi.fn();
    const rt = openRuntime({ dbPath: path, demo: false, log: { warn } as never });
    open.push(rt.ctx);
    expect(warn).toHaveBeenCalledTimes(1);
    const env = (roles: Caller['roles']) => ({ ctx: rt.ctx, caller: { ...desk, roles }, shell: 'web' as const });
    const status = async (): Promise<SyncStatusView> => {
      const r = await dispatch(env(['receptionist']), 'sync.status', {});
      if (!r.ok) throw new Error(r.error.message);
      return r.value as SyncStatusView;
    };
    expect((await status()).deskMoved).toEqual({
      recorded: { host: expect.any(String), path: realpathSync(a.db.name) },
      here: { host: expect.any(String), path: realpathSync(path) },
    });
    // Nothing was reset: it may be the same desk moved, whose unsent changes must not be lost.
    expect(auditChainId(rt.ctx)).toBe(auditChainId(a));
    expect(pendingOutbox(rt.ctx)).toBe(pendingOutbox(a));
    expect(pendingOutbox(rt.ctx)).toBeGreaterThan(0);
    expect(resolveSession(rt.ctx, token).state).toBe('active');
    expect(readCursor(rt.ctx, SUBSCRIBER_ID_KEY)).toBe(readCursor(a, SUBSCRIBER_ID_KEY));

    // Only an admin says which; then the flag is gone, also at the next start.
    const refused = await dispatch(env(['receptionist']), 'sync.confirmDeskMoved', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const confirmed = await dispatch(env(['admin']), 'sync.confirmDeskMoved', {});
    expect(confirmed).toMatchObject({ ok: true, value: { deskMoved: null } });
    expect((await status()).deskMoved).toBeNull();
    expect(JSON.parse(rows(rt.ctx).at(-1)!.detail)).toMatchObject({ op: 'desk.moved', to: { path: realpathSync(path) } });
    rt.close();
    const again = openRuntime({ dbPath: path, demo: false, log: { warn } as never });
    again.close();
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('tidbok desk moved', () => {
  it('records the new place of a database opened elsewhere, once', async () => {
    openRuntime({ dbPath: a.db.name, demo: false }).close();
    const moved = deskPlainCopyFrom(a, dir, 'moved');
    open.push(moved);
    expect(deskMoved(moved)).not.toBeNull();
    const first = await runTidbok(['desk', 'moved', '--db', moved.db.name]);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toBe(
      `Bekräftat: samma kassa, flyttad från ${hostname()}:${realpathSync(a.db.name)} till ${hostname()}:${realpathSync(moved.db.name)}.\n`,
    );
    expect(deskMoved(moved)).toBeNull();
    expect((await runTidbok(['desk', 'moved', '--db', moved.db.name])).out).toContain('inget att bekräfta');
    // The first desk is still where it was.
    expect(deskMoved(a)).toBeNull();
  });
});

describe('a restored backup', () => {
  it('ships on under its new chain without a refusal: its rows were sent under the old one', async () => {
    // The backup holds rows the desk shipped only after it was taken.
    const backup = join(dir, 'a-backup.db');
    await backupTo(a.db, backup);
    const inBackup = lastSeq(a);
    expect(unshippedAuditRows(a)).toBeGreaterThan(0);
    expect((await sync(a)).error).toBeNull();
    const oldChain = auditChainId(a)!;
    const path = a.db.name;
    a.db.close();
    restoreFrom(path, backup, Date.now());
    a = openLocal(dirname(path), basename(path, '.db'));
    open.push(a);
    expect(auditChainStart(a)).toBe(inBackup);

    recordAudit(a, desk, { action: 'read', patientId: unit.patientIds[1]!, entity: 'patient' });
    expect(await shipAuditLog(a, api(central.url))).toBe(1);
    const newChain = auditChainId(a)!;
    expect(newChain).not.toBe(oldChain);
    expect(await verifyAuditAtCentral(a, api(central.url))).toEqual({ upTo: lastSeq(a), problem: null });
    expect((await centralChain(newChain)).map((r) => r.seq)).toEqual([lastSeq(a)]);
    expect((await centralChain(oldChain)).at(-1)!.seq).toBe(inBackup);
  });
});
