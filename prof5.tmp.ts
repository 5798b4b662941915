import { prepareLaconic, readLaconicOptions, convCycles } from './src/sim/accel/laconicCore';
import { termPairSums } from './src/sim/accel/laconic';
import { layers } from './prof4.tmp';
const acc: Record<string, number> = {};
const time = (k: string, f: () => unknown) => { const c0 = process.cpuUsage(); const r = f(); const c = process.cpuUsage(c0); acc[k] = (acc[k] ?? 0) + (c.user + c.system) / 1000; return r; };
for (let rep = 0; rep < 3; rep++) for (const l of layers.slice(0, 20)) {
  const opts = readLaconicOptions({}, l);
  const L = time('prepare', () => prepareLaconic(l, opts)) as ReturnType<typeof prepareLaconic>;
  time('cycles', () => convCycles(L));
  time('sums', () => termPairSums(l.geometry, L.actCounts, L.wgtCounts));
}
for (const k in acc) console.log(k, (acc[k] / 3).toFixed(0), 'ms');
