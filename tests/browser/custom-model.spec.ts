import { expect, modelFile, screenshot, shownTotals, test, waitForResult } from './fixtures';

test('own ONNX model: a bad file is refused with the loader message, a good one replaces the model', async ({
  page,
}) => {
  await page.goto('/');
  await waitForResult(page);
  const builtin = await shownTotals(page);
  const picker = page.getByLabel(/Your own model/);

  await picker.setInputFiles({
    name: 'broken.onnx',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('this is not ONNX'),
  });
  const alert = page.getByRole('alert').filter({ hasText: 'broken.onnx was not loaded' });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  expect((await alert.innerText()).length).toBeGreaterThan('broken.onnx was not loaded: '.length + 5);
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('fmnist-resnet20');
  expect(await shownTotals(page)).toEqual(builtin);
  await screenshot(page, 'custom-model-refused');

  // The shipped model's own bytes, loaded as a user file, must give the same numbers.
  await picker.setInputFiles({
    name: 'mine.onnx',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(modelFile('fmnist-resnet20.onnx')),
  });
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('custom', { timeout: 90_000 });
  await expect(page.getByRole('banner')).toContainText('Your model: mine.onnx');
  await waitForResult(page);
  expect(await shownTotals(page)).toEqual(builtin);
  await screenshot(page, 'custom-model-loaded');

  // A link cannot carry the file: reloading says so and falls back to the default model.
  await page.reload();
  await expect(page.getByTestId('link-notices')).toContainText('custom ONNX model cannot travel in a link');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('fmnist-resnet20');
  await waitForResult(page);
});
