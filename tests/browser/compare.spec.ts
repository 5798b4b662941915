import { runPipeline } from '../../src/sim/pipeline';
import { loadInputs } from '../../src/cli/assets';
import { defaultLinkState, toSimConfig } from '../../src/ui/state/linkState';
import { decodeLink, encodeLink, fromPayload } from '../../src/ui/state/hash';
import { fmtCount, fmtX } from '../../src/ui/lib/format';
import { catalog, expect, linkState, screenshot, test } from './fixtures';

const ctx = { catalog, customModelLoaded: false };

test('compare mode from a shared link: both panes restored, the per-layer difference shown', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const state = defaultLinkState();
  state.view = 'compare';
  state.accels = ['dadn', 'pragmatic', 'dlac'];
  state.b = { m: 'fmnist-resnet20', ws: 'twn', a: ['dadn', 'pragmatic', 'dlac'] };
  await page.goto(`/#${encodeLink(state, ctx)}`);
  await expect(page.getByTestId('pane-a-status')).toHaveText('ready', { timeout: 90_000 });
  await expect(page.getByTestId('pane-b-status')).toHaveText('ready', { timeout: 90_000 });
  await expect(page.getByTestId('pane-a-config')).toContainText('Fixed point');
  await expect(page.getByTestId('pane-b-config')).toContainText('Ternary (TWN)');

  // Both sides agree with the Node core for their own configuration.
  const a = runPipeline(toSimConfig(state), loadInputs('fmnist-resnet20'));
  const bState = fromPayload(state.b, ctx).state;
  const b = runPipeline(toSimConfig(bState), loadInputs('fmnist-resnet20'));
  for (const id of ['pragmatic', 'dlac'] as const) {
    await expect(page.getByTestId(`cmp-total-a-${id}`)).toHaveText(fmtX(a.totals.results[id]!.speedup));
    await expect(page.getByTestId(`cmp-total-b-${id}`)).toHaveText(fmtX(b.totals.results[id]!.speedup));
  }
  // The table: DLAC (first accelerator besides DaDN) per layer, cycles A, B and B / A.
  const table = page.getByTestId('diff-table');
  await page.getByTestId('diff-accel').selectOption('dlac');
  await expect(table).toHaveAttribute('data-accel', 'dlac');
  for (const layer of a.layers) {
    const ra = layer.results.dlac!;
    const rb = b.layers.find((l) => l.name === layer.name)!.results.dlac!;
    const cells = table.locator(`[data-layer-row="${layer.name}"] td`);
    await expect(cells.nth(0)).toHaveText(fmtCount(ra.cycles));
    await expect(cells.nth(1)).toHaveText(fmtCount(rb.cycles));
    await expect(cells.nth(2)).toHaveText(fmtX(rb.cycles / ra.cycles, 3));
    await expect(cells.nth(5)).toHaveText(fmtX(rb.speedup / ra.speedup, 3));
  }
  // Ternary weights make DLAC skip more: B is faster on the network.
  expect(b.totals.results.dlac!.speedup).toBeGreaterThan(a.totals.results.dlac!.speedup);
  await expect(page.getByTestId('diff-chart')).toBeVisible();
  await screenshot(page, 'compare');

  // Editing side B writes the link's field b; reloading restores both panes.
  await page.getByLabel('Side B: activation bits').fill('8');
  await expect.poll(async () => (await linkState(page)).state.b?.ab).toBe(8);
  await page.reload();
  await expect(page.getByLabel('Side B: activation bits')).toHaveValue('8');
  await expect(page.getByTestId('pane-b-status')).toHaveText('ready', { timeout: 90_000 });
  const decoded = decodeLink(await page.evaluate(() => location.hash), ctx);
  expect(decoded.notices).toEqual([]);
  expect(decoded.state.b).toEqual({ ...state.b, ab: 8 });
  expect(decoded.state.accels).toEqual(state.accels);

  // Swap: A takes B's settings (editable in the settings column), B takes A's.
  await page.getByRole('button', { name: /Swap A/ }).click();
  await expect.poll(async () => (await linkState(page)).state.quant.weights.scheme).toBe('twn');
  await expect(page.getByTestId('pane-b-config')).toContainText('Fixed point');
});
