import type { WeightFootprint, WeightFormat, LayerEnergy } from '../../../sim/energy';
import type { LayerEnergyReport } from '../../../sim/reportEnergy';
import { fmtCount, fmtNum } from '../../lib/format';

/**
 * Formulas of the memory and energy view with the live numbers filled in (docs/energy.md,
 * accelerators.md §14–15). Pure functions of the report's data, so they can be tested without a page.
 */

/** Bits with a readable size: 4,329,728 bits (528.5 KB), 1 KB = 1024 bytes as in the buffer sizes. */
export function fmtBits(bits: number): string {
  const bytes = bits / 8;
  const size =
    bytes >= 1024 * 1024
      ? `${(bytes / 1024 / 1024).toFixed(2)} MB`
      : bytes >= 1024
        ? `${(bytes / 1024).toFixed(1)} KB`
        : `${fmtNum(bytes, 1)} B`;
  return `${fmtCount(bits)} bits (${size})`;
}

/** Energy in the largest unit that keeps it ≥ 1: pJ, nJ, µJ or mJ, four significant digits. */
export function fmtEnergy(pJ: number): string {
  const units: Array<[number, string]> = [
    [1e9, 'mJ'],
    [1e6, 'µJ'],
    [1e3, 'nJ'],
  ];
  for (const [scale, unit] of units)
    if (Math.abs(pJ) >= scale)
      return `${Number((pJ / scale).toPrecision(4)).toLocaleString('en-US')} ${unit}`;
  return `${Number(pJ.toPrecision(4))} pJ`;
}

const picojoules = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const pJ = (x: number) => `${picojoules.format(x)} pJ`;

/** How the format's bits follow from its parameters (accelerators.md §15), with the layer's numbers. */
export function storageFormula(f: WeightFootprint, format: WeightFormat, K: number): string {
  const b = f.breakdown;
  const n = f.n;
  const D = K > 0 ? n / K : 0;
  const pad = f.entries?.padding ?? 0;
  const nnz = f.entries?.nnz ?? f.nnz;
  let formula: string;
  switch (format.kind) {
    case 'dense':
      formula = `bits = ${format.bits} · n = ${format.bits} · ${fmtCount(n)}`;
      break;
    case 'uniform':
      formula = `bits = k·n + 32·scales${format.zeroPoints ? ' + 32·zero points' : ''} = ${format.bits} · ${fmtCount(n)} + ${fmtCount(b.scales)}`;
      break;
    case 'twn':
      formula = `bits = 2n + 32·scales = 2 · ${fmtCount(n)} + ${fmtCount(b.scales)}`;
      break;
    case 'ttq':
      formula = `bits = 2n + 64 (Wp, Wn) = 2 · ${fmtCount(n)} + 64`;
      break;
    case 'binary':
      formula = `bits = n + 32·scales = ${fmtCount(n)} + ${fmtCount(b.scales)}`;
      break;
    case 'shared':
      formula = `bits = n·b + 2^b·${format.valueBits} (codebook) = ${fmtCount(n)} · ${format.indexBits} + ${2 ** format.indexBits} · ${format.valueBits}`;
      break;
    case 'eieCsc':
      formula =
        `bits = (nnz + padding)·(wIdx + r) + N·(D + 1)·${format.pointerBits} (pointers) + 2^wIdx·${format.codebookValueBits} (codebook) = ` +
        `(${fmtCount(nnz)} + ${fmtCount(pad)}) · (${format.weightIndexBits} + ${format.relBits}) + ${format.pes} · ${fmtCount(D + 1)} · ${format.pointerBits} + ${2 ** format.weightIndexBits} · ${format.codebookValueBits}`;
      break;
    case 'deepCompression':
      formula =
        `bits = (nnz + padding)·(b + r)${format.codebookValueBits > 0 ? ` + 2^b·${format.codebookValueBits} (codebook)` : ''} = ` +
        `(${fmtCount(nnz)} + ${fmtCount(pad)}) · (${format.indexBits} + ${format.relBits})${b.codebook > 0 ? ` + ${fmtCount(b.codebook)}` : ''}`;
      break;
    case 'cgs': {
      const kept = format.keptBlocks ?? b.payload / (format.br * format.bc * format.bits);
      formula =
        `bits = kept·Br·Bc·b + kept·ceil(log2 blockCols) + 32 = ${fmtCount(kept)} · ${format.br} · ${format.bc} · ${format.bits} + ` +
        `${fmtCount(kept)} · ${Math.ceil(Math.log2(Math.max(Math.ceil(D / format.bc), 1)))} + 32`;
      break;
    }
  }
  return (
    `${formula} = ${fmtCount(f.bits)} bits; bits/weight = ${fmtCount(f.bits)} / ${fmtCount(n)} = ${fmtNum(f.bitsPerWeight, 3)}; ` +
    `compression = 32·n / bits = ${fmtCount(32 * n)} / ${fmtCount(f.bits)} = ${fmtNum(f.compression, 3)}×`
  );
}

export function energySum(
  e: Pick<LayerEnergyReport, 'compute' | 'sram' | 'dram' | 'leakage' | 'total'>,
): string {
  const leak = e.leakage > 0 ? ` + leakage ${pJ(e.leakage)}` : '';
  return `E = compute ${pJ(e.compute)} + SRAM ${pJ(e.sram)} + DRAM ${pJ(e.dram)}${leak} = ${pJ(e.total)} = ${fmtEnergy(e.total)} (estimate)`;
}

export function computeTermText(t: LayerEnergy['computeTerms'][number]): string {
  return `${t.label}: ${fmtCount(t.count)} × ${fmtNum(t.unitEnergy, 6)} pJ = ${pJ(t.energy)}`;
}

export function sramTermText(t: LayerEnergy['sramTerms'][number]): string {
  return `${t.label}: cdiv(${fmtCount(t.bits)} bits, 64) = ${fmtCount(t.words)} words × ${fmtNum(t.unitEnergy, 4)} pJ (${fmtNum(t.sizeKB, 1)} KB SRAM) = ${pJ(t.energy)}`;
}

export function dramTermText(t: LayerEnergy['dramTerm']): string {
  return (
    `cdiv(weights ${fmtCount(t.weightBits)} + input ${fmtCount(t.inputActBits)} + output ${fmtCount(t.outputActBits)} bits, 64) = ` +
    `${fmtCount(t.words)} words × ${fmtNum(t.unitEnergy, 4)} pJ = ${pJ(t.energy)}`
  );
}
