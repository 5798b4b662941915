import type { Page } from '@playwright/test';
import { runPipeline } from '../../src/sim/pipeline';
import type { SimReport } from '../../src/sim/report';
import type { SimConfig } from '../../src/sim/config';
import { presetConfig } from '../../src/sim/presets/papers';
import { loadInputs } from '../../src/cli/assets';
import { COMMANDS, keyLabel } from '../../src/ui/commands';
import { defaultLinkState, toSimConfig, VIEW_IDS, type LinkState } from '../../src/ui/state/linkState';
import { encodeLink } from '../../src/ui/state/hash';
import { SHIPPED_TOURS } from '../../src/ui/tours/shipped';
import { tourStepState } from '../../src/ui/tours/tourState';
import { fillTemplateText } from '../../src/ui/tours/template';
import { speedupFormula } from '../../src/ui/lib/format';
import { baselineShort } from '../../src/ui/lib/baselines';
import { catalog, expect, linkState, screenshot, test, waitForResult } from './fixtures';

const ctx = { catalog, customModelLoaded: false };

function nodeReport(config: SimConfig): SimReport {
  return runPipeline(config, loadInputs(config.model));
}

async function open(page: Page, state: LinkState): Promise<void> {
  await page.goto(`/#${encodeLink(state, ctx)}`);
}

/** Keys go to the page, not to whatever button was clicked last. */
async function press(page: Page, key: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(key);
}

async function current(page: Page): Promise<LinkState> {
  return (await linkState(page)).state;
}

