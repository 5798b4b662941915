import { test } from '@playwright/test';
test('smoke', async ({ page }) => {
  page.on('console', (m) => console.log('console', m.type(), m.text(), m.location().url));
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto('/');
  await page.getByTestId('total-dadn').waitFor();
  await page.screenshot({ path: 'test-results/screenshots/smoke-overview.png' });
  for (const [i, name] of ['pe', 'occupancy', 'terms', 'quant', 'accuracy'].entries()) {
    await page.keyboard.press(String(i + 2));
    await page.waitForTimeout(2500);
    await page.screenshot({ path: `test-results/screenshots/smoke-${name}.png` });
  }
});
