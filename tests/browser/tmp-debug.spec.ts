import { defaultLinkState } from '../../src/ui/state/linkState';
import { encodeLink } from '../../src/ui/state/hash';
import { catalog, test } from './fixtures';

test('debug compare with b null', async ({ page }) => {
  const state = defaultLinkState();
  state.quant.weights.scheme = 'twn';
  state.accels = ['dadn', 'stripes', 'pragmatic', 'laconic', 'eie', 'dlac'];
  state.view = 'compare';
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  await page.goto(`/#${encodeLink(state, { catalog, customModelLoaded: false })}`);
  for (let i = 0; i < 10; i++) {
    await page.waitForTimeout(2000);
    console.log(await page.getByTestId('pane-b-status').innerText(), await page.getByTestId('pane-a-status').innerText());
  }
});
