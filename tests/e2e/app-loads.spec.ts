// The newcomer's first look: the web shell serves the app and the demo day shows bookings.
import { expect, test } from '@playwright/test';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { CalendarRange } from '../../src-main/api/types.ts';

// A Monday morning and a Saturday, in Stockholm: the demo is laid relative to "now".
const MONDAY = '2026-11-23T09:10:00+01:00';
const SATURDAY = '2026-11-21T10:00:00+01:00';

test.describe('demo day on a weekday', () => {
  let shell: RunningShell;
  test.beforeAll(async () => {
    shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
  });
  test.afterAll(async () => shell.stop());

  test('the calendar shows the demo clinicians and their bookings', async ({ page }) => {
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(shell.url);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('23 november 2026', { ignoreCase: true });
    const headers = page.locator('th[data-resource-id]');
    await expect(headers).toHaveCount(7);
    await expect(headers.first()).toContainText('Anna Lindqvist');

    const range = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
    expect(range.bookings.length).toBeGreaterThan(20);
    // Every active booking of the day is drawn, with its id as the stable hook.
    await expect(page.locator('[data-booking-id]')).toHaveCount(range.bookings.length);
    const first = range.bookings[0]!;
    await expect(page.locator(`[data-booking-id="${first.id}"]`)).toBeVisible();
    const freeSlots = range.slots.filter((s) => !range.bookings.some((b) => b.slotId === s.id));
    await expect(page.locator('[data-slot-id]')).toHaveCount(freeSlots.length);
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: 'tests/artifacts/screens/calendar-day.png' });
  });

  test('next and previous day load only that day', async ({ page }) => {
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(shell.url);
    await expect(page.locator('[data-booking-id]').first()).toBeVisible();
    await page.getByRole('button', { name: 'Nästa dag' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('24 november', { ignoreCase: true });
    const tuesday = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-24', to: '2026-11-25' });
    await expect(page.locator('[data-booking-id]')).toHaveCount(tuesday.bookings.length);
    await page.getByRole('button', { name: 'Idag' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('23 november', { ignoreCase: true });
  });
});

test.describe('demo day on a weekend', () => {
  let shell: RunningShell;
  test.beforeAll(async () => {
    shell = await startShell({ env: { TIDBOK_NOW: SATURDAY } });
  });
  test.afterAll(async () => shell.stop());

  test('a closed day says so and offers the next open day', async ({ page }) => {
    await page.clock.setFixedTime(new Date(SATURDAY));
    await page.goto(shell.url);
    await expect(page.getByTestId('closed-day')).toBeVisible();
    await expect(page.locator('[data-booking-id]')).toHaveCount(0);
    await page.screenshot({ path: 'tests/artifacts/screens/calendar-closed-day.png' });
    await page.getByRole('button', { name: /Gå till nästa öppna dag/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('23 november', { ignoreCase: true });
    await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  });
});
