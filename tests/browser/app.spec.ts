import { deflateSync, strToU8 } from 'fflate';
import { runPipeline, parseDataset } from '../../src/sim/pipeline';
import type { SimReport } from '../../src/sim/report';
import { defaultLinkState, toSimConfig } from '../../src/ui/state/linkState';
import { toBase64Url } from '../../src/ui/state/base64url';
import { encodeLink } from '../../src/ui/state/hash';
import {
  catalog,
  injectAxe,
  expect,
  linkState,
  modelFile,
  screenshot,
  shownTotals,
  test,
  waitForResult,
} from './fixtures';

const VIEWS = [
  ['overview', 'Overview'],
  ['pe', 'PE grid'],
  ['occupancy', 'Occupancy'],
  ['terms', 'Terms'],
  ['quant', 'Quantisation'],
  ['accuracy', 'Accuracy'],
] as const;

/** The same configuration the page starts with, run in Node through the same core. */
function nodeReference(): SimReport {
  const config = toSimConfig(defaultLinkState());
  return runPipeline(config, {
    modelBytes: modelFile('fmnist-resnet20.onnx'),
    dataset: parseDataset(modelFile('fmnist-test.bin')),
  });
}

function numbersIn(text: string): number[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => Number(m[0].replaceAll(',', '')));
}

test('opens on the default model, agrees with the Node core, and shows every view', async ({ page }) => {
  await page.goto('/');
  await waitForResult(page);
  const reference = nodeReference();
  const totals = await shownTotals(page);
  const ids = Object.keys(reference.totals.results);
  expect(Object.keys(totals).sort()).toEqual([...ids].sort());
  for (const id of ids) {
    const ref = reference.totals.results[id as keyof typeof reference.totals.results]!;
    expect(totals[id], id).toBeCloseTo(ref.speedup, 2);
    // The tooltip spells out Σ baseline cycles / Σ cycles with the live values.
    const title = (await page.getByTestId(`total-${id}`).getAttribute('title')) ?? '';
    const [baseline, cycles] = numbersIn(title.split('=')[2] ?? '');
    expect(baseline, `${id} baseline cycles`).toBeCloseTo(ref.baselineCycles, 0);
    expect(cycles, `${id} cycles`).toBeCloseTo(Math.max(ref.cycles, 1), 0);
  }
  await screenshot(page, 'view-overview');
  for (const [id, label] of VIEWS.slice(1)) {
    await page.getByRole('tab', { name: label }).click();
    await expect(page.getByRole('tab', { name: label })).toHaveAttribute('aria-selected', 'true');
    await expect.poll(async () => (await linkState(page)).state.view).toBe(id);
    const panel = page.locator('#view-panel');
    if (id === 'pe') await expect(page.getByTestId('cycle-counter')).toBeVisible();
    if (id === 'occupancy') await expect(panel.getByText('PE × time')).toBeVisible();
    if (id === 'terms') await expect(panel.getByText('Terms per activation:')).toBeVisible();
    if (id === 'quant') await expect(panel.getByText('Sparsity per layer')).toBeVisible();
    if (id === 'accuracy') {
      await expect(page.getByTestId('acc-float')).toHaveText(/%/);
      expect(reference.accuracy).toBeDefined();
      const shown = Number((await page.getByTestId('acc-quant').innerText()).replace('%', ''));
      expect(shown).toBeCloseTo(reference.accuracy!.quantized * 100, 1);
    }
    await screenshot(page, `view-${id}`);
  }
});

