// Settings for the central booking API through the api (admin): the URL starts sync and the
// header follows; a token cannot be kept by the web shell (no credential store there), and the
// desktop's store receives it; clearing the URL returns the unit to local work.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { SessionInfo } from '../../../src-main/api/types.ts';
import type { SyncStatusView } from '../../../src-main/api/methods/sync.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { registerCredentialStore } from '../../../src-main/sync/config.ts';
import { engineFor } from '../../../src-main/sync/engine.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import { seedSmallUnit } from './helpers.ts';

let central: Central;
const { ctx } = openTestDb();
const admin = { ctx, caller: testCaller(['admin']), shell: 'web' as const };

beforeAll(async () => {
  central = await startCentral({ token: 'rätt-token' });
  seedSmallUnit(ctx);
});

afterAll(async () => {
  await engineFor(ctx)?.stop();
  ctx.db.close();
  await central.close();
});

describe('sync.configure', () => {
  it('is for admins only, refuses plain http to another host, and a token without a store', async () => {
    const asDesk = await dispatch({ ...admin, caller: testCaller(['receptionist']) }, 'sync.configure', {
      centralUrl: central.url,
    });
    expect(asDesk).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const http = await dispatch(admin, 'sync.configure', { centralUrl: 'http://tidbok.example.se/fhir/R4' });
    expect(http).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('https') } });
    const token = await dispatch(admin, 'sync.configure', { centralUrl: central.url, token: 'x' });
    expect(token).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('TIDBOK_CENTRAL_TOKEN') },
    });
  });

  it('connects with the token from the credential store, and goes back to local work', async () => {
    const kept: string[] = [];
    registerCredentialStore(ctx, { save: (t) => kept.push(t), load: () => kept.at(-1) ?? null });
    const r = await dispatch(admin, 'sync.configure', { centralUrl: central.url, token: 'rätt-token' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(kept).toEqual(['rätt-token']);
    await vi.waitFor(
      async () => {
        const s = await dispatch(admin, 'sync.status', {});
        expect((s as { value: SyncStatusView }).value).toMatchObject({ configured: true, mode: 'online', pending: 0 });
      },
      { timeout: 15_000, interval: 100 },
    );
    const info = (await dispatch(admin, 'session.info', {})) as { ok: true; value: SessionInfo };
    expect(info.value.sync.mode).toBe('online');

    const off = await dispatch(admin, 'sync.configure', { centralUrl: null });
    expect((off as { value: SyncStatusView }).value).toMatchObject({ configured: false, mode: 'local' });
    expect(engineFor(ctx)).toBeNull();
  });
});
