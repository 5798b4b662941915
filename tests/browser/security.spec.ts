import type { Page } from '@playwright/test';
import type { EffectualTestHooks } from '../../src/ui/state/simClient';
import { deflateSync, strToU8 } from 'fflate';
import { toBase64Url } from '../../src/ui/state/base64url';
import { expect, modelFile, test, waitForResult } from './fixtures';

/** Records CSP violations of the page from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__violations.push(
        `${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`,
      ),
    );
  });
  return () => page.evaluate(() => [...(window as unknown as { __violations: string[] }).__violations]);
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...sources]) => [name, sources]),
  );
}

interface TestWindow {
  __effectualTest: EffectualTestHooks;
  __inlineRan?: number;
}

test('the built page carries the CSP, has no inline script, and runs under it without a violation', async ({
  page,
  consoleErrors,
}) => {
  test.setTimeout(240_000);
  const violations = await watchViolations(page);
  const response = await page.goto('/?testHooks');
  // The page as served: every script is an external file; no inline event handlers.
  const html = await response!.text();
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attrs, body] of scripts) {
    expect(attrs).toMatch(/\bsrc=/);
    expect(body.trim()).toBe('');
  }
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).toContain('http-equiv="Content-Security-Policy"');
  // The policy as a header (reaches the workers) and as a <meta> tag (for servers that cannot set headers).
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toBeTruthy();
  expect(response!.headers()['content-security-policy']).toBe(meta);
  const policy = directives(meta!);
  expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  expect(policy.get('default-src')).toEqual(["'self'"]);
  expect(policy.get('worker-src')).toEqual(["'self'"]);
  expect(policy.get('connect-src')).toEqual(["'self'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('base-uri')).toEqual(["'self'"]);
  for (const sources of policy.values()) {
    expect(sources).not.toContain("'unsafe-eval'");
    expect(sources).not.toContain("'unsafe-inline'");
  }
  expect(await page.evaluate(() => [...document.scripts].filter((s) => !s.src).length)).toBe(0);

  // Load, simulate, visit every view, animate the PE grid.
  await waitForResult(page);
  const tabs = page.getByRole('tab');
  const tabCount = await tabs.count();
  expect(tabCount).toBeGreaterThanOrEqual(7);
  for (let i = 0; i < tabCount; i++) {
    await tabs.nth(i).click();
    await expect(tabs.nth(i)).toHaveAttribute('aria-selected', 'true');
    await page.waitForTimeout(1_000);
  }
  await page.getByRole('tab', { name: 'PE grid' }).click();
  const counter = page.getByTestId('cycle-counter');
  await expect(counter).toBeVisible({ timeout: 90_000 });
  await page.getByTestId('play').click();
  await expect
    .poll(async () => Number(await counter.getAttribute('data-cycle')), { timeout: 20_000 })
    .toBeGreaterThan(3);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'ready');
  expect(await violations()).toEqual([]);
  expect(consoleErrors).toEqual([]);

  // The policy is in force. In the simulation worker (asked by the app's own code: code evaluated through
  // DevTools is exempt from CSP) the WebAssembly kernels compiled and eval is refused; in the page an inline
  // script and an inline event handler added to the DOM do not run, and the listener sees both.
  const probe = await page.evaluate(() => (window as unknown as TestWindow).__effectualTest.probeWorker());
  expect(probe).toEqual({ wasmKernels: true, evalAllowed: false });
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = 1';
    document.head.append(script);
    const div = document.createElement('div');
    div.setAttribute('onclick', 'window.__inlineRan = 2');
    document.body.append(div);
    div.click();
    div.remove();
  });
  expect(await page.evaluate(() => (window as unknown as TestWindow).__inlineRan)).toBeUndefined();
  // Each is reported once per policy (header and <meta>).
  await expect
    .poll(async () => [...new Set((await violations()).map((v) => v.split(' ')[0]))].sort())
    .toEqual(['script-src-attr', 'script-src-elem']);
  // These refusals (and the worker's refused eval) are logged as console errors, as they should be.
  await page.waitForTimeout(500);
  const expected = /Content Security Policy|unsafe-eval|unsafe-inline/;
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !expected.test(e)));
});

const MARKUP = '<img src=x onerror="window.__pwned=1">';

async function expectNotExecuted(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
}

test('markup in a link is shown as text in the notices and the tour, never run', async ({ page }) => {
  const violations = await watchViolations(page);
  const payload = {
    m: 'fmnist-resnet20',
    l: MARKUP,
    ws: '<script>window.__pwned=3</script>',
    [`<img src=y onerror=window.__pwned=2>`]: 1,
    t: {
      custom: {
        title: `Tour ${MARKUP}`,
        steps: [{ caption: `Caption ${MARKUP} {speedup:dlac}` }],
      },
      step: 0,
    },
  };
  await page.goto(`/#1.${toBase64Url(deflateSync(strToU8(JSON.stringify(payload))))}`);
  const notices = page.getByTestId('link-notices');
  await expect(notices).toContainText('"<script>window.__pwned=3</script>" is not one of');
  await expect(notices).toContainText('<img src=y onerror=window.__pwned=2>');
  // The unknown layer is reported once the report arrives, quoted literally.
  await expect(notices).toContainText(`layer: "${MARKUP}" is not in`, { timeout: 90_000 });
  await expect(page.getByTestId('tour-panel')).toContainText(`Tour ${MARKUP}`);
  await expect(page.getByTestId('tour-caption')).toContainText(`Caption ${MARKUP}`);
  await waitForResult(page);
  await expectNotExecuted(page);
  expect(await violations()).toEqual([]);
});

test('a model file whose name is markup: the name is shown as text, refused or loaded', async ({ page }) => {
  test.setTimeout(240_000);
  const violations = await watchViolations(page);
  await page.goto('/');
  await waitForResult(page);
  const picker = page.getByLabel(/Your own model/);
  await picker.setInputFiles({
    name: `${MARKUP}.onnx`,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(`<html><body>${MARKUP}</body></html>`),
  });
  const alert = page.getByRole('alert').filter({ hasText: `${MARKUP}.onnx was not loaded` });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expectNotExecuted(page);

  // A good model under the same name: the header and the drop zone show the name as text.
  await picker.setInputFiles({
    name: `${MARKUP}.onnx`,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(modelFile('fmnist-resnet20.onnx')),
  });
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('custom', { timeout: 90_000 });
  await expect(page.getByRole('banner')).toContainText(`Your model: ${MARKUP}.onnx`);
  await expect(page.getByText(`Loaded: ${MARKUP}.onnx`)).toBeVisible();
  await waitForResult(page);
  await expectNotExecuted(page);
  expect(await violations()).toEqual([]);
});