test('presentation mode: every shortcut does what its table entry says; the help overlay lists them all', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const start = defaultLinkState();
  start.presentation = true;
  start.view = 'pe';
  start.layer = 'layers.0.conv1';
  start.speed = 16;
  await open(page, start);
  await expect(page.getByTestId('presentation-bar')).toBeVisible();
  await expect(page.locator('#settings')).toHaveCount(0);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('24px');
  const counter = page.getByTestId('cycle-counter');
  await expect(counter).toBeVisible({ timeout: 90_000 });
  const reference = nodeReport(toSimConfig(start));
  const layers = reference.layers.map((l) => l.name);
  await screenshot(page, 'presentation-pe');

  // The help overlay lists every command of the table with its keys.
  await press(page, '?');
  const help = page.getByTestId('help-dialog');
  await expect(help).toBeVisible();
  for (const c of COMMANDS) {
    const row = help.locator(`[data-command="${c.id}"]`);
    await expect(row, c.id).toContainText(c.label);
    for (const k of c.keys) await expect(row, c.id).toContainText(keyLabel(k));
  }
  await screenshot(page, 'help-overlay');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // Each command's key, checked against what its entry says.
  const checks: Record<string, () => Promise<void>> = {
    'view.next': async () => {
      await press(page, '1');
      await press(page, 'v');
      await expect.poll(async () => (await current(page)).view).toBe(VIEW_IDS[1]);
    },
    'view.previous': async () => {
      await press(page, '1');
      await press(page, 'Shift+V');
      await expect.poll(async () => (await current(page)).view).toBe(VIEW_IDS[VIEW_IDS.length - 1]);
    },
    'layer.next': async () => {
      await press(page, ']');
      await expect.poll(async () => (await current(page)).layer).toBe(layers[2]);
      await expect(page.locator(`[data-layer="${layers[2]}"]`)).toHaveAttribute('aria-current', 'true');
    },
    'layer.previous': async () => {
      await press(page, '[');
      await expect.poll(async () => (await current(page)).layer).toBe(layers[1]);
    },
    play: async () => {
      await press(page, '2');
      await expect(counter).toBeVisible({ timeout: 90_000 });
      const before = Number(await counter.getAttribute('data-cycle'));
      await press(page, 'p');
      await expect
        .poll(async () => Number(await counter.getAttribute('data-cycle')), { timeout: 10_000 })
        .toBeGreaterThan(before + 2);
      await press(page, 'p');
      const paused = Number(await counter.getAttribute('data-cycle'));
      await page.waitForTimeout(400);
      expect(Number(await counter.getAttribute('data-cycle'))).toBe(paused);
    },
    'cycle.next': async () => {
      const before = Number(await counter.getAttribute('data-cycle'));
      await press(page, '.');
      await expect(counter).toHaveAttribute('data-cycle', String(before + 1));
    },
    'cycle.previous': async () => {
      const before = Number(await counter.getAttribute('data-cycle'));
      await press(page, ',');
      await expect(counter).toHaveAttribute('data-cycle', String(before - 1));
    },
    'tour.next': async () => {
      // Outside a tour the arrow keys are left alone (tour steps are checked in the tour test).
      const before = await current(page);
      await press(page, 'ArrowRight');
      expect(await current(page)).toEqual(before);
    },
    'tour.previous': async () => {
      const before = await current(page);
      await press(page, 'ArrowLeft');
      expect(await current(page)).toEqual(before);
    },
    'tour.exit': async () => {
      const before = await current(page);
      await press(page, 'Escape');
      expect(await current(page)).toEqual(before);
    },
    presentation: async () => {
      await press(page, 'f');
      await expect(page.getByTestId('presentation-bar')).toHaveCount(0);
      await expect(page.getByRole('banner')).toContainText('Effectual');
      await expect.poll(async () => (await current(page)).presentation).toBe(false);
      await press(page, 'f');
      await expect(page.getByTestId('presentation-bar')).toBeVisible();
      await expect.poll(async () => (await current(page)).presentation).toBe(true);
    },
    settings: async () => {
      await press(page, 'f');
      await expect(page.locator('#settings')).toBeVisible();
      await press(page, 's');
      await expect(page.locator('#settings')).toBeHidden();
      await press(page, 's');
      await expect(page.locator('#settings')).toBeVisible();
      await press(page, 'f');
    },
    explain: async () => {
      await press(page, 'e');
      await expect(page.getByTestId('explain-panel')).toBeVisible();
      await press(page, 'e');
      await expect(page.getByTestId('explain-panel')).toHaveCount(0);
    },
    help: async () => {
      await press(page, '?');
      await expect(page.getByTestId('help-dialog')).toBeVisible();
      await page.keyboard.press('Escape');
    },
  };
  for (const [i, id] of VIEW_IDS.entries()) {
    checks[`view.${id}`] = async () => {
      await press(page, String(i + 1));
      await expect.poll(async () => (await current(page)).view).toBe(id);
      await expect(page.locator(`#tab-${id}`)).toHaveAttribute('aria-selected', 'true');
    };
  }
  expect(Object.keys(checks).sort(), 'every command has a check').toEqual(COMMANDS.map((c) => c.id).sort());
  for (const c of COMMANDS) await test.step(c.id, checks[c.id]);

  // A classroom link: presentation mode with the layer list and the player hidden.
  const classroom = defaultLinkState();
  classroom.presentation = true;
  classroom.hide = ['layers', 'player'];
  classroom.view = 'pe';
  await open(page, classroom);
  await expect(page.getByRole('group', { name: /Tile animation/ })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('play')).toBeHidden(); // the whole player row (with its counter) is hidden
  await expect(page.getByLabel('Accelerator', { exact: true })).toBeVisible(); // the picker is not
  await expect(page.getByRole('navigation', { name: 'Layers' })).toHaveCount(0);
  await press(page, '.');
  await expect.poll(async () => (await current(page)).cycle).toBe(1);
  await screenshot(page, 'presentation-classroom');
});

