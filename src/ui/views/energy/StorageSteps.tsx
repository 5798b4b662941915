import type { LayerReport } from '../../../sim/report';
import type { WeightFootprint } from '../../../sim/energy';
import { STORAGE_FORMAT_IDS, STORAGE_FORMAT_LABELS, type StorageFormatId } from '../../../sim/reportStorage';
import { fmtNum } from '../../lib/format';
import { BREAKDOWN_PARTS } from './colours';
import { fmtBits } from './formulas';
import { Swatches } from './Swatches';

/**
 * The selected layer's storage in every format, in the order of the compression steps (dense → pruned →
 * shared → CSC), each bar split into what the bits hold (values, indices, padding, pointers, codebook, scales).
 */
export function StorageSteps({
  layer,
  width,
  formulaOf,
}: {
  layer: LayerReport;
  width: number;
  formulaOf(id: StorageFormatId): string;
}) {
  const steps = STORAGE_FORMAT_IDS.flatMap((id) => {
    const f = layer.storage.formats[id];
    return f ? [{ id, f }] : [];
  });
  const max = Math.max(...steps.map((s) => s.f.bits), 1);
  const barW = Math.max(160, Math.min(640, width - 420));
  const used = BREAKDOWN_PARTS.filter((p) => steps.some((s) => s.f.breakdown[p.key] > 0));
  return (
    <div className="flex flex-col gap-2">
      <ol className="flex flex-col gap-2">
        {steps.map(({ id, f }, i) => (
          <li key={id} className="grid grid-cols-[15rem_auto] items-start gap-x-3">
            <div>
              <div className={layer.storage.format === id ? 'font-semibold' : ''}>
                {STORAGE_FORMAT_LABELS[id]}
                {layer.storage.format === id && (
                  <span className="ml-1 text-sm font-normal">(as configured)</span>
                )}
              </div>
              <div className="text-sm text-slate-600 tabular-nums" data-testid={`layer-storage-${id}`}>
                {fmtBits(f.bits)}
              </div>
            </div>
            <div className="flex flex-col gap-0.5">
              <StackedBits f={f} max={max} width={barW} />
              <p className="text-sm text-slate-700">
                {fmtNum(f.bitsPerWeight, 3)} bits/weight{id !== 'fp32' && <>, {vsFp32(f.compression)}</>}
                {i > 0 && steps[i - 1].f.bits > 0 && <> · {stepRatio(steps[i - 1].f, f)} the step before</>}
                {f.entropy && <> · ideal entropy coding: {fmtNum(f.entropy.bitsPerWeight, 3)} bits/weight</>}
              </p>
              <details className="text-sm text-slate-700">
                <summary className="cursor-pointer">formula</summary>
                <p className="break-words">{formulaOf(id)}</p>
              </details>
            </div>
          </li>
        ))}
      </ol>
      <Swatches label="What the bits hold" items={used} />
    </div>
  );
}

/** "8.39× smaller than FP32" or, for formats that cost more than FP32, "3.29× larger than FP32". */
export function vsFp32(compression: number): string {
  return compression >= 1
    ? `${fmtNum(compression, 3)}× smaller than FP32`
    : `${fmtNum(1 / Math.max(compression, 1e-12), 3)}× larger than FP32`;
}

function stepRatio(before: WeightFootprint, after: WeightFootprint): string {
  const r = before.bits / Math.max(after.bits, 1);
  return r >= 1 ? `${fmtNum(r, 2)}× smaller than` : `${fmtNum(1 / r, 2)}× larger than`;
}

function StackedBits({ f, max, width }: { f: WeightFootprint; max: number; width: number }) {
  let x = 0;
  return (
    <svg width={width} height={18} aria-hidden>
      <rect x={0} y={1} width={width} height={16} fill="#F1F5F9" />
      {BREAKDOWN_PARTS.map((p) => {
        const w = (width * f.breakdown[p.key]) / max;
        const rect = w > 0 && (
          <rect key={p.key} x={x} y={1} width={Math.max(w, 0.5)} height={16} fill={p.colour}>
            <title>{`${p.label}: ${fmtBits(f.breakdown[p.key])}`}</title>
          </rect>
        );
        x += w;
        return rect;
      })}
    </svg>
  );
}
