import type { Page } from '@playwright/test';
import type { EffectualTestHooks } from '../../src/ui/state/simClient';
import type { TestFault } from '../../src/workers/testHooks';
import { defaultLinkState, type LinkState } from '../../src/ui/state/linkState';
import { encodeLink } from '../../src/ui/state/hash';
import { catalog, expect, linkState, modelFile, screenshot, test, waitForResult } from './fixtures';

const ctx = { catalog, customModelLoaded: false };

/**
 * Longest main-thread stall allowed while the page is hammered with control changes (worker restarts,
 * re-renders, link encoding): the longest gap between two animation frames, and a rAF round trip from the
 * test; the longest task must stay under half of it. Generous, because the test machine has 2 cores shared
 * with other jobs (measured there: frame gaps 120-220 ms, tasks 40-130 ms); a page blocked by a simulation
 * on the main thread would take seconds.
 */
const MAX_FRAME_GAP_MS = 1_000;

function startState(): LinkState {
  const state = defaultLinkState();
  state.quant.weights.scheme = 'twn';
  state.accels = ['dadn', 'stripes', 'pragmatic', 'laconic', 'dlac'];
  return state;
}

async function injectFault(page: Page, fault: TestFault): Promise<void> {
  await page.evaluate(
    (f) => (window as unknown as { __effectualTest: EffectualTestHooks }).__effectualTest.injectFault(f),
    fault,
  );
}

/** Overview totals with their formula tooltips (Σ baseline cycles / Σ cycles), per accelerator. */
async function totalsWithFormulas(page: Page): Promise<Record<string, string>> {
  const cells = page.locator('[data-testid^="total-"]');
  const out: Record<string, string> = {};
  for (let i = 0; i < (await cells.count()); i++) {
    const cell = cells.nth(i);
    out[(await cell.getAttribute('data-testid'))!] =
      `${await cell.innerText()} | ${await cell.getAttribute('title')}`;
  }
  return out;
}

/** What the user set: the link and the values the controls show. */
async function userSettings(page: Page): Promise<Record<string, unknown>> {
  const checkboxes = page.getByRole('complementary', { name: 'Settings' }).getByRole('checkbox');
  const checked: string[] = [];
  for (let i = 0; i < (await checkboxes.count()); i++) {
    const box = checkboxes.nth(i);
    if (await box.isChecked()) checked.push((await box.getAttribute('id')) ?? String(i));
  }
  return {
    hash: await page.evaluate(() => window.location.hash),
    scheme: await page.getByLabel('Quantisation scheme').inputValue(),
    images: await page.getByRole('spinbutton', { name: 'Test images (N)' }).inputValue(),
    checked: checked.length,
  };
}

/** Counts the simulation workers the page starts (the first one and every restart). */
function countSimWorkers(page: Page): () => number {
  let started = 0;
  page.on('worker', (w) => {
    if (/sim\.worker/.test(w.url())) started++;
  });
  return () => started;
}

const crashBanner = (page: Page) =>
  page.getByRole('alert').filter({ hasText: 'The simulation worker crashed and was restarted' });

