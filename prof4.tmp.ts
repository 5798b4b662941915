import { simulatePragmatic } from './src/sim/accel/pragmatic';
import { simulateLaconic } from './src/sim/accel/laconic';
import { randomLayer, convGeometry, fcGeometry } from './tests/sim/accel/reference';
import type { LayerGeometry } from './src/sim/types';
const geos: LayerGeometry[] = [convGeometry(3, 224, 64, 7, 2, 3)];
for (let k = 0; k < 4; k++) geos.push(convGeometry(64, 56, 64, 3, 1, 1));
geos.push(convGeometry(64, 56, 128, 3, 2, 1), convGeometry(128, 28, 128, 3, 1, 1), convGeometry(64, 56, 128, 1, 2, 0), convGeometry(128, 28, 128, 3, 1, 1), convGeometry(128, 28, 128, 3, 1, 1));
geos.push(convGeometry(128, 28, 256, 3, 2, 1), convGeometry(256, 14, 256, 3, 1, 1), convGeometry(128, 28, 256, 1, 2, 0), convGeometry(256, 14, 256, 3, 1, 1), convGeometry(256, 14, 256, 3, 1, 1));
geos.push(convGeometry(256, 14, 512, 3, 2, 1), convGeometry(512, 7, 512, 3, 1, 1), convGeometry(256, 14, 512, 1, 2, 0), convGeometry(512, 7, 512, 3, 1, 1), convGeometry(512, 7, 512, 3, 1, 1));
geos.push(fcGeometry(512, 1000));
export const layers = geos.map((g, i) => randomLayer(i, g, { actDensity: 0.5, maxAct: 32767, maxWgt: 32767, signedActs: i === 0, isFirst: i === 0, pa: 16, pw: 16 }));
const which = process.argv[2]; if (!which) { // imported
}
const base = () => { const v = new Int32Array(2359296); const t = new Uint8Array(32768); const o = new Uint8Array(v.length); const t0 = performance.now(); for (let i = 0; i < v.length; i++) { const x = v[i]; o[i] = t[x < 0 ? -x : x]; } return performance.now() - t0; };
for (let rep = 0; rep < (which ? 4 : 0); rep++) {
  const b0 = base();
  const t0 = performance.now(); const c0 = process.cpuUsage();
  for (const l of layers) (which === 'l' ? simulateLaconic : simulatePragmatic)(l, {});
  const c1 = process.cpuUsage(c0);
  console.log(which, (performance.now() - t0).toFixed(0), 'ms wall', ((c1.user + c1.system) / 1000).toFixed(0), 'ms cpu; trivial 2.36M loop', b0.toFixed(1), 'ms');
}
