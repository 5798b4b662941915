import type { ModelId } from '../../sim/accel/types';
import type { LayerReport } from '../../sim/report';
import { accelName } from '../state/catalog';
import { baselineShort } from '../lib/baselines';
import { fmtCount, fmtPct, fmtX, occupancyFormula, speedupFormula } from '../lib/format';

/** One line of the selected layer's result for one accelerator, each number explaining itself. */
export function LayerResultLine({ layer, id }: { layer: LayerReport; id: ModelId }) {
  const r = layer.results[id];
  if (!r) {
    return (
      <p className="text-base text-slate-700">
        {accelName(id)} has no result for {layer.name} (not selected, or it does not apply to this layer).
      </p>
    );
  }
  return (
    <p className="flex flex-wrap gap-x-6 text-base">
      <span className="font-semibold">
        {accelName(id)} on {layer.name}
      </span>
      <span
        title={`${fmtCount(r.cycles)} cycles (mean over images) vs ${fmtCount(r.baselineCycles)} for ${baselineShort(id)}`}
      >
        {fmtCount(r.cycles)} cycles
      </span>
      <span title={speedupFormula(r.baselineCycles, r.cycles, r.speedup, baselineShort(id))}>
        speedup {fmtX(r.speedup)} vs {baselineShort(id)}
      </span>
      <span title={occupancyFormula(r.effectualWork, r.slotsPerCycle, r.cycles, r.occupancy)}>
        occupancy {fmtPct(r.occupancy)}
      </span>
      {r.potential && (
        <span
          title={`potential = MACs · Wb² / Σ bits per MAC = ${fmtCount(r.macs)} · ${layer.wb}² / ${fmtCount(r.potential.bits)} = ${fmtX(r.potential.speedup)}`}
        >
          potential {fmtX(r.potential.speedup)}
        </span>
      )}
    </p>
  );
}