test('a crash or out-of-memory in the worker: an error in the page, a new worker, the same settings', async ({
  page,
}) => {
  test.setTimeout(360_000);
  const workers = countSimWorkers(page);
  await page.goto(`/?testHooks#${encodeLink(startState(), ctx)}`);
  await waitForResult(page);
  const totals = await totalsWithFormulas(page);
  const settings = await userSettings(page);
  expect(workers()).toBe(1);

  // While idle: an uncaught exception, and allocations until the allocator refuses (uncaught RangeError).
  const idleFaults: Array<[TestFault, RegExp]> = [
    ['crash', /test fault: the simulation worker crashed/],
    ['out-of-memory', /Array buffer allocation failed/],
  ];
  for (const [fault, message] of idleFaults) {
    const before = workers();
    await injectFault(page, fault);
    await expect(crashBanner(page)).toContainText(message);
    await expect.poll(workers, { message: `${fault}: a new worker` }).toBe(before + 1);
    expect(await userSettings(page), fault).toEqual(settings);
    await screenshot(page, `fault-${fault}`);
    await crashBanner(page).getByRole('button', { name: 'Retry' }).click();
    await expect(crashBanner(page)).toHaveCount(0);
    await waitForResult(page);
    expect(await totalsWithFormulas(page), fault).toEqual(totals);
    expect(await userSettings(page), fault).toEqual(settings);
  }

  // During a computation: the crash comes while the page is computing the user's new configuration, which
  // stays (link and controls) and is computed on Retry.
  await injectFault(page, 'crash-in-next-simulation');
  let before = workers();
  await page.getByRole('checkbox', { name: /^Laconic/ }).uncheck();
  await expect(crashBanner(page)).toContainText('during a simulation');
  await expect.poll(workers).toBe(before + 1);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'ready');
  const changed = await userSettings(page);
  expect(changed.hash).not.toBe(settings.hash);
  await expect.poll(async () => (await linkState(page)).state.accels).not.toContain('laconic');
  await expect(page.getByRole('checkbox', { name: /^Laconic/ })).not.toBeChecked();
  await crashBanner(page).getByRole('button', { name: 'Retry' }).click();
  await waitForResult(page);
  await expect(page.getByTestId('total-laconic')).toHaveCount(0);
  const afterCrash = await totalsWithFormulas(page);
  expect(await userSettings(page)).toEqual(changed);

  // Out of memory inside a simulation: that computation fails with the allocator's message; the worker
  // lives on and Retry computes the same configuration.
  await injectFault(page, 'out-of-memory-in-next-simulation');
  before = workers();
  await page.getByRole('checkbox', { name: /^Laconic/ }).check();
  await expect(page.getByTestId('compute-error')).toContainText('Array buffer allocation failed');
  const withLaconic = await userSettings(page);
  expect(withLaconic.hash).toBe(settings.hash);
  await page.getByRole('alert').getByRole('button', { name: 'Retry' }).click();
  await waitForResult(page);
  expect(await totalsWithFormulas(page)).toEqual(totals);
  expect(workers()).toBe(before);

  // The state after the crash equals a fresh load of its link.
  await page.goto(`/${changed.hash as string}`);
  await waitForResult(page);
  expect(await totalsWithFormulas(page)).toEqual(afterCrash);
});

test('a model whose loading fails: the error is shown, the settings stay, Retry recovers', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const start = startState();
  const hash = `#${encodeLink(start, ctx)}`;
  const onnx = modelFile('fmnist-resnet20.onnx');
  const failures: Array<[string, (route: import('@playwright/test').Route) => Promise<void>, RegExp]> = [
    ['server error', (route) => route.fulfill({ status: 500, body: 'broken' }), /500/],
    [
      'truncated file',
      (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/octet-stream',
          body: Buffer.from(onnx.subarray(0, onnx.length >> 1)),
        }),
      /truncated|ended|damaged|not.*ONNX/i,
    ],
  ];
  let reference: Record<string, string> | null = null;
  for (const [label, serve, message] of failures) {
    await page.route('**/models/fmnist-resnet20.onnx', serve);
    await page.goto('about:blank');
    await page.goto(`/${hash}`);
    await expect(page.getByTestId('compute-error'), label).toContainText(message, { timeout: 90_000 });
    await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'ready');
    expect(await page.evaluate(() => window.location.hash), label).toBe(hash);
    await expect(page.getByLabel('Quantisation scheme')).toHaveValue('twn');
    await screenshot(page, `fault-model-${label.replace(' ', '-')}`);
    // The file comes back: Retry computes the configuration.
    await page.unroute('**/models/fmnist-resnet20.onnx');
    await page.getByRole('alert').getByRole('button', { name: 'Retry' }).click();
    await waitForResult(page);
    const totals = await totalsWithFormulas(page);
    if (reference) expect(totals, label).toEqual(reference);
    reference = totals;
  }
});

