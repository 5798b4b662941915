import { simulateLaconic } from './src/sim/accel/laconic';
import { simulatePragmatic } from './src/sim/accel/pragmatic';
import { randomLayer, convGeometry, fcGeometry } from './tests/sim/accel/reference';
import type { LayerGeometry } from './src/sim/types';
const geos: LayerGeometry[] = [convGeometry(3, 224, 64, 7, 2, 3)];
for (let k = 0; k < 4; k++) geos.push(convGeometry(64, 56, 64, 3, 1, 1));
geos.push(convGeometry(64, 56, 128, 3, 2, 1), convGeometry(128, 28, 128, 3, 1, 1), convGeometry(64, 56, 128, 1, 2, 0), convGeometry(128, 28, 128, 3, 1, 1), convGeometry(128, 28, 128, 3, 1, 1));
geos.push(convGeometry(128, 28, 256, 3, 2, 1), convGeometry(256, 14, 256, 3, 1, 1), convGeometry(128, 28, 256, 1, 2, 0), convGeometry(256, 14, 256, 3, 1, 1), convGeometry(256, 14, 256, 3, 1, 1));
geos.push(convGeometry(256, 14, 512, 3, 2, 1), convGeometry(512, 7, 512, 3, 1, 1), convGeometry(256, 14, 512, 1, 2, 0), convGeometry(512, 7, 512, 3, 1, 1), convGeometry(512, 7, 512, 3, 1, 1));
geos.push(fcGeometry(512, 1000));
const layers = geos.map((g, i) => randomLayer(i, g, { actDensity: 0.5, maxAct: 32767, maxWgt: 32767, signedActs: i === 0, isFirst: i === 0, pa: 16, pw: 16 }));
for (const [name, f] of [['pragmatic', simulatePragmatic], ['laconic', simulateLaconic]] as const) {
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    const per: string[] = [];
    let cyc = 0;
    for (const l of layers) { const a = performance.now(); cyc += f(l, {}).cycles; per.push((performance.now() - a).toFixed(0)); }
    console.log(name, (performance.now() - t0).toFixed(0), 'ms', cyc, rep === 2 ? per.join(' ') : '');
  }
}
