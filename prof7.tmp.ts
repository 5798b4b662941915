import { termCountsOf, T_TABLE } from './src/sim/terms';
import { layers } from './prof4.tmp';
const w = layers[17].wgt;
const cpu = (f: () => unknown) => { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); return ((c.user + c.system) / 1000).toFixed(1); };
for (let k = 0; k < 5; k++) {
  console.log(w.length, 'termCountsOf', cpu(() => termCountsOf(w, 'boothLike')), 'inline', cpu(() => { const o = new Uint8Array(w.length); for (let i = 0; i < w.length; i++) { const x = w[i]; o[i] = T_TABLE[x < 0 ? -x : x]; } }));
}
