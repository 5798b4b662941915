import type { Page } from '@playwright/test';
import { runPipeline, parseDataset } from '../../src/sim/pipeline';
import type { SimConfig } from '../../src/sim/config';
import type { SimReport } from '../../src/sim/report';
import type { ModelId } from '../../src/sim/accel/types';
import { defaultLinkState, toSimConfig } from '../../src/ui/state/linkState';
import { encodeLink } from '../../src/ui/state/hash';
import { presetConfig } from '../../src/sim/presets/papers';
import { catalog, expect, injectAxe, linkState, modelFile, test } from './fixtures';

/** The configuration run in Node through the same core, for the numbers the page must show. */
function nodeReport(config: SimConfig): SimReport {
  return runPipeline(config, {
    modelBytes: modelFile(`${config.model}.onnx`),
    dataset: parseDataset(modelFile('fmnist-test.bin')),
  });
}

const UNIT_PJ: Record<string, number> = { pJ: 1, nJ: 1e3, µJ: 1e6, mJ: 1e9 };

/** "1,037 µJ" -> 1.037e9 (pJ). */
function shownPicojoules(text: string): number {
  const m = /([\d,.]+)\s*(pJ|nJ|µJ|mJ)/.exec(text);
  if (!m) throw new Error(`no energy in '${text}'`);
  return Number(m[1].replaceAll(',', '')) * UNIT_PJ[m[2]];
}

/** The numbers after "compute", "SRAM", "DRAM" and the total in a formula tooltip (pJ, grouped). */
function formulaParts(title: string): { compute: number; sram: number; dram: number; total: number } {
  const num = (re: RegExp) => Number(re.exec(title)![1].replaceAll(',', ''));
  return {
    compute: num(/compute ([\d,.]+) pJ/),
    sram: num(/SRAM ([\d,.]+) pJ/),
    dram: num(/DRAM ([\d,.]+) pJ/),
    total: num(/= ([\d,.]+) pJ =/),
  };
}

function close(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    rel * Math.abs(expected),
  );
}

async function shotOf(page: Page, sectionHeading: string, name: string): Promise<void> {
  await page.getByRole('heading', { name: sectionHeading }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

/** Every number of the energy totals and the storage totals equals the Node report's. */
async function expectReportShown(page: Page, ref: SimReport): Promise<void> {
  const ids = (Object.keys(ref.totals.energy) as ModelId[]).filter((id) => ref.config.accels.includes(id));
  await expect(page.locator('[data-testid^="energy-total-"]')).toHaveCount(ids.length);
  for (const id of ids) {
    const t = ref.totals.energy[id]!;
    const cell = page.getByTestId(`energy-total-${id}`);
    await expect
      .poll(async () => shownPicojoules(await cell.innerText()), { timeout: 90_000 })
      .toBeGreaterThan(0);
    close(shownPicojoules(await cell.innerText()), t.total, 5e-4);
    const parts = formulaParts((await cell.locator('xpath=..').getAttribute('title')) ?? '');
    close(parts.compute, t.compute, 1e-6);
    close(parts.sram, t.sram, 1e-6);
    close(parts.dram, t.dram, 1e-6);
    close(parts.total, t.total, 1e-6);
  }
  const bitsOf = async (key: string) =>
    Number((await page.getByTestId(`storage-total-${key}`).innerText()).split(' ')[0].replaceAll(',', ''));
  expect(await bitsOf('configured')).toBe(ref.totals.storage.configured.bits);
  for (const [id, f] of Object.entries(ref.totals.storage.formats)) expect(await bitsOf(id), id).toBe(f.bits);
}

async function waitForEnergy(page: Page, ref: SimReport, id: ModelId): Promise<void> {
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  const cell = page.getByTestId(`energy-total-${id}`);
  await expect
    .poll(async () => ((await cell.count()) > 0 ? shownPicojoules(await cell.innerText()) : 0), {
      timeout: 90_000,
    })
    .toBeCloseTo(ref.totals.energy[id]!.total, -Math.floor(Math.log10(ref.totals.energy[id]!.total)) + 3);
}

/** axe-core violations of impact serious or critical on the page as it is. */
async function seriousA11yViolations(page: Page): Promise<string[]> {
  await injectAxe(page);
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<Result> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}) at ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
  });
}

test('memory & energy: the page shows the Node core’s storage and energy, the constants are editable', async ({
  page,
}) => {
  const start = defaultLinkState();
  start.view = 'energy';
  await page.goto(`/#${encodeLink(start, { catalog, customModelLoaded: false })}`);
  const ref = nodeReport(toSimConfig(start));
  await waitForEnergy(page, ref, 'dadn');
  const panel = page.locator('#view-panel');
  await expect(panel.getByText('Energy is an estimate')).toBeVisible();
  await expect(panel.getByText('Horowitz')).toBeVisible();
  await expectReportShown(page, ref);
  await page.screenshot({ path: 'test-results/screenshots/view-energy.png' });
  await shotOf(page, `${ref.layers[0].name} on each accelerator`, 'view-energy-terms');
  await shotOf(page, 'Constants of the estimate', 'view-energy-constants');
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Editing a constant changes the configuration, the link and every energy number.
  await page.getByTestId('energy-constant-dramPerWord').fill('2560');
  const edited = nodeReport({ ...toSimConfig(start), energy: { dramPerWord: 2560 } });
  await waitForEnergy(page, edited, 'dadn');
  await expect.poll(async () => (await linkState(page)).state.energy).toEqual({ dramPerWord: 2560 });
  await expectReportShown(page, edited);
  await page.getByRole('button', { name: /Reset all constants/ }).click();
  await waitForEnergy(page, ref, 'dadn');
  await expect.poll(async () => (await linkState(page)).state.energy).toEqual({});
});

test('the EIE and Yin et al. stories come from the paper presets', async ({ page }) => {
  const start = defaultLinkState();
  start.view = 'energy';
  await page.goto(`/#${encodeLink(start, { catalog, customModelLoaded: false })}`);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });

  await page.getByRole('button', { name: /Load the preset “EIE/ }).click();
  const eie = nodeReport(presetConfig('eie'));
  await waitForEnergy(page, eie, 'eie');
  await expectReportShown(page, eie);
  const fc = eie.layers.at(-1)!;
  await page.locator(`[data-layer="${fc.name}"]`).click();
  for (const id of ['fp32', 'pruned', 'deepCompression', 'eieCsc'] as const) {
    const shown = await page.getByTestId(`layer-storage-${id}`).innerText();
    expect(Number(shown.split(' ')[0].replaceAll(',', '')), id).toBe(fc.storage.formats[id]!.bits);
  }
  await expect(page.getByTestId('eie-story')).toContainText('DRAM → SRAM');
  await shotOf(page, `${fc.name}: from dense to compressed`, 'energy-eie-steps');
  await shotOf(page, 'Two papers’ stories on the shipped model', 'energy-eie-story');

  await page.getByRole('button', { name: /Load the preset “Block sparsity/ }).click();
  const yin = nodeReport(presetConfig('yin-cgs'));
  await waitForEnergy(page, yin, 'dlac');
  await expectReportShown(page, yin);
  await expect(page.getByTestId('yin-story')).toContainText('3-bit weights');
  await shotOf(page, 'Two papers’ stories on the shipped model', 'energy-yin-story');
});
