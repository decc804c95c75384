// A desk made with `tidbok desk copy` keeps its own access-log chain: the first desk's rows came
// along in the copy but belong to that desk's chain at central. Under Åtkomstlogg the admin of the
// new desk reads that central's copy matches and where this desk's own chain begins.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openRuntime } from '../../src-main/runtime.ts';
import { copyDesk } from '../../src-main/services/desk-identity.ts';
import { searchPatients } from '../../src-main/services/patients.ts';
import { startCentral, type Central } from '../../src-main/demo/central/server.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { signInAs, type DemoUser } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { testCaller } from '../helpers/temp-db.ts';
import type { AuditVerification } from '../../src-main/api/methods/auth.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const ADMIN: DemoUser = { username: 'admin', password: 'demo-admin', displayName: 'Ada Admin' };
let central: Central;
let shell: RunningShell;
let copiedRows: number;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-e2e-desk-copy-'));
  const firstDesk = join(dir, 'forsta-kassan.db');
  const rt = openRuntime({ dbPath: firstDesk, now: () => Date.parse(MONDAY) });
  // The first desk has worked a little: its searches are on its access log.
  searchPatients(rt.ctx, testCaller(), { query: 'Andersson' });
  searchPatients(rt.ctx, testCaller(), { query: 'Berg' });
  rt.close();
  const reset = await copyDesk(firstDesk, join(dir, 'andra-kassan.db'), testCaller(), { now: () => Date.parse(MONDAY) });
  copiedRows = reset.chainStartsAfter;
  central = await startCentral({ token: null });
  shell = await startShell({
    dbPath: join(dir, 'andra-kassan.db'),
    env: { TIDBOK_NOW: MONDAY, TIDBOK_CENTRAL_URL: central.url },
  });
});
test.afterAll(async () => {
  await shell?.stop();
  await central?.close();
});

test('Åtkomstlogg on a copied desk: central’s copy matches, and the desk’s own chain begins after the copied rows', async ({
  page,
}) => {
  test.setTimeout(90_000);
  expect(copiedRows).toBeGreaterThan(0);
  const admin = apiAs(() => shell, ADMIN.username, ADMIN.password);
  await signInAs(page, shell, ADMIN, MONDAY, '#/audit');
  await expect
    .poll(async () => (await admin<AuditVerification>('audit.verify')).central, { timeout: 60_000, intervals: [500] })
    .toMatchObject({ unsent: 0, problem: null, unreachable: null, chainStartsAfter: copiedRows });
  await page.reload();
  await expect(page.getByTestId('audit-central')).toHaveText(
    new RegExp(
      `^Kopian hos den centrala tidboken stämmer till och med rad \\d+ \\(0 händelser ännu inte skickade\\)\\. ` +
        `Kassans egen kedja börjar efter rad ${copiedRows}; raderna före hör till en tidigare kedja hos den centrala tidboken\\.$`,
    ),
  );
  await expectAccessible(page, 'audit copied desk');
  await page.screenshot({ path: 'tests/artifacts/screens/audit-desk-copy.png' });
});
