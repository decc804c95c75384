// Återbudslistan and a protected patient, seen by a scheduler without the receptionist's role:
// the freed time's matches show her as "Skyddad identitet" (her id is not sent to that role), and
// choosing her and pressing Boka says in Swedish that the reception books her, instead of sending
// a booking without a patient. Nothing is booked.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { signInAs, type DemoUser } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { AppointmentType, CalendarRange } from '../../src-main/api/types.ts';
import type { FreeSlot, Patient } from '../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const PLANNER: DemoUser = { username: 'planerare', password: 'planerare-lösen-1', displayName: 'Pia Planerare' };
let shell: RunningShell;
let slot: FreeSlot;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
  const admin = apiAs(() => shell, 'admin', 'demo-admin');
  await admin('users.create', { ...PLANNER, roles: ['scheduler'] });
  const desk = apiAs(() => shell, 'reception', 'demo-reception');
  const types = await desk<AppointmentType[]>('appointmentTypes.list', {});
  const lakbes = types.find((t) => t.code === 'LAKBES')!;
  const hidden = await desk<Patient>('patients.create', {
    identityNumber: makeIdentityNumber('1979-06-02', 318),
    givenName: 'Hemlig',
    familyName: 'Skyddadsson',
    protectedIdentity: true,
  });
  await desk('waitlist.add', { patientId: hidden.id, appointmentTypeId: lakbes.id, priority: 2 });
  const [first] = await desk<FreeSlot[]>('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-23', limit: 1 });
  slot = first!;
});
test.afterAll(async () => shell.stop());

test('a scheduler chooses a protected patient from the list: told the reception books her, nothing booked', async ({ page }) => {
  expect(slot.startAt).toBeLessThan(Date.parse('2026-11-24T00:00:00+01:00')); // a time today, in the day view
  await signInAs(page, shell, PLANNER, MONDAY);
  await page.locator(`[data-slot-id="${slot.slotId}"]`).click();
  const book = page.getByTestId('book-dialog');
  const matches = book.getByTestId('waitlist-matches');
  await expect(matches).toContainText('Skyddad identitet');
  await expect(matches).not.toContainText('Skyddadsson');
  await matches.getByRole('button', { name: 'Välj Skyddad identitet från återbudslistan' }).click();
  await book.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(book.getByRole('alert')).toHaveText(
    'Patienten har skyddad identitet: receptionen bokar henne från återbudslistan.',
  );
  await expectAccessible(page, 'book dialog, protected entry for a scheduler');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-protected.png' });
  const day = await apiAs(
    () => shell,
    'reception',
    'demo-reception',
  )<CalendarRange>('calendar.range', { from: '2026-11-23', to: '2026-11-24' });
  expect(day.bookings.some((b) => b.slotId === slot.slotId)).toBe(false);
});