test('a tour played through from its link: captions advance with the arrow keys, the state follows', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const tour = SHIPPED_TOURS.find((t) => t.id === 'bit-level')!;
  // The state of step 1 encodes as the tour alone (plus the presentation flag), as a shared tour link does.
  const link = tourStepState(tour, 0, ctx);
  link.tour = { id: tour.id, step: 0 };
  link.presentation = true;
  await open(page, link);
  const panel = page.getByTestId('tour-panel');
  await expect(panel).toBeVisible();
  const reports = new Map<string, SimReport>();
  for (let i = 0; i < tour.steps.length; i++) {
    const expected = tourStepState(tour, i, ctx);
    await expect(panel).toHaveAttribute('data-step', String(i));
    await expect(page.getByTestId('tour-step')).toHaveText(`Step ${i + 1} of ${tour.steps.length}`);
    const keys = ['model', 'view', 'layer', 'accels', 'quant', 'gridAccel'] as const;
    const pick = (state: LinkState) => Object.fromEntries(keys.map((key) => [key, state[key]]));
    // The link is written just after the key's task, so wait for it to follow the panel.
    await expect
      .poll(async () => pick(await current(page)), { message: `step ${i + 1}` })
      .toEqual(pick(expected));
    const config = toSimConfig(expected);
    const configKey = JSON.stringify(config);
    if (!reports.has(configKey)) reports.set(configKey, nodeReport(config));
    const report = reports.get(configKey)!;
    const step = tour.steps[i];
    if (step.predict) {
      // Predict, then reveal: no caption, no view until the guess is in.
      await expect(page.getByTestId('tour-caption')).toHaveCount(0);
      await expect(page.getByTestId('concealed').first()).toBeVisible();
      await expect(page.locator('#view-panel')).not.toContainText(
        fillTemplateText(step.predict.answer, report),
      );
      await page.getByPlaceholder('your guess').fill('3');
      await screenshot(page, 'tour-predict');
      await page.getByTestId('reveal').click();
      await expect(page.getByTestId('answer')).toHaveText(fillTemplateText(step.predict.answer, report), {
        timeout: 90_000,
      });
    }
    // The caption quotes the live numbers: the same text the Node core's report gives.
    await expect(page.getByTestId('tour-caption')).toHaveText(fillTemplateText(step.caption, report), {
      timeout: 90_000,
    });
    await screenshot(page, `tour-${tour.id}-${i + 1}`);
    if (i < tour.steps.length - 1) await press(page, 'ArrowRight');
  }
  await press(page, 'ArrowRight'); // stays on the last step
  await expect(panel).toHaveAttribute('data-step', String(tour.steps.length - 1));
  await press(page, 'ArrowLeft');
  await expect(panel).toHaveAttribute('data-step', String(tour.steps.length - 2));
  // The link carries the tour: reloading keeps the step.
  await page.reload();
  await expect(page.getByTestId('tour-panel')).toHaveAttribute('data-step', String(tour.steps.length - 2));
  await press(page, 'Escape');
  await expect(page.getByTestId('tour-panel')).toHaveCount(0);
  // The link is written just after the key's task (history.pushState is deferred), so wait for it.
  await expect.poll(async () => (await current(page)).tour).toBeNull();
});

test('a custom tour travels in the link', async ({ page }) => {
  const link = defaultLinkState();
  link.tour = {
    custom: {
      title: 'Lecture 3',
      steps: [
        { caption: 'Float model: DLAC {speedup:dlac}.', state: { accels: ['dadn', 'dlac'] } },
        {
          caption: 'Ternary: DLAC {speedup:dlac}.',
          state: { quant: { weights: { scheme: 'twn' } }, view: 'quant' },
        },
      ],
    },
    step: 0,
  };
  await open(page, link);
  const caption = page.getByTestId('tour-caption');
  const first = nodeReport(toSimConfig(tourStepState(link.tour.custom, 0, ctx)));
  await expect(caption).toHaveText(`Float model: DLAC ${fillTemplateText('{speedup:dlac}', first)}.`, {
    timeout: 90_000,
  });
  await page.getByTestId('tour-next').click();
  const second = nodeReport(toSimConfig(tourStepState(link.tour.custom, 1, ctx)));
  await expect(caption).toHaveText(`Ternary: DLAC ${fillTemplateText('{speedup:dlac}', second)}.`, {
    timeout: 90_000,
  });
  await expect.poll(async () => (await current(page)).quant.weights.scheme).toBe('twn');
  await expect(page.getByRole('tab', { name: 'Quantisation' })).toHaveAttribute('aria-selected', 'true');
});

test('explanations: the side note shows each formula with the live values', async ({ page }) => {
  const start = defaultLinkState();
  start.layer = 'layers.3.conv1';
  await open(page, start);
  await waitForResult(page);
  const report = nodeReport(toSimConfig(start));
  await press(page, 'e');
  const panel = page.getByTestId('explain-panel');
  const layer = report.layers.find((l) => l.name === 'layers.3.conv1')!;
  const r = layer.results.pragmatic!;
  await expect(panel.locator('[data-explain="speedup"]').first()).toContainText(
    speedupFormula(r.baselineCycles, r.cycles, r.speedup, baselineShort('pragmatic')),
  );
  for (const id of ['cycles', 'occupancy', 'potential', 'weightSparsity', 'actSparsity'])
    await expect(panel.locator(`[data-explain="${id}"]`).first()).toContainText('=');
  // Pointing at any number puts its formula into the side note.
  await page.getByTestId('total-dlac').hover();
  await expect(page.getByTestId('explain-pointed')).toContainText(
    `${report.totals.results.dlac!.baselineCycles.toLocaleString('en-US')} / ${report.totals.results.dlac!.cycles.toLocaleString('en-US')}`,
  );
  // Keyboard: the accelerator choice is reachable and changes the explanation.
  await panel.getByLabel('Accelerator to explain').selectOption('dlac');
  const d = layer.results.dlac!;
  await expect(panel.locator('[data-explain="speedup"]').first()).toContainText(
    speedupFormula(d.baselineCycles, d.cycles, d.speedup, baselineShort('dlac')),
  );
  await screenshot(page, 'explain-panel');
});

