import { MODEL_IDS } from '../../src/sim/accel/types';
import { ACCELERATORS } from '../../src/sim/accel';
import { defaultLinkState } from '../../src/ui/state/linkState';
import { encodeLink } from '../../src/ui/state/hash';
import { catalog, expect, screenshot, test } from './fixtures';

/**
 * Every accelerator with a trace draws a tile of a layer it applies to (EIE: the FC layer); one without says
 * so in the page.
 */
test('every accelerator draws its tile in the PE grid', async ({ page }) => {
  test.setTimeout(240_000);
  // DLAC-style settings on the shipped float model: ternary weights and a raised ReLU threshold.
  const start = defaultLinkState();
  start.quant.weights.scheme = 'twn';
  start.quant.reluThreshold = { enabled: true, mode: 'absolute', theta: 0.1 };
  start.view = 'pe';
  start.layer = 'layers.6.conv1';
  await page.goto(`/#${encodeLink(start, { catalog, customModelLoaded: false })}`);
  const counter = page.getByTestId('cycle-counter');
  const error = page.getByTestId('trace-error');
  for (const id of MODEL_IDS) {
    await page.getByLabel('Accelerator').selectOption(id);
    await page.locator(`[data-layer="${id === 'eie' ? 'fc' : 'layers.6.conv1'}"]`).click();
    await expect(page.locator('#view-panel')).not.toContainText('Tracing the tile', { timeout: 90_000 });
    await expect(counter.or(error)).toBeVisible({ timeout: 90_000 });
    if (!ACCELERATORS[id].trace) {
      await expect(error).toContainText('no cycle-by-cycle trace');
      continue;
    }
    if ((await error.count()) > 0) throw new Error(`${id}: ${await error.innerText()}`);
    // A few cycles in, where the interesting things happen.
    const last = Number((await counter.innerText()).split('/')[1].replaceAll(',', '')) - 1;
    const target = Math.min(6, last);
    for (let i = 0; i < target; i++) await page.getByTestId('step').click();
    await expect(counter).toHaveAttribute('data-cycle', String(target));
    if (['dlac', 'laconic', 'pragmatic', 'eie', 'cnvlutin'].includes(id))
      await screenshot(page, `tile-${id}`);
  }
});
