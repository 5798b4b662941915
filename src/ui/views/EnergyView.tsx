import { useMemo, useState } from 'react';
import type { ModelId } from '../../sim/accel/types';
import type { SimReport } from '../../sim/report';
import { storageFormats, type StorageFormatId } from '../../sim/reportStorage';
import { useApp } from '../state/store';
import { useSelectedLayer } from '../hooks/useLayer';
import { useWidth } from '../hooks/useWidth';
import { accelName } from '../state/catalog';
import { storageFormula } from './energy/formulas';
import { StorageLayers, StorageTotals } from './energy/StorageCharts';
import { StorageSteps } from './energy/StorageSteps';
import { EnergyLayers, EnergyTotals } from './energy/EnergyCharts';
import { EnergyTerms } from './energy/EnergyTerms';
import { ConstantsTable } from './energy/ConstantsTable';
import { EieStory, YinStory } from './energy/Stories';

/** Storage formula of layer i in format id, from the report alone (the format parameters follow from it). */
function useStorageFormula(report: SimReport | null) {
  return useMemo(() => {
    const cache = new Map<number, Map<StorageFormatId, string>>();
    return (i: number, id: StorageFormatId): string => {
      if (!report) return '';
      let forLayer = cache.get(i);
      if (!forLayer) {
        const l = report.layers[i];
        forLayer = new Map(
          storageFormats(l, report.config).all.map(({ id: fid, format }) => [
            fid,
            l.storage.formats[fid] ? storageFormula(l.storage.formats[fid], format, l.geometry.K) : '',
          ]),
        );
        cache.set(i, forLayer);
      }
      return forLayer.get(id) ?? '';
    };
  }, [report]);
}

/** Weight storage per format and the energy estimate per accelerator, with the constants behind it. */
export function EnergyView() {
  const report = useApp((s) => s.report);
  const accels = useApp((s) => s.link.accels);
  const overrides = useApp((s) => s.link.energy);
  const layer = useSelectedLayer();
  const [log, setLog] = useState(true);
  const [focusPick, setFocus] = useState<ModelId | null>(null);
  const [ref, width] = useWidth<HTMLDivElement>();
  const formulaOf = useStorageFormula(report);
  // The wrapper is always rendered so that its width is measured from the start.
  if (!report)
    return (
      <div ref={ref}>
        <p className="text-lg">Waiting for the first result…</p>
      </div>
    );
  const withEnergy = accels.filter((id) => report.totals.energy[id]);
  const focus =
    focusPick && withEnergy.includes(focusPick)
      ? focusPick
      : (withEnergy.find((id) => id !== 'dadn') ?? withEnergy[0] ?? null);
  const layerIndex = layer ? report.layers.indexOf(layer) : -1;
  return (
    <div ref={ref} className="flex flex-col gap-6">
      <p className="rounded border border-amber-300 bg-amber-50 p-2 text-base">
        <strong>Energy is an estimate</strong> for comparing accelerators on the same footing (one technology
        node, first-order counts of operations and memory accesses), not a prediction of any chip. The
        constants and their provenance are at the bottom of this page; edit them to see how the comparison
        depends on them.
      </p>

      <section aria-labelledby="storage-h" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-x-6">
          <h3 id="storage-h" className="text-lg font-semibold">
            Weight storage, whole network
          </h3>
          <label className="flex items-center gap-1 text-base">
            <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
            log scale
          </label>
        </div>
        <StorageTotals report={report} log={log} width={width} />
        <h3 className="text-lg font-semibold">Weight storage per layer</h3>
        <StorageLayers
          report={report}
          log={log}
          width={width}
          selected={layer?.name ?? null}
          formulaOf={formulaOf}
        />
        {layer && (
          <>
            <h3 className="text-lg font-semibold">{layer.name}: from dense to compressed</h3>
            <StorageSteps layer={layer} width={width} formulaOf={(id) => formulaOf(layerIndex, id)} />
          </>
        )}
      </section>

      <section aria-labelledby="energy-h" className="flex flex-col gap-3">
        <h3 id="energy-h" className="text-lg font-semibold">
          Energy estimate per image (one classification)
        </h3>
        {withEnergy.length === 0 ? (
          <p>No selected accelerator applies to this network.</p>
        ) : (
          <>
            <EnergyTotals report={report} accels={withEnergy} width={width} />
            <div className="flex flex-wrap items-center gap-x-4">
              <h3 className="text-lg font-semibold">Energy per layer</h3>
              <label className="flex items-center gap-2 text-base">
                accelerator
                <select
                  className="rounded border border-slate-400 bg-white px-2 py-1"
                  value={focus ?? ''}
                  onChange={(e) => setFocus(e.target.value as ModelId)}
                >
                  {withEnergy.map((id) => (
                    <option key={id} value={id}>
                      {accelName(id)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {focus && (
              <EnergyLayers report={report} id={focus} width={width} selected={layer?.name ?? null} />
            )}
            {layer && (
              <>
                <h3 className="text-lg font-semibold">{layer.name} on each accelerator</h3>
                <EnergyTerms layer={layer} config={report.config} accels={withEnergy} focus={focus} />
              </>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="stories-h" className="flex flex-col gap-3">
        <h3 id="stories-h" className="text-lg font-semibold">
          Two papers’ stories on the shipped model
        </h3>
        <div className="grid gap-3 xl:grid-cols-2">
          <EieStory report={report} />
          <YinStory report={report} />
        </div>
      </section>

      <section aria-labelledby="constants-h" className="flex flex-col gap-2">
        <h3 id="constants-h" className="text-lg font-semibold">
          Constants of the estimate
        </h3>
        <ConstantsTable overrides={overrides} />
      </section>
    </div>
  );
}
