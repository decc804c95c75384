// Signing a Playwright page in to the web shell as a demo user, at a pinned clock. The first visit
// ends the demo's own session (signed in as reception); later visits find the form straight away.
import { expect, type Page } from '@playwright/test';
import type { RunningShell } from './web-shell.ts';

export interface DemoUser {
  username: string;
  password: string;
  /** As the header shows it once signed in. */
  displayName: string;
}

export const SCHEDULER: DemoUser = { username: 'schema', password: 'demo-schema', displayName: 'Per Schemaläggare' };
export const RECEPTIONIST: DemoUser = { username: 'reception', password: 'demo-reception', displayName: 'Karin Reception' };

/** Opens the shell at `now` (ISO), signs in as `user`, then goes to `hash` if given. */
export async function signInAs(page: Page, shell: RunningShell, user: DemoUser, now: string, hash?: string): Promise<void> {
  await page.clock.setFixedTime(new Date(now));
  await page.goto(shell.url);
  const signOut = page.getByRole('button', { name: 'Logga ut' });
  await expect(signOut.or(page.getByLabel('Användarnamn'))).toBeVisible();
  if (await signOut.isVisible()) await signOut.click();
  await page.getByLabel('Användarnamn').fill(user.username);
  await page.getByLabel('Lösenord').fill(user.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText(user.displayName);
  if (hash) await page.evaluate((h) => (window.location.hash = h), hash);
}