test('a paper preset from the menu sets the configuration and the link', async ({ page }) => {
  await page.goto('/');
  await waitForResult(page);
  await page.getByLabel('Paper preset').selectOption('pragmatic');
  await waitForResult(page);
  const preset = presetConfig('pragmatic');
  const shown = toSimConfig(await current(page));
  expect(shown.model).toBe(preset.model);
  expect(shown.quant).toEqual(preset.quant);
  expect(shown.accels).toEqual(preset.accels);
  // Parameters equal to their declared default are left out of links; the rest must match.
  for (const [name, value] of Object.entries(preset.params)) {
    const [id, param] = name.split('.');
    const declared = catalog[id as keyof typeof catalog]?.find((p) => p.name === param)?.default;
    expect(shown.params[name] ?? declared, name).toBe(value);
  }
  await expect(page.getByTestId('total-pragmatic')).toBeVisible();
  await expect(page.getByTestId('total-laconic')).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Paper preset')).toHaveValue('pragmatic');
  await screenshot(page, 'preset-pragmatic');
});

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
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
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) at ${v.targets.join(' | ')}`);
}

test.describe('accessibility', () => {
  // axe is injected as an inline script, which the built page's Content-Security-Policy (rightly) refuses.
  test.use({ bypassCSP: true });

  test('no serious or critical accessibility violations in the teaching features', async ({ page }) => {
    test.setTimeout(240_000);
    const problems: string[] = [];
    const tourLink = defaultLinkState();
    tourLink.tour = { id: 'bit-level', step: 2 };
    tourLink.presentation = true;
    await open(page, tourLink);
    await expect(page.getByTestId('prediction')).toBeVisible();
    problems.push(...(await seriousViolations(page, 'tour with a prediction')));
    await page.getByTestId('reveal').click();
    await expect(page.getByTestId('tour-caption')).toBeVisible();
    problems.push(...(await seriousViolations(page, 'tour, revealed')));

    const compare = defaultLinkState();
    compare.view = 'compare';
    compare.b = { ws: 'twn' };
    await open(page, compare);
    await expect(page.getByTestId('diff-table')).toBeVisible({ timeout: 90_000 });
    await press(page, 'e');
    await expect(page.getByTestId('explain-panel')).toBeVisible();
    problems.push(...(await seriousViolations(page, 'compare + explain')));
    await page.getByTestId('commands-menu').click();
    await expect(page.getByRole('menu')).toBeVisible();
    problems.push(...(await seriousViolations(page, 'commands menu')));
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toHaveCount(0);
    await expect(page.getByTestId('commands-menu')).toBeFocused();
    await press(page, '?');
    problems.push(...(await seriousViolations(page, 'help overlay')));
    expect(problems).toEqual([]);
  });
});

test('the Commands menu runs the table’s commands from the keyboard', async ({ page }) => {
  await page.goto('/');
  await waitForResult(page);
  await page.getByTestId('commands-menu').focus();
  await page.keyboard.press('Enter');
  const items = page.getByRole('menuitem');
  await expect(items.first()).toBeFocused();
  expect(await items.count()).toBe(COMMANDS.length);
  for (const [i, c] of COMMANDS.entries()) await expect(items.nth(i)).toContainText(c.label);
  await page.keyboard.press('ArrowDown'); // second command: show the PE grid
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect.poll(async () => (await current(page)).view).toBe(VIEW_IDS[1]);
  // Commands that do not apply now (tour steps outside a tour) are greyed out.
  await page.getByTestId('commands-menu').click();
  await expect(page.locator('[data-item="tour.next"]')).toBeDisabled();
  await screenshot(page, 'commands-menu');
});
