import type { SimReport, LayerReport } from '../../../sim/report';
import { resolveEnergyConstants, sramAccessEnergy } from '../../../sim/energy';
import { STORAGE_FORMAT_LABELS } from '../../../sim/reportStorage';
import { useApp } from '../../state/store';
import { applyPresetTo, findPreset } from '../../state/presets';
import { fmtCount, fmtNum, fmtPct } from '../../lib/format';
import { fmtBits, fmtEnergy } from './formulas';
import { vsFp32 } from './StorageSteps';

function loadPreset(id: string): void {
  useApp.getState().update((d) => applyPresetTo(d, id));
}

function PresetButton({ id }: { id: string }) {
  const p = findPreset(id);
  return (
    <button
      type="button"
      className="self-start rounded border border-sky-700 px-3 py-1 text-sm text-sky-900 hover:bg-sky-50"
      onClick={() => loadPreset(id)}
      title={`${p.paper}: ${p.note}`}
    >
      Load the preset “{p.title}”
    </button>
  );
}

/** EIE (Han et al., ISCA 2016): compress the FC weights until they live on chip, skip zero weights and activations. */
export function EieStory({ report }: { report: SimReport }) {
  const layer = [...report.layers].reverse().find((l) => l.results.eie) ?? null;
  const q = report.config.quant;
  const active = layer && (q.prune.enabled || q.share.enabled);
  return (
    <section
      aria-labelledby="eie-story-h"
      className="flex flex-col gap-1 rounded border border-slate-200 p-3"
    >
      <h4 id="eie-story-h" className="font-semibold">
        EIE: DRAM → SRAM through pruning, weight sharing and compressed sparse columns
      </h4>
      {!active || !layer ? (
        <p className="text-sm">Shown with EIE selected and pruning or weight sharing on.</p>
      ) : (
        <EieSteps layer={layer} report={report} />
      )}
      <PresetButton id="eie" />
    </section>
  );
}

function EieSteps({ layer, report }: { layer: LayerReport; report: SimReport }) {
  const s = layer.storage;
  const steps = (['fp32', 'pruned', 'shared', 'deepCompression', 'eieCsc'] as const).filter(
    (id) => s.formats[id],
  );
  const csc = s.formats.eieCsc;
  const eie = layer.results.eie!;
  const inputs = layer.geometry.C * layer.geometry.H * layer.geometry.W;
  const networkCsc = report.totals.storage.formats.eieCsc;
  const c = resolveEnergyConstants(report.config.energy ?? {});
  const eSram = sramAccessEnergy(c.weightBufferKB, c);
  const dramOverSram = c.dramPerWord / eSram;
  return (
    <ol className="list-decimal pl-6 text-sm" data-testid="eie-story">
      {steps.map((id) => (
        <li key={id}>
          {STORAGE_FORMAT_LABELS[id]} of {layer.name}: {fmtBits(s.formats[id]!.bits)}
          {id !== 'fp32' && <>, {vsFp32(s.formats[id]!.compression)}</>}
          {id === 'pruned' &&
            ` (${fmtCount(s.nnz)} of ${fmtCount(s.n)} weights kept, ${fmtPct(s.nnz / s.n)})`}
          {id === 'eieCsc' && csc && csc.breakdown.pointers > csc.bits / 2 && (
            <>
              {' '}
              — column pointers take {fmtBits(csc.breakdown.pointers)}: EIE’s format is made for FC layers
              with thousands of rows; this one has {layer.geometry.K} rows on the PEs
            </>
          )}
        </li>
      ))}
      <li>
        DRAM → SRAM: a 64-bit DRAM word costs {fmtNum(c.dramPerWord, 4)} pJ, a 64-bit read of the{' '}
        {fmtNum(c.weightBufferKB, 0)} KB weight SRAM {fmtNum(eSram, 4)} pJ ({fmtNum(dramOverSram, 3)}
        ×). {networkCsc && <>The whole network in EIE’s CSC takes {fmtBits(networkCsc.bits)}; </>}
        kept on chip, those weights need no DRAM traffic per image (this estimate still charges them once per
        image, the compulsory traffic of docs/energy.md).
      </li>
      <li>
        Zero activations: EIE broadcasts only the {fmtNum(layer.nonZeroActs, 1)} non-zero of{' '}
        {fmtCount(inputs)} inputs ({fmtPct(layer.nonZeroActs / Math.max(inputs, 1))}); it executes{' '}
        {fmtCount(eie.effectualWork)} CSC entries for {fmtCount(layer.macs)} MACs (
        {fmtPct(eie.effectualWork / Math.max(layer.macs, 1))}).
      </li>
      {layer.energy.eie && (
        <li>
          Energy estimate of {layer.name} on EIE: {fmtEnergy(layer.energy.eie.total)} per image
          {layer.energy.dadn && <> (DaDianNao: {fmtEnergy(layer.energy.dadn.total)})</>}.
        </li>
      )}
    </ol>
  );
}

