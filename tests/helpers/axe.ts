// WCAG 2.1 AA checks of a page with axe-core, shared by the e2e specs.
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/**
 * Fails on axe violations of WCAG 2.0/2.1 A and AA rules: on serious and critical ones by
 * default, on every one with `level: 'all'` (the sign-in and export screens are held to that).
 */
export async function expectAccessible(page: Page, screen: string, level: 'serious' | 'all' = 'serious'): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const failing =
    level === 'all' ? result.violations : result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(failing.map((v) => `${screen}: ${v.id} ${v.help} (${v.nodes[0]?.target.join(' ') ?? ''})`)).toEqual([]);
}
