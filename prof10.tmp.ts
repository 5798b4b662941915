import { simulatePragmatic } from './src/sim/accel/pragmatic';
import { simulateLaconic } from './src/sim/accel/laconic';
import { layers } from './prof4.tmp';
const cpu = (f: () => unknown) => { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); return (c.user + c.system) / 1000; };
const v = layers[18].wgt; const t = new Uint8Array(32768);
for (let rep = 0; rep < 5; rep++) {
  const bare = cpu(() => { const o = new Uint8Array(v.length); for (let i = 0; i < v.length; i++) { const x = v[i]; o[i] = t[x < 0 ? -x : x]; } });
  const p = cpu(() => { for (const l of layers) simulatePragmatic(l, {}); });
  const q = cpu(() => { for (const l of layers) simulateLaconic(l, {}); });
  console.log(`bare 2.36M lookup ${bare.toFixed(1)} ms | pragmatic ${p.toFixed(0)} ms (${(p / bare).toFixed(1)}x) | laconic ${q.toFixed(0)} ms (${(q / bare).toFixed(1)}x)`);
}
