// Overlapping absences in Chromium against the web shell: Erik has a course on Wednesday morning;
// the scheduler registers sick leave for the whole week over it (kept beside it, both marked as
// overlapping), then shortens the sick leave when he is back on Wednesday: Thursday and Friday
// open again, the course still blocks Wednesday morning.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import type { CalendarRange, Resource } from '../../src-main/api/types.ts';
import type { Absence, AbsenceRebookingResult, AbsenceResult } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

const api = apiAs(() => shell, 'schema', 'demo-schema');

test('sick leave over a course day is kept beside it, marked, and shortened without opening the course', async ({ page }) => {
  const erik = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
  const course = await api<AbsenceResult>('absences.create', {
    resourceId: erik.id,
    from: '2026-12-02',
    fromTime: '08:00',
    to: '2026-12-02',
    toTime: '12:00',
    reason: 'Kurs',
  });

  await signInAs(page, shell, SCHEDULER, MONDAY, '#/absences');
  const form = page.getByTestId('absence-form');
  await form.getByLabel('Resurs').selectOption({ label: 'Erik Johansson' });
  await form.getByLabel('Från datum').fill('2026-11-30');
  await form.getByLabel('Till datum').fill('2026-12-04');
  await form.getByLabel('Orsak').fill('Sjuk');
  await form.getByRole('button', { name: 'Registrera frånvaro' }).click();
  await expect(page.getByTestId('notices')).toContainText('Överlappar även: Kurs');
  // His booked patients that week are to be moved next; back to the list for now.
  await page.getByTestId('rebook-wizard').getByRole('button', { name: 'Tillbaka' }).click();

  const table = page.getByTestId('absences-table');
  const sickLeave = (await api<Absence[]>('absences.list', { resourceId: erik.id })).find((a) => a.reason === 'Sjuk')!;
  const sick = table.locator(`tr[data-absence-id="${sickLeave.id}"]`);
  const courseRow = table.locator(`tr[data-absence-id="${course.absence.id}"]`);
  await expect(sick).toContainText('Överlappar: Kurs');
  await expect(courseRow).toContainText('Överlappar: Sjuk');
  await expectAccessible(page, 'absences, overlapping');
  await page.screenshot({ path: 'tests/artifacts/screens/overlapping-absences-list.png' });

  // Back on Wednesday: the sick leave ends Tuesday.
  await sick.getByRole('button', { name: /^Ändra frånvaron Erik Johansson, Sjuk/ }).click();
  await expect(form.getByRole('heading')).toHaveText('Ändra frånvaro för Erik Johansson');
  await expect(form.getByLabel('Från datum')).toHaveValue('2026-11-30');
  await expect(form.getByLabel('Till datum')).toHaveValue('2026-12-04');
  await expect(form.getByLabel('Resurs')).toBeDisabled();
  await expect(form.getByLabel('Från datum')).toBeFocused();
  await expectAccessible(page, 'absence, edit form');
  await page.screenshot({ path: 'tests/artifacts/screens/overlapping-absences-edit.png' });
  // Another row's Ändra takes the form over; the course's hours are its own.
  await courseRow.getByRole('button', { name: /^Ändra frånvaron/ }).click();
  await expect(form.getByLabel('Från kl. (valfritt)')).toHaveValue('08:00');
  await expect(form.getByLabel('Till kl. (valfritt)')).toHaveValue('12:00');
  await expect(form.getByLabel('Till datum')).toHaveValue('2026-12-02');
  await form.getByRole('button', { name: 'Avbryt' }).click();
  await expect(form.getByRole('heading')).toHaveText('Registrera frånvaro');
  await sick.getByRole('button', { name: /^Ändra frånvaron/ }).click();
  await form.getByLabel('Till datum').fill('2026-12-01');
  await form.getByRole('button', { name: 'Spara ändringen' }).click();
  await expect(page.getByTestId('notices')).toContainText(/Frånvaron är ändrad: \d+ tider öppnade igen, 0 tider spärrade/);
  await expect(form.getByRole('heading')).toHaveText('Registrera frånvaro');
  await expect(sick).toContainText('1 dec');
  await expect(sick).not.toContainText('Överlappar');
  await page.screenshot({ path: 'tests/artifacts/screens/overlapping-absences-shortened.png' });

  const list = await api<Absence[]>('absences.list', { resourceId: erik.id });
  expect(list.map((a) => a.reason).sort()).toEqual(['Kurs', 'Sjuk']);
  const week = await api<CalendarRange>('calendar.range', { from: '2026-12-02', to: '2026-12-05', resourceIds: [erik.id] });
  const blocked = week.slots.filter((s) => s.state === 'blocked');
  // Only Wednesday morning stays blocked, by the course; the rest of the week is open again.
  expect(blocked.length).toBeGreaterThan(0);
  for (const s of blocked) {
    expect(s.blockReason).toBe('Kurs');
    expect(s.startAt).toBeLessThan(Date.parse('2026-12-02T12:00:00+01:00'));
  }
  expect(week.slots.some((s) => s.state === 'open' && s.startAt > Date.parse('2026-12-03T00:00:00+01:00'))).toBe(true);
});