test('100 control changes in 5 s: the page stays responsive and ends where a fresh load ends', async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  await page.goto(`/#${encodeLink(startState(), ctx)}`);
  await waitForResult(page);
  const controls = {
    laconic: await page.getByRole('checkbox', { name: /^Laconic/ }).elementHandle(),
    stripes: await page.getByRole('checkbox', { name: /^Stripes/ }).elementHandle(),
    images: await page.getByRole('spinbutton', { name: 'Test images (N)' }).elementHandle(),
  };

  // The changes are made in the page, on a schedule: Playwright's key presses take about 120 ms each on
  // the shared test machine, too slow for this rate. A checkbox is clicked (the same events as Space), the
  // number box stepped as its arrow keys do (stepUp/stepDown, then an input event). Twenty bursts of five
  // changes 8 ms apart, one burst every 240 ms (longer than the 120 ms debounce, so computations start
  // and are superseded, restarting the worker, all along). The number bursts go up, down, up, down, up,
  // except bursts 5 and 13, which go down, up, down, up, down.
  const storm = await page.evaluate(async ({ laconic, stripes, images }) => {
    const box = images as HTMLInputElement;
    const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));
    let maxGap = 0;
    let lastFrame = performance.now();
    let running = true;
    const frame = (now: number) => {
      maxGap = Math.max(maxGap, now - lastFrame);
      lastFrame = now;
      if (running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    let longestTask = 0;
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longestTask = Math.max(longestTask, e.duration);
    });
    observer.observe({ type: 'longtask' });

    const start = performance.now();
    let lateness = 0;
    let handler = 0;
    let changes = 0;
    for (let burst = 0; burst < 20; burst++) {
      const control = burst % 4 === 0 ? laconic : burst % 4 === 2 ? stripes : images;
      for (let k = 0; k < 5; k++) {
        const due = start + burst * 240 + k * 8;
        await sleepUntil(due);
        const t = performance.now();
        lateness = Math.max(lateness, t - due);
        if (control === images) {
          if ((k % 2 === 0) !== (burst % 8 === 5)) box.stepUp();
          else box.stepDown();
          box.dispatchEvent(new Event('input', { bubbles: true }));
        } else (control as HTMLInputElement).click();
        handler = Math.max(handler, performance.now() - t);
        changes++;
      }
    }
    const elapsed = performance.now() - start;
    // Until the final configuration's result is on screen.
    await new Promise<void>((resolve) => {
      const check = () =>
        document.querySelector('[data-testid="status"]')?.getAttribute('data-state') === 'ready' &&
        performance.now() - start > elapsed + 300
          ? resolve()
          : setTimeout(check, 50);
      check();
    });
    running = false;
    observer.disconnect();
    return { changes, elapsed, lateness, handler, maxGap, longestTask, images: Number(box.value) };
  }, controls);
  console.log(
    `${storm.changes} changes in ${storm.elapsed.toFixed(0)} ms; timers late by at most ` +
      `${storm.lateness.toFixed(0)} ms; longest change handler ${storm.handler.toFixed(0)} ms; longest ` +
      `frame gap ${storm.maxGap.toFixed(0)} ms; longest task ${storm.longestTask.toFixed(0)} ms`,
  );
  expect(storm.changes).toBe(100);
  expect(storm.elapsed).toBeLessThan(5_000 + MAX_FRAME_GAP_MS);
  // Timer lateness is logged, not bounded: with the page busy but never blocked (no long task near the
  // bound), Chromium still runs rendering and input before timers, and a timer was seen more than 1 s late.
  expect(storm.maxGap).toBeLessThan(MAX_FRAME_GAP_MS);
  expect(storm.longestTask).toBeLessThan(MAX_FRAME_GAP_MS / 2);

  // A round trip from the test to the page's next frame stays short as well.
  const roundTrips: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = Date.now();
    await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
    roundTrips.push(Date.now() - t);
  }
  console.log(`rAF round trips from the test: ${roundTrips.join(', ')} ms`);
  expect(Math.max(...roundTrips)).toBeLessThan(MAX_FRAME_GAP_MS);
  await waitForResult(page);

  // No change was lost: 25 clicks each on Laconic and Stripes leave both off; N is 1 + 8 − 2.
  const { state } = await linkState(page);
  expect(state.images).toBe(storm.images);
  expect(state.images).toBe(7);
  expect(state.accels).not.toContain('laconic');
  expect(state.accels).not.toContain('stripes');
  const final = await totalsWithFormulas(page);
  await screenshot(page, 'fault-storm-final');

  const fresh = await context.newPage();
  await fresh.goto(`/#${encodeLink(state, ctx)}`);
  await waitForResult(fresh);
  expect(await totalsWithFormulas(fresh)).toEqual(final);
  await fresh.close();
});
