// A time offered to a waiting patient on desk A's återbudslista travels to central as
// busy-tentative; desk B (this browser's shell, a copy of A syncing with the real stand-in
// central) marks it "Erbjuden" in the calendar, and its booking dialog says it is offered on
// another computer and asks the receptionist to confirm before booking it here (still allowed).
// Första lediga tid lists it marked the same way; desk B's own återbudslista does not offer it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { dispatch } from '../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../src-main/api/contract.ts';
import type { CalendarRange } from '../../src-main/api/types.ts';
import type { Patient } from '../../src-main/api/methods/scheduling.ts';
import { openRuntime, type Runtime } from '../../src-main/runtime.ts';
import { copyDesk } from '../../src-main/services/desk-identity.ts';
import { startCentral, type Central } from '../../src-main/demo/central/server.ts';
import { SyncEngine } from '../../src-main/sync/engine.ts';
import { api, configureCentral } from '../integration/sync/helpers.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { RECEPTIONIST, signInAs } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { testCaller } from '../helpers/temp-db.ts';
import { valueOf } from '../helpers/results.ts';
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const DAY = '2026-11-25';
let central: Central;
let deskA: Runtime;
let shell: RunningShell;
let heldSlotId: string;

const onA = async <M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>> =>
  valueOf<ResultOf<M>>(method, await dispatch({ ctx: deskA.ctx, caller: testCaller(), shell: 'web' }, method, input));
const settleA = async () => expect((await new SyncEngine(deskA.ctx, api(central.url)).settle()).error).toBeNull();

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-e2e-held-elsewhere-'));
  central = await startCentral({ token: null });
  deskA = openRuntime({ dbPath: join(dir, 'a.db'), now: () => Date.parse(MONDAY) });
  configureCentral(deskA.ctx, central.url);
  await settleA();
  deskA.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  await copyDesk(join(dir, 'a.db'), join(dir, 'b.db'), testCaller(), { now: () => Date.parse(MONDAY) });
  // Desk A offers a free Wednesday time to a waiting patient, and sends the hold to central.
  const type = (await onA('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
  const [free] = await onA('slots.findFree', { appointmentTypeId: type.id, from: DAY, limit: 1 });
  heldSlotId = free!.slotId;
  const patient = (await onA('patients.search', { query: 'Andersson', limit: 1 }))[0]!;
  const entry = await onA('waitlist.add', { patientId: patient.id, appointmentTypeId: type.id });
  await onA('waitlist.markOffered', { id: entry.id, slotId: heldSlotId });
  await settleA();
  shell = await startShell({ dbPath: join(dir, 'b.db'), env: { TIDBOK_NOW: MONDAY, TIDBOK_CENTRAL_URL: central.url } });
});
test.afterAll(async () => {
  await shell?.stop();
  deskA?.close();
  await central?.close();
});

