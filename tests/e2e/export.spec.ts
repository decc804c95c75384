// Export and statistics in the real web shell and Chromium: an admin downloads an XLSX and a CSV
// from the Export screen (read back with exceljs and csv-parse), a receptionist downloads the
// day-list PDF (text checked with pdftotext, rendered to PNG with pdftoppm and looked at), and
// the Statistics screen shows the same numbers as the api, in charts and tables, without axe
// violations.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { CalendarRange } from '../../src-main/api/types.ts';
import type { Statistics } from '../../src-main/api/methods/export.ts';
import { openDatabase } from '../../src-main/store/database.ts';
import { createContext } from '../../src-main/services/context.ts';
import { unitStatistics } from '../../src-main/services/statistics.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const SCREENS = 'tests/artifacts/screens';

async function open(page: Page, shell: RunningShell): Promise<void> {
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
}

const go = (page: Page, hash: string) => page.evaluate((h) => (window.location.hash = h), hash);

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

test.describe('export and statistics', () => {
  test.describe.configure({ mode: 'serial' });
  let shell: RunningShell;
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-e2e-export-'));
  // What the files and screens must show, read through the api with the demo's printed token
  // before the sign-out below ends that session.
  let tuesday: CalendarRange;
  let week: CalendarRange;
  let stats: Statistics;
  test.beforeAll(async () => {
    shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
    tuesday = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-24', to: '2026-11-25' });
    week = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-11-28' });
    // Statistics are for admins: computed here straight from the shell's database file.
    const db = openDatabase(shell.dbPath, { readonly: true });
    stats = unitStatistics(createContext(db), { from: '2026-10-26', to: '2026-12-06' });
    db.close();
  });
  test.afterAll(async () => shell.stop());

  test('a receptionist prints tomorrow’s day list: the PDF has the bookings and renders', async ({ page }) => {
    await open(page, shell);
    await expect(page.getByTestId('signed-in-user')).toHaveText('Karin Reception');
    await go(page, '#/export');
    await expect(page.getByRole('heading', { level: 1, name: 'Export' })).toBeVisible();
    // Receptionists get the day list only.
    await expect(page.getByTestId('export-form')).toHaveCount(0);
    const form = page.getByTestId('daylist-form');
    await expect(form.getByLabel('Datum')).toHaveValue('2026-11-24');
    await form.getByLabel('Behandlare').selectOption({ label: 'Anna Lindqvist' });
    await page.screenshot({ path: `${SCREENS}/export-daylist-form.png` });
    await expectAccessible(page, 'export', 'all');

    const downloading = page.waitForEvent('download');
    await form.getByRole('button', { name: 'Ladda ner PDF' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('dagslista-SE2321000016-7SOL-2026-11-24.pdf');
    const pdf = join(dir, 'dagslista.pdf');
    await download.saveAs(pdf);
    await expect(form.getByRole('status')).toContainText('loggad som utskrift');

    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Anna Lindqvist');
    expect(text).toContain('Tisdag 24 november 2026');
    const range = tuesday;
    const anna = range.resources.find((r) => r.name === 'Anna Lindqvist')!;
    const hers = range.bookings.filter((b) => b.resourceId === anna.id);
    expect(hers.length).toBeGreaterThan(3);
    for (const b of hers) {
      if (b.patient.protectedIdentity) continue;
      expect(text).toContain(b.patient.identityNumber.replace(/^(\d{8})(\d{4})$/, '$1-$2'));
    }
    expect(text).not.toContain('Erik Johansson');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdf, join(SCREENS, 'export-daylist-pdf')]);

    // "Skriv ut" in the web shell hands the same PDF to the browser in a new tab, to print from there.
    const opened = page.context().waitForEvent('page');
    await form.getByRole('button', { name: 'Skriv ut' }).click();
    expect((await opened).url()).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);

    // Statistics are for admins: a receptionist is told so, and no forbidden call is made.
    await go(page, '#/statistics');
    await expect(page.getByText('Statistiken är till för administratörer')).toBeVisible();
  });

  test('an admin downloads an XLSX and a CSV from the Export screen', async ({ page }) => {
    await open(page, shell);
    // Signing out ends the demo's own session: from here on the shell asks for a sign-in.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, 'admin', 'demo-admin');
    await expect(page.getByTestId('signed-in-user')).toHaveText('Ada Admin');
    await go(page, '#/export');
    const form = page.getByTestId('export-form');
    await expect(form).toBeVisible();
    await form.getByLabel('Från').fill('2026-11-23');
    await form.getByLabel('Till och med').fill('2026-11-27');
    await form.getByLabel('Blad').selectOption('perResource');
    await page.screenshot({ path: `${SCREENS}/export-form.png`, fullPage: true });
    await expectAccessible(page, 'export', 'all');

    let downloading = page.waitForEvent('download');
    await form.getByRole('button', { name: 'Exportera' }).click();
    let download = await downloading;
    expect(download.suggestedFilename()).toBe('tidbok-SE2321000016-7SOL-2026-11-23_2026-11-27.xlsx');
    const xlsx = join(dir, 'export.xlsx');
    await download.saveAs(xlsx);
    await expect(form.getByRole('status')).toContainText('loggad i åtkomstloggen');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const range = week;
    expect(wb.worksheets.map((w) => w.name)).toEqual(range.resources.map((r) => r.name));
    let rows = 0;
    for (const sheet of wb.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      rows += sheet.rowCount - 1;
      if (sheet.rowCount > 1) expect(sheet.getRow(2).getCell(1).value).toBeInstanceOf(Date);
    }
    expect(rows).toBe(range.slots.length);

    // CSV of the bookings only, comma-separated.
    await form.getByLabel('Endast bokningar').check();
    await form.getByLabel('CSV (Excel, semikolon)').check();
    await form.getByLabel('Avgränsare').selectOption('comma');
    downloading = page.waitForEvent('download');
    await form.getByRole('button', { name: 'Exportera' }).click();
    download = await downloading;
    const csv = join(dir, 'export.csv');
    await download.saveAs(csv);
    const records = parse(readFileSync(csv), { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(range.bookings.length);
    const sample = range.bookings.find((b) => !b.patient.protectedIdentity)!;
    const row = records.find((r) => r['Boknings-id'] === sample.id)!;
    expect(row['Patient']).toBe(sample.patient.displayName);
  });

  test('the Statistics screen shows the api’s numbers in charts and tables', async ({ page }) => {
    await open(page, shell);
    await signIn(page, 'admin', 'demo-admin');
    await expect(page.getByTestId('signed-in-user')).toHaveText('Ada Admin');
    await page.locator('[data-page="statistics"]').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Statistik' })).toBeVisible();
    expect(stats.bookings.total).toBeGreaterThan(50);
    // In Swedish digit groups: with the demo's past weeks the period holds thousands ('1 912').
    await expect(page.getByTestId('kpi-bookings')).toContainText(new Intl.NumberFormat('sv-SE').format(stats.bookings.total));
    await expect(page.getByTestId('kpi-webshare')).toContainText(
      new Intl.NumberFormat('sv-SE', { style: 'percent', maximumFractionDigits: 1 }).format(stats.bookings.webShare!),
    );
    const weekRows = page.getByTestId('stats-weeks').locator('tbody tr');
    await expect(weekRows).toHaveCount(stats.weeks.length);
    const w48 = stats.weeks.find((w) => w.week === '2026-W48')!;
    await expect(page.getByTestId('stats-weeks').locator('tr[data-week="2026-W48"] td').first()).toHaveText(
      String(w48.bookings.web),
    );
    await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
    // The page scrolls inside <main>: a tall window shows all of it in one picture.
    await page.setViewportSize({ width: 1440, height: 1900 });
    await page.screenshot({ path: `${SCREENS}/statistics.png` });
    await expectAccessible(page, 'export', 'all');

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exportera CSV' }).click();
    const csv = join(dir, 'stats.csv');
    await (await downloading).saveAs(csv);
    const records = parse(readFileSync(csv), { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(Number(records.find((r) => r['Avsnitt'] === 'Bokningar' && r['Mått'] === 'Totalt')!['Värde'])).toBe(
      stats.bookings.total,
    );
  });
});
