import { simulatePragmatic } from './src/sim/accel/pragmatic';
import { simulateLaconic } from './src/sim/accel/laconic';
import { randomLayer, convGeometry } from './tests/sim/accel/reference';
const l = randomLayer(1, convGeometry(64, 56, 64, 3, 1, 1), { actDensity: 0.5, maxAct: 32767, maxWgt: 32767, pa: 16, pw: 16 });
const l4 = randomLayer(1, convGeometry(512, 7, 512, 3, 1, 1), { actDensity: 0.5, maxAct: 32767, maxWgt: 32767, pa: 16, pw: 16 });
for (let k = 0; k < 10; k++) { simulatePragmatic(l, {}); simulateLaconic(l4, {}); }
