import { defaultConfig } from '../src/sim/config';
import { prepareNetwork } from '../src/sim/pipeline';
import { loadInputs } from '../src/cli/assets';
import { ACCELERATORS, MODEL_IDS, paramsFor, withDefaults, simulateLayer } from '../src/sim/accel';
import { layerMacs } from '../src/sim/types';
for (const name of ['fmnist-resnet20', 'resnet18-synthetic']) {
  const cfg = defaultConfig(name);
  let t = performance.now();
  const p = prepareNetwork(cfg, loadInputs(name));
  console.log(name, 'prepare', (performance.now() - t).toFixed(0), 'ms', p.layers.length, 'layers');
  let tot = 0;
  for (const id of MODEL_IDS) {
    const m = ACCELERATORS[id];
    const params = withDefaults(m, paramsFor(id, cfg.params));
    t = performance.now();
    let macs = 0, n = 0;
    for (const w of p.layers) { if (!m.appliesTo(w, params)) continue; simulateLayer(m, w, params); macs += layerMacs(w.geometry); n++; }
    const dt = performance.now() - t; tot += dt;
    console.log(id, dt.toFixed(0), 'ms', n, (macs / 1e6).toFixed(0), 'MMAC');
  }
  console.log('total', tot.toFixed(0));
}
