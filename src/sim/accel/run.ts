import type { LayerWork } from '../types';
import type { AccelLayerInput, AcceleratorModel, LayerResult, Params } from './types';

/** Image n of a layer as the models see it. */
export function layerInput(work: LayerWork, image: number): AccelLayerInput {
  return {
    name: work.name,
    geometry: work.geometry,
    act: work.acts[image],
    wgt: work.weights,
    pa: work.pa,
    pw: work.pw,
    wb: work.wb,
    isFirst: work.isFirst,
    pointwiseOps: work.pointwiseOps,
  };
}

/** Fills a parameter record with the model's defaults for every name the caller did not give. */
export function withDefaults(model: AcceleratorModel, params: Params): Params {
  const out: Params = {};
  for (const spec of model.params) out[spec.name] = params[spec.name] ?? spec.default;
  return out;
}

/**
 * Runs a model once per image and reports the per-layer means (accelerators.md §0.3): cycles, baseline
 * cycles, effectual work, idle and skipped work and potential bits are averaged; ratios are derived from
 * the means, never averaged themselves.
 */
export function simulateLayer(model: AcceleratorModel, work: LayerWork, params: Params): LayerResult {
  const full = withDefaults(model, params);
  const runs = work.acts.map((_, n) => model.simulate(layerInput(work, n), full));
  if (runs.length === 1) return runs[0];
  return meanResult(runs);
}

export function meanResult(runs: LayerResult[]): LayerResult {
  const n = runs.length;
  const mean = (f: (r: LayerResult) => number) => runs.reduce((s, r) => s + f(r), 0) / n;
  const first = runs[0];
  const cycles = mean((r) => r.cycles);
  const baselineCycles = mean((r) => r.baselineCycles);
  const effectualWork = mean((r) => r.effectualWork);
  const out: LayerResult = {
    ...first,
    cycles,
    baselineCycles,
    speedup: baselineCycles / Math.max(cycles, 1),
    effectualWork,
    occupancy: effectualWork / (first.slotsPerCycle * Math.max(cycles, 1)),
    idleSlots: mean((r) => r.idleSlots),
    skippedWork: mean((r) => r.skippedWork),
    degenerate: cycles === 0 ? true : undefined,
  };
  if (first.potential) {
    const bits = mean((r) => r.potential?.bits ?? 0);
    const dense = first.potential.speedup * Math.max(first.potential.bits, 1); // = MACs * Wb^2 (see potentialOf)
    out.potential = { bits, speedup: dense / Math.max(bits, 1e-300), workReductionPct: 100 * (1 - bits / Math.max(dense, 1e-300)) };
  }
  if (first.stalls) {
    out.stalls = {};
    for (const k of Object.keys(first.stalls)) out.stalls[k] = mean((r) => r.stalls?.[k] ?? 0);
  }
  if (first.extra) {
    out.extra = {};
    for (const k of Object.keys(first.extra)) out.extra[k] = mean((r) => r.extra?.[k] ?? 0);
  }
  if (out.degenerate === undefined) delete out.degenerate;
  return out;
}

/** Builds the common LayerResult fields from the counts a model computed. */
export function makeResult(
  fields: Omit<LayerResult, 'speedup' | 'occupancy' | 'idleSlots' | 'degenerate'> & { idleSlots?: number },
): LayerResult {
  const c = Math.max(fields.cycles, 1);
  const r: LayerResult = {
    ...fields,
    speedup: fields.baselineCycles / c,
    occupancy: fields.effectualWork / (fields.slotsPerCycle * c),
    idleSlots: fields.idleSlots ?? Math.max(0, fields.slotsPerCycle * fields.cycles - fields.effectualWork),
  };
  if (fields.cycles === 0) r.degenerate = true;
  return r;
}

/** Potential record (§1.8) from the summed bits per MAC. */
export function potentialOf(macs: number, wb: number, bits: number): { bits: number; speedup: number; workReductionPct: number } {
  const dense = macs * wb * wb;
  return { bits, speedup: dense / Math.max(bits, 1), workReductionPct: 100 * (1 - bits / dense) };
}