/** Yin et al. (arXiv 1804.07370): coarse-grain block sparsity with 3-bit weights on a zero-skipping array. */
export function YinStory({ report }: { report: SimReport }) {
  const cgs = report.layers.filter((l) => l.storage.format === 'cgs');
  const t = report.totals;
  const ids = (['dlac', 'dadn', 'eie'] as const).filter(
    (id) => t.energy[id] && t.energy[id].layers === report.layers.length,
  );
  const meta = cgs[0]?.quantMeta;
  const realised = cgs.map((l) => Number(l.quantMeta.realisedCompression));
  const range = (xs: number[]) =>
    Math.min(...xs) === Math.max(...xs)
      ? `${fmtNum(xs[0], 3)}×`
      : `${fmtNum(Math.min(...xs), 3)}–${fmtNum(Math.max(...xs), 3)}×`;
  return (
    <section
      aria-labelledby="yin-story-h"
      className="flex flex-col gap-1 rounded border border-slate-200 p-3"
    >
      <h4 id="yin-story-h" className="font-semibold">
        Yin et al.: coarse-grain block sparsity with low-precision weights
      </h4>
      {cgs.length === 0 ? (
        <p className="text-sm">Shown with the CGS weight scheme.</p>
      ) : (
        <ul className="list-disc pl-6 text-sm" data-testid="yin-story">
          <li>
            {cgs.length} layers keep whole {report.config.quant.weights.cgs.br}×
            {report.config.quant.weights.cgs.bc} blocks of weights (requested compression{' '}
            {report.config.quant.weights.cgs.compression}×, realised {range(realised)} per layer; e.g.{' '}
            {cgs[0].name}: {String(meta?.keepPerRow)} of {String(meta?.blockCols)} block columns per block
            row) with {report.config.quant.weights.cgs.bits}-bit weights.
          </li>
          <li>
            Network weights: {fmtBits(t.storage.configured.bits)} instead of{' '}
            {fmtBits(t.storage.formats.fp32!.bits)} in FP32 ({fmtNum(t.storage.configured.compression, 3)}×,{' '}
            {fmtNum(t.storage.configured.bitsPerWeight, 3)} bits/weight; the first conv and the last FC stay
            FP32).
          </li>
          {ids.length > 0 && (
            <li>
              Energy estimate per classification:{' '}
              {ids
                .map(
                  (id) =>
                    `${id === 'dlac' ? 'DLAC' : id === 'dadn' ? 'DaDianNao' : 'EIE'} ${fmtEnergy(t.energy[id]!.total)}`,
                )
                .join(', ')}
              . The paper reports about 20 nJ per MNIST classification at 40 nm with its own network — context
              only.
            </li>
          )}
        </ul>
      )}
      <PresetButton id="yin-cgs" />
    </section>
  );
}
