import type { ModelId, LayerResult } from '../../sim/accel/types';
import type { LayerReport, SimReport } from '../../sim/report';
import { baselineShort } from '../lib/baselines';
import { fmtCount, fmtNum, fmtPct, fmtX, occupancyFormula, speedupFormula } from '../lib/format';

/** One explained number: what it is, its value as shown, and its formula filled in with the live values. */
export interface Explanation {
  id: 'cycles' | 'speedup' | 'occupancy' | 'potential' | 'weightSparsity' | 'actSparsity' | 'termPotential';
  label: string;
  value: string;
  formula: string;
}

function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

/** Cycles, speedup, occupancy and (for the bit- and term-serial models) potential of one result. */
export function explainResult(layer: LayerReport, r: LayerResult, images: number): Explanation[] {
  const id: ModelId = r.model;
  const base = baselineShort(id);
  const mean = images > 1 ? `, mean over ${images} images` : '';
  const out: Explanation[] = [
    {
      id: 'cycles',
      label: 'cycles',
      value: fmtCount(r.cycles),
      formula: `cycles = ${fmtCount(r.cycles)} per image${mean}; ${base} baseline = ${fmtCount(r.baselineCycles)} cycles`,
    },
    {
      id: 'speedup',
      label: `speedup vs ${base}`,
      value: fmtX(r.speedup),
      formula: speedupFormula(r.baselineCycles, r.cycles, r.speedup, base),
    },
    {
      id: 'occupancy',
      label: 'occupancy',
      value: fmtPct(r.occupancy),
      formula: `${occupancyFormula(r.effectualWork, r.slotsPerCycle, r.cycles, r.occupancy)} (work counted in ${r.unit}s)`,
    },
  ];
  if (r.potential) {
    out.push({
      id: 'potential',
      label: 'potential',
      value: fmtX(r.potential.speedup),
      formula: `potential = MACs · Wb² / Σ bits per MAC = ${fmtCount(r.macs)} · ${layer.wb}² / ${fmtCount(r.potential.bits)} = ${fmtX(r.potential.speedup)}`,
    });
  }
  return out;
}

/** Weight and activation sparsity and the term potential of a layer. */
export function explainLayer(layer: LayerReport): Explanation[] {
  const g = layer.geometry;
  const weights = g.K * g.C * g.Kh * g.Kw;
  const acts = g.C * g.H * g.W;
  const zeroActs = layer.actSparsity * acts;
  return [
    {
      id: 'weightSparsity',
      label: 'weight sparsity',
      value: fmtPct(layer.weightSparsity),
      formula: `weight sparsity = zero weight codes / weights = ${fmtCount(roundHalfUp(layer.weightSparsity * weights))} / ${fmtCount(weights)} = ${fmtPct(layer.weightSparsity)}`,
    },
    {
      id: 'actSparsity',
      label: 'activation sparsity',
      value: fmtPct(layer.actSparsity),
      formula: `activation sparsity = zero activation codes / activations = ${fmtCount(Number(zeroActs.toFixed(1)))} / ${fmtCount(acts)} = ${fmtPct(layer.actSparsity)} (input of the layer, mean over images)`,
    },
    {
      id: 'termPotential',
      label: 'term potential',
      value: fmtX(layer.termPotential),
      formula: `term potential = MACs · Wb² / Σ max(1, T(a)·T(w)) = ${fmtCount(layer.macs)} · ${layer.wb}² / ${fmtCount(layer.termPotential > 0 ? (layer.macs * layer.wb ** 2) / layer.termPotential : 0)} = ${fmtX(layer.termPotential)} (booth-like terms: ${fmtNum(layer.meanTermsPerAct, 2)} per activation, ${fmtNum(layer.meanTermsPerWeight, 2)} per weight)`,
    },
  ];
}

/** Whole-network speedup of one accelerator: Σ baseline cycles / Σ cycles over the layers it ran. */
export function explainTotal(report: SimReport, id: ModelId): Explanation | null {
  const t = report.totals.results[id];
  if (!t) return null;
  const layers = report.layers.filter((l) => l.results[id]).length;
  return {
    id: 'speedup',
    label: 'network speedup',
    value: fmtX(t.speedup),
    formula: `network ${speedupFormula(t.baselineCycles, t.cycles, t.speedup, `Σ ${baselineShort(id)}`)} (Σ over ${layers} layers)`,
  };
}