test('desk B marks the time offered on desk A, and asks before booking it', async ({ page }) => {
  test.setTimeout(90_000);
  const reception = apiAs(() => shell, RECEPTIONIST.username, RECEPTIONIST.password);
  // Desk B's own sync pulls the hold.
  await expect
    .poll(
      async () =>
        (await reception<CalendarRange>('calendar.range', { from: DAY, to: '2026-11-26' })).slots.find((s) => s.id === heldSlotId)
          ?.heldElsewhere,
      { timeout: 60_000, intervals: [500] },
    )
    .toBe(true);

  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  const types = await reception<{ id: string; code: string }[]>('appointmentTypes.list', {});
  const lakbes = types.find((x) => x.code === 'LAKBES')!.id;

  // Desk B's own återbudslista: Erbjud tid leaves the time out (offered there, it would be two patients').
  // A new patient: no time of her own, so every free time from DAY fits her.
  const waiting = await reception<Patient>('patients.create', {
    identityNumber: makeIdentityNumber('1951-04-09', 271),
    givenName: 'Vera',
    familyName: 'Väntesson',
  });
  const entry = await reception<{ id: string }>('waitlist.add', {
    patientId: waiting.id,
    appointmentTypeId: lakbes,
    earliest: DAY,
  });
  await page.getByRole('link', { name: 'Återbudslista' }).click();
  await page
    .locator(`[data-testid="waitlist-table"] tbody tr[data-entry-id="${entry.id}"]`)
    .getByRole('button', { name: `Erbjud en tid till ${waiting.displayName}` })
    .click();
  const offer = page.getByTestId('offer-time-dialog');
  const offered = offer.getByTestId('offer-times').locator('li');
  await expect(offered).toHaveCount(8);
  expect(await offered.evaluateAll((xs) => xs.map((x) => x.getAttribute('data-slot-id')))).not.toContain(heldSlotId);
  await offer.screenshot({ path: '/tmp/shots14/desk2/offer-time-without-held.png' });
  await offer.getByRole('button', { name: 'Avbryt' }).click();
  await page.getByRole('link', { name: 'Kalender' }).click();

  await page.locator('input[type="date"]').first().fill(DAY);
  const slot = page.locator(`[data-slot-id="${heldSlotId}"]`);
  await expect(slot).toContainText('Erbjuden');
  await expect(slot).toHaveAttribute('aria-label', /erbjuden en patient på återbudslistan \(annan dator\)/);
  await slot.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/shots14/desk/held-elsewhere-calendar.png' });
  // Förklaring names the mark.
  await page.getByText('Förklaring').click();
  await expect(page.locator('.tb-legend')).toContainText('Ledig, men erbjuden på en annan dator (återbudslistan): "Erbjuden"');
  await page.getByText('Förklaring').click();

  // Första lediga tid lists it with the calendar's mark and accessible name, the other times without.
  await page.getByRole('button', { name: 'Första lediga tid' }).click();
  const panel = page.getByTestId('next-free-panel');
  await panel.getByLabel('Besökstyp').selectOption(lakbes);
  const heldRow = panel.locator(`[data-free-slot-id="${heldSlotId}"]`);
  await expect(heldRow).toContainText('Erbjuden');
  await expect(heldRow.getByRole('button')).toHaveAccessibleName(
    /^Boka .+, erbjuden en patient på återbudslistan \(annan dator\)$/,
  );
  await expect(panel.getByTestId('next-free-held-elsewhere')).toHaveCount(1);
  await expect(panel.locator('[data-free-slot-id]')).toHaveCount(10);
  await expectAccessible(page, 'Första lediga tid with a time offered on another desk');
  await panel.screenshot({ path: '/tmp/shots14/desk2/next-free-held-elsewhere.png' });
  // Opened from there, the dialog says it too.
  await heldRow.getByRole('button').click();
  const dialog = page.getByTestId('book-dialog');
  await expect(dialog.getByTestId('held-elsewhere-note')).toContainText('Erbjuden en patient på återbudslistan (annan dator)');
  await dialog.getByRole('button', { name: 'Avbryt' }).click();
  await expect(dialog).toHaveCount(0);

  await slot.click();
  await expect(dialog.getByTestId('held-elsewhere-note')).toContainText(
    'Erbjuden en patient på återbudslistan (annan dator). Tiden kan ändå bokas här',
  );
  // Desk B's waiting patient fits the time: she may be booked into it (after the yes), not offered it.
  const matches = dialog.getByTestId('waitlist-matches');
  await expect(matches).toContainText(waiting.displayName);
  await expect(matches.getByRole('button', { name: /^Erbjud tiden till/ })).toHaveCount(0);
  await matches.screenshot({ path: '/tmp/shots14/desk2/book-dialog-matches-held.png' });
  const [patient] = await reception<Patient[]>('patients.search', { query: 'Lindberg', limit: 1 });
  await dialog.getByLabel('Patient (personnummer eller namn)').fill(patient!.identityNumber);
  await expect(dialog.getByTestId('identity-status')).toContainText(patient!.displayName);
  await dialog.getByRole('button', { name: 'Boka', exact: true }).click();
  // The patient is taken; the booking waits for the yes.
  await expect(dialog.getByTestId('chosen-patient')).toContainText(patient!.displayName);
  await expect(dialog.getByRole('alert')).toContainText('Bekräfta att du ändå vill boka den.');
  const confirm = dialog.getByRole('checkbox', { name: 'Boka ändå, fast tiden är erbjuden på en annan dator' });
  await expect(confirm).toBeFocused();
  await expectAccessible(page, 'booking a time offered on another desk');
  await page.screenshot({ path: '/tmp/shots14/desk/held-elsewhere-dialog.png' });
  await confirm.check();
  await dialog.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  const after = await reception<CalendarRange>('calendar.range', { from: DAY, to: '2026-11-26' });
  expect(after.bookings.some((b) => b.slotId === heldSlotId)).toBe(true);
  expect(after.slots.find((s) => s.id === heldSlotId)?.heldElsewhere).toBeUndefined();
});
