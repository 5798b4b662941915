import { termCountsOf, termCountTable } from './src/sim/terms';
import { prepareLayer } from './src/sim/accel/grid';
import { positionMajor, windowBases } from './src/sim/accel/termGrid';
import { groupActivationMaxima, weightMaxima } from './src/sim/accel/laconicMaxima';
import { convCycles, prepareLaconic, readLaconicOptions } from './src/sim/accel/laconicCore';
import { termPairSums } from './src/sim/accel/laconic';
import { layers } from './prof4.tmp';
const acc: Record<string, number> = {};
const time = <T>(k: string, f: () => T): T => { const c0 = process.cpuUsage(); const r = f(); const c = process.cpuUsage(c0); acc[k] = (acc[k] ?? 0) + (c.user + c.system) / 1000; return r; };
const R = 4;
for (let rep = 0; rep < R; rep++) for (const l of layers.slice(0, 20)) {
  const p = time('prepareLayer', () => prepareLayer(l, true));
  const numCg = Math.ceil(p.C / 16), cPad = numCg * 16, kernel = p.Kh * p.Kw, plane = p.Nh * p.Nw;
  const actCounts = time('TcountA', () => termCountsOf(p.act, 'boothLike'));
  const actTerms = time('posMajor', () => positionMajor(actCounts, p.C, plane, cPad, new Uint8Array(plane * cPad)));
  const bases = windowBases(p); const numGroups = Math.ceil(p.Oh * p.Ow / 16);
  time('actMax', () => groupActivationMaxima(p, actTerms, bases, cPad, 16, numGroups));
  const sums = { sum: new Float64Array(p.C * kernel), nonZero: new Int32Array(p.C * kernel) };
  time('wgtMax', () => weightMaxima(p.wgt, p.K, p.C, kernel, 16, cPad, termCountTable('boothLike'), sums));
  time('pairSums', () => termPairSums(l.geometry, actCounts, sums));
  const L = time('prepareLaconic', () => prepareLaconic(l, readLaconicOptions({}, l)));
  time('cycles', () => convCycles(L));
}
for (const k in acc) console.log(k, (acc[k] / R).toFixed(0), 'ms');