test('changing controls updates the link and the views; reload restores both', async ({ page }) => {
  await page.goto('/');
  await waitForResult(page);
  const before = await shownTotals(page);

  await page.getByLabel('Quantisation scheme').selectOption('twn');
  await expect(page.getByTestId('status'))
    .toHaveAttribute('data-state', 'computing', { timeout: 5_000 })
    .catch(() => undefined);
  await waitForResult(page);
  let { state } = await linkState(page);
  expect(state.quant.weights.scheme).toBe('twn');
  const ternary = await shownTotals(page);
  // Ternary weights are sparse: the zero-skipping DLAC must gain.
  expect(ternary.dlac).toBeGreaterThan(before.dlac);

  await page.getByRole('checkbox', { name: /Laconic/ }).uncheck();
  await waitForResult(page);
  await expect(page.getByTestId('total-laconic')).toHaveCount(0);
  ({ state } = await linkState(page));
  expect(state.accels).not.toContain('laconic');

  await page.locator('[data-layer="layers.3.conv1"]').click();
  await page.getByRole('tab', { name: 'Quantisation' }).click();
  ({ state } = await linkState(page));
  expect(state.layer).toBe('layers.3.conv1');
  await expect(page.locator('#view-panel').getByText('Weights of layers.3.conv1')).toBeVisible();
  const afterChanges = await (async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    return shownTotals(page);
  })();
  await page.getByRole('tab', { name: 'Quantisation' }).click();

  await page.reload();
  await expect(page.getByRole('tab', { name: 'Quantisation' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Quantisation scheme')).toHaveValue('twn');
  await expect(page.locator('[data-layer="layers.3.conv1"]')).toHaveAttribute('aria-current', 'true', {
    timeout: 90_000,
  });
  await page.getByRole('tab', { name: 'Overview' }).click();
  await waitForResult(page);
  expect(await shownTotals(page)).toEqual(afterChanges);

  // Each discrete change is one history entry: back returns to the Quantisation tab, and four more steps
  // (tabs, tabs, tabs, layer) to the state before the layer was chosen.
  await page.goBack();
  await expect(page.getByRole('tab', { name: 'Quantisation' })).toHaveAttribute('aria-selected', 'true');
  for (let i = 0; i < 4; i++) await page.goBack();
  await expect.poll(async () => (await linkState(page)).state.layer).toBe('');
  await expect.poll(async () => (await linkState(page)).state.accels).not.toContain('laconic');
  await screenshot(page, 'after-changes');
});

test('a hand-broken link shows a notice and a working page', async ({ page }) => {
  await page.goto('/#1.this-is-not-a-link!');
  await expect(page.getByTestId('link-notices')).toContainText('could not be used');
  await waitForResult(page);
  await screenshot(page, 'broken-link');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('link-notices')).toHaveCount(0);

  // A readable link with bad fields: the good ones are kept, the bad ones named.
  const payload = {
    m: 'fmnist-resnet20',
    n: 0,
    v: 'pe',
    a: ['dadn', 'warp-drive', 'pragmatic'],
    wb: 'many',
    l: 'no-such-layer',
  };
  await page.goto(`/#1.${toBase64Url(deflateSync(strToU8(JSON.stringify(payload))))}`);
  await page.reload();
  const notices = page.getByTestId('link-notices');
  await expect(notices).toContainText('images: 0 is below the minimum 1');
  await expect(notices).toContainText('warp-drive');
  await expect(notices).toContainText('weight bits');
  await expect(notices).toContainText('no-such-layer', { timeout: 90_000 });
  await expect(page.getByRole('tab', { name: 'PE grid' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('cycle-counter')).toBeVisible({ timeout: 90_000 });
  await screenshot(page, 'clamped-link');
});

test('the PE grid animates: play advances, step moves exactly one cycle', async ({ page }) => {
  const start = defaultLinkState();
  start.view = 'pe';
  start.layer = 'layers.0.conv1';
  start.gridAccel = 'pragmatic';
  start.speed = 16;
  await page.goto(`/#${encodeLink(start, { catalog, customModelLoaded: false })}`);
  const counter = page.getByTestId('cycle-counter');
  await expect(counter).toBeVisible({ timeout: 90_000 });
  const cycleOf = async () => Number(await counter.getAttribute('data-cycle'));
  expect(await cycleOf()).toBe(0);
  const frame0 = await page
    .locator('canvas')
    .first()
    .evaluate((c: HTMLCanvasElement) => c.toDataURL());

  await page.getByTestId('step').click();
  expect(await cycleOf()).toBe(1);
  await page.getByTestId('step').click();
  expect(await cycleOf()).toBe(2);
  await page.getByRole('button', { name: 'Step back one cycle' }).click();
  expect(await cycleOf()).toBe(1);

  await page.getByTestId('play').click();
  await expect.poll(cycleOf, { timeout: 10_000 }).toBeGreaterThan(4);
  await page.getByTestId('play').click();
  const paused = await cycleOf();
  await page.waitForTimeout(500);
  expect(await cycleOf()).toBe(paused);
  const frameN = await page
    .locator('canvas')
    .first()
    .evaluate((c: HTMLCanvasElement) => c.toDataURL());
  expect(frameN).not.toBe(frame0);
  await expect.poll(async () => (await linkState(page)).state.cycle).toBe(paused);

  // Keyboard: the grid takes arrow keys.
  await page.getByRole('group', { name: /Tile animation/ }).focus();
  await page.keyboard.press('ArrowRight');
  expect(await cycleOf()).toBe(paused + 1);
  await screenshot(page, 'pe-grid-animated');
});

test('no serious or critical accessibility violations in any view', async ({ page }) => {
  await page.goto('/');
  await waitForResult(page);
  const problems: string[] = [];
  for (const [, label] of VIEWS) {
    await page.getByRole('tab', { name: label }).click();
    await page.waitForTimeout(1500);
    await injectAxe(page);
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(
              ctx: Document,
              opts: object,
            ): Promise<{
              violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
            }>;
          };
        }
      ).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
    });
    for (const v of violations) {
      if (v.impact === 'serious' || v.impact === 'critical')
        problems.push(`${label}: ${v.id} (${v.impact}) at ${v.targets.join(' | ')}`);
    }
  }
  expect(problems).toEqual([]);
});
