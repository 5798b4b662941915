import type { ModelId } from '../../sim/accel/types';
import { MODEL_IDS } from '../../sim/accel/types';
import type { LayerReport, SimReport } from '../../sim/report';
import { fmtCount, fmtNum, fmtPct, fmtX } from '../lib/format';

/**
 * Caption placeholders, filled from the report on screen. `ID` is an accelerator id, `LAYER` a layer name;
 * without a layer the whole network is meant where that makes sense.
 *
 *   {speedup:ID}  {speedup:ID:LAYER}       speedup (network: Σ baseline cycles / Σ cycles)
 *   {cycles:ID[:LAYER]}  {baseline:ID[:LAYER]}  cycles and baseline cycles
 *   {potential:ID:LAYER}  {occupancy:ID:LAYER}
 *   {range:ID}  {best:ID}  {worst:ID}      per-layer speedup range, fastest and slowest layer
 *   {mean:ID:PREFIX}                       Σ baseline / Σ cycles over the layers whose name starts with PREFIX
 *   {trend:ID}  {trend:wsparsity}  {trend:asparsity}   "rises with depth" / "falls …" / "stays roughly flat …"
 *   {wsparsity:LAYER}  {asparsity:LAYER}  {termsw:LAYER}  {termsa:LAYER}  {pa:LAYER}  {pw:LAYER}  {weights:LAYER}
 *   {extra:ID:LAYER:KEY}                   a model-specific figure (e.g. {extra:eie:fc:cscNnz})
 *   {accuracy:float}  {accuracy:quantized}  {images}
 *
 * An unknown placeholder or a figure the report does not have reads "n/a"; before the report is there, "…".
 */
export const PENDING = '…';
export const MISSING = 'n/a';

const PLACEHOLDER = /\{([a-z]+)((?::[^:{}\s]+)*)\}/gi;

function isModel(id: string | undefined): id is ModelId {
  return id !== undefined && (MODEL_IDS as readonly string[]).includes(id);
}

function layerOf(report: SimReport, name: string | undefined): LayerReport | undefined {
  return name === undefined ? undefined : report.layers.find((l) => l.name === name);
}

function ratioOver(layers: LayerReport[], id: ModelId): number | null {
  let base = 0;
  let cycles = 0;
  for (const l of layers) {
    const r = l.results[id];
    if (!r) continue;
    base += r.baselineCycles;
    cycles += r.cycles;
  }
  return base > 0 ? base / Math.max(cycles, 1) : null;
}

/**
 * Depth trend of a per-layer series over the conv layers: the first third against the last third (Σ ratio
 * for speedups, mean for sparsities), 10 % either way counting as a change.
 */
export function depthTrend(report: SimReport, what: string): string | null {
  const conv = report.layers.filter((l) => l.kind === 'conv');
  const third = Math.floor(conv.length / 3);
  if (third === 0) return null;
  const head = conv.slice(0, third);
  const tail = conv.slice(conv.length - third);
  let a: number | null;
  let b: number | null;
  if (what === 'wsparsity' || what === 'asparsity') {
    const key = what === 'wsparsity' ? 'weightSparsity' : 'actSparsity';
    const mean = (ls: LayerReport[]) => ls.reduce((s, l) => s + l[key], 0) / ls.length;
    a = mean(head);
    b = mean(tail);
  } else if (isModel(what)) {
    a = ratioOver(head, what);
    b = ratioOver(tail, what);
  } else return null;
  if (a === null || b === null) return null;
  if (b > a * 1.1) return 'rises with depth';
  if (b < a / 1.1) return 'falls with depth';
  return 'stays roughly flat with depth';
}

function perLayer(report: SimReport, id: ModelId): Array<{ layer: string; speedup: number }> {
  return report.layers.flatMap((l) => {
    const r = l.results[id];
    return r ? [{ layer: l.name, speedup: r.speedup }] : [];
  });
}

