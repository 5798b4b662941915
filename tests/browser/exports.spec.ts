import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import type { SimReport } from '../../src/sim/report';
import { LAYER_COLUMNS, RESULT_COLUMNS, toCsv } from '../../src/sim/reportFormat';
import { defaultLinkState, VIEW_IDS } from '../../src/ui/state/linkState';
import { encodeLink } from '../../src/ui/state/hash';
import { catalog, expect, test, waitForResult } from './fixtures';

const ctx = { catalog, customModelLoaded: false };

async function exportFile(page: Page, item: string): Promise<{ download: Download; bytes: Buffer }> {
  await page.getByTestId('export-menu').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`[role="menu"] [data-item="${item}"]`).click(),
  ]);
  return { download, bytes: readFileSync((await download.path())!) };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The CSV writes 6 significant digits (docs/output-format.md); integers exactly. */
function expectSixDigits(csv: string, want: number, what: string): void {
  const got = Number(csv);
  if (Number.isInteger(want)) expect(got, what).toBe(want);
  else expect(Math.abs(got - want), `${what}: ${csv} vs ${want}`).toBeLessThanOrEqual(Math.abs(want) * 5e-6);
}

function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
}

const NUMERIC_OF: Record<
  (typeof LAYER_COLUMNS)[number],
  (l: SimReport['layers'][number]) => number | string
> = {
  layer: (l) => l.name,
  kind: (l) => l.kind,
  macs: (l) => l.macs,
  pa: (l) => l.pa,
  pw: (l) => l.pw,
  weightSparsity: (l) => l.weightSparsity,
  actSparsity: (l) => l.actSparsity,
  meanTermsPerWeight: (l) => l.meanTermsPerWeight,
  meanTermsPerAct: (l) => l.meanTermsPerAct,
  termPotential: (l) => l.termPotential,
};

test('exports: CSV and JSON as the CLI writes them; SVG and PNG of every view', async ({ page }) => {
  test.setTimeout(300_000);
  const state = defaultLinkState();
  state.quant.weights.scheme = 'twn';
  state.accels = ['dadn', 'stripes', 'pragmatic', 'laconic', 'eie', 'dlac'];
  const hash = encodeLink(state, ctx);
  await page.goto(`/#${hash}`);
  await waitForResult(page);

  // The CLI on the same link.
  const cli = spawnSync('npx', ['tsx', 'src/cli/main.ts', '--config', hash, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(cli.status, cli.stderr).toBe(0);
  const cliJson = cli.stdout;
  const cliReport = JSON.parse(cliJson) as SimReport;

  const json = await exportFile(page, 'json');
  expect(json.download.suggestedFilename()).toBe('effectual-fmnist-resnet20.json');
  expect(json.bytes.toString('utf8')).toBe(cliJson);

  const csv = await exportFile(page, 'csv');
  const csvText = csv.bytes.toString('utf8');
  expect(csvText).toBe(toCsv(cliReport)); // what `--format csv` prints for this report
  const [header, ...rows] = parseCsv(csvText);
  const accels = cliReport.config.accels.filter((id) => cliReport.layers.some((l) => l.results[id]));
  // The documented columns, found by name (later columns, e.g. storage and energy, may follow).
  expect(header.slice(0, LAYER_COLUMNS.length)).toEqual([...LAYER_COLUMNS]);
  const column = (name: string) => {
    const i = header.indexOf(name);
    expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
    return i;
  };
  for (const id of accels) for (const c of RESULT_COLUMNS) column(`${id}.${c}`);
  expect(rows.length).toBe(cliReport.layers.length);
  rows.forEach((row, i) => {
    const layer = cliReport.layers[i];
    LAYER_COLUMNS.forEach((col, j) => {
      const want = NUMERIC_OF[col](layer);
      if (typeof want === 'string') expect(row[j]).toBe(want);
      else expectSixDigits(row[j], want, `${layer.name} ${col}`);
    });
    accels.forEach((id) => {
      const r = layer.results[id];
      const cell = (c: (typeof RESULT_COLUMNS)[number]) => row[column(`${id}.${c}`)];
      if (!r) {
        expect(cell('cycles')).toBe('');
        return;
      }
      const what = `${layer.name} ${id}`;
      expectSixDigits(cell('cycles'), r.cycles, `${what} cycles`);
      expectSixDigits(cell('baselineCycles'), r.baselineCycles, `${what} baselineCycles`);
      expectSixDigits(cell('speedup'), r.speedup, `${what} speedup`);
      expectSixDigits(cell('occupancy'), r.occupancy, `${what} occupancy`);
      expectSixDigits(cell('effectualWork'), r.effectualWork, `${what} effectualWork`);
      if (r.potential) expectSixDigits(cell('potential'), r.potential.speedup, `${what} potential`);
      else expect(cell('potential'), `${what} potential`).toBe('');
    });
  });

  for (const view of VIEW_IDS) {
    await page.locator(`#tab-${view}`).click();
    if (view === 'pe') await expect(page.getByTestId('cycle-counter')).toBeVisible({ timeout: 90_000 });
    if (view === 'occupancy')
      await expect(page.locator('#view-panel canvas').first()).toBeVisible({ timeout: 90_000 });
    if (view === 'terms')
      await expect(page.getByText('Terms per activation:')).toBeVisible({ timeout: 90_000 });
    if (view === 'compare') await expect(page.getByTestId('diff-table')).toBeVisible({ timeout: 90_000 });
    await expect(page.locator('#view-panel [role="status"]')).toHaveCount(0, { timeout: 90_000 });

    const svg = await exportFile(page, 'svg');
    expect(svg.download.suggestedFilename()).toBe(`effectual-fmnist-resnet20-${view}.svg`);
    const svgText = svg.bytes.toString('utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.getElementsByTagName('parsererror').length > 0,
        root: root.localName,
        width: Number(root.getAttribute('width')),
        height: Number(root.getAttribute('height')),
        texts: doc.getElementsByTagName('text').length,
      };
    }, svgText);
    expect(parsed.error, `${view}: SVG parses`).toBe(false);
    expect(parsed.root).toBe('svg');
    expect(parsed.width).toBeGreaterThan(300);
    expect(parsed.texts, `${view}: SVG has text`).toBeGreaterThan(5);

    const png = await exportFile(page, 'png');
    expect(png.download.suggestedFilename()).toBe(`effectual-fmnist-resnet20-${view}.png`);
    expect(pngSize(png.bytes)).toEqual({ width: parsed.width * 2, height: parsed.height * 2 });
    await png.download.saveAs(`test-results/screenshots/export-${view}.png`);
    if (view === 'overview') await svg.download.saveAs(`test-results/screenshots/export-${view}.svg`);
  }
});
