import { cdiv, layerMacs } from '../types';
import { dadnCycles } from './grid';
import { enumParam, gridGeometry, intParam, numberParam } from './gridParams';
import { makeResult, potentialOf, withDefaults } from './run';
import type { AccelLayerInput, AcceleratorModel, LayerResult, Params } from './types';

export const BITFUSION_FIRST_LAYER = ['spaceToDepth', 'im2col'] as const;
export type BitFusionFirstLayer = (typeof BITFUSION_FIRST_LAYER)[number];

/** Fusion of the BitBricks for one layer (§11): parallel products per Fusion Unit and time multiplexing. */
export interface FusionPlan {
  pf: number;
  tm: number;
}

export function fusionPlan(pa: number, pw: number, pmax: number, pmin: number): FusionPlan {
  let tm = 1;
  let a = pa;
  let w = pw;
  // DNNsim's rule for operands wider than pmax: clamp and double the time per wide operand.
  if (a > pmax) {
    a = pmax;
    tm *= 2;
  }
  if (w > pmax) {
    w = pmax;
    tm *= 2;
  }
  a = Math.max(a, pmin);
  w = Math.max(w, pmin);
  return { pf: Math.floor(pmax / a) * Math.floor(pmax / w), tm };
}

export function pow2ceil(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Bit Fusion potential (§11): the fused unit's power-of-two operand widths. */
export function bitfusionBitsPerMac(pa: number, pw: number): number {
  return pow2ceil(pa) * pow2ceil(pw);
}

function simulateBitfusion(input: AccelLayerInput, params: Params): LayerResult {
  const full = withDefaults(bitfusion, params);
  const M = intParam(full, 'M');
  const N = intParam(full, 'N');
  const pmax = intParam(full, 'pmax');
  const pmin = intParam(full, 'pmin');
  const firstLayer = enumParam(full, 'firstLayer', BITFUSION_FIRST_LAYER);
  const clockMHz = numberParam(full, 'clockMHz');
  const { pf, tm } = fusionPlan(input.pa, input.pw, pmax, pmin);
  const geo = input.geometry;
  let cycles: number;
  if (firstLayer === 'im2col' && input.isFirst && geo.kind === 'conv') {
    // The official simulator lowers the first layer: one Kh*Kw*C-long reduction for each window
    const g = gridGeometry(input, false);
    cycles = cdiv(g.K, M) * g.Oh * g.Ow * cdiv(g.Kh * g.Kw * g.C, N * pf) * tm;
  } else {
    const g = gridGeometry(input, true);
    cycles = cdiv(g.K, M) * g.Oh * g.Ow * g.Kh * g.Kw * cdiv(g.C, N * pf) * tm;
  }
  const macs = layerMacs(geo);
  return makeResult({
    model: 'bitfusion',
    layer: input.name,
    cycles,
    // §3: DaDN (default grid, §1.4 on) is the baseline of every grid-family comparison, Bit Fusion included.
    baselineCycles: dadnCycles(input, true),
    macs,
    effectualWork: macs,
    unit: 'mac',
    slotsPerCycle: (M * N * pf) / tm,
    // Value-agnostic: it exploits the declared precision, never values, so nothing is skipped.
    skippedWork: 0,
    potential: potentialOf(macs, input.wb, macs * bitfusionBitsPerMac(input.pa, input.pw)),
    extra: { microseconds: cycles / clockMHz, pf, tm },
  });
}

export const bitfusion: AcceleratorModel = {
  id: 'bitfusion',
  name: 'Bit Fusion',
  summary: 'BitBricks fuse to the layer operand widths: 2-bit x 2-bit runs 16 products where 8 x 8 runs one',
  params: [
    { name: 'M', type: 'int', default: 32, min: 1, max: 1024, description: 'Fusion Unit columns (filters)' },
    {
      name: 'N',
      type: 'int',
      default: 16,
      min: 1,
      max: 1024,
      description: 'Fusion Unit rows (input channels)',
    },
    { name: 'pmax', type: 'int', default: 8, min: 2, max: 16, description: 'Widest fused operand (bits)' },
    {
      name: 'pmin',
      type: 'int',
      default: 2,
      min: 1,
      max: 16,
      description: 'Narrowest operand, a BitBrick (bits)',
    },
    {
      name: 'firstLayer',
      type: 'enum',
      default: 'spaceToDepth',
      options: BITFUSION_FIRST_LAYER,
      description: "First conv: DNNsim's space-to-depth (§1.4) or the official simulator's im2col",
    },
    {
      name: 'clockMHz',
      type: 'number',
      default: 500,
      min: 1,
      max: 5000,
      description: 'Clock (500 vs Eyeriss, 980 vs Stripes)',
    },
  ],
  appliesTo: () => true,
  simulate: simulateBitfusion,
};
