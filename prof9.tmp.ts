import { termCountTable } from './src/sim/terms';
import { weightMaxima } from './src/sim/accel/laconicMaxima';
import { layers } from './prof4.tmp';
const l = layers[18]; const w = l.wgt; const counts = termCountTable('boothLike');
const cpu = (f: () => unknown) => { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); return ((c.user + c.system) / 1000).toFixed(1); };
console.log(w.length);
for (let k = 0; k < 5; k++) {
  console.log('wm', cpu(() => weightMaxima(w, 512, 512, 9, 16, 512, counts)),
   'wm+sums', cpu(() => weightMaxima(w, 512, 512, 9, 16, 512, counts, { sum: new Float64Array(4608), nonZero: new Int32Array(4608) })),
   'lookup only', cpu(() => { const o = new Uint8Array(w.length); for (let i = 0; i < w.length; i++) { const x = w[i]; o[i] = counts[x < 0 ? -x : x]; } }),
   'zero table', cpu(() => { const z = new Uint8Array(32768); const o = new Uint8Array(w.length); for (let i = 0; i < w.length; i++) { const x = w[i]; o[i] = z[x < 0 ? -x : x]; } }));
}
