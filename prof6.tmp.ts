import { termCountsOf } from './src/sim/terms';
import { prepareLayer } from './src/sim/accel/grid';
import { positionMajor, windowBases } from './src/sim/accel/termGrid';
import { layers } from './prof4.tmp';
const acc: Record<string, number> = {};
const time = <T>(k: string, f: () => T): T => { const c0 = process.cpuUsage(); const r = f(); const c = process.cpuUsage(c0); acc[k] = (acc[k] ?? 0) + (c.user + c.system) / 1000; return r; };
for (let rep = 0; rep < 3; rep++) for (const l of layers.slice(0, 20)) {
  const p = time('prepareLayer', () => prepareLayer(l, true));
  const lanes = 16, columns = 16, rows = 16;
  const numCg = Math.ceil(p.C / 16), cPad = numCg * 16, kernel = p.Kh * p.Kw, steps = kernel * numCg, plane = p.Nh * p.Nw;
  const actCounts = time('TcountA', () => termCountsOf(p.act, 'boothLike'));
  const actTerms = time('posMajor', () => positionMajor(actCounts, p.C, plane, cPad, new Uint8Array(plane * cPad)));
  const wgtCounts = time('TcountW', () => termCountsOf(p.wgt, 'boothLike'));
  const bases = windowBases(p); const numWindows = p.Oh * p.Ow; const numGroups = Math.ceil(numWindows / columns);
  time('actMax', () => { const actMax = new Uint8Array(numGroups * steps * lanes);
  for (let g = 0; g < numGroups; g++) { const end = Math.min(numWindows, (g + 1) * columns);
    for (let n = g * columns; n < end; n++) for (let ij = 0; ij < kernel; ij++) {
      const src = (bases[n] + Math.floor(ij / p.Kw) * p.Nw + (ij % p.Kw)) * cPad; const dst = g * steps * lanes + ij * cPad;
      for (let x = 0; x < cPad; x++) { const v = actTerms[src + x]; if (v > actMax[dst + x]) actMax[dst + x] = v; } } } });
  time('wgtMax', () => { const span = steps * lanes; const wgtMax = new Uint8Array(Math.ceil(p.K / rows) * span);
  for (let f = 0; f < p.K; f++) { const dst = Math.floor(f / rows) * span;
    for (let c = 0; c < p.C; c++) { const src = (f * p.C + c) * kernel;
      for (let ij = 0; ij < kernel; ij++) { const v = wgtCounts[src + ij]; const at = dst + ij * cPad + c; if (v > wgtMax[at]) wgtMax[at] = v; } } } });
}
for (const k in acc) console.log(k, (acc[k] / 3).toFixed(0), 'ms');
