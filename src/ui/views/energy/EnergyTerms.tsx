import { useMemo } from 'react';
import type { ModelId } from '../../../sim/accel/types';
import type { LayerReport } from '../../../sim/report';
import type { SimConfig } from '../../../sim/config';
import { layerEnergyDetail } from '../../../sim/reportEnergy';
import { STORAGE_FORMAT_LABELS } from '../../../sim/reportStorage';
import { accelName } from '../../state/catalog';
import { computeTermText, dramTermText, energySum, fmtEnergy, sramTermText } from './formulas';

/** The selected layer on every accelerator, and one accelerator's terms with their counts and unit energies. */
export function EnergyTerms({
  layer,
  config,
  accels,
  focus,
}: {
  layer: LayerReport;
  config: SimConfig;
  accels: ModelId[];
  focus: ModelId | null;
}) {
  const rows = accels.filter((id) => layer.energy[id]);
  const detail = useMemo(
    () => (focus && layer.energy[focus] ? layerEnergyDetail(layer, focus, config) : null),
    [layer, focus, config],
  );
  if (rows.length === 0) return <p>None of the selected accelerators applies to {layer.name}.</p>;
  return (
    <div className="flex flex-col gap-3">
      <table className="text-base tabular-nums">
        <caption className="sr-only">Energy estimate of {layer.name} per accelerator</caption>
        <thead className="text-right text-sm text-slate-600">
          <tr>
            <th className="pr-4 text-left font-normal">accelerator</th>
            <th className="pr-4 font-normal">compute</th>
            <th className="pr-4 font-normal">SRAM</th>
            <th className="pr-4 font-normal">DRAM</th>
            <th className="pr-4 font-normal">total</th>
            <th className="text-left font-normal">weights read as</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((id) => {
            const e = layer.energy[id]!;
            const title = `${accelName(id)} on ${layer.name}: ${energySum(e)}`;
            return (
              <tr key={id} className={id === focus ? 'bg-sky-50' : ''}>
                <th scope="row" className="pr-4 text-left font-normal">
                  {accelName(id)}
                </th>
                <td className="pr-4 text-right" title={title}>
                  {fmtEnergy(e.compute)}
                </td>
                <td className="pr-4 text-right" title={title}>
                  {fmtEnergy(e.sram)}
                </td>
                <td className="pr-4 text-right" title={title}>
                  {fmtEnergy(e.dram)}
                </td>
                <td
                  className="pr-4 text-right font-semibold"
                  title={title}
                  data-testid={`layer-energy-${id}`}
                >
                  {fmtEnergy(e.total)}
                </td>
                <td className="text-sm">{STORAGE_FORMAT_LABELS[e.weightFormat]}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {detail && focus && (
        <section aria-labelledby="energy-terms-h" className="text-sm text-slate-800">
          <h4 id="energy-terms-h" className="text-base font-semibold">
            {accelName(focus)} on {layer.name}: the estimate term by term
          </h4>
          <p data-testid="energy-formula">{energySum(detail)}</p>
          <h5 className="mt-1 font-semibold">compute = Σ operations × unit energy</h5>
          <ul className="list-disc pl-6">
            {detail.computeTerms.map((t) => (
              <li key={`${t.kind}-${t.label}`}>{computeTermText(t)}</li>
            ))}
          </ul>
          <h5 className="mt-1 font-semibold">on-chip SRAM = Σ buffers cdiv(bits, 64) × e_sram(size)</h5>
          <ul className="list-disc pl-6">
            {detail.sramTerms.map((t) => (
              <li key={`${t.buffer}-${t.label}`}>{sramTermText(t)}</li>
            ))}
          </ul>
          <h5 className="mt-1 font-semibold">off-chip DRAM (compulsory traffic only)</h5>
          <p className="pl-6">{dramTermText(detail.dramTerm)}</p>
        </section>
      )}
    </div>
  );
}
