import { defaultConfig } from '../src/sim/config';
import { prepareNetwork } from '../src/sim/pipeline';
import { loadInputs } from '../src/cli/assets';
import { ACCELERATORS, paramsFor, withDefaults, layerInput } from '../src/sim/accel';
import { layerMacs } from '../src/sim/types';
import * as dadnR from '../tests/sim/accel/reference/dadn';
import * as stR from '../tests/sim/accel/reference/stripes';
import * as dsR from '../tests/sim/accel/reference/dstripes';
import * as prR from '../tests/sim/accel/reference/pragmatic';
import * as laR from '../tests/sim/accel/reference/laconic';
import * as loR from '../tests/sim/accel/reference/loom';
const refs: Record<string, (i: any, p: any) => number> = { dadn: dadnR.dadnReferenceCycles, bitfusion: dadnR.bitfusionReferenceCycles, stripes: stR.stripesReferenceCycles, dstripes: dsR.dstripesReferenceCycles, pragmatic: prR.pragmaticReferenceCycles, laconic: laR.laconicReferenceCycles, loom: loR.loomReferenceCycles };
const name = process.argv[2] ?? 'fmnist-resnet20';
const li = Number(process.argv[3] ?? 3);
const cfg = defaultConfig(name);
const p = prepareNetwork(cfg, loadInputs(name));
const w = p.layers[li];
console.log(w.name, layerMacs(w.geometry) / 1e6, 'MMAC', w.pa, w.pw);
for (const [id, f] of Object.entries(refs)) {
  const m = ACCELERATORS[id as 'dadn'];
  const params = withDefaults(m, paramsFor(id as 'dadn', cfg.params));
  const inp = layerInput(w, 0);
  let t = performance.now(); const fast = m.simulate(inp, params).cycles; const tf = performance.now() - t;
  t = performance.now(); const c0 = process.cpuUsage(); const ref = f(inp, params); const tr = performance.now() - t; const cu = process.cpuUsage(c0);
  console.log(id, 'fast', tf.toFixed(1), 'ref', tr.toFixed(0), 'cpu', ((cu.user + cu.system) / 1000).toFixed(0), fast === ref ? 'same' : `DIFF ${fast} ${ref}`);
}
