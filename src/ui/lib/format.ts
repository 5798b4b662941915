/** Number formatting shared by every view; formulas are spelled out with the live values for tooltips. */
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Whole numbers grouped (14,112); non-integers (means over images) with one decimal. */
export function fmtCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? grouped.format(n) : oneDecimal.format(n);
}

export function fmtX(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return '–';
  return `${x >= 100 ? x.toFixed(0) : x.toFixed(digits)}×`;
}

export function fmtPct(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)} %`;
}

export function fmtNum(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(2);
  return String(Number(x.toFixed(digits)));
}

export function speedupFormula(
  baselineCycles: number,
  cycles: number,
  speedup: number,
  baseline = 'baseline',
): string {
  return `speedup = ${baseline} cycles / cycles = ${fmtCount(baselineCycles)} / ${fmtCount(Math.max(cycles, 1))} = ${fmtX(speedup)}`;
}

export function occupancyFormula(
  effectual: number,
  slots: number,
  cycles: number,
  occupancy: number,
): string {
  return `occupancy = effectual work / (slots per cycle × cycles) = ${fmtCount(effectual)} / (${fmtCount(slots)} × ${fmtCount(Math.max(cycles, 1))}) = ${fmtPct(occupancy)}`;
}

export function shapeOf(g: {
  kind: string;
  C: number;
  H: number;
  W: number;
  K: number;
  Kh: number;
  Kw: number;
  stride: number;
}): string {
  if (g.kind === 'fc') return `${g.C} → ${g.K}`;
  const s = g.stride > 1 ? ` /${g.stride}` : '';
  return `${g.C}×${g.H}×${g.W} → ${g.K}, ${g.Kh}×${g.Kw}${s}`;
}

/** At most `max` readable tick values (1-2-5 series, always including 1 when in range) for a log axis. */
export function logTicks(domain: [number, number], max = 3): number[] {
  const [lo, hi] = domain[0] <= domain[1] ? domain : [domain[1], domain[0]];
  const candidates: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(1));
      if (v >= lo && v <= hi) candidates.push(v);
    }
  }
  if (candidates.length <= max) return candidates;
  // Prefer decades, then thin out evenly.
  const decades = candidates.filter((v) => Number.isInteger(Math.log10(v)));
  const pool = decades.length >= 2 ? decades : candidates;
  const stride = Math.ceil(pool.length / max);
  const picked = pool.filter((_, i) => i % stride === 0);
  if (lo <= 1 && hi >= 1 && !picked.includes(1)) picked.push(1);
  return picked.sort((a, b) => a - b);
}
