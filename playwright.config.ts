// E2E in Debian's Chromium (never a downloaded browser) against the web shell.
import { defineConfig } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Chromium on Linux takes its own language (which formats <input type=date> and <input
 * type=time>) from LANGUAGE, not from the page's locale: Swedish, as a receptionist's desk has it
 * (2026-11-23, 08:30). Needs the browser's Swedish strings (Debian: chromium-l10n); without
 * them Chromium falls back to English formats and nothing else changes.
 */
export const CHROMIUM_ENV = { ...process.env, LANGUAGE: 'sv' };

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      env: CHROMIUM_ENV,
    },
    trace: 'off',
  },
});