/** The text of one placeholder, or null when the report does not have that figure. */
export function resolvePlaceholder(report: SimReport, name: string, args: string[]): string | null {
  const [a0, a1, a2] = args;
  const layer = layerOf(report, isModel(a0) ? a1 : a0);
  switch (name) {
    case 'speedup':
    case 'cycles':
    case 'baseline': {
      if (!isModel(a0)) return null;
      const r = a1 === undefined ? report.totals.results[a0] : layerOf(report, a1)?.results[a0];
      if (!r) return null;
      if (name === 'speedup') return fmtX(r.speedup);
      return fmtCount(name === 'cycles' ? r.cycles : r.baselineCycles);
    }
    case 'potential': {
      const p = isModel(a0) ? layer?.results[a0]?.potential : undefined;
      return p ? fmtX(p.speedup) : null;
    }
    case 'occupancy': {
      const r = isModel(a0) ? layer?.results[a0] : undefined;
      return r ? fmtPct(r.occupancy) : null;
    }
    case 'range':
    case 'best':
    case 'worst': {
      if (!isModel(a0)) return null;
      const series = perLayer(report, a0);
      if (series.length === 0) return null;
      const sorted = [...series].sort((x, y) => x.speedup - y.speedup);
      const lo = sorted[0];
      const hi = sorted[sorted.length - 1];
      if (name === 'range') return `${fmtX(lo.speedup).replace('×', '')}–${fmtX(hi.speedup)}`;
      const pick = name === 'best' ? hi : lo;
      return `${pick.layer} (${fmtX(pick.speedup)})`;
    }
    case 'mean': {
      if (!isModel(a0) || a1 === undefined) return null;
      const ratio = ratioOver(
        report.layers.filter((l) => a1.split('|').some((prefix) => l.name.startsWith(prefix))), // '|' lists several prefixes
        a0,
      );
      return ratio === null ? null : fmtX(ratio);
    }
    case 'trend':
      return a0 === undefined ? null : depthTrend(report, a0);
    case 'wsparsity':
      return layer ? fmtPct(layer.weightSparsity) : null;
    case 'asparsity':
      return layer ? fmtPct(layer.actSparsity) : null;
    case 'termsw':
      return layer ? fmtNum(layer.meanTermsPerWeight, 2) : null;
    case 'termsa':
      return layer ? fmtNum(layer.meanTermsPerAct, 2) : null;
    case 'pa':
      return layer ? String(layer.pa) : null;
    case 'pw':
      return layer ? String(layer.pw) : null;
    case 'weights': {
      const g = layer?.geometry;
      return g ? fmtCount(g.K * g.C * g.Kh * g.Kw) : null;
    }
    case 'extra': {
      const v = isModel(a0) ? layer?.results[a0]?.extra?.[a2 ?? ''] : undefined;
      return v === undefined ? null : fmtCount(v);
    }
    case 'accuracy': {
      const acc = report.accuracy;
      if (!acc || (a0 !== 'float' && a0 !== 'quantized')) return null;
      return fmtPct(acc[a0]);
    }
    case 'images':
      return report.accuracy ? String(report.accuracy.images) : String(report.config.images);
    default:
      return null;
  }
}

export interface TemplatePart {
  text: string;
  /** True for a filled-in figure (shown emphasised). */
  figure: boolean;
}

/** The caption split into literal text and filled-in figures. */
export function fillTemplate(template: string, report: SimReport | null): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push({ text: template.slice(last, m.index), figure: false });
    const args = m[2] ? m[2].slice(1).split(':') : [];
    const text = report ? (resolvePlaceholder(report, m[1].toLowerCase(), args) ?? MISSING) : PENDING;
    parts.push({ text, figure: true });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last), figure: false });
  return parts;
}

export function fillTemplateText(template: string, report: SimReport | null): string {
  return fillTemplate(template, report)
    .map((p) => p.text)
    .join('');
}
