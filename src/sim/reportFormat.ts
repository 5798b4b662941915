import type { SimReport } from './report';
import type { ModelId } from './accel/types';

/** Per-layer columns shared by the CLI's CSV and the app's CSV export (documented in docs/output-format.md). */
export const LAYER_COLUMNS = [
  'layer',
  'kind',
  'macs',
  'pa',
  'pw',
  'weightSparsity',
  'actSparsity',
  'meanTermsPerWeight',
  'meanTermsPerAct',
  'termPotential',
] as const;
export const RESULT_COLUMNS = [
  'cycles',
  'baselineCycles',
  'speedup',
  'potential',
  'occupancy',
  'effectualWork',
] as const;
/** Weight storage of the layer (LayerReport.storage): after the result columns. */
export const STORAGE_COLUMNS = [
  'storage.format',
  'storage.n',
  'storage.nnz',
  'storage.bits',
  'storage.bitsPerWeight',
  'storage.compression',
  'storage.fp32Bits',
  'storage.eieCscBits',
] as const;
/** Energy estimate per accelerator (LayerReport.energy), prefixed with the id: last. */
export const ENERGY_COLUMNS = ['energyPJ', 'computePJ', 'sramPJ', 'dramPJ', 'leakagePJ'] as const;

function accelsOf(report: SimReport): ModelId[] {
  return report.config.accels.filter((id) => report.layers.some((l) => l.results[id]));
}

function num(x: number | undefined, digits = 6): string {
  if (x === undefined || Number.isNaN(x)) return '';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(digits)));
}

export function toCsv(report: SimReport): string {
  const accels = accelsOf(report);
  const header = [
    ...LAYER_COLUMNS,
    ...accels.flatMap((id) => RESULT_COLUMNS.map((c) => `${id}.${c}`)),
    ...STORAGE_COLUMNS,
    ...accels.flatMap((id) => ENERGY_COLUMNS.map((c) => `${id}.${c}`)),
  ];
  const rows = report.layers.map((l) => {
    const base = [
      l.name,
      l.kind,
      num(l.macs),
      num(l.pa),
      num(l.pw),
      num(l.weightSparsity),
      num(l.actSparsity),
      num(l.meanTermsPerWeight),
      num(l.meanTermsPerAct),
      num(l.termPotential),
    ];
    const res = accels.flatMap((id) => {
      const r = l.results[id];
      if (!r) return RESULT_COLUMNS.map(() => '');
      return [
        num(r.cycles),
        num(r.baselineCycles),
        num(r.speedup),
        num(r.potential?.speedup),
        num(r.occupancy),
        num(r.effectualWork),
      ];
    });
    const own = l.storage.formats[l.storage.format]!;
    const storage = [
      l.storage.format,
      num(l.storage.n),
      num(l.storage.nnz),
      num(own.bits),
      num(own.bitsPerWeight),
      num(own.compression),
      num(l.storage.formats.fp32?.bits),
      num(l.storage.formats.eieCsc?.bits),
    ];
    const energy = accels.flatMap((id) => {
      const e = l.energy[id];
      return e
        ? [num(e.total), num(e.compute), num(e.sram), num(e.dram), num(e.leakage)]
        : ENERGY_COLUMNS.map(() => '');
    });
    return [...base, ...res, ...storage, ...energy].map(csvCell).join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padEnd(n) : s.padStart(n);
}

export function toTable(report: SimReport): string {
  const accels = accelsOf(report);
  const lines: string[] = [];
  const tag = report.model.synthetic ? ' [synthetic tensors]' : '';
  lines.push(`Effectual — ${report.model.name}${tag}, ${report.config.images} image(s)`);
  if (report.accuracy)
    lines.push(
      `top-1 on ${report.accuracy.images} image(s): float ${(100 * report.accuracy.float).toFixed(1)} %, quantised ${(100 * report.accuracy.quantized).toFixed(1)} %`,
    );
  const nameW = Math.max(5, ...report.layers.map((l) => l.name.length));
  const head =
    pad('layer', nameW, true) +
    pad('MACs', 12) +
    pad('wSp', 6) +
    pad('aSp', 6) +
    pad('T/w', 6) +
    pad('T/a', 6) +
    pad('pot', 8) +
    accels.map((id) => pad(`${id}`, 20)).join('');
  lines.push(head);
  lines.push(pad('', nameW) + ' '.repeat(44) + accels.map(() => pad('cycles  speedup', 20)).join(''));
  for (const l of report.layers) {
    let row =
      pad(l.name, nameW, true) +
      pad(String(l.macs), 12) +
      pad(l.weightSparsity.toFixed(2), 6) +
      pad(l.actSparsity.toFixed(2), 6) +
      pad(l.meanTermsPerWeight.toFixed(2), 6) +
      pad(l.meanTermsPerAct.toFixed(2), 6) +
      pad(l.termPotential.toFixed(1), 8);
    for (const id of accels) {
      const r = l.results[id];
      row += r ? pad(`${Math.round(r.cycles)} ${r.speedup.toFixed(2)}x`, 20) : pad('—', 20);
    }
    lines.push(row);
  }
  let total = pad('total', nameW, true) + pad(String(report.totals.macs), 12) + ' '.repeat(32);
  for (const id of accels) {
    const t = report.totals.results[id];
    total += t ? pad(`${Math.round(t.cycles)} ${t.speedup.toFixed(2)}x`, 20) : pad('—', 20);
  }
  lines.push(total);
  lines.push(...summaryLines(report, accels));
  lines.push(
    "speedup = baseline cycles / cycles (baseline: DaDN for the grid family, each model's own dense mode otherwise); pot = Laconic-style term potential",
  );
  return lines.join('\n') + '\n';
}

function mbit(bits: number): string {
  return bits >= 1e6 ? `${(bits / 1e6).toFixed(2)} Mbit` : `${(bits / 1e3).toFixed(1)} kbit`;
}

function microjoules(pJ: number): string {
  return pJ >= 1e5 ? `${(pJ / 1e6).toPrecision(3)} µJ` : `${(pJ / 1e3).toPrecision(3)} nJ`;
}

/** Network weight storage and the energy estimate per accelerator, one line each. */
function summaryLines(report: SimReport, accels: ModelId[]): string[] {
  const s = report.totals.storage;
  const fp32 = s.formats.fp32;
  const formats = [...new Set(report.layers.map((l) => l.storage.format))].join('/');
  const lines = [
    `weights: ${mbit(s.configured.bits)} as configured (${formats}), ${s.configured.bitsPerWeight.toFixed(2)} bits/weight, ` +
      `${s.configured.compression.toFixed(1)}x smaller than FP32 (${fp32 ? mbit(fp32.bits) : '—'})` +
      (s.formats.eieCsc ? `; EIE CSC ${mbit(s.formats.eieCsc.bits)}` : ''),
  ];
  const energy = accels.flatMap((id) => {
    const e = report.totals.energy[id];
    if (!e) return [];
    const part = e.layers < report.layers.length ? ` [${e.layers} layer(s)]` : '';
    return [`${id} ${microjoules(e.total)}${part}`];
  });
  if (energy.length > 0)
    lines.push(
      `energy estimate per image (compute + SRAM + DRAM, constants in docs/energy.md): ${energy.join(', ')}`,
    );
  return lines;
}