test('a patient the sick leave moved is called from its list; the course’s list shows her as already moved', async ({ page }) => {
  const anna = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
  const course = await api<AbsenceResult>('absences.create', {
    resourceId: anna.id,
    from: '2026-11-26',
    fromTime: '08:00',
    to: '2026-11-26',
    toTime: '12:00',
    reason: 'Kurs',
  });
  const sick = await api<AbsenceResult>('absences.create', {
    resourceId: anna.id,
    from: '2026-11-25',
    to: '2026-11-27',
    reason: 'Sjuk',
  });
  const applied = await api<AbsenceRebookingResult>('absences.applyRebooking', { id: sick.absence.id });
  const inCourse = new Set(course.affectedBookings.map((b) => b.id));
  const movedFromCourse = applied.rebooked.filter((r) => inCourse.has(r.old.id));
  expect(movedFromCourse.length).toBeGreaterThan(0);

  await signInAs(page, shell, SCHEDULER, MONDAY, '#/absences');
  await page
    .getByTestId('absences-table')
    .locator(`tr[data-absence-id="${course.absence.id}"]`)
    .getByRole('button', { name: 'Boka om' })
    .click();
  await page.getByTestId('rebook-wizard').getByRole('button', { name: 'Visa kontaktlistan' }).click();
  const list = page.getByTestId('contact-list');
  for (const r of movedFromCourse) {
    const row = list.locator('tbody tr').filter({ hasText: r.old.patient.displayName });
    await expect(row).toHaveAttribute('data-contact-under', sick.absence.id);
    await expect(row.getByTestId('contact-under')).toHaveText('Redan ombokad via frånvaron Sjuk: kontaktas från den listan');
  }
  await expect(list.getByTestId('contact-under')).toHaveCount(movedFromCourse.length);
  await expectAccessible(page, 'contact list, moved by the overlapping absence');
  await page.screenshot({ path: '/tmp/shots13/desk/franvaro-contact-list-course.png' });

  // The sick leave's own list has every call, none marked as another's.
  await list.getByRole('button', { name: 'Klar' }).click();
  await page
    .getByTestId('absences-table')
    .locator(`tr[data-absence-id="${sick.absence.id}"]`)
    .getByRole('button', { name: 'Boka om' })
    .click();
  await page.getByTestId('rebook-wizard').getByRole('button', { name: 'Visa kontaktlistan' }).click();
  await expect(list.locator('tbody tr')).toHaveCount(applied.contactList.length);
  await expect(list.getByTestId('contact-under')).toHaveCount(0);
  await page.screenshot({ path: '/tmp/shots13/desk/franvaro-contact-list-sick.png' });
});
