import { readFileSync } from 'node:fs';
import { test as base, expect, type Page } from '@playwright/test';
import { decodeLink } from '../../src/ui/state/hash';
import type { LinkState } from '../../src/ui/state/linkState';
import type { ParamCatalog } from '../../src/ui/state/schema';
import { ACCELERATORS } from '../../src/sim/accel';

export { expect };

/** Optional files whose absence is normal (a model may ship no card or no TTQ scales). */
const OPTIONAL = /\/models\/[^/]+\.(card|scales)\.json$/;

/** Every test fails on a console error or an uncaught exception in the page. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        if (m.text().startsWith('Failed to load resource') && OPTIONAL.test(m.location().url)) return;
        errors.push(`${m.text()} (${m.location().url})`);
      });
      page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export const catalog: ParamCatalog = Object.fromEntries(
  Object.entries(ACCELERATORS).map(([id, m]) => [id, m.params]),
);

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

/** Waits until the page shows a finished result for its current configuration. */
export async function waitForResult(page: Page): Promise<void> {
  await expect(page.locator('[data-testid^="total-"]').first()).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
}

export async function linkState(page: Page): Promise<{ state: LinkState; notices: string[] }> {
  const hash = await page.evaluate(() => window.location.hash);
  return decodeLink(hash, { catalog, customModelLoaded: false });
}

/** Network totals as shown: accelerator id -> speedup number. */
export async function shownTotals(page: Page): Promise<Record<string, number>> {
  const cells = page.locator('[data-testid^="total-"]');
  const out: Record<string, number> = {};
  for (let i = 0; i < (await cells.count()); i++) {
    const cell = cells.nth(i);
    const id = (await cell.getAttribute('data-testid'))!.slice('total-'.length);
    out[id] = Number((await cell.innerText()).replace('×', ''));
  }
  return out;
}

export function modelFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../public/models/${name}`, import.meta.url)));
}

/**
 * Loads axe-core into the page. Not with a <script> element: the built page's Content-Security-Policy
 * refuses inline scripts (code evaluated through DevTools is exempt).
 */
export async function injectAxe(page: Page): Promise<void> {
  await page.evaluate(
    readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8'),
  );
}
